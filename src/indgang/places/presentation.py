"""Opening hours in plain words for citizens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .hours import Day, Schedule, Status
from .models import ServicePoint
from .selectors import closing_day_rules, service_point_schedule


def clock(moment: dt.datetime | dt.time, *, closing: bool = False) -> str:
    """24-hour clock in both languages: "10:00", never "10 a.m."; a closing at midnight is "24:00"."""
    if closing and (moment.hour, moment.minute) == (0, 0):
        return "24:00"
    return moment.strftime("%H:%M")


def day_name(day: dt.date, *, today: dt.date) -> str:
    """'today', 'tomorrow', a weekday within the coming week, or a date further ahead."""
    delta = (day - today).days
    if delta == 0:
        return _("today")
    if delta == 1:
        return _("tomorrow")
    if 1 < delta < 7:
        return formats.date_format(day, "l")
    return formats.date_format(day, "MONTH_DAY_FORMAT")


def status_text(status: Status, *, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    if status.current is not None:
        end = status.current.local_end
        if end.date() == today or (end.time() == dt.time(0) and (end.date() - today).days == 1):
            return _("Open now until %(time)s") % {"time": clock(end, closing=True)}
        return _("Open now until %(day)s at %(time)s") % {
            "day": day_name(end.date(), today=today),
            "time": clock(end, closing=True),
        }
    if status.next_open is not None:
        start = status.next_open.local_start
        return _("Closed. Opens %(day)s at %(time)s") % {
            "day": day_name(start.date(), today=today),
            "time": clock(start),
        }
    return _("Closed. No opening hours are planned in the coming weeks")


@dataclass(frozen=True)
class PointSummary:
    """A service point with its status now and its hours today, for lists and badges."""

    point: ServicePoint
    status: Status
    text: str
    today: Day


def summarise(point: ServicePoint, *, now: dt.datetime, schedule: Schedule) -> PointSummary:
    status = schedule.status_at(now)
    return PointSummary(
        point=point,
        status=status,
        text=status_text(status, now=now),
        today=schedule.day(timezone.localtime(now).date()),
    )


def summarise_points(
    points: Iterable[ServicePoint], *, now: dt.datetime | None = None
) -> list[PointSummary]:
    """Status of many points with one query for the closing days; the points come prefetched."""
    now = now or timezone.now()
    closing_days = closing_day_rules()
    return [
        summarise(p, now=now, schedule=service_point_schedule(point=p, closing_days=closing_days))
        for p in points
    ]
