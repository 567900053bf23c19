import io
import re
import zipfile

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from indgang.inquiries.attachments import MAX_FILE_BYTES, MAX_FILES
from indgang.inquiries.forms import FORM_SALT, OTHER, form_token_new
from indgang.inquiries.lifecycle import Channel
from indgang.inquiries.models import Attachment, Inquiry, OutboundEmail
from indgang.inquiries.references import reference_parse
from indgang.wayfinder.tests.base import WayfinderPageTestCase

from .factories import TeamFactory, UserFactory

URL = "/henvendelse/"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def token_in(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


@override_settings(MEDIA_ROOT="/tmp/indgang-test-media")
class InquiryFormTests(WayfinderPageTestCase):
    """/henvendelse/: describe the need, confirm the service and how to answer, send."""

    def setUp(self):
        super().setUp()
        TeamFactory(slug="borgerservice", is_front_office=True)

    def describe(self, description="Mit pas er udløbet", **extra):
        return self.client.post(URL, {"action": "describe", "description": description, **extra})

    def send(self, **fields):
        data = {
            "action": "send",
            "token": form_token_new(),
            "description": "Mit pas er udløbet",
            "service": "pas",
            "name": "Karen Jensen",
            "email": "karen@example.dk",
            "phone": "",
        }
        return self.client.post(URL, data | fields)

    def test_step_one_asks_for_the_need(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="description"')
        self.assertContains(response, 'value="describe"')
        self.assertNotContains(response, 'name="service"')

    def test_step_two_preselects_the_confident_suggestion_and_offers_others(self):
        response = self.describe("pas")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertRegex(html, r'value="pas" checked')
        self.assertIn(f'value="{OTHER}"', html)
        self.assertIn('name="token"', html)

    def test_when_unsure_i_dont_know_is_chosen(self):
        response = self.describe("xyzzy plugh")
        self.assertRegex(response.content.decode(), rf'value="{OTHER}" checked')

    def test_a_service_link_preselects_the_service(self):
        response = self.client.get(URL, {"ydelse": "boligstoette"})
        self.assertContains(response, 'name="ydelse" value="boligstoette"')
        response = self.describe("pas", ydelse="boligstoette")
        self.assertRegex(response.content.decode(), r'value="boligstoette" checked')

    def test_an_unknown_service_link_is_ignored(self):
        for slug in ["findes-ikke", "x" * 500, "<script>", "\x00"]:
            with self.subTest(slug=slug[:10]):
                response = self.client.get(URL, {"ydelse": slug})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "&lt;script")

    def test_another_authoritys_service_says_who_handles_it_and_links_there(self):
        response = self.describe("boligstøtte", ydelse="boligstoette")
        authority = self.m.housing_benefit.authority
        self.assertContains(
            response, f"Det er {authority.name}, der behandler sagen – ikke kommunen"
        )
        self.assertContains(response, f'href="{authority.website}"')

    def test_a_logged_in_citizen_gets_name_and_email_filled_in(self):
        user = UserFactory(
            username="borger",
            is_staff=False,
            first_name="Ole",
            last_name="Hansen",
            email="ole@example.dk",
        )
        self.client.force_login(user)
        response = self.describe()
        self.assertContains(response, 'value="Ole Hansen"')
        self.assertContains(response, 'value="ole@example.dk"')
        token = token_in(response)
        self.send(token=token, email="ole@example.dk")
        self.assertEqual(Inquiry.objects.get().citizen_user, user)

    def test_sending_makes_one_inquiry_and_shows_the_receipt(self):
        response = self.send(phone="+45 22 33 44 55")
        self.assertRedirects(response, "/henvendelse/kvittering/")
        inquiry = Inquiry.objects.get()
        self.assertEqual(inquiry.channel, Channel.WEB)
        self.assertEqual(inquiry.service, self.m.passport)
        self.assertEqual(inquiry.citizen_phone, "+4522334455")
        self.assertEqual(OutboundEmail.objects.get().to, "karen@example.dk")
        receipt = self.client.get("/henvendelse/kvittering/")
        self.assertContains(receipt, inquiry.reference)
        self.assertContains(receipt, "/henvendelse/status/")
        self.assertContains(receipt, " ".join(inquiry.reference.replace("-", "")))
        # The reference never travels in the address.
        self.assertNotIn(inquiry.reference, response["Location"])

    def test_i_dont_know_goes_to_a_person_without_a_service(self):
        self.send(service=OTHER, description="pas")
        self.assertIsNone(Inquiry.objects.get().service)

    def test_the_same_form_sent_twice_makes_one_inquiry(self):
        token = form_token_new()
        first = self.send(token=token)
        second = self.send(token=token, description="changed my mind")
        self.assertRedirects(first, "/henvendelse/kvittering/")
        self.assertRedirects(second, "/henvendelse/kvittering/")
        self.assertEqual(Inquiry.objects.count(), 1)
        self.assertEqual(
            Inquiry.objects.get().reference,
            reference_parse(signing.loads(token, salt=FORM_SALT)["r"]),
        )
        self.assertEqual(OutboundEmail.objects.count(), 1)

    def test_the_reference_comes_from_the_signed_token(self):
        token = form_token_new()
        self.send(token=token)
        self.assertEqual(Inquiry.objects.get().reference, signing.loads(token, salt=FORM_SALT)["r"])

    def test_a_tampered_or_missing_token_keeps_what_was_typed_and_makes_a_new_one(self):
        forged = signing.dumps({"r": "H-0000-0000"}, salt="other")
        for token in ["", "garbage", forged, "x" * 600, signing.dumps("H", salt=FORM_SALT)]:
            with self.subTest(token=token[:12]):
                response = self.send(token=token, name="Karen Tamper")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Formularen har været åben for længe")
                self.assertContains(response, 'value="Karen Tamper"')
                self.assertNotEqual(token_in(response), token)
        self.assertFalse(Inquiry.objects.exists())
        # The new token works.
        response = self.send(token=token_in(response))
        self.assertEqual(response.status_code, 302)

    def test_errors_are_summarised_linked_and_nothing_typed_is_lost(self):
        response = self.send(
            description="Min beskrivelse", email="ikke-en-adresse", name="Karen", phone="123"
        )
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('class="alert alert-error"', html)
        self.assertIn('href="#id_email"', html)
        self.assertIn('href="#id_phone"', html)
        self.assertIn('aria-invalid="true"', html)
        self.assertIn("Min beskrivelse", html)
        self.assertIn('value="Karen"', html)
        self.assertIn('value="ikke-en-adresse"', html)
        self.assertIn('value="123"', html)
        self.assertFalse(Inquiry.objects.exists())

    def test_bad_input_never_breaks_the_page(self):
        cases = [
            {"description": ""},
            {"description": "   "},
            {"description": "x" * 10_001},
            {"description": "nul\x00byte"},
            {"service": "findes-ikke"},
            {"service": ""},
            {"service": "x" * 500},
            {"service": "draft-slug"},
            {"email": "", "phone": ""},
            {"email": "a@" + "b" * 300 + ".dk"},
            {"email": "\x00@example.dk"},
            {"phone": "12345678"},
            {"phone": "+45 1234567"},
            {"phone": "x" * 100},
            {"name": "n" * 201},
            {"name": "\x00"},
        ]
        for fields in cases:
            with self.subTest(fields={k: v[:12] for k, v in fields.items()}):
                response = self.send(**fields)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "alert-error")
        self.assertFalse(Inquiry.objects.exists())

    def test_a_draft_service_cannot_be_chosen(self):
        response = self.send(service=self.m.draft_service.slug)
        self.assertContains(response, 'href="#id_service_0"')

    def test_nothing_to_answer_to_is_an_error_on_the_email_field(self):
        response = self.send(email="", phone="")
        self.assertContains(response, "Skriv din e-mailadresse eller dit telefonnummer")

    def test_step_one_and_suggest_again_survive_bad_input(self):
        for description in ["", "x" * 10_001, "\x00"]:
            with self.subTest(description=description[:5]):
                self.assertEqual(self.describe(description).status_code, 200)
        response = self.client.post(
            URL,
            {"action": "suggest", "description": "boligstøtte", "name": "Karen", "token": "kept"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="boligstoette"')
        self.assertContains(response, 'value="Karen"')
        for action in ["", "unknown", "x" * 1000]:
            with self.subTest(action=action[:5]):
                self.assertEqual(
                    self.client.post(URL, {"action": action, "description": "pas"}).status_code,
                    200,
                )

    def test_files_are_kept_with_the_inquiry(self):
        files = [
            SimpleUploadedFile("brev.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("note.txt", b"Hej med dig", content_type="text/plain"),
        ]
        response = self.send(files=files)
        self.assertEqual(response.status_code, 302)
        kept = Attachment.objects.order_by("filename")
        self.assertEqual(
            [(a.filename, a.content_type) for a in kept],
            [("brev.pdf", "application/pdf"), ("note.txt", "text/plain")],
        )

    def test_bad_files_are_refused_on_the_field(self):
        exe = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 50)
        big = SimpleUploadedFile("big.pdf", PDF + b"0" * MAX_FILE_BYTES)
        empty = SimpleUploadedFile("empty.pdf", b"")
        many = [SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(MAX_FILES + 1)]
        fake_zip = io.BytesIO()
        with zipfile.ZipFile(fake_zip, "w") as archive:
            archive.writestr("evil.sh", "rm -rf /")
        zipped = SimpleUploadedFile("doc.docx", fake_zip.getvalue())
        for files, words in [
            ([exe], "virus.pdf er ikke en filtype, vi kan modtage"),
            ([big], "big.pdf er større end"),
            ([empty], 'id="id_files_error"'),
            (many, f"Du kan højst sende {MAX_FILES} filer"),
            ([zipped], "doc.docx er ikke en filtype"),
        ]:
            with self.subTest(words=words):
                response = self.send(files=files, name="Karen File")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, words)
                self.assertContains(response, 'href="#id_files"')
                self.assertContains(response, "Vælg dine filer igen")
                self.assertContains(response, 'value="Karen File"')
        self.assertFalse(Inquiry.objects.exists())

    def test_the_receipt_without_a_sent_inquiry_leads_to_tracking(self):
        self.assertRedirects(self.client.get("/henvendelse/kvittering/"), "/henvendelse/status/")
        session = self.client.session
        session["inquiries.receipt"] = {"id": "x", "until": "y"}
        session.save()
        self.assertEqual(self.client.get("/henvendelse/kvittering/").status_code, 302)

    def test_methods(self):
        self.assertEqual(self.client.put(URL).status_code, 405)
        self.assertEqual(self.client.delete(URL).status_code, 405)
        self.assertEqual(self.client.post("/henvendelse/kvittering/").status_code, 405)
        self.assertEqual(self.client.head(URL).status_code, 200)

    def test_the_form_needs_the_csrf_token(self):
        client = self.client_class(enforce_csrf_checks=True)
        response = client.post(URL, {"action": "describe", "description": "pas"})
        self.assertEqual(response.status_code, 403)

    def test_it_is_in_english_too(self):
        response = self.client.get("/en" + URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'lang="en"')


class WriteToUsLinkTests(WayfinderPageTestCase):
    def test_a_service_page_links_to_the_form_with_its_service(self):
        response = self.client.get(self.m.passport.get_absolute_url())
        self.assertContains(response, '/henvendelse/?ydelse=pas"')

    def test_the_wayfinders_not_sure_page_offers_to_write(self):
        response = self.client.get("/vejviser/", {"q": "xyzzy plugh"})
        self.assertContains(response, 'href="/henvendelse/"')
