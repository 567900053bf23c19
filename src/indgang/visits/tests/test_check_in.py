"""Citizens checking in for a booked time: the rules in the service, the kiosk, the web page by
reference and the button on the citizen's own booking page."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.cache import cache
from django.test import Client, TestCase
from django.utils import translation

from indgang.inquiries.references import reference_generate
from indgang.places.models import ServiceOffering
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.booking import REFERENCE_PREFIX
from indgang.visits.check_in import MAX_FAILURES
from indgang.visits.desk_services import (
    CHECK_IN_CLOSES_AFTER,
    CHECK_IN_OPENS_BEFORE,
    CheckInRefused,
    appointment_check_in,
)
from indgang.visits.lifecycle import (
    AppointmentStatus,
    InvalidTransition,
    TicketPriority,
    TicketSource,
)
from indgang.visits.models import Appointment, Ticket
from indgang.visits.services import ticket_issue

from .booking_setup import local
from .desk_personas import appointment_make
from .factories import QueueFactory
from .queue_fixtures import point_with_queues

# A Wednesday morning in Fjordby.
NOW = local(2026, 3, 4, 10, 0)
KIOSK = "/en/betjeningssteder/raadhuset/kiosk/tjek-ind/"
WEB = "/en/betjeningssteder/raadhuset/tjek-ind/"


def reference() -> str:
    return reference_generate(REFERENCE_PREFIX)


class CheckInSetup(TestCase):
    """Rådhuset is open with queue A for passports and takes bookings for them; Nordby has its
    own queue for passports."""

    def setUp(self):
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        cache.clear()  # wrong guesses are counted in the cache
        self.point, self.queue_a, self.queue_b, self.passport = point_with_queues()
        ServiceOffering.objects.create(
            service_point=self.point, service=self.passport, by_appointment=True
        )
        self.elsewhere = ServicePointFactory(slug="nordby", name="Nordby Bibliotek")
        QueueFactory(service_point=self.elsewhere, code="A").services.add(self.passport)

    def booked(self, *, minutes_from_now: int = 10, point=None, **extra):
        """An appointment `minutes_from_now` (negative: already begun) with a real reference."""
        appointment = appointment_make(
            service=self.passport,
            point=point or self.point,
            start=NOW + dt.timedelta(minutes=minutes_from_now),
            **extra,
        )
        Appointment.objects.filter(pk=appointment.pk).update(reference=reference())
        appointment.refresh_from_db()
        return appointment


class CheckInServiceTests(CheckInSetup):
    def test_the_citizen_checks_in_within_the_window_with_appointment_priority(self):
        appointment = self.booked(minutes_from_now=25)
        ticket = appointment_check_in(
            appointment=appointment, by_citizen=True, service_point=self.point
        )
        self.assertEqual(ticket.queue, self.queue_a)
        self.assertEqual(ticket.priority, TicketPriority.APPOINTMENT)
        self.assertEqual(ticket.source, TicketSource.CHECK_IN)
        self.assertEqual(ticket.appointment, appointment)
        appointment.refresh_from_db()
        self.assertEqual(appointment.status, AppointmentStatus.CHECKED_IN)

    def test_the_window_opens_before_the_start_and_closes_after_it(self):
        opens = int(CHECK_IN_OPENS_BEFORE.total_seconds() // 60)
        closes = int(CHECK_IN_CLOSES_AFTER.total_seconds() // 60)
        cases = [
            (opens + 1, CheckInRefused.TOO_EARLY),
            (opens, None),
            (-closes, None),
            (-closes - 1, CheckInRefused.TOO_LATE),
        ]
        for minutes, refused in cases:
            with self.subTest(minutes_from_now=minutes):
                appointment = self.booked(minutes_from_now=minutes)
                if refused is None:
                    appointment_check_in(
                        appointment=appointment, by_citizen=True, service_point=self.point
                    )
                    continue
                with self.assertRaises(CheckInRefused) as caught:
                    appointment_check_in(
                        appointment=appointment, by_citizen=True, service_point=self.point
                    )
                self.assertEqual(caught.exception.reason, refused)
                appointment.refresh_from_db()
                self.assertEqual(appointment.status, AppointmentStatus.BOOKED)

    def test_staff_may_check_in_outside_the_window(self):
        appointment = self.booked(minutes_from_now=120)
        ticket = appointment_check_in(appointment=appointment)
        self.assertEqual(ticket.priority, TicketPriority.APPOINTMENT)

    def test_the_citizen_must_be_at_the_appointments_point_which_is_checked_first(self):
        cancelled = self.booked(status=AppointmentStatus.CANCELLED)
        for appointment in (self.booked(), cancelled):
            with self.subTest(status=appointment.status):
                with self.assertRaises(CheckInRefused) as caught:
                    appointment_check_in(
                        appointment=appointment, by_citizen=True, service_point=self.elsewhere
                    )
                self.assertEqual(caught.exception.reason, CheckInRefused.WRONG_POINT)
        self.assertFalse(Ticket.objects.exists())

    def test_another_day_is_refused(self):
        appointment = self.booked(minutes_from_now=24 * 60)
        with self.assertRaises(CheckInRefused) as caught:
            appointment_check_in(appointment=appointment, by_citizen=True, service_point=self.point)
        self.assertEqual(caught.exception.reason, CheckInRefused.NOT_TODAY)

    def test_checking_in_twice_gives_the_same_ticket_to_the_citizen_only(self):
        appointment = self.booked()
        first = appointment_check_in(
            appointment=appointment, by_citizen=True, service_point=self.point
        )
        again = appointment_check_in(
            appointment=appointment, by_citizen=True, service_point=self.point
        )
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Ticket.objects.count(), 1)
        with self.assertRaises(InvalidTransition):
            appointment_check_in(appointment=appointment)

    def test_a_cancelled_appointment_is_not_checked_in(self):
        appointment = self.booked(status=AppointmentStatus.CANCELLED)
        with self.assertRaises(InvalidTransition):
            appointment_check_in(appointment=appointment, by_citizen=True, service_point=self.point)


class KioskCheckInTests(CheckInSetup):
    def test_the_kiosk_start_offers_check_in_where_bookings_are_taken(self):
        response = self.client.get("/betjeningssteder/raadhuset/kiosk/")
        self.assertContains(response, 'href="/betjeningssteder/raadhuset/kiosk/tjek-ind/"')
        ServiceOffering.objects.all().delete()
        response = self.client.get("/betjeningssteder/raadhuset/kiosk/")
        self.assertNotContains(response, "/kiosk/tjek-ind/")

    def test_the_form_asks_for_the_reference(self):
        response = self.client.get(KIOSK)
        self.assertContains(response, 'id="id_reference"')
        self.assertContains(response, 'lang="en"')
        self.assertContains(response, 'href="/en/betjeningssteder/raadhuset/kiosk/"')

    def test_the_reference_checks_in_and_the_kiosk_shows_the_ticket(self):
        ticket_issue(queue=self.queue_a)  # someone without an appointment came first
        appointment = self.booked()
        typed = appointment.reference.lower().replace("-", " ")  # read forgivingly
        response = self.client.post(KIOSK, {"reference": typed})
        ticket = Ticket.objects.get(appointment=appointment)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/kiosk/nummer/", response["Location"])
        self.assertNotIn(ticket.token, response["Location"])
        page = self.client.get(response["Location"])
        self.assertContains(page, "A002")
        self.assertContains(page, "You are next in line.")  # called before the walk-in
        self.assertFalse(self.client.session.keys())

    def test_unknown_and_other_points_references_get_the_same_answer(self):
        other_point = self.booked(point=self.elsewhere)
        answers = []
        for typed in (reference(), other_point.reference):
            response = self.client.post(KIOSK, {"reference": typed})
            self.assertEqual(response.status_code, 400)
            answers.append(response.context["form"].errors["reference"])
        self.assertEqual(answers[0], answers[1])
        self.assertIn("cannot find an appointment", answers[0][0])
        self.assertFalse(Ticket.objects.exists())

    def test_each_reason_is_explained(self):
        cases = {
            "cancelled": self.booked(status=AppointmentStatus.CANCELLED),
            "not today": self.booked(minutes_from_now=24 * 60),
            "You are early. You can check in from 10:30": self.booked(minutes_from_now=60),
            "minutes late": self.booked(minutes_from_now=-30),
        }
        for expected, appointment in cases.items():
            with self.subTest(expected=expected):
                response = self.client.post(KIOSK, {"reference": appointment.reference})
                self.assertContains(response, expected, status_code=400)
        self.assertFalse(Ticket.objects.exists())

    def test_what_is_no_reference_at_all_is_a_field_error(self):
        for typed in ("", "hello", "T-0000-0000", "x" * 500, "\x00"):
            with self.subTest(typed=typed):
                response = self.client.post(KIOSK, {"reference": typed})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, 'href="#id_reference"', status_code=400)

    def test_too_many_wrong_references_are_refused_for_a_while(self):
        appointment = self.booked()
        for _ in range(MAX_FAILURES["kiosk"]):
            self.client.post(KIOSK, {"reference": reference()})
        response = self.client.post(KIOSK, {"reference": appointment.reference})
        self.assertEqual(response.status_code, 429)
        self.assertFalse(Ticket.objects.exists())
        # The web counts on its own: the kiosk's many users do not lock out a phone.
        self.assertEqual(
            self.client.post(WEB, {"reference": appointment.reference}).status_code, 302
        )

    def test_the_time_window_passing_lets_the_client_try_again(self):
        for _ in range(MAX_FAILURES["web"]):
            self.client.post(WEB, {"reference": reference()})
        appointment = self.booked(minutes_from_now=20)
        self.assertEqual(
            self.client.post(WEB, {"reference": appointment.reference}).status_code, 429
        )
        with time_machine.travel(NOW + dt.timedelta(minutes=16), tick=False):
            response = self.client.post(WEB, {"reference": appointment.reference})
        self.assertEqual(response.status_code, 302)

    def test_csrf_is_required(self):
        appointment = self.booked()
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(client.post(KIOSK, {"reference": appointment.reference}).status_code, 403)

    def test_a_point_without_a_queue_has_no_check_in(self):
        ServicePointFactory(slug="biblioteket")
        for url in (
            "/betjeningssteder/biblioteket/kiosk/tjek-ind/",
            "/betjeningssteder/biblioteket/tjek-ind/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404)


class WebCheckInTests(CheckInSetup):
    def test_the_page_is_in_the_site_layout(self):
        response = self.client.get(WEB)
        self.assertContains(response, "main-content")
        self.assertContains(response, 'id="id_reference"')
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_the_reference_checks_in_and_leads_to_the_ticket_page(self):
        appointment = self.booked()
        response = self.client.post(WEB, {"reference": appointment.reference})
        ticket = Ticket.objects.get(appointment=appointment)
        self.assertRedirects(response, f"/en/koe/{ticket.token}/", fetch_redirect_response=False)
        self.assertEqual(ticket.priority, TicketPriority.APPOINTMENT)
        # Pressing the button again shows the same ticket.
        again = self.client.post(WEB, {"reference": appointment.reference})
        self.assertEqual(again["Location"], response["Location"])

    def test_unknown_and_other_points_references_get_the_same_answer(self):
        other_point = self.booked(point=self.elsewhere)
        first = self.client.post(WEB, {"reference": reference()})
        second = self.client.post(WEB, {"reference": other_point.reference})
        self.assertEqual(
            first.context["form"].errors["reference"], second.context["form"].errors["reference"]
        )
        self.assertEqual((first.status_code, second.status_code), (400, 400))

    def test_danish_is_the_default(self):
        with translation.override("da"):
            response = self.client.post(WEB.removeprefix("/en"), {"reference": reference()})
        self.assertContains(response, 'lang="da"', status_code=400)
        self.assertContains(response, "alert-error", status_code=400)


class OwnPageCheckInTests(CheckInSetup):
    def manage(self, appointment) -> str:
        return f"/en/tidsbestilling/min/{appointment.manage_token}/"

    def test_on_the_day_within_the_window_the_page_has_a_check_in_button(self):
        appointment = self.booked()
        response = self.client.get(self.manage(appointment))
        button = f'action="/en/tidsbestilling/min/{appointment.manage_token}/tjek-ind/"'
        self.assertContains(response, button)
        response = self.client.post(self.manage(appointment) + "tjek-ind/")
        ticket = Ticket.objects.get(appointment=appointment)
        self.assertRedirects(response, f"/en/koe/{ticket.token}/", fetch_redirect_response=False)
        page = self.client.get(self.manage(appointment))
        self.assertContains(page, f"Your number is {ticket.display}")
        self.assertContains(page, f'href="/en/koe/{ticket.token}/"')
        self.assertNotContains(page, button)

    def test_before_the_window_it_says_from_when(self):
        appointment = self.booked(minutes_from_now=90)
        response = self.client.get(self.manage(appointment))
        self.assertEqual(response.context["check_in"]["state"], "early")
        self.assertContains(response, "from 11:00 until 11:40")
        self.assertNotContains(response, "/tjek-ind/")
        response = self.client.post(self.manage(appointment) + "tjek-ind/")
        self.assertContains(response, "You are early.", status_code=400)
        self.assertFalse(Ticket.objects.exists())

    def test_after_the_window_it_says_ask_at_the_counter(self):
        appointment = self.booked(minutes_from_now=-20)
        response = self.client.get(self.manage(appointment))
        self.assertContains(response, "It is too late to check in yourself.")

    def test_other_days_and_cancelled_appointments_show_no_check_in(self):
        for appointment in (
            self.booked(minutes_from_now=24 * 60),
            self.booked(status=AppointmentStatus.CANCELLED),
        ):
            with self.subTest(status=appointment.status):
                response = self.client.get(self.manage(appointment))
                self.assertIsNone(response.context["check_in"])
                self.assertEqual(
                    self.client.post(self.manage(appointment) + "tjek-ind/").status_code, 400
                )
        self.assertFalse(Ticket.objects.exists())

    def test_check_in_is_a_post_with_the_secret_address(self):
        appointment = self.booked()
        self.assertEqual(self.client.get(self.manage(appointment) + "tjek-ind/").status_code, 405)
        self.assertEqual(
            self.client.post("/en/tidsbestilling/min/gaet-et-token/tjek-ind/").status_code, 404
        )
