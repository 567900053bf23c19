"""Contacts recorded from inquiries, tickets and appointments as they happen, and by `sync`."""

import datetime as dt
from io import StringIO

import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

from indgang.catalogue.tests.factories import KleEntryFactory, ServiceFactory
from indgang.inquiries.lifecycle import Channel, SelfServiceObstacle, Status
from indgang.inquiries.services import inquiry_reply, inquiry_set_status, inquiry_submit
from indgang.inquiries.tests.factories import TeamFactory, UserFactory
from indgang.insight.models import Contact, ContactChannel, ContactOutcome, ContactSource
from indgang.insight.services import contact_record_from_ticket
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.booking import appointment_set_status
from indgang.visits.desk_services import appointment_check_in, ticket_complete, ticket_no_show
from indgang.visits.lifecycle import AppointmentStatus, DeskKind, TicketStatus
from indgang.visits.services import ticket_issue, ticket_set_status
from indgang.visits.tests.desk_personas import appointment_make
from indgang.visits.tests.factories import DeskFactory, QueueFactory
from indgang.wayfinder.freshness import forget_index

# Tuesday 3 March 2026, 10:00 in Copenhagen (09:00 UTC).
START = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)
CITIZEN = {
    "name": "Karen Jensen",
    "email": "karen.jensen@example.dk",
    "phone": "+45 20 30 40 50",
    "cpr": "0102031234",
}


class ContactSyncBase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.clerk = UserFactory(username="clerk")
        TeamFactory(slug="borgerservice", is_front_office=True)
        cls.point = ServicePointFactory(slug="raadhuset")
        cls.passport = ServiceFactory(
            slug="pas", kle=KleEntryFactory(number="23.09.02"), processing_days=5
        )
        cls.queue = QueueFactory(service_point=cls.point, code="A")
        cls.queue.services.set([cls.passport])
        cls.counter = DeskFactory(service_point=cls.point, name="Skranke 1")
        cls.station = DeskFactory(
            service_point=cls.point, name="Medbetjening", kind=DeskKind.STATION
        )

    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)
        self.clock = time_machine.travel(START, tick=False)
        self.traveller = self.clock.start()
        self.addCleanup(self.clock.stop)

    def after(self, minutes: float) -> None:
        self.traveller.shift(dt.timedelta(minutes=minutes))

    def serve(self, ticket, *, desk, wait=5, talk=10, **registration):
        """Call after `wait` minutes, start a minute later, finish after `talk` more minutes."""
        self.after(wait)
        ticket_set_status(ticket=ticket, status=TicketStatus.CALLED, by=self.clerk, desk=desk)
        self.after(1)
        ticket_set_status(ticket=ticket, status=TicketStatus.SERVING, by=self.clerk, desk=desk)
        self.after(talk)
        values = {
            "resolved_on_first_contact": True,
            "self_service_possible": False,
            "self_service_obstacle": SelfServiceObstacle.NO_MITID,
        }
        ticket_complete(
            ticket=ticket, by=self.clerk, service=self.passport, **values | registration
        )


