import datetime as dt

from django.test import TestCase

from indgang.visits.lifecycle import TicketStatus
from indgang.visits.models import Ticket
from indgang.visits.services import ticket_call_next, ticket_issue, ticket_set_status

from .queue_fixtures import desk_serving, point_with_queues


class TicketPageTests(TestCase):
    def setUp(self):
        self.point, self.a, self.b, _ = point_with_queues()
        self.ticket = ticket_issue(queue=self.a)
        self.url = f"/koe/{self.ticket.token}/"

    def test_waiting_shows_number_position_and_refresh(self):
        ticket_issue(queue=self.a)
        behind = ticket_issue(queue=self.a)
        response = self.client.get(f"/koe/{behind.token}/")
        self.assertContains(response, "A003")
        self.assertContains(response, "2 personer er foran dig.")
        self.assertContains(response, "Forventet ventetid: ca. 16 minutter.")
        self.assertContains(response, '<meta http-equiv="refresh" content="30">')
        self.assertContains(response, "ticket.js")
        self.assertContains(response, "Aflys mit nummer")

    def test_called_tells_where_to_go(self):
        session = desk_serving(self.a)
        ticket_call_next(session=session)
        response = self.client.get(self.url)
        self.assertContains(response, "Gå til Skranke 3 nu.")
        self.assertNotContains(response, "Aflys mit nummer")

    def test_finished_states(self):
        session = desk_serving(self.a)
        ticket_call_next(session=session)
        ticket_set_status(ticket=self.ticket, status=TicketStatus.SERVING)
        self.assertContains(self.client.get(self.url), "Du bliver betjent ved Skranke 3.")
        ticket_set_status(ticket=self.ticket, status=TicketStatus.SERVED)
        response = self.client.get(self.url)
        self.assertContains(response, "Du er færdig. Tak for dit besøg.")
        self.assertNotContains(response, 'http-equiv="refresh"')

    def test_no_show(self):
        session = desk_serving(self.a)
        ticket_call_next(session=session)
        ticket_set_status(ticket=self.ticket, status=TicketStatus.NO_SHOW)
        self.assertContains(self.client.get(self.url), "Du blev kaldt, men kom ikke.")

    def test_yesterdays_number_is_no_longer_valid(self):
        Ticket.objects.filter(pk=self.ticket.pk).update(day=dt.date(2020, 1, 1))
        response = self.client.get(self.url)
        self.assertContains(response, "og gælder ikke længere. Træk et nyt nummer.")
        self.assertNotContains(response, 'http-equiv="refresh"')

    def test_the_citizen_cancels_a_waiting_number(self):
        response = self.client.post(f"{self.url}annuller/")
        self.assertRedirects(response, self.url + "?annulleret=1")
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.status, TicketStatus.CANCELLED)
        self.assertContains(
            self.client.get(self.url + "?annulleret=1"),
            "Dit nummer er aflyst. Tak, fordi du gav os besked.",
        )
        # Again: nothing happens, no error.
        self.assertRedirects(self.client.post(f"{self.url}annuller/"), self.url)

    def test_a_called_number_cannot_be_cancelled(self):
        ticket_call_next(session=desk_serving(self.a))
        self.client.post(f"{self.url}annuller/")
        self.ticket.refresh_from_db()
        self.assertEqual(self.ticket.status, TicketStatus.CALLED)

    def test_cancel_needs_post(self):
        self.assertEqual(self.client.get(f"{self.url}annuller/").status_code, 405)

    def test_unknown_tokens_are_404(self):
        for token in ("x", "a" * 43, "a" * 400, "%00"):
            with self.subTest(token=token):
                self.assertEqual(self.client.get(f"/koe/{token}/").status_code, 404)
                self.assertEqual(self.client.get(f"/koe/{token}/status.json").status_code, 404)
                self.assertEqual(self.client.post(f"/koe/{token}/annuller/").status_code, 404)


class TicketStatusJsonTests(TestCase):
    def test_the_status_json(self):
        _, a, _, _ = point_with_queues()
        ticket = ticket_issue(queue=a)
        data = self.client.get(f"/koe/{ticket.token}/status.json").json()
        self.assertEqual(
            data,
            {
                "number": "A001",
                "status": "waiting",
                "status_text": "Du er den næste i køen.",
                "position": 1,
                "estimated_wait_minutes": 0,
                "desk": None,
                "open": True,
            },
        )
        ticket_call_next(session=desk_serving(a))
        response = self.client.get(f"/koe/{ticket.token}/status.json")
        self.assertIn("no-cache", response["Cache-Control"])
        data = response.json()
        self.assertEqual(
            (data["status"], data["desk"], data["position"]), ("called", "Skranke 3", None)
        )
