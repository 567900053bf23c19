"""Dates in the demo data, written as rules relative to the day `indgang demo` runs.

Hard-coded dates would be in the past a month after they were written; rules such as "the first
Wednesday of next month" keep the demo's exceptions in the coming months whenever it is loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays
from dateutil.easter import easter

from .exceptions import DemoDataError

WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
SUMMER_WEEKS = 4  # summer hours run four weeks from the first Monday of July


def weekday_number(name: str) -> int:
    try:
        return WEEKDAYS[name]
    except KeyError:
        raise DemoDataError(f"unknown weekday {name!r}; use one of {', '.join(WEEKDAYS)}") from None


def _first_monday_of_july(year: int) -> dt.date:
    first = dt.date(year, 7, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def _closing_day_date(closing_day: dict, year: int) -> dt.date | None:
    if closing_day.get("easter_offset") is not None:
        return easter(year) + dt.timedelta(days=int(closing_day["easter_offset"]))
    if closing_day.get("month") is not None:
        return dt.date(year, int(closing_day["month"]), int(closing_day["day"]))
    if closing_day.get("date"):
        return dt.date.fromisoformat(closing_day["date"])
    return None


@dataclass(frozen=True)
class DemoCalendar:
    """Resolves the date rules of places.json for a given day."""

    today: dt.date
    closing_days: tuple[dict, ...] = ()

    @property
    def summer(self) -> tuple[dt.date, dt.date]:
        """This year's summer hours, or next year's once this year's are over."""
        for year in (self.today.year, self.today.year + 1):
            start = _first_monday_of_july(year)
            end = start + dt.timedelta(weeks=SUMMER_WEEKS, days=-1)
            if self.today <= end:
                return start, end
        raise AssertionError("unreachable: next year's summer always lies ahead")

    def is_closed_anyway(self, day: dt.date) -> bool:
        """A weekend, a Danish public holiday or one of the municipality's closing days."""
        if day.weekday() >= 5 or day in holidays.country_holidays("DK", years=day.year):
            return True
        return any(_closing_day_date(c, day.year) == day for c in self.closing_days)

    def resolve(self, rule: dict) -> dt.date | None:
        """The date a rule names, or None when it falls where it makes no sense this year."""
        kind = rule.get("rule")
        if kind == "nth_weekday_of_month":
            return self._nth_weekday_of_month(rule)
        if kind == "weekday_in_weeks":
            monday = self.today - dt.timedelta(days=self.today.weekday())
            day = monday + dt.timedelta(
                weeks=int(rule["weeks_ahead"]), days=weekday_number(rule["weekday"])
            )
            return self._avoid_holiday(day)
        if kind == "next_yearly":
            day = dt.date(self.today.year, int(rule["month"]), int(rule["day"]))
            if day < self.today:
                day = day.replace(year=day.year + 1)
            # A yearly date that falls on a weekend this year has nothing to change.
            return None if day.weekday() >= 5 else day
        if kind == "summer_start":
            return self.summer[0] + dt.timedelta(days=int(rule.get("offset_days", 0)))
        if kind == "summer_end":
            return self.summer[1] + dt.timedelta(days=int(rule.get("offset_days", 0)))
        raise DemoDataError(f"unknown date rule {kind!r}")

    def _nth_weekday_of_month(self, rule: dict) -> dt.date:
        """In `months_ahead` months' time, or the next time it is `month` (this year or next)."""

        def nth(year: int, month: int) -> dt.date:
            first = dt.date(year, month, 1)
            offset = (weekday_number(rule["weekday"]) - first.weekday()) % 7
            return first + dt.timedelta(days=offset, weeks=int(rule.get("n", 1)) - 1)

        if "month" in rule:
            day = nth(self.today.year, int(rule["month"]))
            if day < self.today:
                day = nth(self.today.year + 1, int(rule["month"]))
        else:
            months = self.today.year * 12 + self.today.month - 1 + int(rule["months_ahead"])
            day = nth(months // 12, months % 12 + 1)
        return self._avoid_holiday(day)

    def _avoid_holiday(self, day: dt.date) -> dt.date:
        # "Closed for staff training" on Christmas Day would tell citizens nothing: take the
        # same weekday a week later. Saturday openings are chosen on purpose and are kept.
        while day.weekday() < 5 and self.is_closed_anyway(day):
            day += dt.timedelta(weeks=1)
        return day
