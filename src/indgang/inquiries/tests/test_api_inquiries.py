import json
from unittest import mock

from django.core.cache import cache
from django.test import override_settings

from indgang.inquiries.api import InquiryRateThrottle
from indgang.inquiries.lifecycle import Channel, Status
from indgang.inquiries.models import Inquiry, OutboundEmail, TrackingAttempt
from indgang.inquiries.references import reference_parse
from indgang.inquiries.services import (
    inquiry_note_add,
    inquiry_reply,
    inquiry_set_status,
    inquiry_submit,
)
from indgang.wayfinder.tests.base import WayfinderPageTestCase

from .factories import TeamFactory, UserFactory

URL = "/api/v1/inquiries/"


class ApiTestCase(WayfinderPageTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()  # the throttle counts in the cache
        TeamFactory(slug="borgerservice", is_front_office=True)

    def post(self, data, **extra):
        body = data if isinstance(data, str | bytes) else json.dumps(data)
        return self.client.post(URL, body, content_type="application/json", **extra)


class InquiryCreateApiTests(ApiTestCase):
    """POST /api/v1/inquiries/"""

    def test_it_takes_an_inquiry_and_answers_with_the_reference(self):
        response = self.post(
            {"description": "Mit pas er udløbet", "service": "pas", "email": "a@example.dk"}
        )
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        self.assertEqual(set(data), {"reference", "status", "due_on", "service"})
        self.assertEqual(reference_parse(data["reference"]), data["reference"])
        self.assertEqual(data["status"], Status.RECEIVED)
        self.assertEqual(data["service"], "pas")
        inquiry = Inquiry.objects.get(reference=data["reference"])
        self.assertEqual(data["due_on"], inquiry.due_on.isoformat())
        self.assertEqual(inquiry.channel, Channel.WEB)
        self.assertEqual(inquiry.citizen_email, "a@example.dk")
        self.assertTrue(response["Location"].endswith(f"/api/v1/inquiries/{inquiry.reference}/"))
        # The receipt waits in the outbox.
        self.assertEqual(OutboundEmail.objects.get().to, "a@example.dk")

    def test_without_a_service_the_wayfinder_suggests_one(self):
        data = self.post({"description": "pas", "phone": "22 34 56 78"}).json()
        self.assertEqual(data["service"], "pas")
        inquiry = Inquiry.objects.get(reference=data["reference"])
        self.assertEqual(inquiry.citizen_phone, "+4522345678")
        self.assertFalse(OutboundEmail.objects.exists())  # no e-mail, no receipt

    def test_when_nothing_fits_the_service_is_null(self):
        data = self.post({"description": "xyzzy plugh", "email": "a@example.dk"}).json()
        self.assertIsNone(data["service"])

    def test_bad_input_gets_field_errors(self):
        cases = [
            ({}, "description"),
            ({"description": "", "email": "a@example.dk"}, "description"),
            ({"description": "   ", "email": "a@example.dk"}, "description"),
            ({"description": "x" * 10_001, "email": "a@example.dk"}, "description"),
            ({"description": "nul\x00byte", "email": "a@example.dk"}, "description"),
            ({"description": ["a list"], "email": "a@example.dk"}, "description"),
            ({"description": 42, "email": "a@example.dk"}, None),  # a number is text enough
            ({"description": "pas", "service": "findes-ikke", "email": "a@example.dk"}, "service"),
            ({"description": "pas", "service": "../../etc", "email": "a@example.dk"}, "service"),
            ({"description": "pas", "service": 7, "email": "a@example.dk"}, "service"),
            ({"description": "pas", "email": "ikke-en-adresse"}, "email"),
            ({"description": "pas", "email": "a@" + "b" * 300 + ".dk"}, "email"),
            ({"description": "pas"}, "email"),
            ({"description": "pas", "email": "", "phone": ""}, "email"),
            ({"description": "pas", "phone": "123"}, "phone"),
            ({"description": "pas", "phone": "+45 1234567"}, "phone"),
            ({"description": "pas", "phone": {"a": 1}}, "phone"),
            ({"description": "pas", "email": "a@example.dk", "name": "n" * 201}, "name"),
        ]
        for data, field in cases:
            with self.subTest(data={k: str(v)[:20] for k, v in data.items()}):
                response = self.post(data)
                if field is None:
                    self.assertEqual(response.status_code, 201)
                    continue
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn(field, response.json())

    def test_a_body_that_is_not_a_json_object_is_refused(self):
        for body in ["[1, 2]", '"tekst"', "null", "{not json", ""]:
            with self.subTest(body=body):
                self.assertEqual(self.post(body).status_code, 400)
        self.assertFalse(Inquiry.objects.exists())

    def test_only_json_is_accepted(self):
        response = self.client.post(URL, {"description": "pas", "email": "a@example.dk"})
        self.assertEqual(response.status_code, 415)

    def test_it_needs_no_csrf_token(self):
        client = self.client_class(enforce_csrf_checks=True)
        response = client.post(
            URL,
            json.dumps({"description": "pas", "email": "a@example.dk"}),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201)

    def test_other_methods_are_refused(self):
        self.assertEqual(self.client.get(URL).status_code, 405)
        self.assertEqual(
            self.client.put(URL, "{}", content_type="application/json").status_code, 405
        )

    def test_it_is_throttled_per_client_with_the_inquiry_rate(self):
        with mock.patch.object(InquiryRateThrottle, "get_rate", return_value="2/minute"):
            codes = [
                self.post({"description": "pas", "email": "a@example.dk"}).status_code
                for _ in range(3)
            ]
            # Another client is counted on its own; a forged X-Forwarded-For changes nothing.
            other = self.post(
                {"description": "pas", "email": "a@example.dk"}, REMOTE_ADDR="10.0.0.9"
            ).status_code
            forged = self.post(
                {"description": "pas", "email": "a@example.dk"}, HTTP_X_FORWARDED_FOR="1.2.3.4"
            ).status_code
        self.assertEqual(codes, [201, 201, 429])
        self.assertEqual((other, forged), (201, 429))
        self.assertEqual(Inquiry.objects.count(), 3)

    def test_the_rate_is_the_inquiry_rate_setting(self):
        from django.conf import settings

        self.assertEqual(
            settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["inquiries"], settings.INQUIRY_RATE
        )
        self.assertEqual(InquiryRateThrottle.scope_attr, "throttle_scope")

    def test_it_has_no_language_prefix(self):
        self.assertEqual(self.client.post("/en" + URL).status_code, 404)


class InquiryStatusApiTests(ApiTestCase):
    """GET /api/v1/inquiries/<reference>/?email=…"""

    def setUp(self):
        super().setUp()
        self.inquiry = inquiry_submit(
            channel=Channel.WEB,
            description="Mit pas er udløbet",
            service=self.m.passport,
            email="Karen@Example.dk",
        )
        self.url = f"{URL}{self.inquiry.reference}/"

    def test_the_reference_and_e_mail_show_the_status_and_timeline(self):
        clerk = UserFactory(first_name="Hemmelig", last_name="Medarbejder")
        inquiry_set_status(inquiry=self.inquiry, status=Status.IN_PROGRESS, by=clerk)
        inquiry_note_add(inquiry=self.inquiry, body="Intern bemærkning om borgeren", by=clerk)
        inquiry_reply(inquiry=self.inquiry, body="Du kan bestille tid på nettet.", by=clerk)
        response = self.client.get(self.url, {"email": " karen@example.DK "})
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(
            set(data),
            {"reference", "status", "status_text", "service", "received_at", "due_on", "timeline"},
        )
        self.assertEqual(data["status"], Status.ANSWERED)
        self.assertEqual(data["service"], "pas")
        kinds = [step["kind"] for step in data["timeline"]]
        self.assertEqual(kinds, ["received", "in_progress", "reply"])
        self.assertEqual(data["timeline"][-1]["message"], "Du kan bestille tid på nettet.")
        body = response.content.decode()
        self.assertNotIn("Intern bemærkning", body)
        self.assertNotIn("Hemmelig", body)
        self.assertNotIn(clerk.username, body)

    def test_a_forgiving_reference_is_read(self):
        loose = self.inquiry.reference.replace("-", " ").lower()
        response = self.client.get(f"{URL}{loose}/", {"email": "karen@example.dk"})
        self.assertEqual(response.status_code, 200)

    def test_every_mismatch_gets_the_same_404(self):
        other = inquiry_submit(channel=Channel.WEB, description="x", email="other@example.dk")
        cases = [
            (self.url, {"email": "wrong@example.dk"}),
            (self.url, {}),
            (self.url, {"email": ""}),
            (self.url, {"email": "12345678"}),
            (f"{URL}{other.reference}/", {"email": "karen@example.dk"}),
            (f"{URL}H-0000-0000/", {"email": "karen@example.dk"}),
            (f"{URL}not-a-reference/", {"email": "karen@example.dk"}),
            (f"{URL}{'x' * 500}/", {"email": "\x00"}),
        ]
        bodies = set()
        for url, params in cases:
            with self.subTest(url=url[:40], params=params):
                response = self.client.get(url, params)
                self.assertEqual(response.status_code, 404)
                bodies.add(response.content)
        self.assertEqual(len(bodies), 1)

    def test_guessing_is_throttled_in_the_database(self):
        for _ in range(10):
            self.client.get(self.url, {"email": "guess@example.dk"})
        response = self.client.get(self.url, {"email": "karen@example.dk"})
        self.assertEqual(response.status_code, 429)
        self.assertIn("detail", response.json())
        # Another client is stopped too for this reference, but may look up other things.
        self.assertEqual(
            self.client.get(
                self.url, {"email": "karen@example.dk"}, REMOTE_ADDR="10.1.1.1"
            ).status_code,
            429,
        )
        self.assertTrue(TrackingAttempt.objects.exists())

    def test_it_is_read_only(self):
        self.assertEqual(self.client.delete(self.url).status_code, 405)


@override_settings(INQUIRY_RATE="30/minute")
class SchemaTests(ApiTestCase):
    def test_both_endpoints_are_in_the_schema(self):
        response = self.client.get(
            "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
        )
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertIn("/api/v1/inquiries/", text)
        self.assertIn("/api/v1/inquiries/{reference}/", text)
        self.assertIn("inquiry_create", text)
        self.assertIn("inquiry_status", text)
