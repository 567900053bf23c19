"""Bookable times: derived from the point's opening hours, its desks and the service's length.

A slot exists when the service is offered at the point by appointment, the point is open (the
opening-hours engine decides: holidays, closing days, exceptions, split shifts, DST), the day is
inside the booking window and not blocked, and at least one active desk usually serves a queue
that serves the service. Slots step through each opening period by the appointment's length plus
the point's buffer and must end inside the period. Capacity is the number of such desks; the
database (a unique index on seats) keeps bookings within it. The citizen bus is never bookable
(see UNBOOKABLE_KINDS).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from indgang.catalogue.models import Service
from indgang.places.hours import Schedule
from indgang.places.models import ServiceOffering, ServicePoint, ServicePointKind
from indgang.places.selectors import service_point_schedule

from .lifecycle import AppointmentStatus
from .models import Appointment, BlockedDate, BookingPolicy, Desk

# How many days with free times the citizen is shown at once.
DAYS_SHOWN = 10
# Times a citizen may name at all (addresses, the API); anything else is not a slot.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2099


@dataclass(frozen=True)
class Slot:
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.start)

    @property
    def local_end(self) -> dt.datetime:
        return timezone.localtime(self.end)

    @property
    def key(self) -> str:
        """The start as it appears in addresses: 20260330T080000Z (UTC, unambiguous)."""
        return slot_key(self.start)


def slot_key(start: dt.datetime) -> str:
    return start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def slot_key_parse(key: str) -> dt.datetime | None:
    try:
        start = dt.datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None
    # Year 1 or 9999 overflows in local time; no slot is that far from today anyway.
    return start if EARLIEST_YEAR <= start.year <= LATEST_YEAR else None


def booking_policy(*, service_point: ServicePoint) -> BookingPolicy:
    """The point's policy, or the defaults (1 to 60 days ahead, no buffer) when it has none."""
    policy = BookingPolicy.objects.filter(service_point=service_point).first()
    return policy or BookingPolicy(service_point=service_point)


def booking_window(
    *, service_point: ServicePoint, now: dt.datetime | None = None, policy=None
) -> tuple[dt.date, dt.date]:
    """The first and last local dates a booking may fall on."""
    policy = policy or booking_policy(service_point=service_point)
    today = timezone.localdate(now or timezone.now())
    return (
        today + dt.timedelta(days=policy.min_days_ahead),
        today + dt.timedelta(days=policy.max_days_ahead),
    )


# The citizen bus takes no bookings, even where an offering says "by appointment": its hours
# belong to its stops, an appointment has no stop to say where to meet, and the bus has no
# queue to check in to. Citizens just come by at a stop; the pages say so.
UNBOOKABLE_KINDS = frozenset({ServicePointKind.CITIZEN_BUS})


def bookable_offerings():
    """Offerings by appointment of published services at published points that take bookings."""
    return ServiceOffering.objects.filter(
        by_appointment=True,
        service_point__published=True,
        service__in=Service.objects.published(),
    ).exclude(service_point__kind__in=UNBOOKABLE_KINDS)


def is_bookable(*, service: Service, service_point: ServicePoint) -> bool:
    return bookable_offerings().filter(service=service, service_point=service_point).exists()


def bookable_services(*, service_point: ServicePoint | None = None) -> list[Service]:
    """Published services that at least one published point (or `service_point`) takes
    appointments for."""
    offerings = bookable_offerings()
    if service_point is not None:
        offerings = offerings.filter(service_point=service_point)
    return list(
        Service.objects.filter(pk__in=offerings.values("service")).distinct().order_by("title")
    )


def bookable_points(*, service: Service) -> list[ServicePoint]:
    return list(
        ServicePoint.objects.filter(
            pk__in=bookable_offerings().filter(service=service).values("service_point")
        ).order_by("sort_order", "name")
    )


def point_takes_bookings(point: ServicePoint) -> bool:
    """At least one service can be booked at the point."""
    return bookable_offerings().filter(service_point=point).exists()


def takes_no_bookings(point: ServicePoint) -> bool:
    """A kind of service point that never takes bookings (the citizen bus)."""
    return point.kind in UNBOOKABLE_KINDS


def slot_capacity(*, service: Service, service_point: ServicePoint) -> int:
    """Active desks at the point that usually serve an active queue serving the service."""
    return (
        Desk.objects.filter(
            service_point=service_point,
            active=True,
            queues__service_point=service_point,
            queues__active=True,
            queues__services=service,
        )
        .distinct()
        .count()
    )


