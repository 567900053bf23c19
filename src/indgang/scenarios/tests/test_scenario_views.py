"""The scenario pages: access, the YAML form and its errors, running, comparing and the report."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from indgang.inquiries.tests.staff_personas import StaffInquiryPersonasMixin

from ..forms import error_line, example_text
from ..models import Scenario

SMALL = """\
name: Small
start: 2026-03-02
days: 7
points:
  - id: town-hall
    name: Town hall
    channels:
      counter:
        hours:
          monday: "10:00-14:00"
          tuesday: "10:00-14:00"
        staff:
          - {days: [monday, tuesday], from: "10:00", to: "14:00", agents: 2}
        patience: {distribution: exponential, mean: 30}
      phone:
        hours: {monday: "09:00-12:00"}
        staff:
          - {days: [monday], from: "09:00", to: "12:00", agents: 1}
services:
  - id: passport
    name: Passport
    handling: {default: {distribution: exponential, mean: 8}}
    demand:
      - {point: town-hall, channel: counter, per_week: 60}
      - {point: town-hall, channel: phone, per_week: 20}
"""


def scenario_make(name: str = "Small", yaml_text: str = SMALL, **kwargs) -> Scenario:
    return Scenario.objects.create(name=name, yaml_text=yaml_text, **kwargs)


class ScenarioAccessTests(StaffInquiryPersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.scenario = scenario_make()

    def urls(self) -> list[str]:
        pk = self.scenario.pk
        return [
            reverse("scenarios:list"),
            reverse("scenarios:create"),
            reverse("scenarios:detail", args=[pk]),
            reverse("scenarios:edit", args=[pk]),
            reverse("scenarios:compare"),
            reverse("scenarios:report"),
        ]

    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        for url in self.urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn("login", response["Location"])

    def test_it_validates_access_for_clerks_specialists_and_citizens(self):
        for user in (self.clerk, self.specialist, self.citizen):
            self.client.force_login(user)
            for url in self.urls():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            run = self.client.post(reverse("scenarios:run", args=[self.scenario.pk]))
            self.assertEqual(run.status_code, 403)

    def test_it_allows_manager_access(self):
        self.client.force_login(self.manager)
        for url in self.urls():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_staff_menu_shows_scenarios_to_managers_only(self):
        list_url = reverse("scenarios:list")
        self.client.force_login(self.manager)
        self.assertContains(self.client.get(reverse("inquiries-staff:inbox")), f'href="{list_url}"')
        self.client.force_login(self.specialist)
        self.assertNotContains(
            self.client.get(reverse("inquiries-staff:inbox")), f'href="{list_url}"'
        )

    def test_an_unknown_scenario_is_404(self):
        self.client.force_login(self.manager)
        self.assertEqual(self.client.get(reverse("scenarios:detail", args=[9999])).status_code, 404)
        huge = reverse("scenarios:detail", args=[10**12])
        self.assertEqual(self.client.get(huge).status_code, 404)


class ScenarioFormTests(StaffInquiryPersonasMixin, TestCase):
    def setUp(self):
        self.client.force_login(self.manager)

    def test_the_new_form_is_prefilled_with_an_example(self):
        response = self.client.get(reverse("scenarios:create"))
        self.assertContains(response, 'id="id_yaml_text"')
        self.assertIn(example_text().splitlines()[-1].strip(), response.content.decode())
        response = self.client.get(reverse("scenarios:create") + "?example=close-branch")
        self.assertEqual(
            response.context["form"].initial["yaml_text"], example_text("close-branch")
        )

    def test_it_saves_a_valid_scenario(self):
        response = self.client.post(
            reverse("scenarios:create"),
            {"name": "Small", "description": "Two days", "yaml_text": SMALL},
        )
        scenario = Scenario.objects.get()
        self.assertRedirects(response, reverse("scenarios:detail", args=[scenario.pk]))
        self.assertEqual(scenario.created_by, self.manager)
        self.assertEqual(scenario.yaml_text, SMALL.rstrip())

    def test_it_shows_every_yaml_problem_with_its_line(self):
        broken = SMALL.replace("agents: 2", "agents: two").replace("per_week: 20", "per_week: -5")
        response = self.client.post(
            reverse("scenarios:create"), {"name": "Broken", "yaml_text": broken}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Scenario.objects.exists())
        problems = response.context["form"].yaml_errors
        self.assertEqual(len(problems), 2)
        lines = broken.splitlines()
        by_path = {error.split(":")[0]: line for line, error in problems}
        agents_line = by_path["points[0].channels.counter.staff[0].agents"]
        self.assertIn("agents: two", lines[agents_line - 1])
        week_line = by_path["services[0].demand[1].per_week"]
        self.assertIn("per_week: -5", lines[week_line - 1])
        self.assertContains(response, 'id="yaml-errors"', status_code=400)

    def test_yaml_that_does_not_parse_is_a_form_error_not_a_500(self):
        for text in ("name: [unclosed", "- just a list", "", "name: x\n\tbad: tab"):
            with self.subTest(text=text):
                response = self.client.post(
                    reverse("scenarios:create"), {"name": "x", "yaml_text": text}
                )
                self.assertEqual(response.status_code, 400)
        self.assertFalse(Scenario.objects.exists())

    def test_error_lines_follow_the_path_into_the_file(self):
        self.assertEqual(error_line(SMALL, "points[0].channels.phone.hours: x"), 16)
        self.assertEqual(error_line(SMALL, "line 3: not valid YAML"), 3)
        self.assertIsNone(error_line(SMALL, "file: must be a mapping"))

    def test_editing_keeps_the_author_and_marks_the_result_stale(self):
        scenario = scenario_make(created_by=self.clerk)
        self.client.post(reverse("scenarios:run", args=[scenario.pk]))
        self.client.post(
            reverse("scenarios:edit", args=[scenario.pk]),
            {"name": "Renamed", "yaml_text": SMALL.replace("agents: 2", "agents: 3")},
        )
        scenario.refresh_from_db()
        self.assertEqual(scenario.name, "Renamed")
        self.assertEqual(scenario.created_by, self.clerk)
        self.assertTrue(scenario.result_is_stale)


class ScenarioRunTests(StaffInquiryPersonasMixin, TestCase):
    def setUp(self):
        self.client.force_login(self.manager)

    def test_running_stores_the_result(self):
        scenario = scenario_make()
        response = self.client.post(reverse("scenarios:run", args=[scenario.pk]))
        self.assertRedirects(response, reverse("scenarios:detail", args=[scenario.pk]))
        scenario.refresh_from_db()
        self.assertEqual(scenario.replications, 5)
        self.assertEqual(scenario.seed, 1)
        self.assertIsNotNone(scenario.ran_at)
        self.assertFalse(scenario.result_is_stale)
        self.assertEqual(set(scenario.result["channels"]), {"counter", "phone"})
        arrivals = scenario.result["overall"]["arrivals"]
        self.assertTrue(50 < arrivals["mean"] < 110)  # 80 a week on average
        low, high = arrivals["ci95"]
        self.assertLessEqual(low, arrivals["mean"])
        self.assertLessEqual(arrivals["mean"], high)
        page = self.client.get(reverse("scenarios:detail", args=[scenario.pk]))
        self.assertContains(page, 'id="result-table"')
        self.assertContains(page, 'data-measure="wait_mean"')

    def test_run_only_accepts_post(self):
        scenario = scenario_make()
        self.assertEqual(
            self.client.get(reverse("scenarios:run", args=[scenario.pk])).status_code, 405
        )

    def test_a_scenario_that_no_longer_loads_is_not_run(self):
        scenario = scenario_make(yaml_text="name: [broken")
        response = self.client.post(reverse("scenarios:run", args=[scenario.pk]), follow=True)
        scenario.refresh_from_db()
        self.assertIsNone(scenario.result)
        self.assertContains(response, 'id="yaml-errors"')


class ScenarioCompareTests(StaffInquiryPersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from ..replications import run_scenario
        from ..scenario import load_scenario

        cls.small = scenario_make("Today")
        more_staff = SMALL.replace("agents: 2", "agents: 4")
        cls.bigger = scenario_make("More staff", yaml_text=more_staff)
        for scenario in (cls.small, cls.bigger):
            scenario.result = run_scenario(
                load_scenario(scenario.yaml_text), replications=3, seed=1
            ).as_dict()
            scenario.save()
        cls.not_run = scenario_make("Not run")

    def setUp(self):
        self.client.force_login(self.manager)

    def query(self, *scenarios) -> str:
        return "?" + "&".join(f"scenarios={s.pk}" for s in scenarios)

    def test_it_compares_two_scenarios_side_by_side(self):
        with translation.override("en"):
            url = reverse("scenarios:compare") + self.query(self.small, self.bigger)
        response = self.client.get(url)
        self.assertEqual([s.name for s in response.context["scenarios"]], ["Today", "More staff"])
        rows = {row["key"]: row for row in response.context["rows"]}
        self.assertEqual(len(rows["staff_hours"]["cells"]), 2)
        # Twice the counter staff: more staff hours in the second scenario.
        small_hours = self.small.result["overall"]["staff_hours"]["mean"]
        bigger_hours = self.bigger.result["overall"]["staff_hours"]["mean"]
        self.assertGreater(bigger_hours, small_hours)
        self.assertContains(response, 'id="compare-table"')
        self.assertContains(response, 'role="img"', count=len(response.context["charts"]))
        self.assertContains(response, 'id="chart-fte-table"')

    def test_it_compares_one_channel(self):
        url = reverse("scenarios:compare") + self.query(self.small, self.bigger) + "&channel=phone"
        response = self.client.get(url)
        self.assertEqual(response.context["scope"], "phone")
        phone_arrivals = self.small.result["channels"]["phone"]["arrivals"]["mean"]
        self.assertLess(phone_arrivals, self.small.result["overall"]["arrivals"]["mean"])

    def test_it_needs_two_to_four_scenarios_that_have_run(self):
        for chosen in ((self.small,), (self.small, self.not_run)):
            with self.subTest(chosen=[s.name for s in chosen]):
                response = self.client.get(reverse("scenarios:compare") + self.query(*chosen))
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors)
                self.assertNotContains(response, 'id="compare-table"')

    def test_bad_input_is_a_form_error(self):
        for query in ("?scenarios=abc", "?scenarios=99999999999999", "?channel=<x>"):
            with self.subTest(query=query):
                response = self.client.get(reverse("scenarios:compare") + query)
                self.assertEqual(response.status_code, 200)

    def test_the_report_holds_assumptions_results_and_caveats(self):
        with translation.override("en"):
            url = reverse("scenarios:report") + self.query(self.small, self.bigger)
            response = self.client.get(url)
        self.assertContains(response, 'id="report-table"')
        self.assertContains(response, "@media print", count=0)  # in the stylesheet, linked
        self.assertContains(response, "scenarios/scenarios.css")
        self.assertContains(response, f'id="report-channels-{self.small.pk}"')
        self.assertContains(response, "Town hall")  # the points of the assumptions
        self.assertContains(response, "2 people Monday, Tuesday 10:00–14:00")
        self.assertContains(response, "4 people Monday, Tuesday 10:00–14:00")
        self.assertContains(response, "Caveats")

    def test_the_report_without_a_choice_shows_the_picker(self):
        response = self.client.get(reverse("scenarios:report"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'id="report-table"')

    def test_the_list_offers_only_run_scenarios_for_comparison(self):
        response = self.client.get(reverse("scenarios:list"))
        self.assertContains(response, f'id="compare-{self.small.pk}"')
        self.assertNotContains(response, f'id="compare-{self.not_run.pk}"')
