import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings

from indgang.catalogue.tests.factories import (
    AuthorityFactory,
    DepartmentFactory,
    KleEntryFactory,
    ServiceFactory,
)
from indgang.inquiries.attachments import MAX_FILES, AttachmentRejected, IncomingFile
from indgang.inquiries.lifecycle import Channel, EventKind, MessageKind, Status
from indgang.inquiries.models import Inquiry, OutboundEmail
from indgang.inquiries.references import reference_parse
from indgang.inquiries.services import inquiry_submit
from indgang.wayfinder.freshness import forget_index

from .factories import RoutingRuleFactory, TeamFactory, UserFactory

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@override_settings(MEDIA_ROOT="/tmp/indgang-test-media")
class InquirySubmitTests(TestCase):
    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)
        self.borgerservice = TeamFactory(slug="borgerservice", is_front_office=True)
        self.department = DepartmentFactory(slug="aeldre")
        self.elder_team = TeamFactory(slug="aeldre", department=self.department)
        self.home_help = ServiceFactory(
            slug="hjemmehjaelp",
            title="Hjemmehjælp",
            keywords="rengøring, hjælp i hjemmet",
            department=self.department,
            processing_days=5,
        )

    def submit(self, **fields) -> Inquiry:
        values = {"channel": Channel.WEB, "description": "Min mor har brug for hjælp."}
        return inquiry_submit(**(values | fields))

    def test_it_gets_a_valid_reference_and_is_received(self):
        inquiry = self.submit(service=self.home_help, email="karen@example.dk")
        self.assertEqual(reference_parse(inquiry.reference), inquiry.reference)
        self.assertEqual(inquiry.status, Status.RECEIVED)
        self.assertTrue(
            inquiry.events.filter(kind=EventKind.STATUS, to_value=Status.RECEIVED).exists()
        )

    def test_the_deadline_counts_working_days_from_the_local_date(self):
        # Received Wednesday 1 April 2026 at 23:30 in Copenhagen (21:30 UTC): Easter follows.
        received = dt.datetime(2026, 4, 1, 23, 30, tzinfo=CPH)
        inquiry = self.submit(service=self.home_help, received_at=received)
        self.assertEqual(inquiry.due_on, dt.date(2026, 4, 13))

    def test_a_service_without_a_promise_gets_ten_working_days(self):
        service = ServiceFactory(processing_days=None, department=self.department)
        inquiry = self.submit(service=service, received_at=dt.datetime(2026, 11, 2, 9, tzinfo=CPH))
        self.assertEqual(inquiry.due_on, dt.date(2026, 11, 16))

    def test_it_routes_to_the_team_of_the_handling_department(self):
        self.assertEqual(self.submit(service=self.home_help).team, self.elder_team)

    def test_a_rule_wins_over_the_default_and_the_first_match_wins(self):
        night = TeamFactory(slug="visitation")
        other = TeamFactory(slug="andet")
        RoutingRuleFactory(position=1, team=night, words="rengøring")
        RoutingRuleFactory(position=2, team=other, service=self.home_help)
        inquiry = self.submit(service=self.home_help, description="Rengøring hver uge?")
        self.assertEqual(inquiry.team, night)

    def test_rules_match_on_kle_prefix_and_channel(self):
        self.home_help.kle = KleEntryFactory(number="27.36.04")
        self.home_help.save()
        phone_team = TeamFactory(slug="telefon")
        kle_team = TeamFactory(slug="social")
        RoutingRuleFactory(position=1, team=phone_team, channel=Channel.PHONE, kle_prefix="29")
        RoutingRuleFactory(position=2, team=kle_team, kle_prefix="27")
        self.assertEqual(self.submit(service=self.home_help, channel=Channel.PHONE).team, kle_team)

    def test_other_authorities_services_go_to_the_front_office(self):
        service = ServiceFactory(department=None, authority=AuthorityFactory())
        self.assertEqual(self.submit(service=service).team, self.borgerservice)

    def test_without_a_service_the_wayfinder_picks_one_when_confident(self):
        inquiry = self.submit(description="Vi har brug for hjemmehjælp til rengøring")
        self.assertEqual(inquiry.service, self.home_help)
        self.assertEqual(inquiry.team, self.elder_team)

    def test_without_a_confident_guess_it_goes_to_the_front_office(self):
        inquiry = self.submit(description="Hvornår spiller FCK på lørdag?")
        self.assertIsNone(inquiry.service)
        self.assertEqual(inquiry.team, self.borgerservice)

    def test_a_sensitive_service_makes_a_sensitive_inquiry(self):
        service = ServiceFactory(sensitive=True, department=self.department)
        self.assertTrue(self.submit(service=service).sensitive)

    def test_the_description_is_the_first_message_of_the_thread(self):
        inquiry = self.submit(description="Første besked")
        (message,) = inquiry.messages.all()
        self.assertEqual((message.kind, message.body), (MessageKind.FROM_CITIZEN, "Første besked"))

    def test_a_receipt_goes_to_the_outbox_with_reference_date_and_tracking_link(self):
        inquiry = self.submit(service=self.home_help, email="karen@example.dk", name="Karen")
        (receipt,) = OutboundEmail.objects.filter(inquiry=inquiry)
        self.assertEqual(receipt.to, "karen@example.dk")
        self.assertIn(inquiry.reference, receipt.subject)
        self.assertIn(inquiry.reference, receipt.body)
        self.assertIn("/henvendelse/status/", receipt.body)
        self.assertIn(str(inquiry.due_on.year), receipt.body)

    def test_no_receipt_without_an_email_address(self):
        self.submit(phone="12345678")
        self.assertFalse(OutboundEmail.objects.exists())

    def test_attachments_are_kept_with_the_type_read_from_the_content(self):
        inquiry = self.submit(files=[IncomingFile("brev.txt", PDF)])
        (attachment,) = inquiry.attachments.all()
        self.assertEqual(
            (attachment.filename, attachment.content_type), ("brev.txt", "application/pdf")
        )
        with attachment.file.open("rb") as handle:
            self.assertEqual(handle.read(), PDF)

    def test_a_bad_attachment_rejects_the_inquiry_before_anything_is_written(self):
        with self.assertRaises(AttachmentRejected):
            self.submit(files=[IncomingFile("virus.pdf", b"MZ\x90\x00\x03\x00binary")])
        with self.assertRaises(AttachmentRejected):
            self.submit(files=[IncomingFile(f"{i}.pdf", PDF) for i in range(MAX_FILES + 1)])
        self.assertFalse(Inquiry.objects.exists())

    def test_a_bad_email_address_is_a_validation_error(self):
        with self.assertRaises(ValidationError):
            self.submit(email="not-an-address")
        self.assertFalse(Inquiry.objects.exists())

    def test_a_contact_resolved_on_first_contact_is_closed_at_once(self):
        clerk = UserFactory()
        inquiry = self.submit(
            channel=Channel.PHONE,
            service=self.home_help,
            registered_by=clerk,
            resolved_on_first_contact=True,
            self_service_possible=False,
            self_service_obstacle="digital_skills",
        )
        self.assertEqual(inquiry.status, Status.CLOSED)
        self.assertIsNotNone(inquiry.delete_after)
        self.assertFalse(OutboundEmail.objects.exists())
