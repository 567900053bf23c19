"""Tracking an inquiry: who may see it, guessing throttled in the database, and the timeline.

A citizen opens an inquiry with its reference plus the e-mail address or phone number they gave,
or with a one-time code sent to that e-mail address. Every wrong answer looks the same, so nobody
learns which part was wrong or whether a reference exists.

Failed lookups are counted in the database (TrackingAttempt), so the limit holds across all app
processes: per client (a keyed hash of the address, never the address itself) and per reference
(keyed the same way), whether or not the reference exists.
"""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indgang.lib.http import client_address

from .contact import email_normalise, phone_normalise
from .lifecycle import REOPENED_FROM, EventKind, MessageKind, Status
from .models import Inquiry, TrackingAttempt, TrackingCode
from .outbox import outbox_enqueue
from .references import reference_parse

MAX_FAILURES = 10
FAILURE_WINDOW = dt.timedelta(minutes=15)
# Attempt rows older than this are deleted whenever a new failure is written.
ATTEMPT_KEEP = dt.timedelta(hours=1)
CODE_DIGITS = 6
CODE_VALID = dt.timedelta(minutes=15)
# At most this many codes per inquiry while they are valid: nobody can flood a citizen's inbox.
MAX_LIVE_CODES = 3
# After a successful lookup the citizen may reload the page for this long without answering again.
SESSION_ACCESS_SECONDS = 30 * 60
SESSION_KEY = "inquiries.tracked"

_CLIENT_SALT = "indgang.inquiries.tracking.client"
_REFERENCE_SALT = "indgang.inquiries.tracking.reference"
_CODE_SALT = "indgang.inquiries.tracking.code"


def _digest(salt: str, value: str) -> str:
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address; an IPv6 client counts as its whole /64 network."""
    raw = client_address(request) or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return _digest(_CLIENT_SALT, raw[:100])
    if address.version == 6 and address.ipv4_mapped is None:
        raw = str(ipaddress.ip_network(f"{address}/64", strict=False))
    elif address.version == 6:
        raw = str(address.ipv4_mapped)
    return _digest(_CLIENT_SALT, raw)


def _reference_key(reference: str) -> str:
    return _digest(_REFERENCE_SALT, reference)


def _keys(*, client: str, reference: str | None) -> list[str]:
    return [client] + ([_reference_key(reference)] if reference else [])


def tracking_blocked(*, client: str, reference_text: str = "") -> bool:
    """True when this client, or this reference, has failed too often lately."""
    since = timezone.now() - FAILURE_WINDOW
    for key in _keys(client=client, reference=reference_parse(reference_text)):
        failures = TrackingAttempt.objects.filter(client=key, succeeded=False, at__gte=since)
        if failures.count() >= MAX_FAILURES:
            return True
    return False


def tracking_failure_record(*, client: str, reference_text: str = "") -> None:
    keys = _keys(client=client, reference=reference_parse(reference_text))
    TrackingAttempt.objects.bulk_create([TrackingAttempt(client=key) for key in keys])
    tracking_attempts_prune()


def tracking_attempts_prune(*, now: dt.datetime | None = None) -> int:
    """Delete attempts too old to count; returns how many."""
    cutoff = (now or timezone.now()) - ATTEMPT_KEEP
    deleted, _kinds = TrackingAttempt.objects.filter(at__lt=cutoff).delete()
    return deleted


def contact_matches(inquiry: Inquiry, contact: str) -> bool:
    """The e-mail address or phone number the citizen gave with the inquiry."""
    contact = (contact or "").strip()
    if not contact:
        return False
    if "@" in contact:
        given = email_normalise(inquiry.citizen_email)
        return bool(given) and hmac.compare_digest(given, email_normalise(contact))
    wanted, given = phone_normalise(contact), phone_normalise(inquiry.citizen_phone)
    return bool(wanted and given) and hmac.compare_digest(given, wanted)


def inquiry_for_contact(*, reference_text: str, contact: str) -> Inquiry | None:
    """The inquiry when the reference and the contact detail belong together, else None."""
    reference = reference_parse(reference_text)
    if reference is None:
        return None
    inquiry = Inquiry.objects.select_related("service").filter(reference=reference).first()
    if inquiry is None or not contact_matches(inquiry, contact):
        return None
    return inquiry


def _code_hash(inquiry: Inquiry, code: str) -> str:
    return _digest(_CODE_SALT, f"{inquiry.pk}:{code}")


@transaction.atomic
def tracking_code_send(*, reference_text: str) -> bool:
    """Send a one-time code to the inquiry's e-mail address through the outbox.

    Returns whether one was sent; the page says the same either way. Only a hash is stored.
    """
    reference = reference_parse(reference_text)
    inquiry = (
        Inquiry.objects.filter(reference=reference).exclude(citizen_email="").first()
        if reference
        else None
    )
    if inquiry is None:
        return False
    now = timezone.now()
    live = inquiry.tracking_codes.filter(used_at__isnull=True, expires_at__gt=now)
    if live.count() >= MAX_LIVE_CODES:
        return False
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    TrackingCode.objects.create(
        inquiry=inquiry, code_hash=_code_hash(inquiry, code), expires_at=now + CODE_VALID
    )
    body = render_to_string(
        "inquiries/citizen/email_tracking_code.txt",
        {
            "inquiry": inquiry,
            "code": code,
            "minutes": int(CODE_VALID.total_seconds() // 60),
            "code_url": settings.SITE_URL + reverse("inquiries:track_code"),
            "municipality_name": settings.MUNICIPALITY_NAME,
        },
    )
    subject = _("Your code for inquiry %(reference)s") % {"reference": inquiry.reference}
    outbox_enqueue(to=inquiry.citizen_email, subject=subject, body=body, inquiry=inquiry)
    return True


def tracking_code_redeem(*, reference_text: str, code: str) -> Inquiry | None:
    """The inquiry when `code` is a valid, unused code for it; the code is used up."""
    reference = reference_parse(reference_text)
    code = "".join((code or "").split())
    if reference is None or not code.isdigit() or len(code) != CODE_DIGITS:
        return None
    inquiry = Inquiry.objects.filter(reference=reference).first()
    if inquiry is None:
        return None
    now = timezone.now()
    wanted = _code_hash(inquiry, code)
    for candidate in inquiry.tracking_codes.filter(used_at__isnull=True, expires_at__gt=now):
        if hmac.compare_digest(candidate.code_hash, wanted):
            # Claimed with a conditional update: two requests cannot both use the same code.
            claimed = TrackingCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(
                used_at=now
            )
            return inquiry if claimed else None
    return None


def session_grant(request: HttpRequest, inquiry: Inquiry) -> None:
    """Remember in the session (never in the address) that this citizen may see the inquiry."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": inquiry.pk, "until": time.time() + SESSION_ACCESS_SECONDS}


