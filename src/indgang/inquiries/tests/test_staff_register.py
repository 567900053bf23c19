import shutil
import tempfile

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings

from indgang.inquiries.lifecycle import Channel, SelfServiceObstacle, Status
from indgang.inquiries.models import Inquiry, OutboundEmail

from .staff_personas import StaffInquiryPersonasMixin

URL = "/personale/henvendelser/ny/"


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="indgang-register-test-"))
class StaffRegisterTests(StaffInquiryPersonasMixin, TestCase):
    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        super().tearDownClass()

    def data(self, **overrides):
        data = {
            "channel": Channel.PHONE,
            "service": str(self.service.pk),
            "note": "Spurgte til hjælp til tandlægeregning.",
            "name": "Karen Jensen",
            "phone": "20304050",
            "email": "karen@example.dk",
            "resolved": "no",
            "self_service": "no",
            "obstacle": SelfServiceObstacle.NEEDS_GUIDANCE,
            "send_receipt": "on",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    def test_anonymous_visitors_go_to_the_login(self):
        self.assertEqual(self.client.get(URL).status_code, 302)

    def test_staff_without_the_permission_and_citizens_are_refused(self):
        for user in (self.manager, self.administrator, self.citizen):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(URL).status_code, 403)
                self.assertEqual(self.client.post(URL, self.data()).status_code, 403)
        self.assertFalse(Inquiry.objects.filter(registered_by__isnull=False).exists())

    def test_clerks_and_specialists_get_the_form(self):
        for user in (self.clerk, self.specialist):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(URL)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'name="channel"')

    def test_a_passed_on_contact_is_routed_and_gets_a_receipt(self):
        self.client.force_login(self.clerk)
        response = self.client.post(URL, self.data(), follow=True)
        inquiry = Inquiry.objects.get(registered_by=self.clerk)
        self.assertContains(response, inquiry.reference)
        self.assertEqual(inquiry.channel, Channel.PHONE)
        self.assertEqual(inquiry.team, self.team)
        self.assertEqual(inquiry.status, Status.RECEIVED)
        self.assertIs(inquiry.resolved_on_first_contact, False)
        self.assertIs(inquiry.self_service_possible, False)
        self.assertEqual(inquiry.self_service_obstacle, SelfServiceObstacle.NEEDS_GUIDANCE)
        self.assertEqual(OutboundEmail.objects.filter(inquiry=inquiry).count(), 1)

    def test_a_contact_resolved_at_once_is_closed_and_gets_no_receipt(self):
        self.client.force_login(self.clerk)
        self.client.post(
            URL, self.data(resolved="yes", self_service="yes", obstacle="", email="", name="")
        )
        inquiry = Inquiry.objects.get(registered_by=self.clerk)
        self.assertEqual(inquiry.status, Status.CLOSED)
        self.assertIs(inquiry.self_service_possible, True)
        self.assertEqual(inquiry.self_service_obstacle, "")
        self.assertFalse(OutboundEmail.objects.exists())

    def test_no_receipt_when_the_clerk_says_so(self):
        self.client.force_login(self.clerk)
        self.client.post(URL, self.data(send_receipt=None))
        self.assertFalse(OutboundEmail.objects.exists())

    def test_the_last_channel_is_remembered(self):
        self.client.force_login(self.clerk)
        self.client.post(URL, self.data(channel=Channel.COUNTER))
        response = self.client.get(URL)
        self.assertEqual(response.context["form"].initial["channel"], Channel.COUNTER)

    def test_why_not_by_self_service_is_required_when_it_could_not(self):
        self.client.force_login(self.clerk)
        response = self.client.post(URL, self.data(obstacle=""))
        self.assertEqual(response.status_code, 400)
        self.assertIn("obstacle", response.context["form"].errors)
        self.assertFalse(
            Inquiry.objects.exists() and Inquiry.objects.filter(registered_by=self.clerk).exists()
        )

    def test_bad_input_is_refused_never_an_error_page(self):
        self.client.force_login(self.clerk)
        bad = [
            {"channel": Channel.WEB},
            {"channel": "pigeon"},
            {"channel": None},
            {"service": "abc"},
            {"service": "99999"},
            {"note": ""},
            {"note": "x" * 10_001},
            {"email": "not-an-address"},
            {"resolved": "maybe"},
            {"self_service": None},
            {"obstacle": "laziness"},
            {"name": "x" * 201},
            {"phone": "1" * 41},
        ]
        for overrides in bad:
            with self.subTest(overrides=overrides):
                response = self.client.post(URL, self.data(**overrides))
                self.assertEqual(response.status_code, 400)
        self.assertFalse(Inquiry.objects.filter(registered_by=self.clerk).exists())

    def test_a_scanned_letter_is_kept_as_an_attachment(self):
        self.client.force_login(self.clerk)
        scan = SimpleUploadedFile("brev.pdf", b"%PDF-1.4 a letter", content_type="application/pdf")
        self.client.post(URL, {**self.data(channel=Channel.LETTER), "scan": scan})
        inquiry = Inquiry.objects.get(registered_by=self.clerk)
        attachment = inquiry.attachments.get()
        self.assertEqual(
            (attachment.filename, attachment.content_type), ("brev.pdf", "application/pdf")
        )

    def test_a_file_we_cannot_take_is_refused_by_its_content(self):
        self.client.force_login(self.clerk)
        fake = SimpleUploadedFile(
            "brev.pdf", b"MZ\x90\x00\x03\x00binary", content_type="application/pdf"
        )
        response = self.client.post(URL, {**self.data(channel=Channel.LETTER), "scan": fake})
        self.assertEqual(response.status_code, 400)
        self.assertIn("scan", response.context["form"].errors)
        self.assertFalse(Inquiry.objects.filter(registered_by=self.clerk).exists())

    def test_find_suggests_services_from_the_wayfinder_without_registering(self):
        self.client.force_login(self.clerk)
        response = self.client.post(
            URL, self.data(service="", service_query="enkeltudgifter", find="1")
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Inquiry.objects.filter(registered_by=self.clerk).exists())
        form = response.context["form"]
        self.assertFalse(form.is_bound)
        self.assertEqual(form.initial["note"], "Spurgte til hjælp til tandlægeregning.")
        self.assertContains(response, "staff-service-picker")

    def test_find_with_nonsense_or_nothing_is_fine(self):
        self.client.force_login(self.clerk)
        for query in ("", "zzzzqqq", "x" * 1000):
            with self.subTest(query=query[:10]):
                response = self.client.post(URL, {"service_query": query, "find": "1"})
                self.assertEqual(response.status_code, 200)
