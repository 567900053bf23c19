"""Cancelling a booking tells the citizen: e-mail through the outbox, SMS when a mobile was given."""

import json
import tempfile
from pathlib import Path

from django.test import TestCase, override_settings

from indgang.inquiries.models import OutboundEmail
from indgang.visits.booking import appointment_book
from indgang.visits.booking_manage import appointment_cancel
from indgang.visits.lifecycle import AppointmentStatus
from indgang.visits.models import Appointment
from indgang.visits.slots import free_slots_for

from .booking_setup import bookable
from .test_booking_views import first_day_with_slots


class CancelNoticeTests(TestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.sms_log = Path(folder.name) / "sms.log"
        settings = override_settings(SMS_BACKEND="file", SMS_FILE_PATH=str(self.sms_log))
        settings.enable()
        self.addCleanup(settings.disable)
        self.service, self.point = bookable(slug="pas", point_slug="raadhuset")
        day = first_day_with_slots(self.service, self.point)
        self.slots = free_slots_for(service=self.service, service_point=self.point, day=day)

    def booked(self, *, slot=None, **contact) -> Appointment:
        slot = slot or self.slots[0]
        appointment = appointment_book(
            service=self.service,
            service_point=self.point,
            start=slot.start,
            capacity=slot.capacity,
            name="Karen Jensen",
            **({"email": "karen@example.dk", "phone": "+4520304050"} | contact),
        )
        return Appointment.objects.select_related("service", "service_point").get(pk=appointment.pk)

    def texts(self) -> list[dict]:
        if not self.sms_log.exists():
            return []
        return [json.loads(line) for line in self.sms_log.read_text().splitlines()]

    def cancel_on_the_page(self, appointment: Appointment):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"/tidsbestilling/min/{appointment.manage_token}/aflys/")

    def test_cancelling_on_the_page_sends_an_email_and_a_text_message(self):
        appointment = self.booked()
        self.cancel_on_the_page(appointment)
        email = OutboundEmail.objects.get(to="karen@example.dk")
        self.assertIn(appointment.reference, email.subject)
        self.assertIn(appointment.reference, email.body)
        self.assertIn("/tidsbestilling/?ydelse=pas&sted=raadhuset", email.body)
        self.assertNotIn(appointment.manage_token, email.body)  # nothing left to change
        self.assertNotIn("kalender.ics", email.body)
        [text] = self.texts()
        self.assertEqual(text["to"], "+4520304050")
        self.assertIn(appointment.reference, text["text"])
        self.assertIn("/tidsbestilling/?ydelse=pas&sted=raadhuset", text["text"])

    def test_the_notice_goes_only_where_the_citizen_gave_contact_details(self):
        by_email = self.booked(phone="")
        by_phone = self.booked(slot=self.slots[1], email="")
        self.cancel_on_the_page(by_email)
        self.cancel_on_the_page(by_phone)
        self.assertEqual(OutboundEmail.objects.count(), 1)
        self.assertEqual([t["text"].count(by_phone.reference) for t in self.texts()], [1])

    def test_the_notice_is_in_the_language_of_the_booking(self):
        appointment = self.booked(phone="")
        Appointment.objects.filter(pk=appointment.pk).update(language="en")
        appointment.refresh_from_db()
        self.cancel_on_the_page(appointment)
        email = OutboundEmail.objects.get()
        self.assertTrue(email.subject.startswith("Cancelled: your appointment"))
        self.assertIn("/en/tidsbestilling/", email.body)

    def test_cancelling_twice_sends_one_notice(self):
        appointment = self.booked()
        self.cancel_on_the_page(appointment)
        self.cancel_on_the_page(appointment)
        self.assertEqual(OutboundEmail.objects.count(), 1)
        self.assertEqual(len(self.texts()), 1)

    def test_moving_sends_the_new_confirmation_and_no_cancel_notice(self):
        appointment = self.booked()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                f"/tidsbestilling/min/{appointment.manage_token}/flyt/",
                {"start": self.slots[1].key},
            )
        appointment.refresh_from_db()
        self.assertEqual(appointment.status, AppointmentStatus.CANCELLED)
        new = Appointment.objects.exclude(pk=appointment.pk).get()
        [email] = OutboundEmail.objects.all()
        self.assertIn(new.reference, email.subject)
        self.assertEqual([new.reference in t["text"] for t in self.texts()], [True])

    def test_the_service_can_cancel_without_telling(self):
        appointment = self.booked()
        with self.captureOnCommitCallbacks(execute=True):
            appointment_cancel(appointment=appointment, note="test", notify=False)
        self.assertFalse(OutboundEmail.objects.exists())
        self.assertEqual(self.texts(), [])