class TicketContactTests(ContactSyncBase):
    def test_a_served_walk_in_is_a_counter_contact_with_its_times_and_registration(self):
        with self.captureOnCommitCallbacks(execute=True):
            ticket = ticket_issue(queue=self.queue, service=self.passport)
        with self.captureOnCommitCallbacks(execute=True):
            self.serve(ticket, desk=self.counter, wait=5, talk=10)
        contact = Contact.objects.get()
        self.assertEqual(contact.channel, ContactChannel.COUNTER)
        self.assertEqual(contact.outcome, ContactOutcome.SERVED)
        self.assertEqual(
            (contact.source, contact.source_key), (ContactSource.TICKET, str(ticket.pk))
        )
        self.assertEqual(contact.arrived_at, START)
        self.assertEqual(contact.started_at, START + 6 * MINUTE)
        self.assertEqual(contact.ended_at, START + 16 * MINUTE)
        self.assertEqual(contact.wait_seconds, 6 * 60)  # until service started
        self.assertEqual(contact.handle_seconds, 10 * 60)
        self.assertEqual(contact.service, self.passport)
        self.assertEqual(contact.kle_number, "23.09.02")
        self.assertEqual(contact.service_point, self.point)
        self.assertEqual(contact.queue_code, "A")
        self.assertTrue(contact.resolved_on_first_contact)
        self.assertFalse(contact.self_service_possible)
        self.assertEqual(contact.self_service_obstacle, SelfServiceObstacle.NO_MITID)

    def test_a_ticket_served_at_a_station_is_assisted_self_service(self):
        ticket = ticket_issue(queue=self.queue)
        with self.captureOnCommitCallbacks(execute=True):
            self.serve(ticket, desk=self.station, self_service_possible=True)
        contact = Contact.objects.get()
        self.assertEqual(contact.channel, ContactChannel.ASSISTED)
        self.assertTrue(contact.self_service_possible)
        self.assertEqual(contact.self_service_obstacle, "")

    def test_a_no_show_waited_until_called_and_has_no_handling(self):
        ticket = ticket_issue(queue=self.queue)
        self.after(7)
        ticket_set_status(ticket=ticket, status=TicketStatus.CALLED, desk=self.counter)
        self.after(3)
        with self.captureOnCommitCallbacks(execute=True):
            ticket_no_show(ticket=ticket, by=self.clerk, desk=self.counter)
        contact = Contact.objects.get()
        self.assertEqual(contact.outcome, ContactOutcome.NO_SHOW)
        self.assertEqual(contact.wait_seconds, 7 * 60)
        self.assertIsNone(contact.started_at)
        self.assertIsNone(contact.handle_seconds)
        self.assertEqual(contact.ended_at, START + 10 * MINUTE)

    def test_a_cancelled_ticket_is_a_citizen_who_gave_up_waiting(self):
        ticket = ticket_issue(queue=self.queue)
        self.after(12)
        with self.captureOnCommitCallbacks(execute=True):
            ticket_set_status(ticket=ticket, status=TicketStatus.CANCELLED)
        contact = Contact.objects.get()
        self.assertEqual(contact.outcome, ContactOutcome.ABANDONED)
        self.assertEqual(contact.wait_seconds, 12 * 60)

    def test_an_open_ticket_is_no_contact_yet(self):
        with self.captureOnCommitCallbacks(execute=True):
            ticket = ticket_issue(queue=self.queue)
            ticket_set_status(ticket=ticket, status=TicketStatus.CALLED, desk=self.counter)
        self.assertFalse(Contact.objects.exists())
        self.assertIsNone(contact_record_from_ticket(ticket=ticket))

    def test_nothing_is_recorded_when_the_change_is_rolled_back(self):
        ticket = ticket_issue(queue=self.queue)
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    ticket_set_status(ticket=ticket, status=TicketStatus.CANCELLED)
                    raise RuntimeError("the request failed")
            except RuntimeError:
                pass
        self.assertFalse(Contact.objects.exists())


class AppointmentContactTests(ContactSyncBase):
    def test_a_checked_in_appointment_is_one_appointment_contact_with_real_times(self):
        appointment = appointment_make(
            service=self.passport, point=self.point, start=START + 10 * MINUTE
        )
        with self.captureOnCommitCallbacks(execute=True):
            ticket = appointment_check_in(appointment=appointment)
        with self.captureOnCommitCallbacks(execute=True):
            self.serve(ticket, desk=self.counter, wait=10, talk=15)
        appointment.refresh_from_db()
        self.assertEqual(appointment.status, AppointmentStatus.DONE)
        contact = Contact.objects.get()  # the ticket and the appointment: counted once
        self.assertEqual(contact.channel, ContactChannel.APPOINTMENT)
        self.assertEqual(contact.source, ContactSource.TICKET)
        self.assertEqual(contact.outcome, ContactOutcome.SERVED)
        self.assertEqual(contact.arrived_at, START)
        self.assertEqual(contact.wait_seconds, 11 * 60)
        self.assertEqual(contact.handle_seconds, 15 * 60)

    def test_an_appointment_nobody_came_to_is_a_no_show_at_its_time(self):
        start = START + 30 * MINUTE
        appointment = appointment_make(service=self.passport, point=self.point, start=start)
        with self.captureOnCommitCallbacks(execute=True):
            appointment_set_status(appointment=appointment, status=AppointmentStatus.NO_SHOW)
        contact = Contact.objects.get()
        self.assertEqual(contact.channel, ContactChannel.APPOINTMENT)
        self.assertEqual(contact.source, ContactSource.APPOINTMENT)
        self.assertEqual(contact.outcome, ContactOutcome.NO_SHOW)
        self.assertEqual(contact.arrived_at, start)
        self.assertEqual(contact.service_point, self.point)
        self.assertIsNone(contact.wait_seconds)

    def test_a_cancelled_booking_is_no_contact(self):
        appointment = appointment_make(service=self.passport, point=self.point)
        with self.captureOnCommitCallbacks(execute=True):
            appointment_set_status(appointment=appointment, status=AppointmentStatus.CANCELLED)
        self.assertFalse(Contact.objects.exists())


