import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings

from indgang.inquiries.models import Inquiry
from indgang.wayfinder.freshness import forget_index

from .factories import TeamFactory
from .mailservers import danish_active, email_bytes, quiet_mail_logs


class IngestEmlCommandTests(TestCase):
    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)
        quiet_mail_logs(self)
        danish_active(self)
        self.directory = Path(tempfile.mkdtemp(prefix="indgang-eml-"))
        self.addCleanup(shutil.rmtree, self.directory, ignore_errors=True)
        media = override_settings(MEDIA_ROOT=str(self.directory / "media"))
        media.enable()
        self.addCleanup(media.disable)
        TeamFactory(slug="borgerservice", is_front_office=True)

    def eml(self, name: str, raw: bytes) -> str:
        path = self.directory / name
        path.write_bytes(raw)
        return str(path)

    def run_command(self, *files: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("inquiries", "ingest-eml", *files, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_prints_one_line_per_file(self):
        first = self.eml("a.eml", email_bytes(message_id="<a@example.dk>"))
        duplicate = self.eml("b.eml", email_bytes(message_id="<a@example.dk>"))
        out, err = self.run_command(first, duplicate)
        inquiry = Inquiry.objects.get()
        self.assertEqual(
            out.splitlines(),
            [f"{first}: {inquiry.reference} new", f"{duplicate}: skipped: allerede modtaget"],
        )
        self.assertEqual(err, "")

    def test_a_reply_is_reported_as_joined(self):
        self.run_command(self.eml("a.eml", email_bytes()))
        reference = Inquiry.objects.get().reference
        out, _err = self.run_command(self.eml("b.eml", email_bytes(subject=f"Re: {reference}")))
        self.assertTrue(out.strip().endswith(f"{reference} joined"))

    def test_auto_replies_say_why_they_were_skipped(self):
        path = self.eml("auto.eml", email_bytes(headers={"Auto-Submitted": "auto-replied"}))
        out, _err = self.run_command(path)
        self.assertIn("skipped: automatisk besked (Auto-Submitted: auto-replied)", out)

    def test_missing_and_bad_files_are_reported_and_the_others_taken_in(self):
        good = self.eml("good.eml", email_bytes())
        empty = self.eml("empty.eml", b"")
        not_mail = self.eml("photo.eml", b"\x89PNG\r\n\x1a\n\x00\x00")
        missing = str(self.directory / "missing.eml")
        out, err = StringIO(), StringIO()
        with self.assertRaises(CommandError) as raised:
            call_command(
                "inquiries", "ingest-eml", empty, missing, not_mail, good, stdout=out, stderr=err
            )
        self.assertIn("3 of 4", str(raised.exception))
        self.assertEqual(Inquiry.objects.count(), 1)
        self.assertIn(f"{good}: H-", out.getvalue())
        errors = err.getvalue()
        for path in (empty, missing, not_mail):
            self.assertIn(f"{path}: error:", errors)
