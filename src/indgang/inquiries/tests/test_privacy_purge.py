import datetime as dt
import logging
import shutil
import tempfile
import threading
import unittest
from pathlib import Path

from django.db import connection, connections
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from indgang.catalogue.tests.factories import KleEntryFactory, ServiceFactory
from indgang.inquiries.attachments import IncomingFile
from indgang.inquiries.lifecycle import Channel, Status
from indgang.inquiries.models import (
    AccessLogEntry,
    Attachment,
    DeletionLogEntry,
    Inquiry,
    InquiryEvent,
    InquiryMessage,
    OutboundEmail,
    TrackingAttempt,
    TrackingCode,
)
from indgang.inquiries.privacy import inquiries_purge_expired
from indgang.inquiries.services import inquiry_note_add, inquiry_set_status, inquiry_submit
from indgang.wayfinder.freshness import forget_index

from .factories import InquiryFactory, TeamFactory, UserFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TODAY = dt.date(2030, 6, 1)
NAME, EMAIL, PHONE, CPR = "Birthe Sørensen", "birthe@example.dk", "20304050", "0101901234"
DESCRIPTION = "Jeg bor på Strandvejen 7 og min søn har brug for hjælp til hjemmehjælp"


class MediaRootMixin:
    def setUp(self):
        super().setUp()
        forget_index()
        self.addCleanup(forget_index)
        quiet = logging.getLogger("indgang.inquiries.privacy")
        self.addCleanup(quiet.setLevel, quiet.level)
        quiet.setLevel(logging.WARNING)
        self.media = tempfile.mkdtemp(prefix="indgang-purge-media-")
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        media = override_settings(MEDIA_ROOT=self.media)
        media.enable()
        self.addCleanup(media.disable)

    def closed_inquiry(self, *, delete_after: dt.date, service=None, files=()) -> Inquiry:
        inquiry = inquiry_submit(
            channel=Channel.WEB,
            description=DESCRIPTION,
            service=service,
            name=NAME,
            email=EMAIL,
            phone=PHONE,
            cpr=CPR,
            files=files,
            suggest_service=False,
        )
        inquiry_note_add(inquiry=inquiry, body=f"Ringede til {NAME} på {PHONE}", by=UserFactory())
        TrackingCode.objects.create(
            inquiry=inquiry, code_hash="x" * 64, expires_at=timezone.now() + dt.timedelta(hours=1)
        )
        inquiry_set_status(inquiry=inquiry, status=Status.CLOSED)
        Inquiry.objects.filter(pk=inquiry.pk).update(delete_after=delete_after)
        inquiry.refresh_from_db()
        return inquiry


