"""Personas and a small town hall for the desk pages' tests, on top of the accounts personas.

- `self.clerk`, `self.clerk2`  Borgerservicemedarbejder: use the desks, see the day view
- `self.manager`                Leder: sees the day view, does not use the desks
- `self.specialist`, `self.administrator`, `self.citizen`: neither
At `self.point`: queues A (passports), B (moving), C (sensitive); desks `counter1` (A),
`counter2` (B), `station` (B) and `private_room` (C, B). `self.elsewhere` has its own queue.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.utils import timezone

from indgang.accounts.tests.personas import StaffPersonasMixin
from indgang.catalogue.tests.factories import ServiceFactory
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.lifecycle import DeskKind
from indgang.visits.models import Appointment

from .factories import DeskFactory, QueueFactory


class StaffDeskPersonasMixin(StaffPersonasMixin):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.clerk2 = get_user_model().objects.create_user(
            "clerk2", password="password-for-tests", is_staff=True
        )
        cls.clerk2.groups.add(cls.clerk.groups.get())
        cls.point = ServicePointFactory(slug="raadhuset", name="Fjordby Rådhus")
        cls.passport = ServiceFactory(slug="pas", title="Pas")
        cls.moving = ServiceFactory(slug="flytning", title="Flytning")
        cls.shelter = ServiceFactory(slug="krisecenter", title="Krisecenter", sensitive=True)
        cls.queue_a = QueueFactory(service_point=cls.point, code="A", name="Pas og kørekort")
        cls.queue_a.services.set([cls.passport])
        cls.queue_b = QueueFactory(service_point=cls.point, code="B", name="Øvrige henvendelser")
        cls.queue_b.services.set([cls.moving])
        cls.queue_c = QueueFactory(service_point=cls.point, code="C", name="Sociale sager")
        cls.queue_c.services.set([cls.shelter])
        cls.counter1 = DeskFactory(service_point=cls.point, name="Skranke 1")
        cls.counter1.queues.set([cls.queue_a])
        cls.counter2 = DeskFactory(service_point=cls.point, name="Skranke 2")
        cls.counter2.queues.set([cls.queue_b])
        cls.station = DeskFactory(
            service_point=cls.point, name="Medbetjening", kind=DeskKind.STATION
        )
        cls.station.queues.set([cls.queue_b])
        cls.private_room = DeskFactory(
            service_point=cls.point, name="Samtalerum", kind=DeskKind.PRIVATE_ROOM
        )
        cls.private_room.queues.set([cls.queue_c, cls.queue_b])
        cls.elsewhere = ServicePointFactory(slug="nordby-bibliotek", name="Nordby Bibliotek")
        cls.elsewhere_queue = QueueFactory(service_point=cls.elsewhere, code="A")
        cls.elsewhere_desk = DeskFactory(service_point=cls.elsewhere, name="Medbetjening")


def appointment_make(
    *, service, point, start: dt.datetime | None = None, name="Karen Jensen", **kw
):
    start = start or timezone.now() + dt.timedelta(minutes=30)
    return Appointment.objects.create(
        reference="T-" + secrets.token_hex(4).upper(),
        service=service,
        service_point=point,
        start=start,
        end=start + dt.timedelta(minutes=15),
        seat=1,
        name=name,
        email="karen@example.dk",
        manage_token=secrets.token_urlsafe(32),
        **kw,
    )
