"""A service point's page links to taking a number, checking in and booking where it can."""

from django.test import TestCase

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.places.models import ServiceOffering, ServicePointKind
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.tests.factories import QueueFactory

QUEUE = 'href="/en/betjeningssteder/{slug}/koe/"'
CHECK_IN = 'href="/en/betjeningssteder/{slug}/tjek-ind/"'
BOOKING = 'href="/en/tidsbestilling/?sted={slug}"'


class ServicePointVisitLinksTests(TestCase):
    def setUp(self):
        self.passport = ServiceFactory(slug="pas", title="Pas")
        self.moving = ServiceFactory(slug="flytning", title="Flytning")

    def page(self, point):
        response = self.client.get(f"/en/betjeningssteder/{point.slug}/")
        self.assertEqual(response.status_code, 200)
        return response

    def links(self, point) -> dict[str, bool]:
        html = self.page(point).content.decode()
        return {
            name: pattern.format(slug=point.slug) in html
            for name, pattern in (("queue", QUEUE), ("check_in", CHECK_IN), ("booking", BOOKING))
        }

    def test_a_town_hall_with_a_queue_and_bookings_links_to_all_three(self):
        point = ServicePointFactory(slug="raadhuset")
        QueueFactory(service_point=point, code="A").services.add(self.passport)
        ServiceOffering.objects.create(
            service_point=point, service=self.passport, by_appointment=True
        )
        self.assertEqual(self.links(point), {"queue": True, "check_in": True, "booking": True})

    def test_a_queue_without_bookings_links_only_to_taking_a_number(self):
        point = ServicePointFactory(slug="raadhuset")
        QueueFactory(service_point=point, code="A")
        ServiceOffering.objects.create(service_point=point, service=self.moving, walk_in=True)
        self.assertEqual(self.links(point), {"queue": True, "check_in": False, "booking": False})

    def test_bookings_without_a_queue_link_only_to_booking(self):
        point = ServicePointFactory(slug="biblioteket", kind=ServicePointKind.LIBRARY)
        QueueFactory(service_point=point, code="A", active=False)
        ServiceOffering.objects.create(
            service_point=point, service=self.passport, by_appointment=True
        )
        self.assertEqual(self.links(point), {"queue": False, "check_in": False, "booking": True})

    def test_nothing_to_link_shows_no_list(self):
        point = ServicePointFactory(slug="raadhuset")
        ServiceOffering.objects.create(service_point=point, service=self.moving, walk_in=True)
        self.assertNotContains(self.page(point), "visit-links")

    def test_the_citizen_bus_links_to_no_booking(self):
        bus = ServicePointFactory(
            slug="borgerbussen", kind=ServicePointKind.CITIZEN_BUS, **{"street_address": ""}
        )
        ServiceOffering.objects.create(
            service_point=bus, service=self.passport, by_appointment=True
        )
        self.assertEqual(self.links(bus), {"queue": False, "check_in": False, "booking": False})

    def test_the_booking_link_offers_what_the_point_takes_bookings_for(self):
        point = ServicePointFactory(slug="raadhuset")
        other = ServicePointFactory(slug="nordby")
        ServiceOffering.objects.create(
            service_point=point, service=self.passport, by_appointment=True
        )
        ServiceOffering.objects.create(
            service_point=other, service=self.moving, by_appointment=True
        )
        response = self.client.get("/en/tidsbestilling/?sted=raadhuset")
        self.assertEqual([s.slug for s in response.context["services"]], ["pas"])
        self.assertContains(response, '<input type="hidden" name="sted" value="raadhuset">')
        everything = self.client.get("/en/tidsbestilling/")
        self.assertEqual(
            sorted(s.slug for s in everything.context["services"]), ["flytning", "pas"]
        )
