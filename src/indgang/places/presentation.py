"""Opening hours in plain words for citizens."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .hours import Status


def clock(moment: dt.datetime | dt.time) -> str:
    # 24-hour clock in both languages: "10:00", never "10 a.m.", on signs and in texts alike.
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
            return _("Open now until %(time)s") % {"time": clock(end)}
        return _("Open now until %(day)s at %(time)s") % {
            "day": day_name(end.date(), today=today), "time": clock(end),
        }
    if status.next_open is not None:
        start = status.next_open.local_start
        return _("Closed. Opens %(day)s at %(time)s") % {
            "day": day_name(start.date(), today=today), "time": clock(start),
        }
    return _("Closed. No opening hours are planned in the coming weeks")
