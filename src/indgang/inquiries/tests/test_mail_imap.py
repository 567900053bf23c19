"""mail_fetch against a real Dovecot on loopback. TransactionTestCase: the point is what happens
around the commit, so each message must really commit."""

import os
import shutil
import tempfile
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import TransactionTestCase, override_settings

from indgang.inquiries.mail import imap
from indgang.inquiries.mail.imap import KEYWORD, MailboxError, mail_fetch
from indgang.inquiries.mail.intake import email_ingest
from indgang.inquiries.models import Inquiry, InquiryMessage
from indgang.wayfinder.freshness import forget_index

from .factories import TeamFactory
from .mailservers import (
    Dovecot,
    danish_active,
    email_bytes,
    quiet_mail_logs,
    requires_dovecot,
    requires_openssl,
)


class DovecotTestCase(TransactionTestCase):
    security = "none"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dovecot = Dovecot(security=cls.security).start()
        cls.addClassCleanup(cls.dovecot.stop)

    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)
        quiet_mail_logs(self)
        danish_active(self)
        self.dovecot.clear()
        media = tempfile.mkdtemp(prefix="indgang-test-media-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        for override in (override_settings(MEDIA_ROOT=media), self.imap_settings()):
            override.enable()
            self.addCleanup(override.disable)
        TeamFactory(slug="borgerservice", is_front_office=True)

    def imap_settings(self, **changes):
        return override_settings(**(self.dovecot.settings() | changes))

    def flags(self) -> list[set[str]]:
        return [flags for flags, _raw in self.dovecot.messages()]


@requires_dovecot
class MailFetchTests(DovecotTestCase):
    def test_a_message_becomes_an_inquiry_and_is_flagged(self):
        self.dovecot.deliver(email_bytes(message_id="<imap-1@example.dk>"))
        report = mail_fetch()
        self.assertEqual(len(report.new), 1)
        inquiry = Inquiry.objects.get(reference=report.new[0])
        self.assertEqual(inquiry.messages.get().email_message_id, "<imap-1@example.dk>")
        self.assertEqual(self.flags(), [{"\\Seen", KEYWORD}])

    def test_a_flagged_message_is_not_taken_again(self):
        self.dovecot.deliver(email_bytes())
        mail_fetch()
        report = mail_fetch()
        self.assertEqual((report.handled, report.failed), (0, []))
        self.assertEqual(Inquiry.objects.count(), 1)

    def test_a_message_read_by_a_person_is_still_taken_in(self):
        self.dovecot.deliver(email_bytes())
        conn = self.dovecot.client()
        conn.store("1", "+FLAGS", r"(\Seen)")
        conn.logout()
        self.assertEqual(len(mail_fetch().new), 1)

    def test_with_delete_the_message_leaves_the_mailbox(self):
        self.dovecot.deliver(email_bytes())
        self.dovecot.deliver(email_bytes())
        with self.imap_settings(INQUIRY_IMAP_AFTER="delete"):
            report = mail_fetch()
        self.assertEqual(len(report.new), 2)
        self.assertEqual(self.dovecot.messages(), [])

    def test_automatic_mail_is_flagged_not_deleted(self):
        self.dovecot.deliver(email_bytes(headers={"Auto-Submitted": "auto-replied"}))
        with self.imap_settings(INQUIRY_IMAP_AFTER="delete"):
            report = mail_fetch()
        self.assertEqual(len(report.skipped), 1)
        self.assertEqual(self.flags(), [{"\\Seen", KEYWORD}])
        self.assertFalse(Inquiry.objects.exists())

    def test_a_failure_inside_intake_leaves_the_message_unflagged_and_the_others_go_on(self):
        self.dovecot.deliver(email_bytes(subject="Første", message_id="<bad@example.dk>"))
        self.dovecot.deliver(email_bytes(subject="Anden", message_id="<good@example.dk>"))
        real_ingest = email_ingest

        def failing_for_the_first(*, raw):
            if b"<bad@example.dk>" in raw:
                with transaction.atomic():
                    real_ingest(raw=raw)  # written, then rolled back by the failure below
                    raise RuntimeError("the database went away")
            return real_ingest(raw=raw)

        with (
            mock.patch.object(imap, "email_ingest", failing_for_the_first),
            self.assertLogs("indgang.inquiries.mail.imap", "ERROR"),
        ):
            report = mail_fetch()
        self.assertEqual((len(report.new), len(report.failed)), (1, 1))
        self.assertIn("the database went away", report.failed[0])
        self.assertEqual(
            list(InquiryMessage.objects.values_list("email_message_id", flat=True)),
            ["<good@example.dk>"],
        )
        flags = {b"<bad@example.dk>" in raw: flags for flags, raw in self.dovecot.messages()}
        self.assertEqual(flags, {True: set(), False: {"\\Seen", KEYWORD}})
        # The next run takes the message that failed again.
        self.assertEqual(len(mail_fetch().new), 1)
        self.assertEqual(Inquiry.objects.count(), 2)

    def test_the_message_is_marked_only_after_the_inquiry_is_committed(self):
        self.dovecot.deliver(email_bytes(message_id="<order@example.dk>"))
        seen_during_intake = []
        real_ingest = email_ingest

        def observing(*, raw):
            result = real_ingest(raw=raw)
            seen_during_intake.append(
                (transaction.get_connection().in_atomic_block, self.flags()[0])
            )
            return result

        with mock.patch.object(imap, "email_ingest", observing):
            mail_fetch()
        # When intake returned, its transaction had committed and the mailbox was untouched.
        self.assertEqual(seen_during_intake, [(False, set())])
        self.assertEqual(self.flags(), [{"\\Seen", KEYWORD}])

    def test_a_crash_between_commit_and_mark_takes_the_message_again_harmlessly(self):
        self.dovecot.deliver(email_bytes(message_id="<crash@example.dk>"))

        def crash(*args, **kwargs):
            raise SystemExit("killed")

        with mock.patch.object(imap, "_mark_done", crash), self.assertRaises(SystemExit):
            mail_fetch()
        self.assertEqual(Inquiry.objects.count(), 1)
        self.assertEqual(self.flags(), [set()])
        report = mail_fetch()
        self.assertEqual(report.skipped, ["allerede modtaget"])
        self.assertEqual(Inquiry.objects.count(), 1)
        self.assertEqual(self.flags(), [{"\\Seen", KEYWORD}])

    def test_two_fetches_at_once_take_a_message_in_once(self):
        # The second worker read the mailbox before the first one marked the message.
        raw = email_bytes(message_id="<twice@example.dk>")
        self.dovecot.deliver(raw)
        email_ingest(raw=raw)  # the other worker, just committed
        report = mail_fetch()
        self.assertEqual(report.skipped, ["allerede modtaget"])
        self.assertEqual(Inquiry.objects.count(), 1)

    def test_a_message_another_worker_deleted_meanwhile_is_passed_over(self):
        self.dovecot.deliver(email_bytes())
        real_unhandled = imap._unhandled

        def then_deleted_by_another_worker(conn, *, keywords):
            uids = real_unhandled(conn, keywords=keywords)
            self.dovecot.clear()
            return uids

        with mock.patch.object(imap, "_unhandled", then_deleted_by_another_worker):
            report = mail_fetch()
        self.assertEqual((report.handled, report.failed), (0, []))

    def test_a_wrong_password_is_reported(self):
        with self.imap_settings(INQUIRY_IMAP_PASSWORD="wrong"), self.assertRaises(MailboxError):
            mail_fetch()

    def test_a_missing_folder_is_reported(self):
        with (
            self.imap_settings(INQUIRY_IMAP_FOLDER="Henvendelser"),
            self.assertRaises(MailboxError),
        ):
            mail_fetch()

    def test_it_refuses_to_run_inside_a_transaction(self):
        with transaction.atomic(), self.assertRaises(RuntimeError):
            mail_fetch()

    def test_it_needs_a_host(self):
        with self.imap_settings(INQUIRY_IMAP_HOST=""), self.assertRaises(ImproperlyConfigured):
            mail_fetch()


@requires_dovecot
@requires_openssl
class MailFetchStartTlsTests(DovecotTestCase):
    security = "starttls"

    def test_it_reads_the_mailbox_over_starttls(self):
        self.dovecot.deliver(email_bytes())
        with mock.patch.dict(os.environ, {"SSL_CERT_FILE": str(self.dovecot.cert_file)}):
            self.assertEqual(len(mail_fetch().new), 1)

    def test_it_refuses_a_certificate_it_cannot_verify(self):
        with self.assertRaises(OSError):  # ssl.SSLCertVerificationError
            mail_fetch()


@requires_dovecot
@requires_openssl
class MailFetchSslTests(DovecotTestCase):
    security = "ssl"

    def test_it_reads_the_mailbox_over_ssl(self):
        self.dovecot.deliver(email_bytes())
        with mock.patch.dict(os.environ, {"SSL_CERT_FILE": str(self.dovecot.cert_file)}):
            self.assertEqual(len(mail_fetch().new), 1)
        self.assertEqual(self.flags(), [{"\\Seen", KEYWORD}])
