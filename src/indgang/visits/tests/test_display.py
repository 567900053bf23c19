from django.test import TestCase

from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.models import TicketEvent
from indgang.visits.services import ticket_call_next, ticket_issue, ticket_set_status

from .factories import QueueFactory
from .queue_fixtures import desk_serving, point_with_queues

URL = "/betjeningssteder/raadhuset/skaerm/"


class DisplayTests(TestCase):
    def setUp(self):
        self.point, self.a, self.b, _ = point_with_queues()
        self.session = desk_serving(self.a)

    def call(self):
        ticket_issue(queue=self.a)
        return ticket_call_next(session=self.session)

    def test_the_screen_without_javascript_shows_the_calls_and_refreshes(self):
        self.call()
        self.call()
        response = self.client.get(URL)
        self.assertContains(response, "A002")
        self.assertContains(response, "A001")
        self.assertContains(response, "Skranke 3")
        self.assertContains(response, '<meta http-equiv="refresh" content="5">')
        self.assertContains(response, 'data-since="')

    def test_the_screen_needs_no_login(self):
        self.assertEqual(self.client.get(URL).status_code, 200)

    def test_calls_json_since(self):
        self.call()
        since = TicketEvent.objects.filter(to_status="called").latest("id").id
        self.assertEqual(self.client.get(URL + f"calls.json?since={since}").json()["calls"], [])
        ticket = self.call()
        data = self.client.get(URL + f"calls.json?since={since}").json()
        self.assertEqual([c["number"] for c in data["calls"]], [ticket.display])
        self.assertEqual(data["since"], data["calls"][0]["id"])
        self.assertEqual(data["calls"][0]["desk"], "Skranke 3")
        self.assertEqual(data["calls"][0]["spoken"], "Nummer A 2, skranke 3")

    def test_a_recall_is_a_new_call(self):
        ticket = self.call()
        since = TicketEvent.objects.latest("id").id
        ticket_set_status(ticket=ticket, status="called", desk=self.session.desk)
        data = self.client.get(URL + f"calls.json?since={since}").json()
        self.assertEqual(len(data["calls"]), 1)

    def test_only_this_points_calls(self):
        other_queue = QueueFactory(service_point=ServicePointFactory(slug="biblioteket"), code="A")
        other = desk_serving(other_queue, "Skranke 9")
        ticket_issue(queue=other_queue)
        ticket_call_next(session=other)
        self.call()
        data = self.client.get(URL + "calls.json?since=0").json()
        self.assertEqual([c["desk"] for c in data["calls"]], ["Skranke 3"])

    def test_no_personal_data(self):
        self.call()
        call = self.client.get(URL + "calls.json?since=0").json()["calls"][0]
        self.assertEqual(set(call), {"id", "number", "desk", "at", "spoken"})

    def test_without_since_gives_todays_last_calls(self):
        for _ in range(8):
            self.call()
        data = self.client.get(URL + "calls.json").json()
        self.assertEqual(len(data["calls"]), 6)
        self.assertEqual(data["calls"][-1]["number"], "A008")

    def test_bad_since_is_400_and_unknown_point_404(self):
        for since in ("abc", "-1", "1.5", "9" * 40):
            with self.subTest(since=since):
                self.assertEqual(
                    self.client.get(URL + f"calls.json?since={since}").status_code, 400
                )
        self.assertEqual(
            self.client.get("/betjeningssteder/nej/skaerm/calls.json").status_code, 404
        )
        self.assertEqual(self.client.get("/betjeningssteder/nej/skaerm/").status_code, 404)

    def test_polling_is_a_couple_of_queries(self):
        self.call()
        with self.assertNumQueries(2):
            self.client.get(URL + "calls.json?since=0")
