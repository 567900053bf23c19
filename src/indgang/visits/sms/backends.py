"""The SMS backends: console, file and a generic JSON HTTP gateway."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .http import HttpFailure, http_post_json

MAX_LENGTH = 1530  # ten concatenated messages; longer texts are cut, not refused


class SmsError(Exception):
    """The message could not be handed to the provider."""


def _prepare(to: str, text: str) -> tuple[str, str]:
    to = (to or "").strip()
    if not to:
        raise SmsError("no phone number")
    if not text:
        raise SmsError("no text")
    return to, text[:MAX_LENGTH]


def console_send(*, to: str, text: str) -> None:
    sys.stdout.write(f"SMS to {to}:\n{text}\n\n")
    sys.stdout.flush()


_file_lock = threading.Lock()


def file_send(*, to: str, text: str) -> None:
    path = getattr(settings, "SMS_FILE_PATH", "")
    if not path:
        raise SmsError("SMS_BACKEND is 'file' but SMS_FILE_PATH is not set")
    line = json.dumps(
        {"at": timezone.now().isoformat(), "to": to, "text": text}, ensure_ascii=False
    )
    try:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock, target.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
    except OSError as exc:
        raise SmsError(f"could not write to {path}: {exc}") from exc


def http_send(*, to: str, text: str) -> None:
    url = getattr(settings, "SMS_GATEWAY_URL", "")
    if not url:
        raise SmsError("SMS_BACKEND is 'http' but SMS_GATEWAY_URL is not set")
    payload = {"to": to, "text": text, "sender": getattr(settings, "SMS_SENDER", "")}
    try:
        http_post_json(
            url,
            payload,
            token=getattr(settings, "SMS_GATEWAY_TOKEN", ""),
            timeout=getattr(settings, "SMS_GATEWAY_TIMEOUT", 10),
        )
    except HttpFailure as exc:
        raise SmsError(f"SMS gateway: {exc}") from exc


BACKENDS: dict[str, Callable[..., None]] = {
    "console": console_send,
    "file": file_send,
    "http": http_send,
}


def backend_for(name: str | None = None) -> Callable[..., None]:
    name = (name or getattr(settings, "SMS_BACKEND", "") or "console").strip().lower()
    try:
        return BACKENDS[name]
    except KeyError:
        raise SmsError(
            f"unknown SMS_BACKEND {name!r}; use one of {', '.join(sorted(BACKENDS))}"
        ) from None


def send_sms(*, to: str, text: str) -> None:
    to, text = _prepare(to, text)
    backend_for()(to=to, text=text)