@override_settings(MEDIA_ROOT="/tmp/indgang-test-media")
class InquiryContactTests(ContactSyncBase):
    def submit(self, **fields):
        values = {
            "channel": Channel.WEB,
            "subject": "Nyt pas",
            "description": "Mit pas er udløbet, hvad gør jeg?",
            "service": self.passport,
            **CITIZEN,
        }
        return inquiry_submit(**(values | fields))

    def test_a_web_inquiry_is_an_open_web_contact_until_answered(self):
        with self.captureOnCommitCallbacks(execute=True):
            inquiry = self.submit()
        contact = Contact.objects.get()
        self.assertEqual(contact.channel, ContactChannel.WEB)
        self.assertEqual(contact.outcome, ContactOutcome.OPEN)
        self.assertEqual(
            (contact.source, contact.source_key), (ContactSource.INQUIRY, str(inquiry.pk))
        )
        self.assertEqual(contact.arrived_at, START)
        self.assertEqual(contact.kle_number, "23.09.02")
        self.assertIsNone(contact.ended_at)
        self.assertIsNone(contact.deadline_met)
        self.assertIsNone(contact.wait_seconds)

    def test_the_answer_ends_it_and_decides_the_deadline_closing_changes_neither(self):
        inquiry = self.submit()
        self.after(60 * 24)  # a day later: within the five promised working days
        with self.captureOnCommitCallbacks(execute=True):
            inquiry_reply(inquiry=inquiry, body="Du bestiller tid på fjordby.dk.", by=self.clerk)
        answered_at = START + dt.timedelta(days=1)
        self.after(60 * 24 * 20)  # closed three weeks later, after the promised date
        with self.captureOnCommitCallbacks(execute=True):
            inquiry_set_status(inquiry=inquiry, status=Status.CLOSED, by=self.clerk)
        contact = Contact.objects.get()
        self.assertEqual(contact.outcome, ContactOutcome.SERVED)
        self.assertEqual(contact.ended_at, answered_at)
        self.assertTrue(contact.deadline_met)

    def test_an_answer_after_the_promised_date_misses_the_deadline(self):
        inquiry = self.submit()
        self.assertEqual(inquiry.due_on, dt.date(2026, 3, 10))
        self.after(60 * 24 * 8)  # Wednesday 11 March
        with self.captureOnCommitCallbacks(execute=True):
            inquiry_set_status(inquiry=inquiry, status=Status.ANSWERED, by=self.clerk)
        self.assertFalse(Contact.objects.get().deadline_met)

    def test_a_phone_contact_resolved_at_once_is_served_with_its_registration(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.submit(
                channel=Channel.PHONE,
                registered_by=self.clerk,
                resolved_on_first_contact=True,
                self_service_possible=True,
            )
        contact = Contact.objects.get()
        self.assertEqual(contact.channel, ContactChannel.PHONE)
        self.assertEqual(contact.outcome, ContactOutcome.SERVED)
        self.assertTrue(contact.resolved_on_first_contact)
        self.assertTrue(contact.self_service_possible)
        self.assertTrue(contact.deadline_met)

    def test_every_inquiry_channel_has_its_contact_channel(self):
        for channel in Channel:
            with self.subTest(channel=channel), self.captureOnCommitCallbacks(execute=True):
                inquiry = self.submit(channel=channel, send_receipt=False)
            contact = Contact.objects.get(source=ContactSource.INQUIRY, source_key=str(inquiry.pk))
            self.assertEqual(contact.channel, ContactChannel(channel.value))

    def test_no_personal_data_reaches_the_contact(self):
        with self.captureOnCommitCallbacks(execute=True):
            inquiry = self.submit()
            inquiry_reply(inquiry=inquiry, body="Svar til Karen Jensen", by=self.clerk)
        appointment = appointment_make(service=self.passport, point=self.point)
        with self.captureOnCommitCallbacks(execute=True):
            appointment_set_status(appointment=appointment, status=AppointmentStatus.NO_SHOW)
        secrets = [*CITIZEN.values(), "Karen", "udløbet", inquiry.reference, appointment.reference]
        self.assertEqual(Contact.objects.count(), 2)
        for contact in Contact.objects.all():
            for field in Contact._meta.concrete_fields:
                value = str(getattr(contact, field.attname))
                for secret in secrets:
                    self.assertNotIn(secret, value, f"{field.name} holds personal data")


class SyncCommandTests(ContactSyncBase):
    def make_history(self):
        """Without running the on-commit hooks, as for data from before the insight app."""
        walk_in = ticket_issue(queue=self.queue, service=self.passport)
        self.serve(walk_in, desk=self.counter)
        ticket_set_status(ticket=ticket_issue(queue=self.queue), status=TicketStatus.CANCELLED)
        ticket_issue(queue=self.queue)  # still waiting: not a contact
        missed = appointment_make(service=self.passport, point=self.point)
        appointment_set_status(appointment=missed, status=AppointmentStatus.NO_SHOW)
        later = START + dt.timedelta(hours=2)
        appointment_make(service=self.passport, point=self.point, start=later)  # booked: not yet
        inquiry = inquiry_submit(
            channel=Channel.EMAIL, description="Hej", suggest_service=False, **CITIZEN
        )
        inquiry_set_status(inquiry=inquiry, status=Status.ANSWERED, by=self.clerk)
        inquiry_submit(channel=Channel.LETTER, description="Brev", suggest_service=False)

    def rows(self):
        fields = [f.attname for f in Contact._meta.concrete_fields if f.name != "created_at"]
        return sorted(Contact.objects.values_list(*fields))

    def test_sync_records_what_exists_and_running_it_again_changes_nothing(self):
        self.make_history()
        self.assertFalse(Contact.objects.exists())
        out = StringIO()
        call_command("insight", "sync", stdout=out, stderr=StringIO())
        self.assertIn("Registrerede 5 kontakter", out.getvalue())
        kinds = {(c.source, c.channel, c.outcome) for c in Contact.objects.all()}
        self.assertEqual(
            kinds,
            {
                (ContactSource.TICKET, ContactChannel.COUNTER, ContactOutcome.SERVED),
                (ContactSource.TICKET, ContactChannel.COUNTER, ContactOutcome.ABANDONED),
                (ContactSource.APPOINTMENT, ContactChannel.APPOINTMENT, ContactOutcome.NO_SHOW),
                (ContactSource.INQUIRY, ContactChannel.EMAIL, ContactOutcome.SERVED),
                (ContactSource.INQUIRY, ContactChannel.LETTER, ContactOutcome.OPEN),
            },
        )
        first = self.rows()
        call_command("insight", "sync", stdout=StringIO(), stderr=StringIO())
        self.assertEqual(self.rows(), first)

    def test_sync_brings_a_stale_row_up_to_date(self):
        ticket = ticket_issue(queue=self.queue, service=self.passport)
        with self.captureOnCommitCallbacks(execute=True):
            self.serve(ticket, desk=self.counter)
        Contact.objects.update(wait_seconds=1, channel=ContactChannel.CHAT)
        call_command("insight", "sync", stdout=StringIO(), stderr=StringIO())
        contact = Contact.objects.get()
        self.assertEqual(contact.channel, ContactChannel.COUNTER)
        self.assertEqual(contact.wait_seconds, 6 * 60)
