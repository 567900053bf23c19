import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indgang.inquiries.lifecycle import Status

from .factories import InquiryFactory
from .staff_personas import StaffInquiryPersonasMixin

URL = "/personale/henvendelser/"


class StaffInboxTests(StaffInquiryPersonasMixin, TestCase):
    def test_anonymous_visitors_go_to_the_login(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/admin/login/?next="))

    def test_a_citizen_without_staff_status_is_refused(self):
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(URL).status_code, 403)

    def test_the_handling_team_sees_its_inquiries_with_masked_text(self):
        self.client.force_login(self.specialist)
        response = self.client.get(URL)
        self.assertContains(response, self.inquiry.reference)
        self.assertContains(response, self.sensitive.reference)
        self.assertContains(response, "[cpr-nummer]")
        self.assertNotContains(response, "070761-4285")
        self.assertNotContains(response, "0707614285")
        # The list shows no citizen contact data.
        self.assertNotContains(response, "karen@example.dk")

    def test_another_team_a_clerk_a_manager_and_an_administrator_see_none_of_them(self):
        for user in (self.colleague, self.clerk, self.manager, self.administrator, self.root):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(URL)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, self.inquiry.reference)
                self.assertNotContains(response, self.sensitive.reference)

    def test_searching_for_the_citizen_finds_without_showing_personal_data(self):
        self.client.force_login(self.specialist)
        response = self.client.get(URL, {"q": "karen jensen"})
        self.assertContains(response, self.inquiry.reference)
        self.assertNotContains(response, self.sensitive.reference)
        self.assertNotContains(response, "070761-4285")

    def test_a_clerk_looking_up_another_teams_reference_is_shown_where_it_is(self):
        self.client.force_login(self.clerk)
        response = self.client.get(URL, {"q": self.inquiry.reference})
        self.assertContains(
            response, f"Henvendelse {self.inquiry.reference} behandles af et andet team"
        )
        self.assertContains(response, f"{URL}{self.inquiry.reference}/")
        self.assertNotContains(response, "tandlæge")
        self.client.force_login(self.colleague)
        response = self.client.get(URL, {"q": self.inquiry.reference})
        self.assertNotContains(response, "behandles af et andet team")
        self.assertNotContains(response, f"{URL}{self.inquiry.reference}/")

    def test_overdue_inquiries_are_marked_and_filtered(self):
        late = InquiryFactory(team=self.team, due_on=timezone.localdate() - dt.timedelta(days=2))
        self.client.force_login(self.specialist)
        response = self.client.get(URL, {"due": "overdue"})
        self.assertContains(response, late.reference)
        self.assertContains(response, "staff-row-overdue")
        self.assertNotContains(response, self.inquiry.reference)

    def test_it_counts_per_status(self):
        InquiryFactory(team=self.team, status=Status.CLOSED)
        self.client.force_login(self.specialist)
        response = self.client.get(URL)
        links = {value: count for value, _label, count, _href in response.context["status_links"]}
        self.assertEqual(links["open"], 2)
        self.assertEqual(links[Status.CLOSED], 1)
        self.assertEqual(links["all"], 3)

    def test_bad_filter_values_are_ignored_never_an_error(self):
        self.client.force_login(self.specialist)
        bad = [
            {"status": "nonsense"},
            {"team": "abc"},
            {"team": str(self.other_team.pk)},
            {"channel": "pigeon"},
            {"due": "yesterday"},
            {"assigned": "<script>"},
            {"sort": "'; drop table"},
            {"page": "-1"},
            {"page": "99999"},
            {"page": "abc"},
            {"q": "x" * 5000},
            {"q": "\x00"},
        ]
        for params in bad:
            with self.subTest(params=params):
                self.assertEqual(self.client.get(URL, params).status_code, 200)

    def test_it_paginates(self):
        for _ in range(30):
            InquiryFactory(team=self.team)
        self.client.force_login(self.specialist)
        first = self.client.get(URL)
        self.assertEqual(len(first.context["rows"]), 25)
        second = self.client.get(URL, {"page": 2})
        self.assertEqual(len(second.context["rows"]), 32 - 25)

    def test_the_number_of_queries_does_not_grow_with_the_inquiries(self):
        self.client.force_login(self.specialist)
        self.client.get(URL)  # the session and the user are warm afterwards
        with CaptureQueriesContext(connection) as few:
            self.client.get(URL)
        for _ in range(20):
            InquiryFactory(team=self.team, assignee=self.specialist, service=self.service)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(URL)
        self.assertEqual(len(response.context["rows"]), 22)
        self.assertEqual(len(many), len(few))
        self.assertLessEqual(len(many), 12)

    def test_only_get_and_head_are_allowed(self):
        self.client.force_login(self.specialist)
        self.assertEqual(self.client.post(URL).status_code, 405)
