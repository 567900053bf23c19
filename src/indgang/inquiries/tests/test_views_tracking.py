import datetime as dt
import re

import time_machine
from django.utils import timezone

from indgang.inquiries.lifecycle import Channel, Status
from indgang.inquiries.models import OutboundEmail, TrackingAttempt, TrackingCode
from indgang.inquiries.services import (
    inquiry_citizen_message_add,
    inquiry_note_add,
    inquiry_reply,
    inquiry_set_status,
    inquiry_submit,
)
from indgang.inquiries.tracking import (
    MAX_FAILURES,
    SESSION_ACCESS_SECONDS,
    timeline_for,
    tracking_attempts_prune,
)
from indgang.wayfinder.tests.base import WayfinderPageTestCase

from .factories import TeamFactory, UserFactory

URL = "/henvendelse/status/"
CODE_URL = "/henvendelse/status/kode/"
NEUTRAL = "Vi kunne ikke finde en henvendelse med de oplysninger"
RECEIVED = "Vi har modtaget din henvendelse"
CODE_SENT = "har vi nu sendt en kode til den"
CODE_WRONG = "Koden passer ikke, er brugt eller er udløbet"
CODE_SUBJECT = "Din kode til henvendelse"


class TrackingTestCase(WayfinderPageTestCase):
    def setUp(self):
        super().setUp()
        TeamFactory(slug="borgerservice", is_front_office=True)
        self.inquiry = inquiry_submit(
            channel=Channel.WEB,
            description="Mit pas er udløbet",
            service=self.m.passport,
            email="karen@example.dk",
            phone="22 33 44 55",
        )
        self.other = inquiry_submit(
            channel=Channel.WEB, description="Andet", email="other@example.dk"
        )

    def look_up(self, reference=None, contact="karen@example.dk", **extra):
        reference = self.inquiry.reference if reference is None else reference
        return self.client.post(URL, {"reference": reference, "contact": contact}, **extra)


class TrackingLookupTests(TrackingTestCase):
    def test_the_page_asks_for_reference_and_contact(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="reference"')
        self.assertContains(response, 'name="contact"')
        self.assertContains(response, 'value="send"')  # the one-time code form

    def test_the_right_reference_and_email_show_the_timeline(self):
        response = self.look_up(contact=" KAREN@example.dk ")
        self.assertRedirects(response, URL)
        page = self.client.get(URL)
        self.assertContains(page, self.inquiry.reference)
        self.assertContains(page, RECEIVED)
        self.assertNotContains(page, 'name="contact"')
        # The reference does not travel in the address: a reload works from the session.
        self.assertContains(self.client.get(URL), self.inquiry.reference)

    def test_the_phone_number_works_too_in_any_spelling(self):
        for phone in ["22334455", "+45 22 33 44 55", "0045 2233 4455"]:
            with self.subTest(phone=phone):
                self.client.post("/henvendelse/status/luk/")
                self.assertRedirects(self.look_up(contact=phone), URL)

    def test_a_forgiving_reference_is_read(self):
        loose = self.inquiry.reference.lower().replace("-", " ")
        self.assertRedirects(self.look_up(reference=loose), URL)

    def test_every_mismatch_gets_the_same_neutral_answer(self):
        cases = [
            (self.inquiry.reference, "wrong@example.dk"),
            (self.inquiry.reference, "other@example.dk"),
            (self.inquiry.reference, "99887766"),
            (self.other.reference, "karen@example.dk"),
            ("H-0000-0000", "karen@example.dk"),
            ("not a reference", "karen@example.dk"),
            ("x" * 40, "karen@example.dk"),
        ]
        for reference, contact in cases:
            with self.subTest(reference=reference[:12], contact=contact):
                response = self.look_up(reference=reference, contact=contact)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, NEUTRAL)
                self.assertNotContains(response, "timeline")
        self.assertNotContains(self.client.get(URL), self.inquiry.reference)

    def test_bad_input_never_breaks_the_page(self):
        for data in [
            {},
            {"reference": "", "contact": ""},
            {"reference": "\x00", "contact": "\x00"},
            {"reference": "x" * 5000, "contact": "y" * 5000},
            {"reference": ["a", "b"]},
        ]:
            with self.subTest(data=str(data)[:20]):
                self.assertEqual(self.client.post(URL, data).status_code, 200)

    def test_methods(self):
        self.assertEqual(self.client.put(URL).status_code, 405)
        self.assertEqual(self.client.get("/henvendelse/status/luk/").status_code, 405)

    def test_access_lasts_a_while_then_the_form_comes_back(self):
        self.look_up()
        later = timezone.now() + dt.timedelta(seconds=SESSION_ACCESS_SECONDS + 1)
        with time_machine.travel(later):
            page = self.client.get(URL)
        self.assertContains(page, 'name="contact"')
        self.assertNotContains(page, RECEIVED)

    def test_closing_forgets_the_inquiry_on_this_device(self):
        self.look_up()
        self.assertRedirects(self.client.post("/henvendelse/status/luk/"), URL)
        self.assertContains(self.client.get(URL), 'name="contact"')

    def test_a_tampered_session_shows_the_form(self):
        for value in ["x", {"id": "1"}, {"id": self.inquiry.pk, "until": "later"}, None]:
            with self.subTest(value=value):
                session = self.client.session
                session["inquiries.tracked"] = value
                session.save()
                self.assertContains(self.client.get(URL), 'name="contact"')


