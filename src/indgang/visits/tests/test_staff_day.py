"""The day view of a service point: tickets with their times, appointments with check-in."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from indgang.visits.desk_services import CheckInRefused, appointment_check_in
from indgang.visits.lifecycle import (
    AppointmentStatus,
    InvalidTransition,
    TicketPriority,
    TicketSource,
)
from indgang.visits.models import Ticket
from indgang.visits.services import desk_session_start, ticket_call_next, ticket_issue

from .desk_personas import StaffDeskPersonasMixin, appointment_make

DAY = "/personale/skranke/dag/"


def check_in_url(appointment):
    return f"/personale/skranke/dag/tider/{appointment.pk}/tjek-ind/"


def no_show_url(appointment):
    return f"/personale/skranke/dag/tider/{appointment.pk}/udeblevet/"


class DayViewTests(StaffDeskPersonasMixin, TestCase):
    def setUp(self):
        self.client.force_login(self.clerk)

    def test_it_lists_todays_tickets_with_times_and_desk(self):
        waiting = ticket_issue(queue=self.queue_a, service=self.passport)
        Ticket.objects.filter(pk=waiting.pk).update(
            issued_at=timezone.now() - dt.timedelta(minutes=12)
        )
        session = desk_session_start(desk=self.counter2, user=self.clerk, queues=[self.queue_b])
        ticket_issue(queue=self.queue_b, service=self.moving)
        ticket_call_next(session=session)
        ticket_issue(queue=self.queue_c, service=self.shelter)
        ticket_issue(queue=self.elsewhere_queue)
        response = self.client.get(DAY + "?point=raadhuset")
        rows = response.context["rows"]
        self.assertEqual([r["ticket"].display for r in rows], ["A001", "B001", "C001"])
        self.assertEqual(rows[0]["wait"], 12)
        self.assertContains(response, "Skranke 2")
        self.assertNotContains(response, "Krisecenter")
        filtered = self.client.get(DAY + f"?point=raadhuset&desk={self.counter2.pk}")
        self.assertEqual([r["ticket"].display for r in filtered.context["rows"]], ["B001"])

    def test_bad_filters_are_ignored(self):
        for query in ("?point=nowhere", "?desk=x", "?desk=99999999999999999999", "?point="):
            with self.subTest(query=query):
                self.assertEqual(self.client.get(DAY + query).status_code, 200)
        response = self.client.get(DAY + f"?point=raadhuset&desk={self.elsewhere_desk.pk}")
        self.assertIsNone(response.context["chosen_desk"])

    def test_it_lists_todays_appointments_with_needs(self):
        appointment_make(
            service=self.passport, point=self.point, name="Ole Hansen", needs=["step_free"]
        )
        appointment_make(service=self.shelter, point=self.point, name="Mette Berg")
        appointment_make(
            service=self.passport,
            point=self.point,
            name="Ikke I Dag",
            start=timezone.now() + dt.timedelta(days=2),
        )
        response = self.client.get(DAY + "?point=raadhuset")
        self.assertContains(response, "Ole Hansen")
        self.assertContains(response, "Mette Berg")
        self.assertNotContains(response, "Krisecenter")
        self.assertNotContains(response, "Ikke I Dag")
        self.assertEqual(len(response.context["appointments"]), 2)

    def test_check_in_puts_the_citizen_in_the_queue_with_appointment_priority(self):
        appointment = appointment_make(service=self.passport, point=self.point)
        response = self.client.post(check_in_url(appointment), follow=True)
        ticket = Ticket.objects.get(appointment=appointment)
        self.assertContains(response, ticket.display)
        self.assertEqual(ticket.queue, self.queue_a)
        self.assertEqual(ticket.priority, TicketPriority.APPOINTMENT)
        self.assertEqual(ticket.source, TicketSource.CHECK_IN)
        appointment.refresh_from_db()
        self.assertEqual(appointment.status, AppointmentStatus.CHECKED_IN)
        response = self.client.post(check_in_url(appointment), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Ticket.objects.filter(appointment=appointment).count(), 1)

    def test_check_in_is_refused_on_another_day_or_without_a_queue(self):
        tomorrow = appointment_make(
            service=self.passport,
            point=self.point,
            start=timezone.now() + dt.timedelta(days=1),
        )
        with self.assertRaises(CheckInRefused):
            appointment_check_in(appointment=tomorrow)
        elsewhere = appointment_make(service=self.passport, point=self.elsewhere)
        response = self.client.post(check_in_url(elsewhere), follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Ticket.objects.exists())
        elsewhere.refresh_from_db()
        self.assertEqual(elsewhere.status, AppointmentStatus.BOOKED)

    def test_no_show_only_after_the_time(self):
        past = appointment_make(
            service=self.passport, point=self.point, start=timezone.now() - dt.timedelta(minutes=5)
        )
        future = appointment_make(service=self.moving, point=self.point)
        response = self.client.get(DAY + "?point=raadhuset")
        self.assertContains(response, no_show_url(past))
        self.assertNotContains(response, no_show_url(future))
        self.client.post(no_show_url(future))
        self.client.post(no_show_url(past))
        past.refresh_from_db()
        future.refresh_from_db()
        self.assertEqual(past.status, AppointmentStatus.NO_SHOW)
        self.assertEqual(future.status, AppointmentStatus.BOOKED)
        response = self.client.post(no_show_url(past), follow=True)
        self.assertEqual(response.status_code, 200)

    def test_unknown_appointments_are_404(self):
        for pk in ("0", "99999999999999999999"):
            self.assertEqual(
                self.client.post(f"/personale/skranke/dag/tider/{pk}/tjek-ind/").status_code, 404
            )

    def test_a_cancelled_appointment_cannot_be_checked_in(self):
        appointment = appointment_make(
            service=self.passport, point=self.point, status=AppointmentStatus.CANCELLED
        )
        with self.assertRaises(InvalidTransition):
            appointment_check_in(appointment=appointment)
