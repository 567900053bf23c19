"""A bookable service at a point, for the appointment tests (slots, booking pages, API)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.places.models import ServiceOffering, WeeklyHours
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.models import BookingPolicy

from .factories import DeskFactory, QueueFactory

CPH = ZoneInfo("Europe/Copenhagen")


def local(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


def bookable(
    *,
    minutes: int = 30,
    desks: int = 1,
    periods=(("09:00", "12:00"),),
    weekdays=range(5),
    buffer: int | None = None,
    what_to_bring: str = "Dit gamle pas\nEt foto",
    slug: str | None = None,
    point_slug: str | None = None,
):
    """(service, point): offered by appointment, open `periods` on `weekdays`, `desks` desks."""
    service = ServiceFactory(
        appointment_minutes=minutes,
        what_to_bring=what_to_bring,
        **({"slug": slug} if slug else {}),
    )
    point = ServicePointFactory(**({"slug": point_slug} if point_slug else {}))
    for weekday in weekdays:
        for opens, closes in periods:
            WeeklyHours.objects.create(
                service_point=point,
                weekday=weekday,
                opens=dt.time.fromisoformat(opens),
                closes=dt.time.fromisoformat(closes),
            )
    ServiceOffering.objects.create(
        service_point=point, service=service, walk_in=True, by_appointment=True
    )
    queue = QueueFactory(service_point=point, code="A")
    queue.services.add(service)
    for _ in range(desks):
        DeskFactory(service_point=point).queues.add(queue)
    if buffer is not None:
        BookingPolicy.objects.create(service_point=point, buffer_minutes=buffer)
    return service, point
