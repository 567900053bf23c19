from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TransactionTestCase, override_settings

from indgang.inquiries.mail.imap import KEYWORD
from indgang.inquiries.models import Inquiry
from indgang.wayfinder.freshness import forget_index

from .factories import TeamFactory
from .mailservers import Dovecot, danish_active, email_bytes, quiet_mail_logs, requires_dovecot


@requires_dovecot
class FetchMailCommandTests(TransactionTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dovecot = Dovecot().start()
        cls.addClassCleanup(cls.dovecot.stop)

    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)
        quiet_mail_logs(self)
        danish_active(self)
        self.dovecot.clear()
        TeamFactory(slug="borgerservice", is_front_office=True)

    def test_it_takes_in_the_mailbox_and_prints_what_it_did(self):
        self.dovecot.deliver(email_bytes())
        self.dovecot.deliver(email_bytes(headers={"Precedence": "bulk"}))
        out = StringIO()
        with override_settings(**self.dovecot.settings()):
            call_command("inquiries", "fetch-mail", stdout=out)
        reference = Inquiry.objects.get().reference
        lines = out.getvalue().splitlines()
        self.assertIn(f"{reference} new", lines)
        self.assertIn("skipped: automatisk besked (Precedence: bulk)", lines)
        self.assertIn("1 new, 0 joined, 1 skipped, 0 failed", lines)
        self.assertEqual(
            [flags for flags, _raw in self.dovecot.messages()], [{"\\Seen", KEYWORD}] * 2
        )

    def test_it_says_when_imap_is_off(self):
        with (
            override_settings(INQUIRY_IMAP_HOST=""),
            self.assertRaisesMessage(CommandError, "INQUIRY_IMAP_HOST is not set"),
        ):
            call_command("inquiries", "fetch-mail")

    def test_an_unreachable_mailbox_is_an_error(self):
        settings = self.dovecot.settings() | {"INQUIRY_IMAP_PASSWORD": "wrong"}
        with (
            override_settings(**settings),
            self.assertRaisesMessage(CommandError, "The mailbox could not be read"),
        ):
            call_command("inquiries", "fetch-mail")
