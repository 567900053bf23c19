"""Citizens checking themselves in for a booked time: at the kiosk, on the web, from their page.

At the kiosk and on the point's check-in page the citizen types the booking reference. A reference
that does not exist and one booked at another service point get the same answer, so nobody learns
whether someone else's reference exists. Wrong guesses are counted per client in the cache (the
database cache in production, so the limit holds across all app processes), as the API throttles
count: a client with too many wrong references in the window is told to wait or ask at the
counter. The kiosk is one device shared by everybody in the waiting room, so it gets a higher
limit than a private browser.

The rules themselves (which day, which point, the time window) live in
`desk_services.appointment_check_in`, the same service the staff use.
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from indgang.inquiries.tracking import client_key
from indgang.places.models import ServicePoint

from .desk_services import (
    CHECK_IN_CLOSES_AFTER,
    CHECK_IN_OPENS_BEFORE,
    CheckInRefused,
    appointment_check_in,
    check_in_window,
)
from .lifecycle import AppointmentStatus, InvalidTransition
from .models import Appointment, Ticket

FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES = {"web": 10, "kiosk": 30}
_CACHE_PREFIX = "visits.check-in.failures"


class CheckInFailed(Exception):
    """The check-in did not happen; `message` says why in words for the citizen. `unknown` is
    true when no appointment fits the reference there (a wrong guess, which is counted)."""

    def __init__(self, message: str, *, unknown: bool = False):
        super().__init__(message)
        self.message = message
        self.unknown = unknown


def not_found_message() -> str:
    return _(
        "We cannot find an appointment with this reference here. Check the reference in your "
        "confirmation, or ask at the counter."
    )


def refusal_message(appointment: Appointment, reason: str) -> str:
    """Why the citizen cannot check in themselves, and what to do instead."""
    if reason == CheckInRefused.WRONG_POINT:
        return not_found_message()
    if reason == CheckInRefused.NOT_TODAY:
        return _("Your appointment is not today. Check the date in your confirmation.")
    if reason == CheckInRefused.TOO_EARLY:
        opens, _closes = check_in_window(appointment)
        return _(
            "You are early. You can check in from %(time)s, %(minutes)d minutes before your "
            "appointment."
        ) % {
            "time": formats.time_format(timezone.localtime(opens), "H:i"),
            "minutes": int(CHECK_IN_OPENS_BEFORE.total_seconds() // 60),
        }
    if reason == CheckInRefused.TOO_LATE:
        return _(
            "You are more than %(minutes)d minutes late, so you cannot check in yourself. "
            "Ask at the counter."
        ) % {"minutes": int(CHECK_IN_CLOSES_AFTER.total_seconds() // 60)}
    return _("We cannot check you in here right now. Ask at the counter.")


def _status_message(status: str) -> str:
    if status == AppointmentStatus.CANCELLED:
        return _("This appointment is cancelled. Book a new time, or take a number.")
    return _("This appointment can no longer be checked in. Ask at the counter.")


def citizen_check_in(*, appointment: Appointment, service_point: ServicePoint) -> Ticket:
    """Check in as the citizen; CheckInFailed with the reason in words when it cannot be done."""
    try:
        return appointment_check_in(
            appointment=appointment, by_citizen=True, service_point=service_point
        )
    except CheckInRefused as exc:
        raise CheckInFailed(
            refusal_message(appointment, exc.reason),
            unknown=exc.reason == CheckInRefused.WRONG_POINT,
        ) from exc
    except InvalidTransition as exc:
        raise CheckInFailed(_status_message(exc.current)) from exc


def check_in_by_reference(*, reference: str, service_point: ServicePoint) -> Ticket:
    """Check in the appointment with this (canonical) reference at `service_point`.

    CheckInFailed when there is none: unknown references and those of another point get the
    same message, and nothing else is looked at for them.
    """
    appointment = (
        Appointment.objects.select_related("service", "service_point")
        .filter(reference=reference, service_point=service_point)
        .first()
    )
    if appointment is None:
        raise CheckInFailed(not_found_message(), unknown=True)
    return citizen_check_in(appointment=appointment, service_point=service_point)


# --- Counting wrong references ----------------------------------------------------------------


def _key(request: HttpRequest, place: str) -> str:
    return f"{_CACHE_PREFIX}:{place}:{client_key(request)}"


def _recent(request: HttpRequest, place: str, now: float) -> list[float]:
    since = now - FAILURE_WINDOW.total_seconds()
    stored = cache.get(_key(request, place))
    if not isinstance(stored, list):
        return []
    return [at for at in stored if isinstance(at, int | float) and at >= since]


def check_in_blocked(request: HttpRequest, *, place: str) -> bool:
    """True when this client typed too many wrong references at `place` ("web" or "kiosk")."""
    return len(_recent(request, place, time.time())) >= MAX_FAILURES[place]


def check_in_failure_record(request: HttpRequest, *, place: str) -> None:
    now = time.time()
    failures = _recent(request, place, now)[-MAX_FAILURES[place] :] + [now]
    cache.set(_key(request, place), failures, timeout=int(FAILURE_WINDOW.total_seconds()))


def failure_window_minutes() -> int:
    return int(FAILURE_WINDOW.total_seconds() // 60)