class TrackingThrottleTests(TrackingTestCase):
    def test_too_many_failures_from_one_client_give_429_even_with_the_right_answer(self):
        for _ in range(MAX_FAILURES):
            self.look_up(reference=self.other.reference, contact="guess@example.dk")
        response = self.look_up()
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Prøv igen senere", status_code=429)
        # The limit is kept in the database as keyed hashes, never the address itself.
        clients = set(TrackingAttempt.objects.values_list("client", flat=True))
        self.assertNotIn("127.0.0.1", " ".join(clients))
        # Another client may still look up its own inquiry.
        self.assertEqual(self.look_up(REMOTE_ADDR="10.9.8.7").status_code, 302)

    def test_too_many_failures_on_one_reference_stop_every_client(self):
        for i in range(MAX_FAILURES):
            self.look_up(contact="guess@example.dk", REMOTE_ADDR=f"10.0.0.{i}")
        self.assertEqual(self.look_up(REMOTE_ADDR="10.0.1.1").status_code, 429)

    def test_an_ipv6_client_counts_as_its_network(self):
        for i in range(MAX_FAILURES):
            self.look_up(
                reference=self.other.reference,
                contact="guess@example.dk",
                REMOTE_ADDR=f"2001:db8::{i + 1}",
            )
        self.assertEqual(
            self.look_up(reference="H-0000-0000", REMOTE_ADDR="2001:db8::ffff").status_code, 429
        )

    def test_the_limit_ends_and_old_attempts_are_cleaned_up(self):
        for _ in range(MAX_FAILURES):
            self.look_up(contact="guess@example.dk")
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
            self.assertEqual(self.look_up().status_code, 302)
        with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
            self.assertGreater(tracking_attempts_prune(), 0)
        self.assertFalse(TrackingAttempt.objects.exists())


