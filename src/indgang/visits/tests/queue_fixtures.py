"""A service point with queues, open all day or closed today, for the citizen queue tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.inquiries.tests.factories import UserFactory
from indgang.places.tests.factories import (
    HoursExceptionFactory,
    ServicePointFactory,
    SpecialPeriodFactory,
)
from indgang.visits.services import desk_session_start

from .factories import DeskFactory, QueueFactory


def open_all_day(point) -> None:
    exception = HoursExceptionFactory(
        service_point=point, starts_on=timezone.localdate(), closed=False, note="Åbent"
    )
    SpecialPeriodFactory(exception=exception, opens=dt.time(0), closes=dt.time(0))


def closed_today(point) -> None:
    HoursExceptionFactory(
        service_point=point, starts_on=timezone.localdate(), closed=True, note="Lukket"
    )


def point_with_queues(*, is_open: bool = True):
    """A town hall with queue A (passports: 'pas') and queue B (no services listed)."""
    point = ServicePointFactory(
        slug="raadhuset", name="Borgerservice Rådhuset", weekdays=[("10:00", "14:00")]
    )
    (open_all_day if is_open else closed_today)(point)
    passport = ServiceFactory(slug="pas", title="Pas")
    a = QueueFactory(service_point=point, code="A", name="Pas og kørekort", sort_order=1)
    a.services.add(passport)
    b = QueueFactory(service_point=point, code="B", name="Andet", sort_order=2)
    return point, a, b, passport


def desk_serving(queue, name: str = "Skranke 3"):
    """A desk at the queue's point with a clerk signed in to serve it."""
    desk = DeskFactory(service_point=queue.service_point, name=name)
    return desk_session_start(desk=desk, user=UserFactory(), queues=[queue])
