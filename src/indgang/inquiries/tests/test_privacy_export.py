import datetime as dt
import json
import logging
import shutil
import tempfile

from django.test import TestCase, override_settings

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.inquiries.attachments import IncomingFile
from indgang.inquiries.lifecycle import Channel, MessageKind, Status
from indgang.inquiries.models import AccessLogEntry
from indgang.inquiries.privacy import citizen_data_export, cpr_normalise
from indgang.inquiries.services import (
    inquiry_hand_over,
    inquiry_note_add,
    inquiry_reply,
    inquiry_set_status,
    inquiry_submit,
)
from indgang.wayfinder.freshness import forget_index

from .factories import TeamFactory, UserFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


class CitizenDataExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.media = tempfile.mkdtemp(prefix="indgang-export-media-")
        cls.media_override = override_settings(MEDIA_ROOT=cls.media)
        cls.media_override.enable()
        forget_index()
        TeamFactory(slug="borgerservice", is_front_office=True)
        cls.service = ServiceFactory(slug="pas", title="Pas")
        cls.clerk = UserFactory(username="clerk1", first_name="Lone", last_name="Holm")
        cls.reader = UserFactory(username="reader2")
        cls.mine = inquiry_submit(
            channel=Channel.WEB,
            description="Mit pas er udløbet, hvad gør jeg?",
            service=cls.service,
            name="Karen Jensen",
            email="Karen.Jensen@Example.dk",
            phone="20304050",
            cpr="0101901234",
            files=[IncomingFile("gammelt-pas.pdf", PDF)],
            suggest_service=False,
        )
        inquiry_note_add(inquiry=cls.mine, body="Borgeren virkede usikker.", by=cls.clerk)
        inquiry_hand_over(
            inquiry=cls.mine, team=TeamFactory(slug="pas-team"), by=cls.clerk, note="Til pas"
        )
        inquiry_reply(inquiry=cls.mine, body="Bestil tid på rådhuset.", by=cls.clerk)
        cls.second = inquiry_submit(
            channel=Channel.EMAIL,
            description="Tak for svaret.",
            email="karen.jensen@example.dk",
            name="Karen J.",
            suggest_service=False,
        )
        inquiry_set_status(inquiry=cls.second, status=Status.CLOSED)
        cls.other = inquiry_submit(
            channel=Channel.WEB,
            description="Naboens spørgsmål om affald.",
            name="Ole Nabo",
            email="ole@example.dk",
            cpr="0202805678",
            suggest_service=False,
        )
        AccessLogEntry.objects.create(
            user=cls.clerk, inquiry_reference=cls.mine.reference, action="view"
        )
        AccessLogEntry.objects.create(
            user=cls.reader, inquiry_reference=cls.mine.reference, action="view"
        )
        AccessLogEntry.objects.create(
            user=cls.reader, inquiry_reference=cls.other.reference, action="view"
        )

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.media_override.disable()
        shutil.rmtree(cls.media, ignore_errors=True)
        forget_index()

    def setUp(self):
        quiet = logging.getLogger("indgang.inquiries.privacy")
        self.addCleanup(quiet.setLevel, quiet.level)
        quiet.setLevel(logging.WARNING)

    def references(self, data: dict) -> list[str]:
        return [inquiry["reference"] for inquiry in data["inquiries"]]

    def test_by_email_in_any_case_finds_all_the_citizens_inquiries(self):
        data = citizen_data_export(email="KAREN.jensen@example.DK")
        self.assertEqual(self.references(data), [self.mine.reference, self.second.reference])
        self.assertEqual(data["matched_on"], "email")

    def test_by_cpr_with_or_without_the_dash(self):
        for cpr in ("0101901234", "010190-1234", " 010190 1234 "):
            with self.subTest(cpr=cpr):
                data = citizen_data_export(cpr=cpr)
                self.assertEqual(self.references(data), [self.mine.reference])

    def test_a_malformed_cpr_or_no_key_is_refused(self):
        for kwargs in ({"cpr": "0101-90"}, {}, {"email": "a@example.dk", "cpr": "0101901234"}):
            with self.subTest(kwargs=kwargs), self.assertRaises(ValueError):
                citizen_data_export(**kwargs)
        self.assertEqual(cpr_normalise("010190-1234"), "0101901234")

    def test_no_match_gives_an_empty_export(self):
        data = citizen_data_export(email="nobody@example.dk")
        self.assertEqual(
            (data["inquiries"], data["contact_data"], data["access_log"]), ([], [], [])
        )

    def test_it_is_json_with_iso_dates_and_stable_keys(self):
        data = citizen_data_export(email="karen.jensen@example.dk")
        self.assertEqual(json.loads(json.dumps(data)), data)
        self.assertEqual(
            list(data),
            [
                "format",
                "generated_at",
                "controller",
                "matched_on",
                "contact_data",
                "inquiries",
                "access_log",
                "searches",
                "notes",
            ],
        )
        first = data["inquiries"][0]
        self.assertEqual(dt.datetime.fromisoformat(first["received_at"]), self.mine.received_at)
        self.assertEqual(dt.date.fromisoformat(first["answer_promised_by"]), self.mine.due_on)
        closed = data["inquiries"][1]
        self.assertEqual(closed["status"], Status.CLOSED)
        self.second.refresh_from_db()
        self.assertEqual(dt.date.fromisoformat(closed["delete_after"]), self.second.delete_after)

    def test_it_holds_the_inquiry_messages_attachments_and_visible_timeline(self):
        first = citizen_data_export(email="karen.jensen@example.dk")["inquiries"][0]
        self.assertEqual(first["service"], {"slug": "pas", "title": "Pas"})
        self.assertEqual(first["channel"], Channel.WEB)
        self.assertEqual(first["description"], "Mit pas er udløbet, hvad gør jeg?")
        self.assertEqual(
            [(m["kind"], m["text"]) for m in first["messages"]],
            [
                (MessageKind.FROM_CITIZEN, "Mit pas er udløbet, hvad gør jeg?"),
                (MessageKind.TO_CITIZEN, "Bestil tid på rådhuset."),
            ],
        )
        [attachment] = first["attachments"]
        self.assertEqual(
            (attachment["filename"], attachment["content_type"], attachment["size"]),
            ("gammelt-pas.pdf", "application/pdf", len(PDF)),
        )
        self.assertEqual(first["messages"][0]["attachments"][0]["filename"], "gammelt-pas.pdf")
        # The citizen-visible steps only: received, the answer, answered; not the handover.
        kinds = [event["kind"] for event in first["timeline"]]
        self.assertIn("reply", kinds)
        self.assertNotIn("team", kinds)
        self.assertEqual(
            [e["to"] for e in first["timeline"] if e["kind"] == "status"][-1], "answered"
        )
        # The receipt and the answer, both to the address given.
        self.assertEqual(
            [email["to"] for email in first["emails_sent"]], ["Karen.Jensen@Example.dk"] * 2
        )

    def test_internal_notes_are_included_and_labelled(self):
        first = citizen_data_export(email="karen.jensen@example.dk")["inquiries"][0]
        self.assertEqual(len(first["internal_notes"]), 1)
        note = first["internal_notes"][0]
        self.assertEqual(note["text"], "Borgeren virkede usikker.")
        self.assertEqual(note["written_by"], "Lone Holm")
        self.assertTrue(note["label"])
        self.assertNotIn("Borgeren virkede usikker.", [m["text"] for m in first["messages"]])

    def test_it_lists_the_contact_data_given(self):
        data = citizen_data_export(email="karen.jensen@example.dk")
        self.assertEqual(
            data["contact_data"],
            [
                {
                    "name": "Karen Jensen",
                    "email": "Karen.Jensen@Example.dk",
                    "phone": "20304050",
                    "cpr": "0101901234",
                },
                {"name": "Karen J.", "email": "karen.jensen@example.dk", "phone": "", "cpr": ""},
            ],
        )

    def test_it_says_who_read_the_inquiries_and_when(self):
        data = citizen_data_export(cpr="010190-1234")
        readers = [(row["inquiry"], row["who"]) for row in data["access_log"]]
        self.assertEqual(
            readers, [(self.mine.reference, "Lone Holm"), (self.mine.reference, "reader2")]
        )
        self.assertEqual(data["inquiries"][0]["read_by_staff"], data["access_log"])
        self.assertTrue(all(dt.datetime.fromisoformat(row["at"]) for row in data["access_log"]))

    def test_nothing_about_other_citizens(self):
        text = json.dumps(citizen_data_export(email="karen.jensen@example.dk"))
        for foreign in (
            "Ole Nabo",
            "ole@example.dk",
            "0202805678",
            "Naboens",
            self.other.reference,
        ):
            with self.subTest(foreign=foreign):
                self.assertNotIn(foreign, text)

    def test_it_explains_that_searches_are_stored_masked(self):
        self.assertTrue(citizen_data_export(email="x@example.dk")["searches"])

    def test_the_log_line_never_holds_the_cpr_number(self):
        with self.assertLogs("indgang.inquiries.privacy", level="INFO") as logs:
            citizen_data_export(cpr="010190-1234")
        self.assertNotIn("0101901234", "\n".join(logs.output))
        self.assertNotIn("010190", "\n".join(logs.output))
