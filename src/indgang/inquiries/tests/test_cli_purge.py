import datetime as dt
import logging
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from indgang.inquiries.lifecycle import Status
from indgang.inquiries.models import DeletionLogEntry, Inquiry

from .factories import InquiryFactory


class PurgeCommandTests(TestCase):
    def setUp(self):
        quiet = logging.getLogger("indgang.inquiries.privacy")
        self.addCleanup(quiet.setLevel, quiet.level)
        quiet.setLevel(logging.WARNING)
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        self.expired = InquiryFactory(
            status=Status.CLOSED,
            closed_at=timezone.now() - dt.timedelta(days=400),
            delete_after=yesterday,
        )
        self.kept = InquiryFactory(
            status=Status.CLOSED, closed_at=timezone.now(), delete_after=timezone.localdate()
        )

    def purge(self, *args: str, verbosity: int = 1) -> str:
        stdout = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command("inquiries", "purge", *args, stdout=stdout, verbosity=verbosity)
        return stdout.getvalue()

    def test_a_dry_run_prints_what_would_go_and_changes_nothing(self):
        output = self.purge("--dry-run", verbosity=2)
        self.assertIn("would delete: 1 inquiries", output)
        self.assertIn(self.expired.reference, output)
        self.assertEqual(Inquiry.objects.count(), 2)
        self.assertFalse(DeletionLogEntry.objects.exists())

    def test_it_deletes_and_prints_the_counts(self):
        output = self.purge()
        self.assertIn("deleted: 1 inquiries", output)
        self.assertIn("0 tracking attempts", output)
        self.assertNotIn(self.expired.reference, output)
        self.assertEqual(list(Inquiry.objects.all()), [self.kept])
        self.assertEqual(
            list(DeletionLogEntry.objects.values_list("inquiry_reference", flat=True)),
            [self.expired.reference],
        )
        self.assertIn("deleted: 0 inquiries", self.purge())