@dataclass
class _Context:
    """What every day of one service at one point shares: read once for many days."""

    schedule: Schedule
    policy: BookingPolicy
    capacity: int
    first: dt.date
    last: dt.date
    blocked: frozenset[dt.date]
    now: dt.datetime


def _context(*, service, service_point, now: dt.datetime) -> _Context | None:
    if not is_bookable(service=service, service_point=service_point):
        return None
    capacity = slot_capacity(service=service, service_point=service_point)
    if capacity <= 0:
        return None
    policy = booking_policy(service_point=service_point)
    first, last = booking_window(service_point=service_point, now=now, policy=policy)
    blocked = frozenset(
        BlockedDate.objects.filter(
            service_point=service_point, date__range=(first, last)
        ).values_list("date", flat=True)
    )
    return _Context(
        schedule=service_point_schedule(point=service_point),
        policy=policy,
        capacity=capacity,
        first=first,
        last=last,
        blocked=blocked,
        now=now,
    )


def _starts(context: _Context, *, service: Service, day: dt.date) -> list[tuple]:
    if not (context.first <= day <= context.last) or day in context.blocked:
        return []
    length = dt.timedelta(minutes=service.appointment_minutes)
    if length <= dt.timedelta(0):
        return []
    step = length + dt.timedelta(minutes=context.policy.buffer_minutes)
    times = []
    for period in context.schedule.day(day).periods:
        if period.stop_id is not None:
            continue  # a bus stop's times are for walk-ins at that stop
        start = period.start  # UTC: stepping in UTC is right on DST change days
        while start + length <= period.end:
            if start > context.now:
                times.append((start, start + length))
            start += step
    return times


def _booked(*, service, service_point, starts: list[dt.datetime]) -> Counter:
    if not starts:
        return Counter()
    rows = (
        Appointment.objects.filter(
            service=service,
            service_point=service_point,
            start__gte=min(starts),
            start__lte=max(starts),
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .values_list("start", flat=True)
    )
    return Counter(start.astimezone(dt.UTC) for start in rows)


def _slots(context: _Context, *, service, service_point, days: list[dt.date]) -> dict:
    by_day = {day: _starts(context, service=service, day=day) for day in days}
    booked = _booked(
        service=service,
        service_point=service_point,
        starts=[start for times in by_day.values() for start, _ in times],
    )
    return {
        day: [
            Slot(start=start, end=end, capacity=context.capacity, booked=booked[start])
            for start, end in times
        ]
        for day, times in by_day.items()
    }


def slots_for(
    *,
    service: Service,
    service_point: ServicePoint,
    day: dt.date,
    now: dt.datetime | None = None,
) -> list[Slot]:
    """Every slot of the service at the point on a local date, free or not."""
    now = now or timezone.now()
    context = _context(service=service, service_point=service_point, now=now)
    if context is None:
        return []
    return _slots(context, service=service, service_point=service_point, days=[day])[day]


def free_slots_for(**kwargs) -> list[Slot]:
    return [slot for slot in slots_for(**kwargs) if slot.free > 0]


def days_with_free_slots(
    *,
    service: Service,
    service_point: ServicePoint,
    now: dt.datetime | None = None,
    limit: int = DAYS_SHOWN,
    after: dt.date | None = None,
) -> list[tuple[dt.date, int]]:
    """The next `limit` local dates in the window with a free slot, and how many slots are free."""
    now = now or timezone.now()
    context = _context(service=service, service_point=service_point, now=now)
    if context is None:
        return []
    first = max(context.first, after) if after else context.first
    days = [first + dt.timedelta(days=n) for n in range((context.last - first).days + 1)]
    found: list[tuple[dt.date, int]] = []
    # A week at a time: one query for the bookings of seven days.
    for index in range(0, len(days), 7):
        week = days[index : index + 7]
        for day, slots in _slots(
            context, service=service, service_point=service_point, days=week
        ).items():
            free = sum(1 for slot in slots if slot.free > 0)
            if free:
                found.append((day, free))
                if len(found) >= limit:
                    return found
    return found


def slot_find(
    *,
    service: Service,
    service_point: ServicePoint,
    start: dt.datetime,
    now: dt.datetime | None = None,
) -> Slot | None:
    """The slot starting exactly at `start` (any time zone), derived afresh; None if there is none."""
    day = timezone.localtime(start).date()
    wanted = start.astimezone(dt.UTC)
    for slot in slots_for(service=service, service_point=service_point, day=day, now=now):
        if slot.start == wanted:
            return slot
    return None
