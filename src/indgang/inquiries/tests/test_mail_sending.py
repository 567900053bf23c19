import datetime as dt

from django.test import TestCase, override_settings
from django.utils import timezone

from indgang.inquiries.mail.sending import (
    BACKOFF,
    CLAIM_TIMEOUT,
    MAX_ATTEMPTS,
    outbox_claim,
    outbox_due,
    outbox_send,
    outbox_send_due,
)
from indgang.inquiries.models import OutboundEmail
from indgang.inquiries.outbox import outbox_enqueue

from .factories import InquiryFactory
from .mailservers import SmtpServer, free_port, quiet_mail_logs

FROM = "Fjordby Kommune <borgerservice@fjordby.dk>"


class OutboxSendTests(TestCase):
    def setUp(self):
        quiet_mail_logs(self)
        self.smtp = SmtpServer().start()
        self.addCleanup(self.smtp.stop)
        smtp_settings = override_settings(**self.smtp.settings(), INQUIRY_EMAIL_FROM=FROM)
        smtp_settings.enable()
        self.addCleanup(smtp_settings.disable)
        self.inquiry = InquiryFactory()

    def enqueue(self, **fields) -> OutboundEmail:
        values = {
            "to": "karen@example.dk",
            "subject": f"Svar på din henvendelse {self.inquiry.reference}",
            "body": "Du kan hente dit pas i Borgerservice.\n\nVenlig hilsen",
            "inquiry": self.inquiry,
        }
        return outbox_enqueue(**(values | fields))

    def later(self, delta: dt.timedelta) -> dt.datetime:
        return timezone.now() + delta

    def test_it_sends_to_the_smtp_server_with_our_message_id(self):
        row = self.enqueue(in_reply_to="<citizen-1@example.dk>")
        report = outbox_send_due()
        self.assertEqual((report.sent, report.retrying, report.failed), (1, 0, 0))
        [received] = self.smtp.received
        self.assertEqual(received.mail_from, "borgerservice@fjordby.dk")
        self.assertEqual(received.rcpt_tos, ("karen@example.dk",))
        message = received.message
        self.assertEqual(message["Message-ID"], row.message_id)
        self.assertEqual(message["In-Reply-To"], "<citizen-1@example.dk>")
        self.assertEqual(message["References"], "<citizen-1@example.dk>")
        self.assertEqual(message["From"], FROM)
        self.assertEqual(message["To"], "karen@example.dk")
        self.assertEqual(message["Subject"], row.subject)
        self.assertIn("Du kan hente dit pas i Borgerservice.", message.get_content())
        row.refresh_from_db()
        self.assertIsNotNone(row.sent_at)
        self.assertEqual((row.state, row.attempts, row.claimed_at), ("sent", 1, None))

    def test_without_in_reply_to_there_are_no_threading_headers(self):
        self.enqueue()
        outbox_send_due()
        message = self.smtp.received[0].message
        self.assertIsNone(message["In-Reply-To"])
        self.assertIsNone(message["References"])

    def test_a_sent_row_is_not_sent_again(self):
        self.enqueue()
        outbox_send_due()
        self.assertEqual(outbox_send_due(now=self.later(dt.timedelta(days=1))).sent, 0)
        self.assertEqual(len(self.smtp.received), 1)

    def test_a_row_not_due_yet_waits(self):
        row = self.enqueue()
        OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=self.later(BACKOFF[0]))
        self.assertEqual(outbox_send_due().sent, 0)
        self.assertEqual(self.smtp.received, [])

    def test_a_temporary_refusal_is_retried_after_a_pause(self):
        row = self.enqueue()
        self.smtp.refuse_data = "451 4.3.0 Try again later"
        now = timezone.now()
        report = outbox_send_due(now=now)
        self.assertEqual((report.sent, report.retrying), (0, 1))
        row.refresh_from_db()
        self.assertEqual((row.state, row.attempts, row.claimed_at), ("retrying", 1, None))
        self.assertEqual(row.next_attempt_at, now + BACKOFF[0])
        self.assertIn("451", row.last_error)
        # Not before the pause is over; after it, the server takes it.
        self.smtp.refuse_data = None
        self.assertEqual(outbox_send_due(now=now + BACKOFF[0] / 2).sent, 0)
        self.assertEqual(outbox_send_due(now=now + BACKOFF[0]).sent, 1)
        row.refresh_from_db()
        self.assertEqual((row.state, row.attempts, row.last_error), ("sent", 2, ""))
        self.assertEqual(len(self.smtp.received), 1)

    def test_the_pauses_grow_and_it_gives_up_visibly_after_the_last_attempt(self):
        row = self.enqueue()
        self.smtp.refuse_rcpt = "450 4.2.0 Mailbox busy"
        now = timezone.now()
        pauses = []
        with self.assertLogs("indgang.inquiries.mail.sending", "ERROR") as logs:
            for _attempt in range(MAX_ATTEMPTS):
                outbox_send_due(now=now)
                row.refresh_from_db()
                if row.failed_at:
                    break
                pauses.append(row.next_attempt_at - now)
                now = row.next_attempt_at
        self.assertIn("given up", logs.output[0])
        self.assertEqual(pauses, list(BACKOFF))
        self.assertEqual((row.state, row.attempts), ("failed", MAX_ATTEMPTS))
        self.assertIsNone(row.sent_at)
        self.assertIn("450", row.last_error)
        self.assertEqual(outbox_send_due(now=now + dt.timedelta(days=7)).sent, 0)

    def test_a_permanent_refusal_gives_up_at_once(self):
        row = self.enqueue(to="findes.ikke@example.dk")
        self.smtp.refuse_rcpt = "550 5.1.1 No such user"
        with self.assertLogs("indgang.inquiries.mail.sending", "ERROR"):
            report = outbox_send_due()
        self.assertEqual(report.failed, 1)
        row.refresh_from_db()
        self.assertEqual((row.state, row.attempts), ("failed", 1))
        self.assertIn("550", row.last_error)

    def test_a_closed_port_is_retried_and_the_rest_of_the_batch_waits(self):
        first, second = self.enqueue(), self.enqueue()
        with override_settings(EMAIL_PORT=free_port()):
            report = outbox_send_due()
        self.assertEqual((report.sent, report.retrying), (0, 1))
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.state, first.attempts), ("retrying", 1))
        self.assertTrue(first.last_error)
        # The second was not tried: no attempt spent on a server that is down.
        self.assertEqual((second.state, second.attempts, second.claimed_at), ("queued", 0, None))
        self.assertEqual(outbox_send_due().sent, 1)

    def test_two_workers_never_send_a_row_twice(self):
        rows = [self.enqueue() for _ in range(5)]
        now = timezone.now()
        # Both workers read the same due rows before either claims one.
        due_first, due_second = outbox_due(now=now), outbox_due(now=now)
        self.assertEqual(len(due_first), 5)
        first = outbox_send(due=due_first, now=now)
        second = outbox_send(due=due_second, now=now)
        self.assertEqual((first.sent, second.sent, second.skipped), (5, 0, 5))
        sent_ids = sorted(r.message["Message-ID"] for r in self.smtp.received)
        self.assertEqual(sent_ids, sorted(row.message_id for row in rows))

    def test_a_claim_only_succeeds_on_the_value_it_read(self):
        row = self.enqueue()
        now = timezone.now()
        self.assertTrue(outbox_claim(pk=row.pk, seen=None, now=now))
        self.assertFalse(outbox_claim(pk=row.pk, seen=None, now=now))

    def test_a_claim_by_a_worker_that_died_is_taken_over(self):
        row = self.enqueue()
        crashed_at = timezone.now()
        outbox_claim(pk=row.pk, seen=None, now=crashed_at)
        self.assertEqual(outbox_send_due(now=crashed_at + CLAIM_TIMEOUT / 2).sent, 0)
        self.assertEqual(outbox_send_due(now=crashed_at + CLAIM_TIMEOUT * 2).sent, 1)

    def test_the_limit_is_respected_oldest_first(self):
        rows = [self.enqueue() for _ in range(3)]
        report = outbox_send_due(limit=2)
        self.assertEqual(report.sent, 2)
        sent = [r.message["Message-ID"] for r in self.smtp.received]
        self.assertEqual(sent, [rows[0].message_id, rows[1].message_id])
