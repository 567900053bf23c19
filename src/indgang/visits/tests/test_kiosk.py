from django.core import signing
from django.test import TestCase

from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.kiosk_views import KIOSK_SALT
from indgang.visits.lifecycle import TicketSource
from indgang.visits.models import Ticket
from indgang.visits.services import ticket_issue

from .queue_fixtures import point_with_queues


class KioskTests(TestCase):
    def setUp(self):
        self.point, self.a, self.b, self.passport = point_with_queues()
        self.url = "/betjeningssteder/raadhuset/kiosk/"

    def test_the_start_lists_each_queue_with_its_services(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Pas og kørekort")
        self.assertContains(response, 'name="service" value="pas"')
        self.assertContains(response, 'name="queue" value="B"')
        self.assertContains(response, "<h1")

    def test_choosing_an_errand_issues_a_ticket_and_shows_it(self):
        response = self.client.post(self.url, {"queue": "A", "service": "pas"})
        ticket = Ticket.objects.get()
        self.assertEqual((ticket.queue, ticket.service), (self.a, self.passport))
        self.assertEqual(ticket.source, TicketSource.KIOSK)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn(ticket.token, response["Location"])
        page = self.client.get(response["Location"])
        self.assertContains(page, "A001")
        self.assertContains(page, "<svg")
        self.assertContains(page, 'http-equiv="refresh"')
        self.assertContains(page, "Du er den næste i køen.")

    def test_the_queue_without_a_service(self):
        self.client.post(self.url, {"queue": "B", "service": ""})
        self.assertEqual(Ticket.objects.get().display, "B001")

    def test_the_printout_shows_the_position(self):
        ticket_issue(queue=self.a)
        response = self.client.post(self.url, {"queue": "A"}, follow=True)
        self.assertContains(response, "A002")
        self.assertContains(response, "1 person er foran dig.")

    def test_the_kiosk_keeps_no_session(self):
        self.client.post(self.url, {"queue": "A"})
        self.assertFalse(self.client.session.keys())

    def test_bad_choices_are_400_not_500(self):
        for data in (
            {},
            {"queue": "Z"},
            {"queue": "A", "service": "not-served-here"},
            {"queue": "B", "service": "pas"},
            {"queue": "A" * 500},
        ):
            with self.subTest(data=data):
                self.assertEqual(self.client.post(self.url, data).status_code, 400)
        self.assertFalse(Ticket.objects.exists())

    def test_a_tampered_or_old_ticket_address_goes_back_to_the_start(self):
        for signed in (
            "nonsense",
            signing.dumps("x", salt="other"),
            signing.dumps(999, salt=KIOSK_SALT),
        ):
            with self.subTest(signed=signed):
                response = self.client.get(f"{self.url}nummer/{signed}/")
                self.assertRedirects(response, self.url, fetch_redirect_response=False)

    def test_the_kiosk_of_a_point_without_queues_is_404(self):
        ServicePointFactory(slug="biblioteket")
        self.assertEqual(self.client.get("/betjeningssteder/biblioteket/kiosk/").status_code, 404)
        self.assertEqual(self.client.get("/betjeningssteder/findes-ikke/kiosk/").status_code, 404)

    def test_english(self):
        response = self.client.get("/en" + self.url)
        self.assertContains(response, 'lang="en"')
        self.assertContains(response, "Take a number")

    def test_csrf_is_required(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        self.assertEqual(client.post(self.url, {"queue": "A"}).status_code, 403)


class ClosedKioskTests(TestCase):
    def test_a_closed_point_gives_no_numbers(self):
        point_with_queues(is_open=False)
        url = "/betjeningssteder/raadhuset/kiosk/"
        response = self.client.get(url)
        self.assertContains(response, "Vi har lukket nu, så du kan ikke trække et nummer.")
        self.assertNotContains(response, 'name="queue"')
        self.assertEqual(self.client.post(url, {"queue": "A"}).status_code, 409)
        self.assertFalse(Ticket.objects.exists())


class WebQueueTests(TestCase):
    def test_taking_a_number_on_the_web_leads_to_the_ticket_page(self):
        point_with_queues()
        response = self.client.post("/betjeningssteder/raadhuset/koe/", {"queue": "A"})
        ticket = Ticket.objects.get()
        self.assertEqual(ticket.source, TicketSource.WEB)
        self.assertRedirects(response, f"/koe/{ticket.token}/")

    def test_the_page_is_in_the_site_layout_with_the_choices(self):
        point_with_queues()
        response = self.client.get("/betjeningssteder/raadhuset/koe/")
        self.assertContains(response, "main-content")
        self.assertContains(response, 'value="pas"')

    def test_closed_explains_when_it_opens(self):
        point_with_queues(is_open=False)
        response = self.client.get("/betjeningssteder/raadhuset/koe/")
        self.assertContains(response, "Du kan kun trække et nummer, mens vi har åbent.")
        self.assertContains(response, "Lukket. Åbner")
        self.assertEqual(
            self.client.post("/betjeningssteder/raadhuset/koe/", {"queue": "A"}).status_code, 409
        )
        self.assertFalse(Ticket.objects.exists())

    def test_bad_input_is_400(self):
        point_with_queues()
        response = self.client.post("/betjeningssteder/raadhuset/koe/", {"queue": "Q"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Vælg et af ærinderne på listen.", status_code=400)
