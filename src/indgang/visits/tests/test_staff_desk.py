"""The desk pages: sitting down, call next, recall, start, no-show, transfer, served."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from indgang.inquiries.lifecycle import SelfServiceObstacle
from indgang.visits.desk_services import appointment_check_in, ticket_complete, ticket_transfer
from indgang.visits.lifecycle import (
    AppointmentStatus,
    InvalidTransition,
    TicketPriority,
    TicketStatus,
)
from indgang.visits.models import DeskSession, Ticket, TicketEvent
from indgang.visits.services import desk_session_start, ticket_call_next, ticket_issue

from .desk_personas import StaffDeskPersonasMixin, appointment_make

PICK = "/personale/skranke/"
START = "/personale/skranke/start/"
DESK = "/personale/skranke/betjening/"
CALL = "/personale/skranke/betjening/kald-naeste/"


def action(ticket, name):
    return f"/personale/skranke/betjening/{ticket.pk}/{name}/"


class DeskPickerTests(StaffDeskPersonasMixin, TestCase):
    def setUp(self):
        self.client.force_login(self.clerk)

    def test_the_picker_lists_the_desks_with_their_usual_queues_ticked(self):
        response = self.client.get(PICK + "?point=raadhuset")
        self.assertContains(response, "Skranke 1")
        self.assertContains(response, "Samtalerum")
        form = next(d["form"] for d in response.context["desks"] if d["desk"] == self.counter1)
        self.assertEqual(form.initial["queues"], [self.queue_a.pk])
        self.assertContains(
            response,
            f'value="{self.queue_a.pk}" class="form-checkbox checkbox-large" '
            f'id="desk{self.counter1.pk}_queues_0" checked',
        )

    def test_sitting_down_starts_a_session_and_leads_to_the_desk(self):
        response = self.client.post(
            START, {"desk": self.counter2.pk, "queues": [self.queue_a.pk, self.queue_b.pk]}
        )
        self.assertRedirects(response, DESK)
        session = DeskSession.objects.get(user=self.clerk, ended_at__isnull=True)
        self.assertEqual(session.desk, self.counter2)
        self.assertEqual(set(session.queues.all()), {self.queue_a, self.queue_b})
        page = self.client.get(PICK)
        self.assertContains(page, "Skranke 2")
        self.assertContains(page, "Forlad skranken")

    def test_leaving_the_desk_ends_the_session(self):
        desk_session_start(desk=self.counter1, user=self.clerk, queues=[self.queue_a])
        response = self.client.post("/personale/skranke/forlad/", follow=True)
        self.assertFalse(DeskSession.objects.filter(ended_at__isnull=True).exists())
        self.assertContains(response, "Du har forladt Skranke 1.")
        response = self.client.post("/personale/skranke/forlad/", follow=True)
        self.assertContains(response, "Du var ikke ved en skranke.")

    def test_bad_input_is_refused_with_a_message_never_a_500(self):
        cases = [
            {},
            {"desk": self.counter1.pk},
            {"desk": self.counter1.pk, "queues": ["x"]},
            {"desk": "x", "queues": [self.queue_a.pk]},
            {"desk": "99999999999999999999999", "queues": [self.queue_a.pk]},
            {"desk": self.counter1.pk, "queues": [self.elsewhere_queue.pk]},
            {"desk": self.counter1.pk, "queues": ["99999999999999999999999"]},
        ]
        for data in cases:
            with self.subTest(data=data):
                self.assertEqual(self.client.post(START, data).status_code, 400)
        self.assertFalse(DeskSession.objects.exists())
        response = self.client.post(START, {"desk": self.counter1.pk})
        self.assertContains(response, "Vælg mindst én kø.", status_code=400)
        response = self.client.get(PICK + "?point=nowhere")
        self.assertEqual(response.status_code, 200)

    def test_the_desk_page_without_a_session_leads_to_the_picker(self):
        response = self.client.get(DESK, follow=True)
        self.assertRedirects(response, PICK)
        self.assertContains(response, "Vælg først din skranke og dine køer.")
        self.assertRedirects(self.client.post(CALL), PICK)


class DeskActionTests(StaffDeskPersonasMixin, TestCase):
    def setUp(self):
        self.session = desk_session_start(
            desk=self.counter1, user=self.clerk, queues=[self.queue_a, self.queue_b]
        )
        self.client.force_login(self.clerk)

    def call(self):
        return self.client.post(CALL, follow=True)

    def test_the_desk_shows_waiting_counts_per_queue(self):
        ticket_issue(queue=self.queue_a)
        ticket_issue(queue=self.queue_b)
        ticket_issue(queue=self.queue_b, service=self.shelter)
        response = self.client.get(DESK)
        counts = {row["queue"].code: row["waiting"] for row in response.context["queues"]}
        self.assertEqual(counts, {"A": 1, "B": 1})
        self.assertContains(response, "og 1 til samtalerum")
        self.assertContains(response, "Kald næste")

    def test_call_next_takes_appointments_first_then_priority_then_first_come(self):
        first = ticket_issue(queue=self.queue_a, service=self.passport)
        priority = ticket_issue(queue=self.queue_b, priority=TicketPriority.PRIORITY_NEED)
        appointment = appointment_make(service=self.passport, point=self.point)
        checked_in = appointment_check_in(appointment=appointment)
        order = []
        for _ in range(3):
            response = self.call()
            ticket = response.context["ticket"]
            order.append(ticket.pk)
            self.assertContains(response, f"{ticket.display} er kaldt til din skranke.")
            self.client.post(action(ticket, "udeblevet"))
        self.assertEqual(order, [checked_in.pk, priority.pk, first.pk])
        response = self.call()
        self.assertContains(response, "Der er ingen, der venter i dine køer.")

    def test_sensitive_errands_are_only_called_to_the_private_room(self):
        sensitive = ticket_issue(queue=self.queue_b, service=self.shelter)
        response = self.call()
        self.assertContains(response, "Der er ingen, der venter i dine køer.")
        self.client.force_login(self.clerk2)
        desk_session_start(
            desk=self.private_room, user=self.clerk2, queues=[self.queue_b, self.queue_c]
        )
        response = self.call()
        self.assertEqual(response.context["ticket"], sensitive)
        self.assertContains(response, "Krisecenter")

    def test_a_sensitive_errand_is_not_named_at_a_counter(self):
        ticket = ticket_issue(queue=self.queue_b, service=self.shelter)
        Ticket.objects.filter(pk=ticket.pk).update(
            status=TicketStatus.CALLED, desk=self.counter1, called_at=timezone.now()
        )
        response = self.client.get(DESK)
        self.assertNotContains(response, "Krisecenter")
        self.assertContains(response, "Følsom sag")

    def test_call_next_while_a_ticket_is_at_the_desk_asks_to_finish_it(self):
        ticket_issue(queue=self.queue_a)
        ticket_issue(queue=self.queue_a)
        self.call()
        response = self.call()
        self.assertContains(response, "A001 er stadig ved din skranke: gør nummeret færdigt først.")
        self.assertEqual(Ticket.objects.filter(status=TicketStatus.CALLED).count(), 1)

    def test_recall_calls_again(self):
        ticket = ticket_issue(queue=self.queue_a)
        self.call()
        response = self.client.post(action(ticket, "kald-igen"), follow=True)
        self.assertContains(response, "A001 er kaldt igen.")
        ticket.refresh_from_db()
        self.assertEqual((ticket.status, ticket.call_count), (TicketStatus.CALLED, 2))
        self.assertContains(response, "kaldt 2 gange")

    def test_start_then_no_show_is_refused_and_no_show_from_called_works(self):
        ticket = ticket_issue(queue=self.queue_a)
        self.call()
        response = self.client.post(action(ticket, "udeblevet"), follow=True)
        self.assertContains(response, "A001 er markeret som udeblevet.")
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, TicketStatus.NO_SHOW)
        response = self.client.post(action(ticket, "begynd"), follow=True)
        self.assertContains(response, "Nummeret er ikke længere ved din skranke")

    def test_a_ticket_another_desk_took_gives_a_message_not_an_error(self):
        ticket = ticket_issue(queue=self.queue_b)
        other = desk_session_start(desk=self.counter2, user=self.clerk2, queues=[self.queue_b])
        ticket_call_next(session=other)
        for name in ("kald-igen", "begynd", "udeblevet", "flyt", "faerdig"):
            with self.subTest(action=name):
                response = self.client.post(action(ticket, name), follow=True)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Nummeret er ikke længere ved din skranke")
        for pk in ("0", "99999999999999999999"):
            response = self.client.post(f"/personale/skranke/betjening/{pk}/begynd/", follow=True)
            self.assertEqual(response.status_code, 200)
        ticket.refresh_from_db()
        self.assertEqual(ticket.desk, self.counter2)

    def test_transfer_puts_the_ticket_back_in_another_queue_keeping_its_time(self):
        early = ticket_issue(queue=self.queue_a)
        Ticket.objects.filter(pk=early.pk).update(
            issued_at=timezone.now() - dt.timedelta(minutes=20)
        )
        ticket_issue(queue=self.queue_b)  # B001 came later than the transferred ticket
        self.call()
        response = self.client.post(
            action(early, "flyt"), {"transfer-queue": self.queue_b.pk}, follow=True
        )
        self.assertContains(response, "A001 er flyttet til køen Øvrige henvendelser som B002")
        early.refresh_from_db()
        self.assertEqual((early.queue, early.status, early.desk), (self.queue_b, "waiting", None))
        event = TicketEvent.objects.filter(ticket=early).last()
        self.assertEqual((event.from_status, event.to_status), ("called", "waiting"))
        self.assertIn("A001", event.note)
        response = self.call()
        self.assertEqual(response.context["ticket"], early)  # still first: it came first

    def test_transfer_refuses_bad_queues(self):
        ticket = ticket_issue(queue=self.queue_a)
        self.call()
        for value in ("", "x", self.queue_a.pk, self.elsewhere_queue.pk, "99999999999999999999"):
            with self.subTest(value=value):
                response = self.client.post(action(ticket, "flyt"), {"transfer-queue": value})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "form-error", status_code=400)
        with self.assertRaises(ValueError):
            ticket_transfer(ticket=ticket, queue=self.elsewhere_queue, by=self.clerk)

    def test_served_registers_the_errand_and_the_outcome(self):
        ticket = ticket_issue(queue=self.queue_a)
        self.call()
        response = self.client.get(DESK)
        self.assertIsNone(response.context["complete_form"])  # start serving first
        self.client.post(action(ticket, "begynd"))
        response = self.client.post(
            action(ticket, "faerdig"),
            {
                "served-service": self.passport.pk,
                "served-resolved": "no",
                "served-self_service": "no",
                "served-obstacle": SelfServiceObstacle.NEEDS_GUIDANCE,
            },
            follow=True,
        )
        self.assertContains(response, "A001 er betjent og registreret.")
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, TicketStatus.SERVED)
        self.assertEqual(ticket.service, self.passport)
        self.assertIs(ticket.resolved_on_first_contact, False)
        self.assertIs(ticket.self_service_possible, False)
        self.assertEqual(ticket.self_service_obstacle, SelfServiceObstacle.NEEDS_GUIDANCE)
        self.assertIsNotNone(ticket.ended_at)

    def test_served_refuses_bad_input(self):
        ticket = ticket_issue(queue=self.queue_a)
        self.call()
        self.client.post(action(ticket, "begynd"))
        good = {
            "served-service": self.passport.pk,
            "served-resolved": "yes",
            "served-self_service": "yes",
        }
        cases = [
            {},
            {**good, "served-service": ""},
            {**good, "served-service": self.shelter.pk},  # not one of the queue's services
            {**good, "served-resolved": "maybe"},
            {**good, "served-self_service": "no"},  # no reason
            {**good, "served-self_service": "no", "served-obstacle": "bogus"},
        ]
        for data in cases:
            with self.subTest(data=data):
                self.assertEqual(self.client.post(action(ticket, "faerdig"), data).status_code, 400)
        response = self.client.post(action(ticket, "faerdig"), cases[4])
        self.assertIn("obstacle", response.context["complete_form"].errors)
        ticket.refresh_from_db()
        self.assertEqual(ticket.status, TicketStatus.SERVING)

    def test_completing_a_checked_in_appointment_makes_it_done(self):
        appointment = appointment_make(service=self.passport, point=self.point)
        ticket = appointment_check_in(appointment=appointment)
        self.assertEqual(ticket.priority, TicketPriority.APPOINTMENT)
        self.call()
        self.client.post(action(ticket, "begynd"))
        self.client.post(
            action(ticket, "faerdig"),
            {
                "served-service": self.passport.pk,
                "served-resolved": "yes",
                "served-self_service": "yes",
            },
        )
        appointment.refresh_from_db()
        self.assertEqual(appointment.status, AppointmentStatus.DONE)

    def test_complete_from_called_is_an_invalid_transition(self):
        ticket = ticket_issue(queue=self.queue_a)
        self.call()
        with self.assertRaises(InvalidTransition):
            ticket_complete(
                ticket=ticket,
                by=self.clerk,
                service=None,
                resolved_on_first_contact=True,
                self_service_possible=True,
            )