def session_inquiry(request: HttpRequest) -> Inquiry | None:
    access = request.session.get(SESSION_KEY)
    if not isinstance(access, dict) or not isinstance(access.get("id"), int):
        return None
    if not isinstance(access.get("until"), int | float) or access["until"] < time.time():
        request.session.pop(SESSION_KEY, None)
        return None
    return Inquiry.objects.select_related("service").filter(pk=access["id"]).first()


def session_forget(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


@dataclass(frozen=True)
class TimelineStep:
    at: dt.datetime
    kind: str  # received, in_progress, reopened, awaiting_citizen, answered, closed, reply, …
    text: str
    message: str = ""  # the answer's text, for "reply"


STEP_TEXTS = {
    Status.RECEIVED: gettext_lazy("We received your inquiry"),
    Status.IN_PROGRESS: gettext_lazy("We are working on your inquiry"),
    "reopened": gettext_lazy("Your inquiry was opened again"),
    Status.AWAITING_CITIZEN: gettext_lazy("We are waiting for an answer from you"),
    Status.ANSWERED: gettext_lazy("We have answered you"),
    Status.CLOSED: gettext_lazy("Your inquiry is closed"),
    "reply": gettext_lazy("Our answer to you"),
    "citizen_message": gettext_lazy("You wrote to us again"),
}
# What the citizen is told about the current status.
STATUS_TEXTS = {
    Status.RECEIVED: gettext_lazy("Received – we have not started on it yet"),
    Status.IN_PROGRESS: gettext_lazy("We are working on it"),
    Status.AWAITING_CITIZEN: gettext_lazy("We are waiting for an answer from you"),
    Status.ANSWERED: gettext_lazy("Answered"),
    Status.CLOSED: gettext_lazy("Closed"),
}


def status_text(inquiry: Inquiry) -> str:
    return str(STATUS_TEXTS.get(inquiry.status, inquiry.status))


def timeline_for(inquiry: Inquiry) -> list[TimelineStep]:
    """The citizen-visible steps, oldest first, in plain words. Internal notes, staff names and
    notes written on status changes are never part of it."""
    answers = list(
        inquiry.messages.filter(kind=MessageKind.TO_CITIZEN)
        .order_by("created_at", "pk")
        .values_list("body", flat=True)
    )
    steps: list[TimelineStep] = []
    for event in inquiry.events.filter(citizen_visible=True).order_by("at", "pk"):
        if event.kind == EventKind.STATUS:
            kind = event.to_value
            if kind == Status.IN_PROGRESS and event.from_value in REOPENED_FROM:
                kind = "reopened"
            if kind == Status.ANSWERED and steps and steps[-1].kind == "reply":
                continue  # the answer just above says it
            if kind not in STEP_TEXTS:
                continue
            steps.append(TimelineStep(at=event.at, kind=kind, text=str(STEP_TEXTS[kind])))
        elif event.kind == EventKind.REPLY:
            # Answers and their events are written together, in the same order.
            message = answers.pop(0) if answers else ""
            steps.append(
                TimelineStep(
                    at=event.at, kind="reply", text=str(STEP_TEXTS["reply"]), message=message
                )
            )
        elif event.kind == EventKind.CITIZEN_MESSAGE:
            steps.append(
                TimelineStep(
                    at=event.at, kind="citizen_message", text=str(STEP_TEXTS["citizen_message"])
                )
            )
    return steps
