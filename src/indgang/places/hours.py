"""The opening-hours engine: which periods a service point is open on a date, and right now.

Pure Python on plain values, so it is exact and fast to test; `selectors.py` builds a `Schedule`
from the database. Wall-clock times are local (the municipality's time zone); the instants of
each period are kept in UTC, because aware datetimes that share a tzinfo compare and subtract by
wall clock in Python and would get the DST change days wrong.

Precedence on a date, highest first:
1. an exception for the whole point (closed, or special periods; a note-only exception keeps the
   usual hours and adds its note),
2. a Danish public holiday or a municipal closing day, when the point follows them,
3. the weekly rules, from the narrowest validity range that covers the date (summer hours replace
   the ordinary week while they apply).
Exceptions bound to a bus stop replace only that stop's periods, on top of the above.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

import holidays
from dateutil.easter import easter

UTC = dt.UTC
MIDNIGHT = dt.time(0, 0)
LOOKAHEAD_DAYS = 60


@dataclass(frozen=True)
class Rule:
    weekday: int  # 0 = Monday
    opens: dt.time
    closes: dt.time
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    stop_id: int | None = None
    note: str = ""


class _Ranged(Protocol):
    valid_from: dt.date | None
    valid_until: dt.date | None


R = TypeVar("R", bound=_Ranged)


def rules_in_force(rules: Iterable[R], day: dt.date) -> list[R]:
    """The rules that decide a date's week: those of the narrowest validity range covering it.

    Summer hours (a range) thus replace the ordinary week (no range) while they apply. Of two
    overlapping ranges of equal length, the one that started last is the newer decision.
    """

    def span(rule: R) -> float:
        if rule.valid_from is None or rule.valid_until is None:
            return float("inf")
        return (rule.valid_until - rule.valid_from).days

    covering = [
        r
        for r in rules
        if (r.valid_from is None or r.valid_from <= day)
        and (r.valid_until is None or day <= r.valid_until)
    ]
    if not covering:
        return []
    narrowest = min(span(r) for r in covering)
    chosen = [r for r in covering if span(r) == narrowest]
    latest = max((r.valid_from or dt.date.min) for r in chosen)
    return [r for r in chosen if (r.valid_from or dt.date.min) == latest]


@dataclass(frozen=True)
class Exception_:
    starts_on: dt.date
    ends_on: dt.date | None = None
    closed: bool = False
    periods: tuple[tuple[dt.time, dt.time], ...] = ()
    note: str = ""
    stop_id: int | None = None

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= (self.ends_on or self.starts_on)

    @property
    def replaces_hours(self) -> bool:
        return self.closed or bool(self.periods)


@dataclass(frozen=True)
class ClosingDayRule:
    """A municipal closing day: a single date, a yearly month/day, or days after Easter Sunday."""

    name: str
    date: dt.date | None = None
    month: int | None = None
    day: int | None = None
    easter_offset: int | None = None

    def date_in(self, year: int) -> dt.date | None:
        if self.date is not None:
            return self.date if self.date.year == year else None
        if self.easter_offset is not None:
            return easter(year) + dt.timedelta(days=self.easter_offset)
        if self.month and self.day:
            try:
                return dt.date(year, self.month, self.day)
            except ValueError:  # 29 February in a common year
                return None
        return None


@dataclass(frozen=True)
class Period:
    opens: dt.time
    closes: dt.time
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    stop_id: int | None = None
    note: str = ""
    tz: ZoneInfo = field(default=ZoneInfo("Europe/Copenhagen"), compare=False, repr=False)

    @property
    def local_start(self) -> dt.datetime:
        return self.start.astimezone(self.tz)

    @property
    def local_end(self) -> dt.datetime:
        return self.end.astimezone(self.tz)

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class Day:
    date: dt.date
    periods: tuple[Period, ...]
    closed_reason: str = ""  # "", "holiday", "closing_day" or "exception"
    closed_name: str = ""
    holiday_name: str = ""  # the public holiday or closing day, even when an exception opens it
    note: str = ""
    is_special: bool = False

    @property
    def is_open(self) -> bool:
        return bool(self.periods)

    @property
    def open_duration(self) -> dt.timedelta:
        return sum((p.duration for p in self.periods), dt.timedelta())


@dataclass(frozen=True)
class Status:
    is_open: bool
    current: Period | None = None
    next_open: Period | None = None


@lru_cache(maxsize=64)
def danish_public_holidays(year: int) -> dict[dt.date, str]:
    """Denmark's public holidays with Danish names (Store Bededag is gone from 2024)."""
    return dict(holidays.country_holidays("DK", years=year, language="da").items())


