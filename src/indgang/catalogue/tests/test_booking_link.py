"""A service's page links to booking a time when some service point takes bookings for it."""

from django.test import TestCase

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.places.models import ServiceOffering
from indgang.places.tests.factories import ServicePointFactory


class ServiceBookingLinkTests(TestCase):
    def setUp(self):
        self.point = ServicePointFactory(slug="raadhuset")
        self.passport = ServiceFactory(slug="pas", title="Pas")

    def test_a_bookable_service_links_to_booking_it(self):
        ServiceOffering.objects.create(
            service_point=self.point, service=self.passport, by_appointment=True
        )
        response = self.client.get("/en/ydelser/pas/")
        self.assertContains(response, 'href="/en/tidsbestilling/?ydelse=pas"')
        self.assertContains(response, "Book a time for Pas")
        # The link leads to the times at the only place that takes bookings for it.
        choose = self.client.get("/en/tidsbestilling/?ydelse=pas")
        self.assertEqual(choose.context["point"], self.point)

    def test_a_walk_in_only_service_has_no_booking_link(self):
        ServiceOffering.objects.create(service_point=self.point, service=self.passport)
        self.assertNotContains(self.client.get("/en/ydelser/pas/"), "/tidsbestilling/?ydelse=pas")

    def test_an_unpublished_point_does_not_make_it_bookable(self):
        hidden = ServicePointFactory(slug="lukket", published=False)
        ServiceOffering.objects.create(
            service_point=hidden, service=self.passport, by_appointment=True
        )
        self.assertNotContains(self.client.get("/en/ydelser/pas/"), "/tidsbestilling/?ydelse=pas")
