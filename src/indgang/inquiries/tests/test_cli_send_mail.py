from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings

from indgang.inquiries.models import OutboundEmail
from indgang.inquiries.outbox import outbox_enqueue

from .mailservers import SmtpServer, quiet_mail_logs


class SendMailCommandTests(TestCase):
    def setUp(self):
        quiet_mail_logs(self)
        self.smtp = SmtpServer().start()
        self.addCleanup(self.smtp.stop)

    def test_it_sends_the_due_outbox_and_reports(self):
        row = outbox_enqueue(to="karen@example.dk", subject="Kvittering", body="Tak.")
        out, err = StringIO(), StringIO()
        with override_settings(**self.smtp.settings()):
            call_command("inquiries", "send-mail", stdout=out, stderr=err)
        self.assertIn("1 sent", out.getvalue())
        self.assertEqual(err.getvalue(), "")
        self.assertEqual(self.smtp.received[0].message["Message-ID"], row.message_id)
        self.assertIsNotNone(OutboundEmail.objects.get().sent_at)

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    def test_it_warns_when_mail_is_only_printed(self):
        out, err = StringIO(), StringIO()
        call_command("inquiries", "send-mail", stdout=out, stderr=err)
        self.assertIn("EMAIL_HOST is not set", err.getvalue())
