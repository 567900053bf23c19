import json
import logging
import os
import stat
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase

from .factories import InquiryFactory


class ExportCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.mine = InquiryFactory(citizen_email="karen@example.dk", citizen_cpr="0101901234")
        cls.other = InquiryFactory(citizen_email="ole@example.dk", citizen_cpr="0202805678")

    def setUp(self):
        quiet = logging.getLogger("indgang.inquiries.privacy")
        self.addCleanup(quiet.setLevel, quiet.level)
        quiet.setLevel(logging.WARNING)

    def export(self, *args: str) -> tuple[str, str]:
        stdout, stderr = StringIO(), StringIO()
        call_command("inquiries", "export", *args, stdout=stdout, stderr=stderr)
        return stdout.getvalue(), stderr.getvalue()

    def test_by_email_to_standard_output(self):
        stdout, _stderr = self.export("--email", "KAREN@example.dk")
        data = json.loads(stdout)
        self.assertEqual([i["reference"] for i in data["inquiries"]], [self.mine.reference])

    def test_by_cpr_with_the_dash(self):
        stdout, _stderr = self.export("--cpr", "010190-1234")
        self.assertEqual(json.loads(stdout)["inquiries"][0]["reference"], self.mine.reference)

    def test_the_cpr_number_can_come_from_standard_input(self):
        with mock.patch("sys.stdin", StringIO("0202805678\n")):
            stdout, _stderr = self.export("--cpr", "-")
        self.assertEqual(json.loads(stdout)["inquiries"][0]["reference"], self.other.reference)

    def test_to_a_file_only_its_owner_can_read_and_no_cpr_on_the_console(self):
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "indsigt.json"
            stdout, stderr = self.export("--cpr", "0101901234", "--output", str(path))
            data = json.loads(path.read_text(encoding="utf-8"))
            mode = stat.S_IMODE(os.stat(path).st_mode)
        self.assertEqual(data["inquiries"][0]["reference"], self.mine.reference)
        self.assertEqual(mode, 0o600)
        self.assertEqual(stdout, "")
        self.assertIn("1 inquiries", stderr)
        self.assertNotIn("0101901234", stderr)

    def test_exactly_one_of_email_and_cpr(self):
        with self.assertRaises(CommandError):
            self.export()
        with self.assertRaises(CommandError):
            self.export("--email", "a@example.dk", "--cpr", "0101901234")

    def test_a_malformed_cpr_is_a_clear_error(self):
        with self.assertRaises(CommandError):
            self.export("--cpr", "12345")