def local_instant(day: dt.date, clock: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of a local wall-clock time.

    In the spring gap (02:00–03:00 on the last Sunday of March) a time that does not exist
    is read with the winter offset, so 02:30 becomes 03:30 summer time. In the autumn overlap
    the first (summer-time) occurrence is used.
    """
    return dt.datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


class Schedule:
    def __init__(
        self,
        *,
        rules: Iterable[Rule] = (),
        exceptions: Iterable[Exception_] = (),
        closing_days: Iterable[ClosingDayRule] = (),
        follows_public_holidays: bool = True,
        tz: ZoneInfo | str = "Europe/Copenhagen",
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.exceptions: tuple[Exception_, ...] = tuple(exceptions)
        self.closing_days: tuple[ClosingDayRule, ...] = tuple(closing_days)
        self.follows_public_holidays = follows_public_holidays
        self.tz = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)

    # -- one day -------------------------------------------------------------------------------

    def _period(
        self, day: dt.date, opens: dt.time, closes: dt.time, stop_id=None, note=""
    ) -> Period:
        end_day = day + dt.timedelta(days=1) if closes == MIDNIGHT else day
        return Period(
            opens=opens,
            closes=closes,
            start=local_instant(day, opens, self.tz),
            end=local_instant(end_day, closes, self.tz),
            stop_id=stop_id,
            note=note,
            tz=self.tz,
        )

    def _weekly_periods(self, day: dt.date) -> list[Period]:
        return [
            self._period(day, r.opens, r.closes, r.stop_id, r.note)
            for r in rules_in_force(self.rules, day)
            if r.weekday == day.weekday()
        ]

    def closing_reason(self, day: dt.date) -> tuple[str, str]:
        """("holiday" | "closing_day", name) when the municipality is closed that day, else ("", "")."""
        if not self.follows_public_holidays:
            return "", ""
        name = danish_public_holidays(day.year).get(day)
        if name:
            return "holiday", name
        for closing in self.closing_days:
            if closing.date_in(day.year) == day:
                return "closing_day", closing.name
        return "", ""

    def day(self, day: dt.date) -> Day:
        covering = [e for e in self.exceptions if e.covers(day)]
        whole = [e for e in covering if e.stop_id is None]
        by_stop = [e for e in covering if e.stop_id is not None]
        notes = [e.note for e in covering if e.note]
        note = " ".join(dict.fromkeys(notes))

        holiday_reason, holiday_name = self.closing_reason(day)
        reason, name = "", ""
        # Of several point-wide exceptions on one day, the last one entered decides.
        deciding = next((e for e in reversed(whole) if e.replaces_hours), None)
        if deciding is not None:
            if deciding.closed:
                periods: list[Period] = []
                reason = "exception"
            else:
                periods = [self._period(day, o, c) for o, c in deciding.periods]
        elif holiday_reason:
            periods, reason, name = [], holiday_reason, holiday_name
        else:
            periods = self._weekly_periods(day)

        for exc in by_stop:
            if not exc.replaces_hours:
                continue
            periods = [p for p in periods if p.stop_id != exc.stop_id]
            if not exc.closed:
                periods += [self._period(day, o, c, exc.stop_id) for o, c in exc.periods]

        periods.sort(key=lambda p: (p.start, p.end))
        if periods:
            reason, name = "", ""
        elif not reason and any(e.closed for e in by_stop):
            reason = "exception"
        return Day(
            date=day,
            periods=tuple(periods),
            closed_reason=reason,
            closed_name=name,
            holiday_name=holiday_name,
            note=note,
            is_special=bool(covering) or bool(holiday_name),
        )

    def days(self, first: dt.date, last: dt.date) -> list[Day]:
        count = (last - first).days + 1
        return [self.day(first + dt.timedelta(days=i)) for i in range(max(count, 0))]

    # -- instants ------------------------------------------------------------------------------

    def periods_between(self, start: dt.datetime, end: dt.datetime) -> list[Period]:
        """All periods that overlap [start, end), in order."""
        first = start.astimezone(self.tz).date() - dt.timedelta(days=1)
        last = end.astimezone(self.tz).date()
        found = [p for d in self.days(first, last) for p in d.periods]
        return [p for p in found if p.end > start and p.start < end]

    def status_at(self, moment: dt.datetime) -> Status:
        if moment.tzinfo is None:
            raise ValueError("status_at needs an aware datetime")
        moment = moment.astimezone(UTC)
        today = moment.astimezone(self.tz).date()
        # Yesterday is included because a period that ends at midnight belongs to the day before.
        # Most points open again within a week, so look a week ahead before looking further.
        for horizon in (7, LOOKAHEAD_DAYS):
            days = self.days(today - dt.timedelta(days=1), today + dt.timedelta(days=horizon))
            status = _status_in(merged([p for d in days for p in d.periods]), moment)
            if status.next_open is not None:
                return status
        return status


def _status_in(periods: Sequence[Period], moment: dt.datetime) -> Status:
    current = None
    for period in periods:
        if period.contains(moment):
            current = period
        elif period.start > moment:
            return Status(is_open=current is not None, current=current, next_open=period)
    return Status(is_open=current is not None, current=current)


def _joined(first: Period, second: Period) -> Period:
    return replace(first, closes=second.closes, end=second.end)


def merged(periods: Sequence[Period]) -> list[Period]:
    """Periods with back-to-back or overlapping ones joined (for "open until" texts)."""
    result: list[Period] = []
    for period in sorted(periods, key=lambda p: p.start):
        if result and period.start <= result[-1].end:
            if period.end > result[-1].end:
                result[-1] = _joined(result[-1], period)
        else:
            result.append(period)
    return result
