"""Opening hours for machines: schema.org JSON-LD for search engines and iCalendar for calendars."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .hours import UTC, Day, Period, Schedule
from .models import ServicePoint, ServicePointKind
from .selectors import service_point_schedule

SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SCHEMA_TYPES = {
    ServicePointKind.TOWN_HALL: "GovernmentOffice",
    ServicePointKind.LIBRARY: "Library",
}
SPECIAL_DAYS_AHEAD = 60


def _schema_clock(moment: dt.time) -> str:
    # schema.org reads "00:00"–"00:00" as closed all day, so an opening until midnight ends 23:59.
    return "23:59" if moment == dt.time(0) else moment.strftime("%H:%M")


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def opening_hours_jsonld(
    *, point: ServicePoint, today: dt.date | None = None, schedule: Schedule | None = None
) -> dict:
    today = today or timezone.localdate()
    schedule = schedule or service_point_schedule(point=point)
    specs: list[dict] = []
    # Every weekly rule, ordinary and seasonal, so search engines know summer hours in advance.
    for rule in sorted(
        point.weekly_hours.all(), key=lambda r: (r.valid_from or dt.date.min, r.weekday, r.opens)
    ):
        spec = {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[rule.weekday]}",
            "opens": _schema_clock(rule.opens),
            "closes": _schema_clock(rule.closes),
        }
        if rule.valid_from:
            spec["validFrom"] = rule.valid_from.isoformat()
        if rule.valid_until:
            spec["validThrough"] = rule.valid_until.isoformat()
        specs.append(spec)
    last = today + dt.timedelta(days=SPECIAL_DAYS_AHEAD - 1)
    for day in schedule.days(today, last):
        if not day.is_special:
            continue
        on = day.date.isoformat()
        if not day.is_open:
            specs.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "validFrom": on,
                    "validThrough": on,
                    "opens": "00:00",
                    "closes": "00:00",
                }
            )
        for period in day.periods:
            specs.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "validFrom": on,
                    "validThrough": on,
                    "opens": _schema_clock(period.opens),
                    "closes": _schema_clock(period.closes),
                }
            )

    data: dict = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(point.kind, "GovernmentOffice"),
        "name": point.name,
        "url": _absolute(point.get_absolute_url()),
        "parentOrganization": {
            "@type": "GovernmentOrganization",
            "name": settings.MUNICIPALITY_NAME,
        },
        "openingHoursSpecification": specs,
    }
    if point.phone:
        data["telephone"] = point.phone
    if point.email:
        data["email"] = point.email
    if point.street_address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": point.street_address,
            "postalCode": point.postcode,
            "addressLocality": point.city,
            "addressCountry": "DK",
        }
    if point.latitude is not None and point.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(point.latitude),
            "longitude": float(point.longitude),
        }
    return data


# -- iCalendar (RFC 5545) -------------------------------------------------------------------------


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not out else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def opening_hours_ical(*, point: ServicePoint, start: dt.date | None = None, days: int = 90) -> str:
    first = start or timezone.localdate()
    schedule = service_point_schedule(point=point)
    stops = {stop.pk: stop for stop in point.stops.all()}
    host = urlsplit(settings.SITE_URL).hostname or "indgang"
    stamp = _utc(timezone.now())
    # gettext's extractor does not look inside f-strings, so translations are made outside them.
    calendar_name = _("Opening hours: %(name)s") % {"name": point.name}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Indgang//{_escape(settings.MUNICIPALITY_NAME)}//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(calendar_name)}",
        "X-PUBLISHED-TTL:PT12H",
    ]
    for day in schedule.days(first, first + dt.timedelta(days=days - 1)):
        lines += _day_events(point, day, stops, host, stamp)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _day_events(point: ServicePoint, day: Day, stops: dict, host: str, stamp: str) -> list[str]:
    url = _absolute(point.get_absolute_url())
    if not day.is_open and day.is_special:
        # "Closed: Juledag", or the point's name when an exception closes it; the note explains.
        summary = _("Closed: %(reason)s") % {"reason": day.closed_name or point.name}
        next_day = day.date + dt.timedelta(days=1)
        event = [
            "BEGIN:VEVENT",
            f"UID:{point.slug}-{day.date:%Y%m%d}-closed@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{next_day:%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
        ]
        if day.note:
            event.append(f"DESCRIPTION:{_escape(day.note)}")
        return [*event, "END:VEVENT"]
    events = []
    for period in day.periods:
        events += _period_event(point, day, period, stops.get(period.stop_id), host, stamp, url)
    return events


def _period_event(
    point, day: Day, period: Period, stop, host: str, stamp: str, url: str
) -> list[str]:
    if stop is not None:
        summary = _("%(name)s at %(stop)s") % {"name": point.name, "stop": stop.name}
        place = ", ".join(
            filter(None, [stop.name, stop.street_address, f"{stop.postcode} {stop.city}".strip()])
        )
    else:
        summary = _("Open: %(name)s") % {"name": point.name}
        place = ", ".join(
            filter(None, [point.street_address, f"{point.postcode} {point.city}".strip()])
        )
    description = " ".join(filter(None, [period.note, day.note]))
    event = [
        "BEGIN:VEVENT",
        f"UID:{point.slug}-{day.date:%Y%m%d}-{period.opens:%H%M}-{period.stop_id or 0}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(period.start)}",
        f"DTEND:{_utc(period.end)}",
        f"SUMMARY:{_escape(summary)}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
    ]
    if place:
        event.append(f"LOCATION:{_escape(place)}")
    if description:
        event.append(f"DESCRIPTION:{_escape(description)}")
    event.append("END:VEVENT")
    return event
