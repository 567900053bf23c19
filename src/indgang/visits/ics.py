"""An appointment as an iCalendar file (RFC 5545): one VEVENT, times in UTC, CRLF, folded lines."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import Appointment

PRODID = "-//Indgang//Tidsbestilling//DA"
FOLD_AT = 75  # octets per line, not counting the CRLF


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    parts: list[str] = []
    current, size, limit = "", 0, FOLD_AT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, FOLD_AT - 1  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _uid(appointment: Appointment) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "indgang"
    return f"{appointment.reference}@{host}"


def appointment_ics(
    *, appointment: Appointment, manage_url: str = "", now: dt.datetime | None = None
) -> str:
    point = appointment.service_point
    place = ", ".join(
        part
        for part in [point.name, point.street_address, f"{point.postcode} {point.city}".strip()]
        if part
    )
    description = [f"{appointment.service.title}. Reference: {appointment.reference}."]
    bring = appointment.service.what_to_bring_list()
    if bring:
        description.append("Medbring / Bring: " + "; ".join(bring))
    if manage_url:
        description.append(f"Ændr eller aflys / Change or cancel: {manage_url}")
    cancelled = appointment.status == "cancelled"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{_uid(appointment)}",
        f"DTSTAMP:{_utc(now or timezone.now())}",
        f"DTSTART:{_utc(appointment.start)}",
        f"DTEND:{_utc(appointment.end)}",
        f"SUMMARY:{ics_escape(f'{appointment.service.title} – {point.name}')}",
        f"LOCATION:{ics_escape(place)}",
        f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
    ]
    if manage_url:
        lines.append(f"URL:{manage_url}")
    if not cancelled:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-PT1H",
            f"DESCRIPTION:{ics_escape(appointment.service.title)}",
            "END:VALARM",
        ]
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(ics_fold(line) + "\r\n" for line in lines)
