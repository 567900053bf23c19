from django.test import TestCase
from rest_framework.authtoken.models import Token

from indgang.inquiries.access_log import AccessAction
from indgang.inquiries.lifecycle import EventKind, Status
from indgang.inquiries.models import AccessLogEntry
from indgang.inquiries.services import inquiry_set_status

from .staff_personas import CPR, StaffInquiryPersonasMixin

LIST = "/api/v1/staff/inquiries/"


class StaffApiTests(StaffInquiryPersonasMixin, TestCase):
    def auth(self, user):
        token, _ = Token.objects.get_or_create(user=user)
        return {"HTTP_AUTHORIZATION": f"Token {token.key}"}

    def detail(self, inquiry, suffix=""):
        return f"{LIST}{inquiry.reference}/{suffix}"

    def test_without_a_token_or_with_a_wrong_one_it_is_401(self):
        self.assertEqual(self.client.get(LIST).status_code, 401)
        response = self.client.get(LIST, HTTP_AUTHORIZATION="Token nonsense")
        self.assertEqual(response.status_code, 401)

    def test_a_session_login_is_not_enough(self):
        self.client.force_login(self.specialist)
        self.assertEqual(self.client.get(LIST).status_code, 401)

    def test_a_citizens_token_is_refused(self):
        self.assertEqual(self.client.get(LIST, **self.auth(self.citizen)).status_code, 403)

    def test_the_list_follows_the_inbox_rules_and_masks_text(self):
        response = self.client.get(LIST, **self.auth(self.specialist))
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["count"], 2)
        self.assertNotIn("070761-4285", response.content.decode())
        self.assertNotIn(CPR, response.content.decode())
        for user in (self.colleague, self.clerk, self.root, self.administrator):
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(LIST, **self.auth(user)).json()["count"], 0)

    def test_the_list_filters_and_refuses_bad_filters(self):
        auth = self.auth(self.specialist)
        found = self.client.get(LIST, {"q": "karen"}, **auth).json()
        self.assertEqual([r["reference"] for r in found["results"]], [self.inquiry.reference])
        for params in (
            {"status": "nonsense"},
            {"channel": "pigeon"},
            {"team": "abc"},
            {"page": "0"},
            {"due": "x"},
            {"q": "x" * 201},
        ):
            with self.subTest(params=params):
                self.assertEqual(self.client.get(LIST, params, **auth).status_code, 400)
        self.assertEqual(self.client.get(LIST, {"page": 99}, **auth).status_code, 200)

    def test_the_detail_is_logged_and_never_holds_the_cpr_number(self):
        response = self.client.get(self.detail(self.inquiry), **self.auth(self.specialist))
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["access"], "full")
        self.assertEqual(body["citizen"]["email"], "karen@example.dk")
        self.assertNotIn(CPR, response.content.decode())
        self.assertEqual(
            list(AccessLogEntry.objects.values_list("user__username", "action")),
            [("specialist", AccessAction.API_VIEW)],
        )

    def test_a_clerk_of_another_team_gets_only_existence(self):
        response = self.client.get(self.detail(self.sensitive), **self.auth(self.clerk))
        self.assertEqual(
            response.json(),
            {
                "access": "existence",
                "reference": self.sensitive.reference,
                "status": "received",
                "team": {"id": self.team.pk, "name": "Ydelseskontoret"},
                "due_on": self.sensitive.due_on.isoformat(),
            },
        )

    def test_everyone_else_gets_404(self):
        for user in (self.colleague, self.manager, self.administrator, self.root):
            with self.subTest(user=user.username):
                response = self.client.get(self.detail(self.sensitive), **self.auth(user))
                self.assertEqual(response.status_code, 404)
        response = self.client.get(f"{LIST}nonsense/", **self.auth(self.specialist))
        self.assertEqual(response.status_code, 404)

    def test_the_status_changes_through_the_lifecycle(self):
        url = self.detail(self.inquiry, "status/")
        response = self.client.post(
            url,
            {"status": Status.IN_PROGRESS, "note": "I gang"},
            content_type="application/json",
            **self.auth(self.specialist),
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(), {"reference": self.inquiry.reference, "status": "in_progress"}
        )
        event = self.inquiry.events.get(kind=EventKind.STATUS, to_value=Status.IN_PROGRESS)
        self.assertEqual(event.actor, self.specialist)

    def test_an_illegal_or_bad_status_change_is_400(self):
        inquiry_set_status(inquiry=self.inquiry, status=Status.CLOSED)
        url = self.detail(self.inquiry, "status/")
        auth = self.auth(self.specialist)
        for body in ({"status": Status.ANSWERED}, {"status": "nonsense"}, {}, {"note": "x"}):
            with self.subTest(body=body):
                response = self.client.post(url, body, content_type="application/json", **auth)
                self.assertEqual(response.status_code, 400)
        response = self.client.post(url, "{not json", content_type="application/json", **auth)
        self.assertEqual(response.status_code, 400)
        self.inquiry.refresh_from_db()
        self.assertEqual(self.inquiry.status, Status.CLOSED)

    def test_only_the_handling_team_changes_the_status(self):
        url = self.detail(self.sensitive, "status/")
        for user in (self.clerk, self.colleague, self.root):
            with self.subTest(user=user.username):
                response = self.client.post(
                    url,
                    {"status": Status.CLOSED},
                    content_type="application/json",
                    **self.auth(user),
                )
                self.assertEqual(response.status_code, 404)
        self.sensitive.refresh_from_db()
        self.assertEqual(self.sensitive.status, Status.RECEIVED)

    def test_the_endpoints_are_in_the_schema(self):
        schema = self.client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
        for path in (
            "/api/v1/staff/inquiries/",
            "/api/v1/staff/inquiries/{reference}/",
            "/api/v1/staff/inquiries/{reference}/status/",
        ):
            self.assertIn(path, schema)