class PurgeTests(MediaRootMixin, TestCase):
    def setUp(self):
        super().setUp()
        TeamFactory(slug="borgerservice", is_front_office=True)
        kle = KleEntryFactory(number="27.36.04", retention_deletion="P1825D")
        self.service = ServiceFactory(slug="hjemmehjaelp", kle=kle)
        self.expired = self.closed_inquiry(
            delete_after=TODAY - dt.timedelta(days=1),
            service=self.service,
            files=[IncomingFile("cpr-0101901234.pdf", PDF), IncomingFile("foto.png", PNG)],
        )
        self.due_today = self.closed_inquiry(delete_after=TODAY)
        self.files = [Path(a.file.path) for a in self.expired.attachments.all()]

    def purge(self, **kwargs):
        with self.captureOnCommitCallbacks(execute=True):
            return inquiries_purge_expired(today=TODAY, **kwargs)

    def test_an_expired_inquiry_goes_with_everything_it_holds(self):
        pk = self.expired.pk
        report = self.purge()
        self.assertEqual(report.inquiries, 1)
        self.assertEqual(report.references, [self.expired.reference])
        self.assertFalse(Inquiry.objects.filter(pk=pk).exists())
        for model in (InquiryMessage, InquiryEvent, Attachment, TrackingCode, OutboundEmail):
            with self.subTest(model=model.__name__):
                self.assertFalse(model.objects.filter(inquiry_id=pk).exists())
        self.assertEqual(report.attachments, 2)
        self.assertEqual(report.messages, 2)  # the citizen's message and the internal note
        self.assertEqual(report.tracking_codes, 1)
        self.assertEqual(report.outbound_emails, 1)  # the receipt
        self.assertGreaterEqual(report.events, 3)

    def test_an_inquiry_not_yet_expired_stays(self):
        self.purge()
        self.assertTrue(Inquiry.objects.filter(pk=self.due_today.pk).exists())
        self.assertEqual(self.due_today.messages.count(), 2)

    def test_an_open_inquiry_is_never_deleted_even_with_a_past_date(self):
        inquiry_set_status(inquiry=self.expired, status=Status.IN_PROGRESS)
        Inquiry.objects.filter(pk=self.expired.pk).update(delete_after=dt.date(2000, 1, 1))
        self.assertEqual(self.purge().inquiries, 0)
        self.assertTrue(Inquiry.objects.filter(pk=self.expired.pk).exists())

    def test_files_leave_the_disk_only_after_the_deletion_commits(self):
        self.assertTrue(all(path.exists() for path in self.files))
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            inquiries_purge_expired(today=TODAY)
        self.assertTrue(all(path.exists() for path in self.files))
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()
        self.assertFalse(any(path.exists() for path in self.files))

    def test_a_file_another_attachment_still_uses_is_kept(self):
        kept = self.due_today
        shared = self.expired.attachments.first()
        Attachment.objects.create(
            inquiry=kept,
            file=shared.file.name,
            filename="kopi.pdf",
            content_type=shared.content_type,
            size=shared.size,
            sha256=shared.sha256,
        )
        self.purge()
        self.assertTrue(Path(shared.file.path).exists())

    def test_the_deletion_log_says_what_when_and_why_without_personal_data(self):
        closed_on = timezone.localdate(self.expired.closed_at)
        Inquiry.objects.filter(pk=self.expired.pk).update(
            delete_after=closed_on + dt.timedelta(days=1825)
        )
        with self.captureOnCommitCallbacks(execute=True):
            inquiries_purge_expired(today=closed_on + dt.timedelta(days=1826))
        entry = DeletionLogEntry.objects.get(inquiry_reference=self.expired.reference)
        self.assertEqual(entry.service_slug, "hjemmehjaelp")
        self.assertEqual(entry.closed_on, closed_on)
        self.assertEqual(entry.reason, "retention: 1825 days after close (KLE 27.36.04)")
        logged = " ".join(
            str(value)
            for row in DeletionLogEntry.objects.values()
            for value in row.values()
            if value is not None
        )
        for personal in (NAME, EMAIL, PHONE, CPR, "010190-1234", DESCRIPTION, "Strandvejen"):
            with self.subTest(personal=personal):
                self.assertNotIn(personal, logged)

    def test_the_reason_names_the_services_own_period_or_the_default(self):
        own = ServiceFactory(slug="pas", retention_days=365)
        mine = self.closed_inquiry(delete_after=TODAY, service=own)
        closed_on = timezone.localdate(mine.closed_at)
        Inquiry.objects.filter(pk=mine.pk).update(delete_after=closed_on + dt.timedelta(days=365))
        Inquiry.objects.filter(pk=self.due_today.pk).update(
            delete_after=closed_on + dt.timedelta(days=1825)
        )
        with self.captureOnCommitCallbacks(execute=True):
            inquiries_purge_expired(today=closed_on + dt.timedelta(days=4000))
        reasons = dict(DeletionLogEntry.objects.values_list("inquiry_reference", "reason"))
        self.assertEqual(reasons[mine.reference], "retention: 365 days after close (service pas)")
        self.assertEqual(
            reasons[self.due_today.reference], "retention: 1825 days after close (default)"
        )

    def test_a_dry_run_counts_and_changes_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            report = inquiries_purge_expired(today=TODAY, dry_run=True)
        self.assertTrue(report.dry_run)
        self.assertEqual((report.inquiries, report.attachments), (1, 2))
        self.assertEqual(report.references, [self.expired.reference])
        self.assertTrue(Inquiry.objects.filter(pk=self.expired.pk).exists())
        self.assertFalse(DeletionLogEntry.objects.exists())
        self.assertTrue(all(path.exists() for path in self.files))

    def test_running_again_deletes_and_logs_nothing_more(self):
        first = self.purge()
        second = self.purge()
        self.assertEqual((first.inquiries, second.inquiries), (1, 0))
        self.assertEqual(DeletionLogEntry.objects.count(), 1)

    def test_a_row_another_run_already_deleted_is_skipped_without_a_log_line(self):
        from indgang.inquiries.privacy import PurgeReport, _purge_one

        pk = self.expired.pk
        self.purge()
        report = PurgeReport()
        _purge_one(pk, TODAY, report)  # as if listed before the other run deleted it
        self.assertEqual(report.inquiries, 0)
        self.assertEqual(DeletionLogEntry.objects.count(), 1)

    def test_the_access_log_outlives_the_inquiry(self):
        AccessLogEntry.objects.create(
            user=UserFactory(), inquiry_reference=self.expired.reference, action="view"
        )
        self.purge()
        self.assertTrue(
            AccessLogEntry.objects.filter(inquiry_reference=self.expired.reference).exists()
        )

    def test_tracking_lookups_older_than_a_day_go(self):
        old = TrackingAttempt.objects.create(client="a" * 64)
        recent = TrackingAttempt.objects.create(client="b" * 64)
        TrackingAttempt.objects.filter(pk=old.pk).update(
            at=timezone.now() - dt.timedelta(days=1, minutes=1)
        )
        report = self.purge()
        self.assertEqual(report.tracking_attempts, 1)
        self.assertEqual(list(TrackingAttempt.objects.values_list("pk", flat=True)), [recent.pk])

    def test_today_defaults_to_the_local_date(self):
        Inquiry.objects.filter(pk=self.due_today.pk).update(
            delete_after=timezone.localdate() - dt.timedelta(days=1)
        )
        Inquiry.objects.filter(pk=self.expired.pk).update(delete_after=timezone.localdate())
        with self.captureOnCommitCallbacks(execute=True):
            report = inquiries_purge_expired()
        self.assertEqual(report.references, [self.due_today.reference])


@unittest.skipUnless(connection.vendor == "postgresql", "row locks need PostgreSQL")
class ConcurrentPurgeTests(MediaRootMixin, TransactionTestCase):
    def test_two_runs_at_once_delete_and_log_each_inquiry_once(self):
        TeamFactory(slug="borgerservice", is_front_office=True)
        inquiries = [
            InquiryFactory(status=Status.CLOSED, closed_at=timezone.now(), delete_after=TODAY)
            for _ in range(40)
        ]
        reports, errors = [], []
        start = threading.Barrier(2)

        def run():
            try:
                start.wait()
                reports.append(inquiries_purge_expired(today=TODAY + dt.timedelta(days=1)))
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(errors, [])
        self.assertEqual(sum(report.inquiries for report in reports), len(inquiries))
        self.assertFalse(Inquiry.objects.exists())
        self.assertEqual(DeletionLogEntry.objects.count(), len(inquiries))
