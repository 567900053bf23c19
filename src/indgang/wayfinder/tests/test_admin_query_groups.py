import datetime as dt

from django.test import TestCase
from django.utils import timezone

from indgang.accounts.tests.personas import StaffPersonasMixin
from indgang.catalogue.tests.factories import ServiceFactory

from .factories import WayfinderFeedbackFactory, WayfinderQueryFactory

URL = "/admin/wayfinder/wayfinderquery/"


class QueryGroupsAdminTests(StaffPersonasMixin, TestCase):
    """Staff see the searches without a good answer, counted by their words."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        cls.service = ServiceFactory(slug="dagrenovation", title="Dagrenovation")
        for text in ["skraldespand", "Skraldespand", "  skraldespand "]:
            WayfinderQueryFactory(text=text.strip(), best_slug="dagrenovation")
        WayfinderFeedbackFactory(
            query__text="gult kort", query__best_slug="dagrenovation", helpful=False
        )
        WayfinderFeedbackFactory(query__text="nyt pas", query__best_slug="pas", helpful=True)
        WayfinderQueryFactory(text="gammel søgning", created_at=now - dt.timedelta(days=100))
        WayfinderQueryFactory(text="forrige måned", created_at=now - dt.timedelta(days=45))

    def test_it_sends_anonymous_visitors_to_the_login(self):
        response = self.client.get(URL)
        self.assertRedirects(response, f"/admin/login/?next={URL}", fetch_redirect_response=False)

    def test_it_refuses_staff_without_the_permission(self):
        for user in (self.clerk, self.specialist):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(URL).status_code, 403)

    def test_it_lets_managers_and_administrators_in(self):
        for user in (self.manager, self.administrator):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(URL).status_code, 200)

    def test_it_counts_searches_by_their_normalised_words_newest_first(self):
        self.client.force_login(self.manager)
        response = self.client.get(URL)
        rows = [(r["group"].normalised, r["group"].searches) for r in response.context["rows"]]
        self.assertEqual(rows, [("gult kort", 1), ("skraldespand", 3)])
        self.assertContains(response, "<td>3</td>", html=True)

    def test_it_links_to_the_service_to_add_keywords(self):
        self.client.force_login(self.manager)
        response = self.client.get(URL)
        self.assertContains(response, f"/admin/catalogue/service/{self.service.pk}/change/")
        self.assertContains(response, "/admin/catalogue/service/?q=skraldespand")

    def test_it_filters_by_kind(self):
        self.client.force_login(self.manager)
        no_answer = self.client.get(URL, {"kind": "no_answer"}).context["rows"]
        self.assertEqual([r["group"].normalised for r in no_answer], ["skraldespand"])
        unhelpful = self.client.get(URL, {"kind": "unhelpful"}).context["rows"]
        self.assertEqual([r["group"].normalised for r in unhelpful], ["gult kort"])

    def test_it_filters_by_period(self):
        self.client.force_login(self.manager)
        week = {r["group"].normalised for r in self.client.get(URL, {"days": "7"}).context["rows"]}
        self.assertNotIn("forrige måned", week)
        quarter = {
            r["group"].normalised for r in self.client.get(URL, {"days": "90"}).context["rows"]
        }
        self.assertIn("forrige måned", quarter)
        self.assertNotIn("gammel søgning", quarter)

    def test_it_ignores_odd_filter_values(self):
        self.client.force_login(self.manager)
        response = self.client.get(URL, {"days": "x", "kind": "<b>", "p": "999"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["days"], 30)

    def test_nobody_can_add_change_or_delete_logged_searches(self):
        self.client.force_login(self.administrator)
        self.assertEqual(self.client.get(URL + "add/").status_code, 403)
