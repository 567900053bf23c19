import datetime as dt

from django.test import TestCase

from indgang.catalogue.tests.factories import KleEntryFactory, ServiceFactory
from indgang.inquiries.lifecycle import ALLOWED, EventKind, InvalidTransition, MessageKind, Status
from indgang.inquiries.models import OutboundEmail
from indgang.inquiries.services import (
    DEFAULT_RETENTION_DAYS,
    inquiry_assign,
    inquiry_citizen_message_add,
    inquiry_hand_over,
    inquiry_note_add,
    inquiry_reply,
    inquiry_set_status,
    retention_days_for,
)

from .factories import InquiryFactory, TeamFactory, UserFactory


class SetStatusTests(TestCase):
    def setUp(self):
        self.clerk = UserFactory()
        self.inquiry = InquiryFactory()

    def test_every_allowed_change_is_recorded_with_who_and_from(self):
        inquiry_set_status(inquiry=self.inquiry, status=Status.IN_PROGRESS, by=self.clerk)
        event = self.inquiry.events.get(kind=EventKind.STATUS)
        self.assertEqual(
            (event.from_value, event.to_value, event.actor), ("received", "in_progress", self.clerk)
        )
        self.assertTrue(event.citizen_visible)

    def test_a_change_the_table_does_not_allow_raises(self):
        inquiry_set_status(inquiry=self.inquiry, status=Status.CLOSED, by=self.clerk)
        with self.assertRaises(InvalidTransition):
            inquiry_set_status(inquiry=self.inquiry, status=Status.AWAITING_CITIZEN)
        self.inquiry.refresh_from_db()
        self.assertEqual(self.inquiry.status, Status.CLOSED)

    def test_the_table_covers_every_status_and_nothing_goes_back_to_received(self):
        self.assertEqual(set(ALLOWED), set(Status.values))
        self.assertFalse(any(Status.RECEIVED in targets for targets in ALLOWED.values()))

    def test_closing_sets_the_deletion_date_and_reopening_clears_it(self):
        inquiry_set_status(inquiry=self.inquiry, status=Status.CLOSED)
        self.assertIsNotNone(self.inquiry.closed_at)
        self.assertEqual(
            self.inquiry.delete_after,
            self.inquiry.closed_at.date() + dt.timedelta(days=DEFAULT_RETENTION_DAYS),
        )
        inquiry_set_status(inquiry=self.inquiry, status=Status.IN_PROGRESS)
        self.inquiry.refresh_from_db()
        self.assertIsNone(self.inquiry.closed_at)
        self.assertIsNone(self.inquiry.delete_after)


class RetentionTests(TestCase):
    def test_the_service_setting_wins_then_kle_then_five_years(self):
        kle = KleEntryFactory(number="27.36.04", retention_deletion="P1825D")
        self.assertEqual(retention_days_for(ServiceFactory(retention_days=30, kle=kle)), 30)
        self.assertEqual(retention_days_for(ServiceFactory(kle=kle)), 1825)
        self.assertEqual(retention_days_for(ServiceFactory()), DEFAULT_RETENTION_DAYS)
        self.assertEqual(retention_days_for(None), DEFAULT_RETENTION_DAYS)


class HandlingTests(TestCase):
    def setUp(self):
        self.clerk = UserFactory()
        self.inquiry = InquiryFactory()

    def test_a_reply_joins_the_thread_goes_to_the_outbox_and_answers(self):
        inquiry_reply(inquiry=self.inquiry, body="Her er svaret.", by=self.clerk)
        self.assertEqual(self.inquiry.status, Status.ANSWERED)
        self.assertTrue(self.inquiry.messages.filter(kind=MessageKind.TO_CITIZEN).exists())
        (email,) = OutboundEmail.objects.all()
        self.assertEqual(email.to, self.inquiry.citizen_email)
        self.assertIn("Her er svaret.", email.body)
        self.assertIn(self.inquiry.reference, email.subject)

    def test_a_question_to_the_citizen_awaits_the_citizen(self):
        inquiry_reply(
            inquiry=self.inquiry,
            body="Hvilken dato?",
            by=self.clerk,
            status=Status.AWAITING_CITIZEN,
        )
        self.assertEqual(self.inquiry.status, Status.AWAITING_CITIZEN)

    def test_the_citizens_answer_puts_it_back_to_work(self):
        inquiry_reply(
            inquiry=self.inquiry,
            body="Hvilken dato?",
            by=self.clerk,
            status=Status.AWAITING_CITIZEN,
        )
        inquiry_citizen_message_add(inquiry=self.inquiry, body="Den 3. maj.")
        self.inquiry.refresh_from_db()
        self.assertEqual(self.inquiry.status, Status.IN_PROGRESS)

    def test_a_citizen_writing_after_close_reopens(self):
        inquiry_set_status(inquiry=self.inquiry, status=Status.CLOSED)
        inquiry_citizen_message_add(inquiry=self.inquiry, body="Jeg har et spørgsmål mere.")
        self.inquiry.refresh_from_db()
        self.assertEqual(self.inquiry.status, Status.IN_PROGRESS)

    def test_an_internal_note_is_never_sent(self):
        inquiry_note_add(inquiry=self.inquiry, body="Ring til borgeren i morgen", by=self.clerk)
        self.assertFalse(OutboundEmail.objects.exists())
        note = self.inquiry.messages.get(kind=MessageKind.INTERNAL_NOTE)
        self.assertFalse(self.inquiry.events.get(kind=EventKind.NOTE).citizen_visible)
        self.assertEqual(note.author, self.clerk)

    def test_handover_records_both_teams_and_clears_the_assignee(self):
        inquiry_assign(inquiry=self.inquiry, assignee=self.clerk, by=self.clerk)
        before = self.inquiry.team.name
        other = TeamFactory(name="Ældre og sundhed")
        inquiry_hand_over(inquiry=self.inquiry, team=other, by=self.clerk, note="Visitation")
        self.inquiry.refresh_from_db()
        self.assertEqual((self.inquiry.team, self.inquiry.assignee), (other, None))
        event = self.inquiry.events.get(kind=EventKind.TEAM)
        self.assertEqual(
            (event.from_value, event.to_value, event.note), (before, other.name, "Visitation")
        )
