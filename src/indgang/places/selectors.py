"""Reads for service points and their opening hours."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from .hours import ClosingDayRule, Day, Exception_, Rule, Schedule, Status, rules_in_force
from .models import ClosingDay, HoursException, ServiceOffering, ServicePoint, WeeklyHours

_POINT_PREFETCH = (
    Prefetch("weekly_hours", queryset=WeeklyHours.objects.order_by("weekday", "opens")),
    Prefetch("hours_exceptions", queryset=HoursException.objects.prefetch_related("periods")),
    "stops",
)


def _today() -> dt.date:
    return timezone.localdate()


def service_point_list(*, kind: str | None = None) -> list[ServicePoint]:
    qs = ServicePoint.objects.published().prefetch_related(*_POINT_PREFETCH)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs)


def service_point_get(*, slug: str) -> ServicePoint:
    return (
        ServicePoint.objects.published()
        .prefetch_related(*_POINT_PREFETCH, "stops__weekly_hours")
        .get(slug=slug)
    )


def closing_day_rules() -> tuple[ClosingDayRule, ...]:
    return tuple(
        ClosingDayRule(
            name=c.name, date=c.date, month=c.month, day=c.day, easter_offset=c.easter_offset
        )
        for c in ClosingDay.objects.all()
    )


def service_point_schedule(
    *, point: ServicePoint, closing_days: tuple[ClosingDayRule, ...] | None = None
) -> Schedule:
    """The point's schedule. Pass `closing_days` when building many schedules to save a query each."""
    # Reading through .all() uses the prefetched rows when the point came from the selectors above.
    rules = [
        Rule(
            weekday=r.weekday,
            opens=r.opens,
            closes=r.closes,
            valid_from=r.valid_from,
            valid_until=r.valid_until,
            stop_id=r.stop_id,
            note=r.note,
        )
        for r in point.weekly_hours.all()
    ]
    exceptions = [
        Exception_(
            starts_on=e.starts_on,
            ends_on=e.ends_on,
            closed=e.closed,
            note=e.note,
            stop_id=e.stop_id,
            periods=tuple((p.opens, p.closes) for p in e.periods.all()),
        )
        for e in sorted(point.hours_exceptions.all(), key=lambda e: (e.starts_on, e.pk or 0))
    ]
    return Schedule(
        rules=rules,
        exceptions=exceptions,
        closing_days=closing_days if closing_days is not None else closing_day_rules(),
        follows_public_holidays=point.follows_public_holidays,
        tz=settings.TIME_ZONE,
    )


def service_point_status(
    *, point: ServicePoint, now: dt.datetime | None = None, schedule=None
) -> Status:
    schedule = schedule or service_point_schedule(point=point)
    return schedule.status_at(now or timezone.now())


def service_point_week(
    *, point: ServicePoint, start: dt.date | None = None, schedule=None
) -> list[Day]:
    schedule = schedule or service_point_schedule(point=point)
    first = start or _today()
    return schedule.days(first, first + dt.timedelta(days=6))


def service_point_special_days(
    *, point: ServicePoint, days: int = 60, start: dt.date | None = None, schedule=None
) -> list[Day]:
    """Upcoming days that differ from the usual week: holidays, closing days and exceptions."""
    schedule = schedule or service_point_schedule(point=point)
    first = start or _today()
    return [d for d in schedule.days(first, first + dt.timedelta(days=days - 1)) if d.is_special]


def service_point_weekly_rules(
    *, point: ServicePoint, on: dt.date | None = None
) -> list[WeeklyHours]:
    """The weekly rules in force on a date (summer hours while they apply, else the ordinary week)."""
    rules = rules_in_force(point.weekly_hours.all(), on or _today())
    return sorted(rules, key=lambda r: (r.weekday, r.opens))


def service_offerings_for_service(*, service) -> list[ServiceOffering]:
    """Where a service is offered, with each point's hours prefetched for its status."""
    return list(
        ServiceOffering.objects.filter(service=service, service_point__published=True)
        .select_related("service_point")
        .prefetch_related(
            "service_point__weekly_hours",
            "service_point__hours_exceptions__periods",
            "service_point__stops",
        )
        .order_by("service_point__sort_order", "service_point__name")
    )
