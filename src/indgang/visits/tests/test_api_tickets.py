from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.test import TestCase

from indgang.places.models import ServicePointKind
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.api import TicketRateThrottle
from indgang.visits.models import Ticket
from indgang.visits.services import ticket_issue

from .factories import QueueFactory
from .queue_fixtures import point_with_queues

TICKETS = "/api/v1/service-points/raadhuset/tickets/"


class ServicePointListTests(TestCase):
    def test_physical_points_with_their_queues(self):
        point_with_queues()
        QueueFactory(service_point=ServicePointFactory(kind=ServicePointKind.PHONE), code="T")
        data = self.client.get("/api/v1/service-points/").json()
        self.assertEqual(
            data,
            [
                {
                    "slug": "raadhuset",
                    "name": "Borgerservice Rådhuset",
                    "kind": "town_hall",
                    "queues": [
                        {"code": "A", "name": "Pas og kørekort", "services": ["pas"]},
                        {"code": "B", "name": "Andet", "services": []},
                    ],
                }
            ],
        )


class TicketCreateTests(TestCase):
    def setUp(self):
        cache.clear()

    def post(self, body, url=TICKETS):
        return self.client.post(url, body, content_type="application/json")

    def test_taking_a_number(self):
        _, a, _, _ = point_with_queues()
        ticket_issue(queue=a)
        response = self.post({"queue": "A", "service": "pas"})
        self.assertEqual(response.status_code, 201)
        data = response.json()
        ticket = Ticket.objects.latest("id")
        self.assertEqual(data["number"], "A002")
        self.assertEqual((data["position"], data["estimated_wait_minutes"]), (2, 8))
        self.assertEqual(data["url"], f"http://testserver/koe/{ticket.token}/")
        self.assertEqual(ticket.service.slug, "pas")

    def test_bad_input_is_400(self):
        point_with_queues()
        for body in ({}, {"queue": "Z"}, {"queue": "A", "service": "nope"}, {"queue": 5}, []):
            with self.subTest(body=body):
                self.assertEqual(self.post(body).status_code, 400)
        response = self.client.post(TICKETS, "queue=A", content_type="text/plain")
        self.assertEqual(response.status_code, 415)
        self.assertFalse(Ticket.objects.exists())

    def test_unknown_point_is_404(self):
        point_with_queues()
        url = "/api/v1/service-points/findes-ikke/tickets/"
        self.assertEqual(self.post({"queue": "A"}, url).status_code, 404)

    def test_closed_is_409_with_when_it_opens(self):
        point_with_queues(is_open=False)
        response = self.post({"queue": "A"})
        self.assertEqual(response.status_code, 409)
        self.assertIn("opening", response.json())
        self.assertFalse(Ticket.objects.exists())

    def test_throttled_per_client(self):
        point_with_queues()
        with mock.patch.object(TicketRateThrottle, "get_rate", return_value="2/minute"):
            codes = [self.post({"queue": "A"}).status_code for _ in range(3)]
            other = self.client.post(
                TICKETS, {"queue": "A"}, content_type="application/json", REMOTE_ADDR="10.0.0.9"
            )
        self.assertEqual(codes, [201, 201, 429])
        self.assertEqual(other.status_code, 201)

    def test_the_rate_comes_from_the_ticket_rate_setting(self):
        self.assertEqual(
            settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["tickets"], settings.TICKET_RATE
        )
