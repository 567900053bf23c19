"""The one place the SMS adapter talks HTTP: a JSON POST with a timeout and clear errors."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

USER_AGENT = "Indgang-SMS/1"


class HttpFailure(Exception):
    pass


def http_post_json(url: str, payload: dict, *, token: str = "", timeout: float = 10) -> dict:
    """POST `payload` as JSON; the JSON answer (or {}) on 2xx, else HttpFailure saying why."""
    if not url.startswith(("http://", "https://")):
        raise HttpFailure(f"not an http(s) address: {url!r}")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=json.dumps(payload).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise HttpFailure(f"HTTP {exc.code} {exc.reason}: {detail}".rstrip(": ")) from exc
    except TimeoutError as exc:
        raise HttpFailure(f"no answer within {timeout:g} seconds") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise HttpFailure(f"no answer within {timeout:g} seconds") from exc
        raise HttpFailure(f"could not connect: {reason}") from exc
    if not body.strip():
        return {}
    try:
        answer = json.loads(body)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
