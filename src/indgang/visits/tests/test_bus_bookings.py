"""The citizen bus takes no bookings: its hours belong to its stops, an appointment has no stop
and the bus has no queue to check in to. The pages and the API say so plainly."""

import datetime as dt

from django.core.cache import cache
from django.test import TestCase
from django.utils import timezone

from indgang.places.models import ServiceOffering, ServicePointKind, WeeklyHours
from indgang.places.tests.factories import BusStopFactory, ServicePointFactory
from indgang.visits.slots import (
    bookable_points,
    bookable_services,
    days_with_free_slots,
    is_bookable,
    slots_for,
)

from .booking_setup import bookable
from .factories import DeskFactory, QueueFactory


class CitizenBusTests(TestCase):
    def setUp(self):
        cache.clear()  # the API throttles count in the cache
        # Passports are bookable at the town hall; the bus claims them "by appointment" too and
        # even has a desk serving a queue for them, so only its kind keeps it from bookings.
        self.service, self.town_hall = bookable(slug="pas", point_slug="raadhuset")
        self.bus = ServicePointFactory(
            slug="borgerbussen", name="Borgerbussen", kind=ServicePointKind.CITIZEN_BUS
        )
        stop = BusStopFactory(service_point=self.bus, name="Strandby Torv")
        for weekday in range(7):
            WeeklyHours.objects.create(
                service_point=self.bus,
                stop=stop,
                weekday=weekday,
                opens=dt.time(9),
                closes=dt.time(15),
            )
            # Hours not bound to a stop as well: still no bookings.
            WeeklyHours.objects.create(
                service_point=self.bus, weekday=weekday, opens=dt.time(16), closes=dt.time(18)
            )
        ServiceOffering.objects.create(
            service_point=self.bus, service=self.service, walk_in=True, by_appointment=True
        )
        queue = QueueFactory(service_point=self.bus, code="A")
        queue.services.add(self.service)
        DeskFactory(service_point=self.bus).queues.add(queue)

    def test_the_bus_is_never_bookable(self):
        self.assertFalse(is_bookable(service=self.service, service_point=self.bus))
        self.assertTrue(is_bookable(service=self.service, service_point=self.town_hall))
        self.assertEqual(bookable_points(service=self.service), [self.town_hall])
        self.assertEqual(bookable_services(service_point=self.bus), [])
        self.assertEqual(days_with_free_slots(service=self.service, service_point=self.bus), [])
        for ahead in range(1, 8):
            day = timezone.localdate() + dt.timedelta(days=ahead)
            self.assertEqual(slots_for(service=self.service, service_point=self.bus, day=day), [])

    def test_a_service_only_the_bus_offers_by_appointment_is_not_bookable(self):
        ServiceOffering.objects.filter(service_point=self.town_hall).delete()
        self.assertEqual(bookable_services(), [])
        response = self.client.get("/en/ydelser/pas/")
        self.assertNotContains(response, "/tidsbestilling/?ydelse=pas")

    def test_the_booking_page_says_the_bus_takes_no_bookings(self):
        for query in ("?sted=borgerbussen", "?ydelse=pas&sted=borgerbussen"):
            with self.subTest(query=query):
                response = self.client.get("/en/tidsbestilling/" + query)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Borgerbussen takes no bookings.")
                self.assertContains(response, 'href="/en/betjeningssteder/borgerbussen/"')
                self.assertNotContains(response, "That place does not take bookings")

    def test_the_api_says_the_bus_takes_no_bookings(self):
        day = timezone.localdate() + dt.timedelta(days=2)
        response = self.client.get(
            "/api/v1/appointments/slots",
            {"service": "pas", "service_point": "borgerbussen", "date": day.isoformat()},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "Borgerbussen tager ikke imod tidsbestillinger", response.json()["service_point"][0]
        )
        start = timezone.localtime(timezone.now() + dt.timedelta(days=2)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        response = self.client.post(
            "/api/v1/appointments/",
            {
                "service": "pas",
                "service_point": "borgerbussen",
                "start": start.isoformat(),
                "name": "Karen",
                "email": "karen@example.dk",
            },
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("service_point", response.json())
