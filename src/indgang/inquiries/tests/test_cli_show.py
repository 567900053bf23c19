import json
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.inquiries.lifecycle import Channel
from indgang.inquiries.references import reference_generate
from indgang.inquiries.services import inquiry_note_add, inquiry_reply, inquiry_submit
from indgang.wayfinder.freshness import forget_index

from .factories import TeamFactory, UserFactory


class ShowCommandTests(TestCase):
    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)
        self.team = TeamFactory(slug="borgerservice", name="Borgerservice", is_front_office=True)
        self.clerk = UserFactory(username="clerk")
        self.inquiry = inquiry_submit(
            channel=Channel.EMAIL,
            description="Mit pas er udløbet.",
            subject="Pas",
            service=ServiceFactory(slug="pas", title="Pas"),
            name="Karen Jensen",
            email="karen@example.dk",
            email_message_id="<show@example.dk>",
        )
        inquiry_note_add(inquiry=self.inquiry, body="Ringet op, ingen svar.", by=self.clerk)
        inquiry_reply(inquiry=self.inquiry, body="Bestil tid til nyt pas.", by=self.clerk)

    def show(self, *args: str) -> str:
        out = StringIO()
        call_command("inquiries", "show", *args, stdout=out)
        return out.getvalue()

    def test_it_shows_status_service_team_deadline_events_and_messages(self):
        text = self.show(self.inquiry.reference)
        self.assertIn(f"{self.inquiry.reference}  answered  (email)", text)
        self.assertIn("Service:   Pas (pas)", text)
        self.assertIn("Team:      Borgerservice", text)
        self.assertIn(f"Answer by: {self.inquiry.due_on.isoformat()}", text)
        self.assertIn("Karen Jensen <karen@example.dk>", text)
        self.assertIn("received", text)
        self.assertIn("Mit pas er udløbet.", text)
        self.assertIn("Ringet op, ingen svar.", text)
        self.assertIn("Bestil tid til nyt pas.", text)
        self.assertIn("Outgoing e-mail:", text)

    def test_json_has_stable_keys(self):
        data = json.loads(self.show(self.inquiry.reference, "--json"))
        self.assertEqual(
            sorted(data),
            sorted(
                [
                    "reference",
                    "status",
                    "channel",
                    "service",
                    "service_title",
                    "team",
                    "team_name",
                    "assignee",
                    "sensitive",
                    "subject",
                    "received_at",
                    "due_on",
                    "closed_at",
                    "citizen",
                    "events",
                    "messages",
                    "outbound_emails",
                ]
            ),
        )
        self.assertEqual(
            (data["reference"], data["status"], data["service"], data["team"]),
            (self.inquiry.reference, "answered", "pas", "borgerservice"),
        )
        self.assertEqual(data["due_on"], self.inquiry.due_on.isoformat())
        self.assertEqual(
            [m["kind"] for m in data["messages"]], ["from_citizen", "internal_note", "to_citizen"]
        )
        self.assertEqual(data["messages"][0]["email_message_id"], "<show@example.dk>")
        self.assertEqual(data["events"][0]["to"], "received")
        self.assertEqual(
            sorted(data["events"][0]), ["at", "by", "citizen_visible", "from", "kind", "note", "to"]
        )
        self.assertEqual([e["state"] for e in data["outbound_emails"]], ["queued", "queued"])

    def test_the_reference_is_read_forgivingly(self):
        sloppy = self.inquiry.reference.lower().replace("-", " ")
        self.assertIn(self.inquiry.reference, self.show(sloppy))

    def test_an_invalid_reference_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "not a valid inquiry reference"):
            self.show("H-1234-5678X")

    def test_an_unknown_reference_is_an_error(self):
        unknown = reference_generate()
        with self.assertRaisesMessage(CommandError, f"There is no inquiry {unknown}"):
            self.show(unknown)
