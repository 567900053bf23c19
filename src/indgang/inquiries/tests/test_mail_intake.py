import datetime as dt
import email.utils
import shutil
import tempfile

from django.test import TestCase, override_settings
from django.utils import timezone

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.inquiries.attachments import MAX_FILES
from indgang.inquiries.lifecycle import Channel, MessageKind, Status
from indgang.inquiries.mail.intake import Outcome, email_ingest
from indgang.inquiries.models import Inquiry, InquiryMessage, OutboundEmail
from indgang.inquiries.services import inquiry_reply, inquiry_set_status
from indgang.wayfinder.freshness import forget_index

from .factories import InquiryFactory, TeamFactory, UserFactory
from .mailservers import danish_active, email_bytes, quiet_mail_logs

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class EmailIngestTests(TestCase):
    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)
        quiet_mail_logs(self)
        danish_active(self)
        media = tempfile.mkdtemp(prefix="indgang-test-media-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        media_override = override_settings(MEDIA_ROOT=media)
        media_override.enable()
        self.addCleanup(media_override.disable)
        self.front_office = TeamFactory(slug="borgerservice", is_front_office=True)
        self.clerk = UserFactory()

    def ingest(self, **fields):
        return email_ingest(raw=email_bytes(**fields))

    def existing(self, **fields) -> Inquiry:
        result = self.ingest(**fields)
        self.assertEqual(result.outcome, Outcome.NEW)
        return result.inquiry

    def test_a_new_e_mail_becomes_an_inquiry_with_a_receipt(self):
        result = self.ingest(message_id="<first@example.dk>")
        self.assertEqual(result.outcome, Outcome.NEW)
        inquiry = Inquiry.objects.get(pk=result.inquiry.pk)
        self.assertEqual(inquiry.channel, Channel.EMAIL)
        self.assertEqual(inquiry.subject, "Spørgsmål om pas")
        self.assertEqual(inquiry.citizen_name, "Karen Jensen")
        self.assertEqual(inquiry.citizen_email, "karen@example.dk")
        self.assertIn("mit pas er udløbet", inquiry.description)
        message = inquiry.messages.get()
        self.assertEqual(message.email_message_id, "<first@example.dk>")
        self.assertEqual(message.channel, Channel.EMAIL)
        self.assertEqual(inquiry.team, self.front_office)
        receipt = OutboundEmail.objects.get(inquiry=inquiry)
        self.assertEqual(receipt.to, "karen@example.dk")
        self.assertIn(inquiry.reference, receipt.subject)

    def test_the_receipt_answers_the_citizens_e_mail(self):
        inquiry = self.existing(message_id="<thread-start@example.dk>")
        receipt = OutboundEmail.objects.get(inquiry=inquiry)
        self.assertEqual(receipt.in_reply_to, "<thread-start@example.dk>")

    def test_the_wayfinder_suggests_the_service(self):
        ServiceFactory(slug="pas", title="Pas", keywords="pas, udløbet pas, nyt pas")
        forget_index()
        inquiry = self.existing(subject="Nyt pas", body="Mit pas er udløbet, jeg skal have nyt pas")
        self.assertEqual(inquiry.service.slug, "pas")

    def test_a_reference_in_the_subject_joins_the_inquiry(self):
        inquiry = self.existing()
        result = self.ingest(subject=f"Re: Vedr. {inquiry.reference}", body="Her er mere.")
        self.assertEqual((result.outcome, result.inquiry), (Outcome.JOINED, inquiry))
        self.assertEqual(Inquiry.objects.count(), 1)
        latest = inquiry.messages.order_by("pk").last()
        self.assertEqual((latest.kind, latest.body), (MessageKind.FROM_CITIZEN, "Her er mere."))
        self.assertEqual(latest.email_message_id, result.message_id)

    def test_a_reference_in_the_body_joins_the_inquiry(self):
        inquiry = self.existing()
        result = self.ingest(subject="Mere", body=f"Det drejer sig om {inquiry.reference.lower()}")
        self.assertEqual((result.outcome, result.inquiry), (Outcome.JOINED, inquiry))

    def test_in_reply_to_one_of_our_e_mails_joins_the_inquiry(self):
        inquiry = self.existing()
        inquiry_reply(inquiry=inquiry, body="Tag dit gamle pas med.", by=self.clerk)
        answer = OutboundEmail.objects.filter(inquiry=inquiry).latest("created_at")
        result = self.ingest(
            subject="Re: Svar", body="Tak!", headers={"In-Reply-To": answer.message_id}
        )
        self.assertEqual((result.outcome, result.inquiry), (Outcome.JOINED, inquiry))

    def test_references_naming_one_of_our_e_mails_joins_the_inquiry(self):
        inquiry = self.existing()
        receipt = OutboundEmail.objects.get(inquiry=inquiry)
        result = self.ingest(
            subject="Hmm",
            body="Et spørgsmål mere",
            headers={"References": f"<elsewhere@example.org> {receipt.message_id}"},
        )
        self.assertEqual((result.outcome, result.inquiry), (Outcome.JOINED, inquiry))

    def test_the_sender_address_is_compared_without_regard_to_case(self):
        inquiry = self.existing()
        result = self.ingest(
            subject=f"Re: {inquiry.reference}", sender="KAREN JENSEN <Karen@Example.DK>"
        )
        self.assertEqual(result.outcome, Outcome.JOINED)

    def test_a_stranger_cannot_write_into_someone_elses_thread(self):
        inquiry = self.existing()
        receipt = OutboundEmail.objects.get(inquiry=inquiry)
        result = self.ingest(
            subject=f"Re: {inquiry.reference}",
            body="Jeg vil gerne se sagen.",
            sender="Mallory <mallory@example.org>",
            headers={"In-Reply-To": receipt.message_id},
        )
        self.assertEqual(result.outcome, Outcome.NEW)
        self.assertNotEqual(result.inquiry, inquiry)
        self.assertEqual(inquiry.messages.count(), 1)
        note = result.inquiry.messages.get(kind=MessageKind.INTERNAL_NOTE)
        self.assertIn(inquiry.reference, note.body)

    def test_an_inquiry_without_an_e_mail_address_cannot_be_joined(self):
        phone_contact = InquiryFactory(channel=Channel.PHONE, citizen_email="")
        result = self.ingest(subject=f"Re: {phone_contact.reference}")
        self.assertEqual(result.outcome, Outcome.NEW)

    def test_a_reply_to_an_answered_inquiry_puts_it_back_to_work(self):
        inquiry = self.existing()
        inquiry_reply(inquiry=inquiry, body="Svar", by=self.clerk)
        self.ingest(subject=f"Re: {inquiry.reference}", body="Men hvad så med ...")
        inquiry.refresh_from_db()
        self.assertEqual(inquiry.status, Status.IN_PROGRESS)

    def test_a_reply_to_a_closed_inquiry_reopens_it(self):
        inquiry = self.existing()
        inquiry_set_status(inquiry=inquiry, status=Status.CLOSED, by=self.clerk)
        result = self.ingest(subject=f"Re: {inquiry.reference}")
        self.assertEqual(result.outcome, Outcome.JOINED)
        inquiry.refresh_from_db()
        self.assertEqual(inquiry.status, Status.IN_PROGRESS)

    def test_the_same_message_id_is_taken_in_only_once(self):
        raw = email_bytes(message_id="<once@example.dk>")
        first = email_ingest(raw=raw)
        second = email_ingest(raw=raw)
        self.assertEqual(first.outcome, Outcome.NEW)
        # A duplicate, not automatic mail; the reason is written in the active language (Danish).
        self.assertEqual(
            (second.outcome, second.automatic, second.reason),
            (Outcome.SKIPPED, False, "allerede modtaget"),
        )
        self.assertEqual(Inquiry.objects.count(), 1)
        self.assertEqual(OutboundEmail.objects.count(), 1)

    def test_a_message_without_message_id_gets_a_stable_one(self):
        raw = email_bytes(message_id=None)
        first = email_ingest(raw=raw)
        second = email_ingest(raw=raw)
        self.assertTrue(first.message_id.startswith("<"))
        self.assertEqual(first.message_id, second.message_id)
        self.assertEqual(second.outcome, Outcome.SKIPPED)
        self.assertEqual(InquiryMessage.objects.get().email_message_id, first.message_id)

    def test_attachments_are_kept(self):
        inquiry = self.existing(
            attachments=(("pas.pdf", PDF, "application/pdf"), ("foto.png", PNG, "image/png"))
        )
        files = {(a.filename, a.content_type) for a in inquiry.attachments.all()}
        self.assertEqual(files, {("pas.pdf", "application/pdf"), ("foto.png", "image/png")})
        self.assertEqual(inquiry.attachments.get(filename="pas.pdf").file.read(), PDF)
        self.assertFalse(inquiry.messages.filter(kind=MessageKind.INTERNAL_NOTE).exists())

    def test_a_refused_attachment_is_left_out_and_noted_but_the_inquiry_is_taken_in(self):
        result = self.ingest(
            attachments=(
                ("pas.pdf", PDF, "application/pdf"),
                ("virus.exe", b"MZ\x90\x00\x03\x00\x00\x00", "application/octet-stream"),
            )
        )
        self.assertEqual(result.outcome, Outcome.NEW)
        self.assertEqual(len(result.refused), 1)
        inquiry = result.inquiry
        self.assertEqual(list(inquiry.attachments.values_list("filename", flat=True)), ["pas.pdf"])
        note = inquiry.messages.get(kind=MessageKind.INTERNAL_NOTE)
        self.assertIn("virus.exe", note.body)

    def test_files_over_the_limit_are_noted(self):
        files = tuple((f"side{n}.pdf", PDF + bytes([n]), "application/pdf") for n in range(7))
        result = self.ingest(attachments=files)
        self.assertEqual(result.inquiry.attachments.count(), MAX_FILES)
        self.assertEqual(len(result.refused), 7 - MAX_FILES)
        note = result.inquiry.messages.get(kind=MessageKind.INTERNAL_NOTE)
        self.assertIn("side6.pdf", note.body)

    def test_attachments_on_a_reply_join_the_thread(self):
        inquiry = self.existing()
        self.ingest(
            subject=f"Re: {inquiry.reference}",
            attachments=(("kvittering.pdf", PDF, "application/pdf"),),
        )
        attachment = inquiry.attachments.get()
        self.assertEqual(attachment.message, inquiry.messages.order_by("pk").last())

    def test_an_html_only_e_mail_is_read_as_text(self):
        inquiry = self.existing(
            body=None,
            html="<html><head><style>p{color:red}</style></head><body><p>Hej&nbsp;med dig</p>"
            "<p>Mit <b>pas</b> er væk</p><script>alert(1)</script></body></html>",
        )
        self.assertEqual(inquiry.description, "Hej med dig\n\nMit pas er væk")

    def test_text_plain_is_preferred_over_html(self):
        inquiry = self.existing(body="Ren tekst", html="<p>HTML-udgaven</p>")
        self.assertEqual(inquiry.description, "Ren tekst")

    def test_an_encoded_subject_and_sender_name_are_decoded(self):
        raw = (
            b"From: =?utf-8?q?S=C3=B8ren_=C3=98stergaard?= <soren@example.dk>\r\n"
            b"Subject: =?utf-8?b?w4ZuZHJpbmcgYWYgYWRyZXNzZQ==?=\r\n"
            b"Message-ID: <enc@example.dk>\r\n"
            b"Content-Type: text/plain; charset=iso-8859-1\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\n"
            b"Jeg er flyttet til \xc6r\xf8.\r\n"
        )
        inquiry = email_ingest(raw=raw).inquiry
        self.assertEqual(inquiry.citizen_name, "Søren Østergaard")
        self.assertEqual(inquiry.subject, "Ændring af adresse")
        self.assertEqual(inquiry.description, "Jeg er flyttet til Ærø.")

    def test_an_e_mail_with_only_a_subject_is_taken_in(self):
        inquiry = self.existing(body=None, subject="Ring til mig om mit pas")
        self.assertEqual(inquiry.description, "Ring til mig om mit pas")

    def test_an_unreadable_sender_address_is_noted_and_the_inquiry_kept(self):
        result = self.ingest(sender="Karen <not an address>")
        self.assertEqual(result.outcome, Outcome.NEW)
        self.assertEqual(result.inquiry.citizen_email, "")
        self.assertFalse(OutboundEmail.objects.exists())
        self.assertTrue(result.inquiry.messages.filter(kind=MessageKind.INTERNAL_NOTE).exists())

    def test_auto_replies_are_skipped(self):
        inquiry = self.existing()
        for headers in (
            {"Auto-Submitted": "auto-replied"},
            {"Precedence": "bulk"},
            {"Precedence": "auto_reply"},
            {"X-Autoreply": "yes"},
        ):
            with self.subTest(headers=headers):
                result = self.ingest(
                    subject=f"Autosvar: {inquiry.reference}",
                    body="Jeg er på ferie.",
                    headers=headers,
                )
                self.assertEqual(result.outcome, Outcome.SKIPPED)
                self.assertTrue(result.automatic)
        self.assertEqual(inquiry.messages.count(), 1)
        self.assertEqual(Inquiry.objects.count(), 1)

    def test_auto_submitted_no_is_an_ordinary_message(self):
        result = self.ingest(headers={"Auto-Submitted": "no"})
        self.assertEqual(result.outcome, Outcome.NEW)

    def test_bounces_are_skipped_so_no_receipt_loops(self):
        result = self.ingest(
            sender="Mail Delivery System <MAILER-DAEMON@mx.example.dk>",
            subject="Undelivered Mail Returned to Sender",
        )
        self.assertEqual(result.outcome, Outcome.SKIPPED)
        self.assertIn("mailer-daemon", result.reason)
        self.assertFalse(Inquiry.objects.exists())
        self.assertFalse(OutboundEmail.objects.exists())

    @override_settings(INQUIRY_EMAIL_FROM="Fjordby Kommune <borgerservice@fjordby.dk>")
    def test_mail_from_indgang_itself_is_skipped(self):
        result = self.ingest(sender="borgerservice@fjordby.dk")
        self.assertEqual(result.outcome, Outcome.SKIPPED)
        self.assertFalse(Inquiry.objects.exists())

    def test_the_date_header_is_the_time_received(self):
        sent = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)
        inquiry = self.existing(date=email.utils.format_datetime(sent))
        self.assertEqual(inquiry.received_at, sent)

    def test_a_date_far_back_is_taken_for_a_wrong_clock(self):
        inquiry = self.existing(date="Mon, 01 Jan 2001 00:00:00 +0000")
        self.assertLess(timezone.now() - inquiry.received_at, dt.timedelta(minutes=1))
