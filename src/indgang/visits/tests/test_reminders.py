import datetime as dt
import io

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from indgang.inquiries.models import OutboundEmail
from indgang.visits.booking import appointment_book, appointment_set_status
from indgang.visits.lifecycle import AppointmentStatus
from indgang.visits.models import Appointment
from indgang.visits.reminders import appointment_reminders_send

from .booking_setup import bookable


@override_settings(SMS_BACKEND="file")
class ReminderTests(TestCase):
    def setUp(self):
        self.service, self.point = bookable()
        self.now = timezone.now().replace(microsecond=0)

    def book(self, hours: float, **extra):
        values = dict(
            service=self.service,
            service_point=self.point,
            start=self.now + dt.timedelta(hours=hours),
            capacity=5,
            name="Karen",
            email="karen@example.dk",
        )
        return appointment_book(**(values | extra))

    def test_one_reminder_per_appointment_within_24_hours(self):
        soon, later, past = self.book(3), self.book(30), self.book(-1)
        outcome = appointment_reminders_send(now=self.now)
        self.assertEqual(outcome.sent, 1)
        soon.refresh_from_db(), later.refresh_from_db(), past.refresh_from_db()
        self.assertEqual(soon.reminded_at, self.now)
        self.assertIsNone(later.reminded_at)
        self.assertIsNone(past.reminded_at)
        email = OutboundEmail.objects.get(to="karen@example.dk")
        self.assertIn(soon.reference, email.body)
        self.assertIn("/tidsbestilling/min/", email.body)

    def test_a_second_run_reminds_nobody_again(self):
        self.book(3)
        appointment_reminders_send(now=self.now)
        again = appointment_reminders_send(now=self.now + dt.timedelta(minutes=1))
        self.assertEqual(again.sent, 0)
        self.assertTrue(again.idle)
        self.assertEqual(OutboundEmail.objects.count(), 1)

    def test_a_claimed_appointment_is_skipped(self):
        appointment = self.book(3)
        # Another worker claimed it between our listing and our claim: the UPDATE finds nothing.
        Appointment.objects.filter(pk=appointment.pk).update(reminded_at=self.now)
        self.assertEqual(appointment_reminders_send(now=self.now).sent, 0)
        self.assertFalse(OutboundEmail.objects.exists())

    def test_cancelled_appointments_are_not_reminded(self):
        appointment = self.book(3)
        appointment_set_status(appointment=appointment, status=AppointmentStatus.CANCELLED)
        self.assertEqual(appointment_reminders_send(now=self.now).sent, 0)

    def test_sms_only_bookings_get_a_text_message(self):
        import json
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "sms.log"
            with override_settings(SMS_FILE_PATH=str(path)):
                appointment = self.book(3, email="", phone="+4520304050")
                with self.captureOnCommitCallbacks(execute=True):
                    appointment_reminders_send(now=self.now)
            lines = [json.loads(line) for line in path.read_text().splitlines()]
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0]["to"], "+4520304050")
        self.assertIn(appointment.reference, lines[0]["text"])
        self.assertFalse(OutboundEmail.objects.exists())

    def test_the_command_sends_reminders(self):
        self.book(3)
        out = io.StringIO()
        call_command("visits", "send-reminders", stdout=out)
        self.assertIn("1 appointment reminders sent", out.getvalue())
        out = io.StringIO()
        call_command("visits", "send-reminders", stdout=out)
        self.assertIn("No reminders due", out.getvalue())

    def test_the_work_loop_sends_reminders(self):
        from indgang.inquiries.management.commands.inquiries import Command

        self.book(3)
        call_command(Command(), "work", "--once", stdout=io.StringIO(), stderr=io.StringIO())
        self.assertIsNotNone(Appointment.objects.get().reminded_at)