class OneTimeCodeTests(TrackingTestCase):
    def ask_for_code(self, reference=None, **extra):
        reference = self.inquiry.reference if reference is None else reference
        return self.client.post(CODE_URL, {"action": "send", "reference": reference}, **extra)

    def code_from_outbox(self) -> str:
        email = OutboundEmail.objects.filter(subject__startswith=CODE_SUBJECT).latest("pk")
        return re.search(r"^\s+(\d{6})\s*$", email.body, re.MULTILINE).group(1)

    def test_the_code_arrives_through_the_outbox_and_opens_the_inquiry_once(self):
        response = self.ask_for_code()
        self.assertRedirects(response, CODE_URL)
        page = self.client.get(CODE_URL)
        self.assertContains(page, CODE_SENT)
        self.assertContains(page, f'value="{self.inquiry.reference}"')
        email = OutboundEmail.objects.filter(subject__startswith=CODE_SUBJECT).get()
        self.assertEqual(email.to, "karen@example.dk")
        self.assertEqual(email.inquiry, self.inquiry)
        code = self.code_from_outbox()
        stored = TrackingCode.objects.get()
        self.assertNotIn(code, stored.code_hash)  # only a hash is kept
        response = self.client.post(
            CODE_URL, {"action": "redeem", "reference": self.inquiry.reference, "code": code}
        )
        self.assertRedirects(response, URL)
        self.assertContains(self.client.get(URL), RECEIVED)
        # Used up: the same code does not work again.
        self.client.post("/henvendelse/status/luk/")
        again = self.client.post(
            CODE_URL, {"action": "redeem", "reference": self.inquiry.reference, "code": code}
        )
        self.assertContains(again, CODE_WRONG)

    def test_an_expired_code_does_not_work(self):
        self.ask_for_code()
        code = self.code_from_outbox()
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
            response = self.client.post(
                CODE_URL, {"action": "redeem", "reference": self.inquiry.reference, "code": code}
            )
        self.assertContains(response, CODE_WRONG)

    def test_the_answer_is_the_same_for_unknown_references(self):
        self.ask_for_code()
        known = self.client.get(CODE_URL)
        other_client = self.client_class()
        other_client.post(CODE_URL, {"action": "send", "reference": "H-0000-0000"})
        unknown = other_client.get(CODE_URL)
        self.assertContains(unknown, CODE_SENT)
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(OutboundEmail.objects.filter(subject__startswith=CODE_SUBJECT).count(), 1)

    def test_codes_are_limited_per_inquiry(self):
        for i in range(5):
            self.ask_for_code(REMOTE_ADDR=f"10.0.0.{i}")
        self.assertEqual(TrackingCode.objects.count(), 3)

    def test_wrong_codes_and_bad_input_are_handled(self):
        self.ask_for_code()
        for data in [
            {"action": "redeem", "reference": self.inquiry.reference, "code": "000000"},
            {"action": "redeem", "reference": self.inquiry.reference, "code": "abc"},
            {"action": "redeem", "reference": self.inquiry.reference, "code": ""},
            {"action": "redeem", "reference": "", "code": "123456"},
            {"action": "redeem", "reference": "\x00", "code": "\x00"},
            {"action": "send", "reference": "not a reference"},
            {"action": "send", "reference": ""},
            {"action": "send", "reference": "x" * 5000},
            {},
        ]:
            with self.subTest(data=str(data)[:30]):
                self.assertEqual(self.client.post(CODE_URL, data).status_code, 200)

    def test_guessing_codes_is_throttled(self):
        self.ask_for_code()
        for i in range(MAX_FAILURES):
            self.client.post(
                CODE_URL,
                {"action": "redeem", "reference": self.inquiry.reference, "code": f"{i:06d}"},
            )
        response = self.client.post(
            CODE_URL,
            {"action": "redeem", "reference": self.inquiry.reference, "code": "123456"},
        )
        self.assertEqual(response.status_code, 429)


class TimelineTests(TrackingTestCase):
    def test_the_timeline_shows_citizen_steps_and_hides_internal_ones(self):
        clerk = UserFactory(first_name="Bente", last_name="Sagsbehandler")
        inquiry_set_status(
            inquiry=self.inquiry, status=Status.IN_PROGRESS, by=clerk, note="Intern: ring ham"
        )
        inquiry_note_add(inquiry=self.inquiry, body="Hemmelig intern note", by=clerk)
        inquiry_reply(
            inquiry=self.inquiry, body="Hvilken dato?", by=clerk, status=Status.AWAITING_CITIZEN
        )
        inquiry_citizen_message_add(inquiry=self.inquiry, body="Den 3. maj")
        inquiry_reply(inquiry=self.inquiry, body="Du får nyt pas.", by=clerk)
        inquiry_set_status(inquiry=self.inquiry, status=Status.CLOSED, by=clerk)
        inquiry_set_status(inquiry=self.inquiry, status=Status.IN_PROGRESS, by=clerk)
        kinds = [step.kind for step in timeline_for(self.inquiry)]
        self.assertEqual(
            kinds,
            [
                "received",
                "in_progress",
                "reply",
                "awaiting_citizen",
                "citizen_message",
                "in_progress",
                "reply",
                "closed",
                "reopened",
            ],
        )
        self.look_up()
        page = self.client.get(URL)
        self.assertContains(page, "Hvilken dato?")
        self.assertContains(page, "Du får nyt pas.")
        for hidden in ["Hemmelig intern note", "Intern: ring ham", "Bente", "Sagsbehandler"]:
            self.assertNotContains(page, hidden)
        self.assertNotContains(page, clerk.username)
