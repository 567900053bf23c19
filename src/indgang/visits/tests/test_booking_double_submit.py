"""The booking form's signed token: a double click or a resubmission never takes two seats."""

import datetime as dt
import os

import time_machine
from django.core import signing
from django.test import TestCase, override_settings
from django.utils import timezone

from indgang.inquiries.models import OutboundEmail
from indgang.inquiries.references import reference_generate
from indgang.visits.booking import REFERENCE_PREFIX, AlreadyBooked, appointment_book
from indgang.visits.booking_forms import (
    FORM_MAX_AGE,
    FORM_SALT,
    booking_form_token_new,
    booking_form_token_reference,
)
from indgang.visits.models import Appointment
from indgang.visits.slots import free_slots_for

from .booking_setup import bookable
from .test_booking_views import first_day_with_slots


@override_settings(SMS_BACKEND="file", SMS_FILE_PATH=os.devnull)
class BookingFormTokenTests(TestCase):
    def setUp(self):
        self.service, self.point = bookable(slug="pas", point_slug="raadhuset", desks=2)
        day = first_day_with_slots(self.service, self.point)
        self.slots = free_slots_for(service=self.service, service_point=self.point, day=day)
        self.url = f"/en/tidsbestilling/pas/raadhuset/{self.slots[0].key}/"

    def form_token(self) -> str:
        return self.client.get(self.url).context["form"]["token"].value()

    def send(self, token: str, url: str | None = None, **fields):
        data = {"name": "Karen Jensen", "email": "karen@example.dk", "token": token} | fields
        return self.client.post(url or self.url, data)

    def test_each_shown_form_carries_its_own_token(self):
        response = self.client.get(self.url)
        token = response.context["form"]["token"].value()
        self.assertContains(response, f'name="token" value="{token}"')
        self.assertNotEqual(token, self.form_token())
        self.assertTrue(booking_form_token_reference(token).startswith("T-"))

    def test_sending_the_same_form_twice_books_once_and_shows_the_booking(self):
        token = self.form_token()
        first = self.send(token)
        appointment = Appointment.objects.get()
        confirmation = f"/en/tidsbestilling/min/{appointment.manage_token}/bekraeftelse/"
        self.assertRedirects(first, confirmation, fetch_redirect_response=False)
        self.assertEqual(appointment.reference, booking_form_token_reference(token))
        # The slot has room for two: only the token keeps the second sending from a second seat.
        second = self.send(token, name="Karen J.")
        self.assertRedirects(second, confirmation, fetch_redirect_response=False)
        self.assertEqual(Appointment.objects.count(), 1)
        self.assertEqual(Appointment.objects.get().name, "Karen Jensen")
        self.assertEqual(OutboundEmail.objects.filter(to="karen@example.dk").count(), 1)

    def test_a_resubmission_after_the_slot_filled_still_shows_the_booking(self):
        token = self.form_token()
        self.send(token)
        other = self.send(self.form_token(), email="ole@example.dk")
        self.assertEqual(other.status_code, 302)  # the second seat
        again = self.send(token)
        mine = Appointment.objects.get(email="karen@example.dk")
        self.assertRedirects(
            again,
            f"/en/tidsbestilling/min/{mine.manage_token}/bekraeftelse/",
            fetch_redirect_response=False,
        )
        self.assertEqual(Appointment.objects.count(), 2)

    def test_two_forms_are_two_bookings(self):
        self.send(self.form_token())
        self.send(self.form_token(), email="ole@example.dk")
        self.assertEqual(Appointment.objects.count(), 2)

    def test_a_tampered_missing_or_expired_token_books_nothing_and_gives_a_fresh_one(self):
        with time_machine.travel(timezone.now() - dt.timedelta(seconds=FORM_MAX_AGE + 60)):
            expired = booking_form_token_new()
        for token in (
            "",
            "nonsense",
            signing.dumps({"r": "T-AAAA-AAAA"}, salt=FORM_SALT),
            signing.dumps({"r": reference_generate(REFERENCE_PREFIX)}, salt="another"),
            expired,
        ):
            with self.subTest(token=token):
                response = self.send(token)
                self.assertEqual(response.status_code, 400)
                fresh = response.context["form"]["token"].value()
                self.assertIsNotNone(booking_form_token_reference(fresh))
                self.assertContains(response, "The form was open for too long", status_code=400)
                self.assertContains(response, 'value="Karen Jensen"', status_code=400)
        self.assertFalse(Appointment.objects.exists())
        # With the fresh token the same press books.
        self.assertEqual(self.send(fresh).status_code, 302)
        self.assertEqual(Appointment.objects.count(), 1)

    def test_the_service_raises_already_booked_for_a_used_reference(self):
        reference = reference_generate(REFERENCE_PREFIX)
        values = dict(
            service=self.service,
            service_point=self.point,
            start=self.slots[0].start,
            capacity=2,
            name="Karen",
            email="karen@example.dk",
            reference=reference,
        )
        first = appointment_book(**values)
        with self.assertRaises(AlreadyBooked) as caught:
            appointment_book(**values | {"start": self.slots[1].start})
        self.assertEqual(caught.exception.appointment, first)
        self.assertEqual(Appointment.objects.count(), 1)
