import datetime as dt
import os
import signal
import tempfile
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from indgang.inquiries.cli import work as work_module
from indgang.inquiries.models import Inquiry, OutboundEmail
from indgang.inquiries.outbox import outbox_enqueue
from indgang.wayfinder.freshness import forget_index
from indgang.wayfinder.models import QUERY_LOG_RETENTION_DAYS, WayfinderQuery
from indgang.wayfinder.tests.factories import WayfinderQueryFactory

from .factories import TeamFactory
from .mailservers import (
    Dovecot,
    SmtpServer,
    email_bytes,
    free_port,
    quiet_mail_logs,
    requires_dovecot,
)


def work(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("inquiries", "work", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class WorkCommandTests(TestCase):
    def setUp(self):
        quiet_mail_logs(self)
        self.smtp = SmtpServer().start()
        self.addCleanup(self.smtp.stop)
        smtp_settings = override_settings(**self.smtp.settings(), INQUIRY_IMAP_HOST="")
        smtp_settings.enable()
        self.addCleanup(smtp_settings.disable)

    def test_once_sends_the_due_mail_and_says_imap_is_off(self):
        outbox_enqueue(to="karen@example.dk", subject="Kvittering", body="Tak.")
        out, err = work("--once")
        self.assertEqual(len(self.smtp.received), 1)
        self.assertIn("send-mail: 1 sent", out)
        self.assertIn("INQUIRY_IMAP_HOST is not set", err)

    def test_it_runs_the_retention_purge(self):
        with mock.patch("indgang.inquiries.cli.work.inquiries_purge_expired") as purge:
            work("--once")
        purge.assert_called_once_with()

    def test_it_deletes_searches_past_their_retention(self):
        old = WayfinderQueryFactory()
        WayfinderQuery.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - dt.timedelta(days=QUERY_LOG_RETENTION_DAYS + 1)
        )
        recent = WayfinderQueryFactory()
        out, _err = work("--once")
        self.assertEqual(list(WayfinderQuery.objects.all()), [recent])
        self.assertIn("1 searches older than the retention deleted", out)

    def test_a_failing_job_does_not_stop_the_others(self):
        outbox_enqueue(to="karen@example.dk", subject="Kvittering", body="Tak.")
        closed = {"INQUIRY_IMAP_HOST": "127.0.0.1", "INQUIRY_IMAP_PORT": free_port()}
        closed |= {"INQUIRY_IMAP_SECURITY": "none"}
        with (
            override_settings(**closed),
            self.assertLogs("indgang.inquiries.cli.work", "ERROR"),
        ):
            out, err = work("--once")
        self.assertIn("fetch-mail: failed", err)
        self.assertEqual(len(self.smtp.received), 1)


@requires_dovecot
class WorkRoundTripTests(TransactionTestCase):
    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)
        quiet_mail_logs(self)
        self.dovecot = Dovecot().start()
        self.addCleanup(self.dovecot.stop)
        self.smtp = SmtpServer().start()
        self.addCleanup(self.smtp.stop)
        media = tempfile.mkdtemp(prefix="indgang-test-media-")
        servers = override_settings(
            **self.dovecot.settings(), **self.smtp.settings(), MEDIA_ROOT=media
        )
        servers.enable()
        self.addCleanup(servers.disable)
        TeamFactory(slug="borgerservice", is_front_office=True)

    def test_a_citizens_e_mail_gets_a_receipt_in_the_same_round(self):
        self.dovecot.deliver(email_bytes(message_id="<round-trip@example.dk>"))
        work("--once")
        inquiry = Inquiry.objects.get()
        [received] = self.smtp.received
        receipt = received.message
        self.assertEqual(received.rcpt_tos, ("karen@example.dk",))
        self.assertIn(inquiry.reference, receipt["Subject"])
        self.assertEqual(receipt["In-Reply-To"], "<round-trip@example.dk>")
        self.assertEqual(receipt["Message-ID"], OutboundEmail.objects.get().message_id)


class WorkLoopTests(TestCase):
    def test_the_loop_runs_rounds_until_sigterm_and_then_stops_cleanly(self):
        rounds = []
        before = signal.getsignal(signal.SIGTERM)

        def round_then_maybe_terminate(command, *, purge):
            rounds.append(purge)
            if len(rounds) == 3:
                os.kill(os.getpid(), signal.SIGTERM)  # as a deployment stops the process

        with (
            override_settings(INQUIRY_IMAP_HOST=""),
            mock.patch.object(work_module, "work_round", round_then_maybe_terminate),
        ):
            work("--interval", "0")
        # The purge runs in the first round only (at most once an hour).
        self.assertEqual(rounds, [True, False, False])
        self.assertIs(signal.getsignal(signal.SIGTERM), before)
