import hashlib
import shutil
import tempfile

from django.core.files.base import ContentFile
from django.test import TestCase, override_settings
from django.utils import timezone

from indgang.inquiries.access_log import AccessAction
from indgang.inquiries.lifecycle import EventKind, MessageKind, Status
from indgang.inquiries.models import AccessLogEntry, Attachment, InquiryMessage, OutboundEmail
from indgang.inquiries.services import inquiry_set_status

from .factories import InquiryFactory
from .staff_personas import CPR, StaffInquiryPersonasMixin


def detail_url(inquiry, suffix=""):
    return f"/personale/henvendelser/{inquiry.reference}/{suffix}"


def logged(user, inquiry):
    return list(
        AccessLogEntry.objects.filter(user=user, inquiry_reference=inquiry.reference)
        .order_by("pk")
        .values_list("action", flat=True)
    )


class StaffDetailAccessTests(StaffInquiryPersonasMixin, TestCase):
    def test_anonymous_visitors_go_to_the_login(self):
        response = self.client.get(detail_url(self.inquiry))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_the_handling_team_sees_the_whole_inquiry_and_the_cpr_number(self):
        self.client.force_login(self.specialist)
        response = self.client.get(detail_url(self.inquiry))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "karen@example.dk")
        self.assertContains(response, "070761-4285")
        self.assertContains(response, "tandlægeregning")
        self.assertEqual(
            logged(self.specialist, self.inquiry), [AccessAction.VIEW, AccessAction.VIEW_CPR]
        )

    def test_every_reading_is_logged_again(self):
        self.client.force_login(self.specialist)
        self.client.get(detail_url(self.sensitive))
        self.client.get(detail_url(self.sensitive))
        self.assertEqual(logged(self.specialist, self.sensitive), [AccessAction.VIEW] * 2)

    def test_a_front_office_clerk_of_another_team_sees_only_status_team_and_date(self):
        self.client.force_login(self.clerk)
        for inquiry in (self.inquiry, self.sensitive):
            with self.subTest(sensitive=inquiry.sensitive):
                response = self.client.get(detail_url(inquiry))
                self.assertEqual(response.status_code, 200)
                self.assertTemplateUsed(response, "inquiries/staff/existence.html")
                self.assertContains(response, "Ydelseskontoret")
                self.assertContains(response, inquiry.get_status_display())
                for private in (
                    inquiry.citizen_name,
                    inquiry.citizen_email,
                    inquiry.description[:20],
                    CPR[:6],
                ):
                    self.assertNotContains(response, private)
                self.assertEqual(logged(self.clerk, inquiry), [AccessAction.LOOKUP])

    def test_another_team_a_manager_an_administrator_and_a_superuser_get_404(self):
        for user in (self.colleague, self.manager, self.administrator, self.root):
            for inquiry in (self.inquiry, self.sensitive):
                with self.subTest(user=user.username, sensitive=inquiry.sensitive):
                    self.client.force_login(user)
                    self.assertEqual(self.client.get(detail_url(inquiry)).status_code, 404)
        self.assertFalse(AccessLogEntry.objects.exists())

    def test_a_citizen_is_refused(self):
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(detail_url(self.inquiry)).status_code, 403)

    def test_an_unknown_or_malformed_reference_is_404(self):
        self.client.force_login(self.specialist)
        for reference in ("H-0000-0000", "nonsense", "H-" + "X" * 300):
            with self.subTest(reference=reference):
                response = self.client.get(f"/personale/henvendelser/{reference}/")
                self.assertEqual(response.status_code, 404)

    def test_the_reference_is_read_forgivingly(self):
        self.client.force_login(self.specialist)
        sloppy = self.inquiry.reference.lower().replace("-", "")
        self.assertEqual(self.client.get(f"/personale/henvendelser/{sloppy}/").status_code, 200)

    def test_actions_by_anyone_outside_the_team_are_404_and_change_nothing(self):
        posts = {
            "tildel/": {"assign-assignee": "me"},
            "status/": {"status-status": Status.CLOSED},
            "videregiv/": {"handover-team": self.other_team.pk, "handover-reason": "x"},
            "notat/": {"note-body": "hej"},
            "svar/": {"reply-body": "hej", "reply-status": Status.ANSWERED},
        }
        for user in (self.colleague, self.clerk, self.administrator, self.root):
            self.client.force_login(user)
            for suffix, data in posts.items():
                with self.subTest(user=user.username, action=suffix):
                    response = self.client.post(detail_url(self.sensitive, suffix), data)
                    self.assertEqual(response.status_code, 404)
        self.sensitive.refresh_from_db()
        self.assertEqual(self.sensitive.status, Status.RECEIVED)
        self.assertEqual(self.sensitive.team, self.team)
        self.assertFalse(self.sensitive.messages.exists())

    def test_actions_by_anonymous_visitors_go_to_the_login(self):
        response = self.client.post(detail_url(self.inquiry, "notat/"), {"note-body": "hej"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.inquiry.messages.exists())

    def test_actions_only_accept_post(self):
        self.client.force_login(self.specialist)
        for suffix in ("tildel/", "status/", "videregiv/", "notat/", "svar/"):
            with self.subTest(action=suffix):
                self.assertEqual(self.client.get(detail_url(self.inquiry, suffix)).status_code, 405)


class StaffDetailPageTests(StaffInquiryPersonasMixin, TestCase):
    def setUp(self):
        self.client.force_login(self.specialist)

    def test_messages_of_each_kind_are_told_apart(self):
        now = timezone.now()
        for kind, body in [
            (MessageKind.FROM_CITIZEN, "Spørgsmål fra borgeren"),
            (MessageKind.TO_CITIZEN, "Vores svar"),
            (MessageKind.INTERNAL_NOTE, "Kun til os"),
        ]:
            InquiryMessage.objects.create(
                inquiry=self.inquiry, kind=kind, body=body, created_at=now
            )
        response = self.client.get(detail_url(self.inquiry))
        self.assertContains(response, "staff-message-from_citizen")
        self.assertContains(response, "staff-message-to_citizen")
        self.assertContains(response, "staff-message-internal_note")
        self.assertContains(response, "Intern note (vises ikke for borgeren)")

    def test_the_status_form_offers_only_the_allowed_next_statuses(self):
        inquiry_set_status(inquiry=self.inquiry, status=Status.CLOSED)
        response = self.client.get(detail_url(self.inquiry))
        choices = [v for v, _label in response.context["status_form"].fields["status"].choices]
        self.assertEqual(choices, [Status.IN_PROGRESS])

    def test_a_failed_email_is_shown_prominently_and_can_be_sent_again(self):
        email = OutboundEmail.objects.create(
            inquiry=self.inquiry,
            to="karen@example.dk",
            subject="Svar på din henvendelse",
            body="…",
            message_id="<a@b>",
            attempts=5,
            failed_at=timezone.now(),
            last_error="550 mailbox unavailable",
        )
        response = self.client.get(detail_url(self.inquiry))
        self.assertContains(response, "staff-failed-email")
        self.assertContains(response, "550 mailbox unavailable")
        response = self.client.post(detail_url(self.inquiry, f"e-mail/{email.pk}/send-igen/"))
        self.assertEqual(response.status_code, 302)
        email.refresh_from_db()
        self.assertIsNone(email.failed_at)
        self.assertLessEqual(email.next_attempt_at, timezone.now())
        self.assertEqual(email.state, "retrying")
        # A second click does nothing, and another inquiry's e-mail is not found through this one.
        self.client.post(detail_url(self.inquiry, f"e-mail/{email.pk}/send-igen/"))
        response = self.client.post(detail_url(self.sensitive, f"e-mail/{email.pk}/send-igen/"))
        self.assertEqual(response.status_code, 404)

    def test_an_overdue_inquiry_is_marked(self):
        overdue = InquiryFactory(
            team=self.team, due_on=timezone.localdate() - timezone.timedelta(days=1)
        )
        response = self.client.get(detail_url(overdue))
        self.assertContains(response, "staff-overdue")

    def test_a_service_of_another_authority_gets_a_prefilled_guidance_answer(self):
        guided = InquiryFactory(team=self.team, service=self.other_authority_service)
        response = self.client.get(detail_url(guided))
        self.assertIn("Udbetaling Danmark", response.context["reply_form"].initial["body"])


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="indgang-staff-test-"))
class StaffAttachmentTests(StaffInquiryPersonasMixin, TestCase):
    @classmethod
    def tearDownClass(cls):
        from django.conf import settings

        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        content = b"%PDF-1.4 scanned letter"
        self.attachment = Attachment(
            inquiry=self.sensitive,
            filename="brev fra borger.pdf",
            content_type="application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        self.attachment.file.save("x", ContentFile(content), save=False)
        self.attachment.save()
        self.url = detail_url(self.sensitive, f"bilag/{self.attachment.pk}/")

    def test_the_handling_team_downloads_it_as_an_attachment_and_it_is_logged(self):
        self.client.force_login(self.specialist)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4 scanned letter")
        self.assertEqual(logged(self.specialist, self.sensitive), [AccessAction.DOWNLOAD])

    def test_nobody_else_downloads_it(self):
        for user in (self.clerk, self.colleague, self.manager, self.administrator, self.root):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertFalse(AccessLogEntry.objects.exists())

    def test_an_attachment_of_another_inquiry_is_not_found_through_this_one(self):
        self.client.force_login(self.specialist)
        url = detail_url(self.inquiry, f"bilag/{self.attachment.pk}/")
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_anonymous_visitors_go_to_the_login(self):
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_a_missing_file_is_404_not_500(self):
        self.attachment.file.delete(save=False)
        self.client.force_login(self.specialist)
        self.assertEqual(self.client.get(self.url).status_code, 404)


class StaffActionTests(StaffInquiryPersonasMixin, TestCase):
    def setUp(self):
        self.client.force_login(self.specialist)

    def post(self, suffix, data, inquiry=None):
        return self.client.post(detail_url(inquiry or self.inquiry, suffix), data)

    def test_assign_to_me_to_a_team_member_and_to_nobody(self):
        other_member = self.colleague
        self.team.members.add(other_member)
        self.assertEqual(self.post("tildel/", {"assign-assignee": "me"}).status_code, 302)
        self.inquiry.refresh_from_db()
        self.assertEqual(self.inquiry.assignee, self.specialist)
        self.post("tildel/", {"assign-assignee": str(other_member.pk)})
        self.inquiry.refresh_from_db()
        self.assertEqual(self.inquiry.assignee, other_member)
        self.post("tildel/", {"assign-assignee": "nobody"})
        self.inquiry.refresh_from_db()
        self.assertIsNone(self.inquiry.assignee)
        self.assertEqual(self.inquiry.events.filter(kind=EventKind.ASSIGNEE).count(), 3)

    def test_assign_refuses_someone_outside_the_team(self):
        for value in (str(self.clerk.pk), "abc", "", "99999"):
            with self.subTest(value=value):
                response = self.post("tildel/", {"assign-assignee": value})
                self.assertEqual(response.status_code, 400)
        self.inquiry.refresh_from_db()
        self.assertIsNone(self.inquiry.assignee)

    def test_status_change_is_recorded_with_who(self):
        response = self.post("status/", {"status-status": Status.IN_PROGRESS, "status-note": "ok"})
        self.assertRedirects(response, detail_url(self.inquiry))
        event = self.inquiry.events.get(kind=EventKind.STATUS, to_value=Status.IN_PROGRESS)
        self.assertEqual(
            (event.actor, event.from_value, event.note), (self.specialist, "received", "ok")
        )

    def test_an_illegal_status_change_is_rejected_with_a_message(self):
        inquiry_set_status(inquiry=self.inquiry, status=Status.CLOSED)
        for value in (Status.ANSWERED, Status.RECEIVED, "nonsense", ""):
            with self.subTest(value=value):
                response = self.post("status/", {"status-status": value})
                self.assertEqual(response.status_code, 400)
                self.assertContains(
                    response,
                    "Status blev ikke ændret: Den ændring kan ikke foretages herfra.",
                    status_code=400,
                )
        self.inquiry.refresh_from_db()
        self.assertEqual(self.inquiry.status, Status.CLOSED)

    def test_hand_over_needs_a_reason_and_records_it(self):
        response = self.post("videregiv/", {"handover-team": self.other_team.pk})
        self.assertEqual(response.status_code, 400)
        for bad in ("abc", "99999", str(self.team.pk)):
            with self.subTest(team=bad):
                response = self.post("videregiv/", {"handover-team": bad, "handover-reason": "x"})
                self.assertEqual(response.status_code, 400)
        response = self.post(
            "videregiv/", {"handover-team": self.other_team.pk, "handover-reason": "Jobcentret"}
        )
        # The specialist is not in the new team: back to the inbox.
        self.assertRedirects(response, "/personale/henvendelser/")
        self.inquiry.refresh_from_db()
        self.assertEqual(self.inquiry.team, self.other_team)
        event = self.inquiry.events.get(kind=EventKind.TEAM, from_value="Ydelseskontoret")
        self.assertEqual((event.to_value, event.note), ("Jobcenter", "Jobcentret"))

    def test_an_internal_note_is_added_and_never_mailed(self):
        response = self.post("notat/", {"note-body": "Ring til borgeren i morgen."})
        self.assertEqual(response.status_code, 302)
        note = self.inquiry.messages.get()
        self.assertEqual(note.kind, MessageKind.INTERNAL_NOTE)
        self.assertFalse(OutboundEmail.objects.exists())

    def test_an_empty_or_huge_note_is_refused(self):
        for body in ("", "   ", "x" * 10_001):
            with self.subTest(length=len(body)):
                self.assertEqual(self.post("notat/", {"note-body": body}).status_code, 400)
        self.assertFalse(self.inquiry.messages.exists())

    def test_a_reply_goes_out_by_email_and_sets_the_status(self):
        response = self.post(
            "svar/", {"reply-body": "Du kan søge her.", "reply-status": Status.AWAITING_CITIZEN}
        )
        self.assertEqual(response.status_code, 302)
        self.inquiry.refresh_from_db()
        self.assertEqual(self.inquiry.status, Status.AWAITING_CITIZEN)
        email = OutboundEmail.objects.get()
        self.assertEqual(email.to, "karen@example.dk")
        self.assertEqual(self.inquiry.messages.get().kind, MessageKind.TO_CITIZEN)

    def test_a_reply_with_bad_input_is_refused(self):
        for data in (
            {"reply-body": "", "reply-status": Status.ANSWERED},
            {"reply-body": "svar", "reply-status": Status.CLOSED},
            {"reply-body": "svar", "reply-status": "nonsense"},
            {"reply-body": "svar"},
        ):
            with self.subTest(data=data):
                self.assertEqual(self.post("svar/", data).status_code, 400)
        self.assertFalse(OutboundEmail.objects.exists())

    def test_a_reply_that_would_be_an_illegal_status_change_is_refused(self):
        inquiry_set_status(inquiry=self.inquiry, status=Status.ANSWERED)
        response = self.post(
            "svar/", {"reply-body": "Et spørgsmål", "reply-status": Status.AWAITING_CITIZEN}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.inquiry.messages.exists())

    def test_a_reply_without_csrf_token_is_refused(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.specialist)
        response = client.post(
            detail_url(self.inquiry, "svar/"),
            {"reply-body": "hej", "reply-status": Status.ANSWERED},
        )
        self.assertEqual(response.status_code, 403)
