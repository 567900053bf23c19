"""The scenario and placement pages in a real browser: axe-core finds no violations, also on a
form with errors and without JavaScript. Run with `indgang test --tag browser`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from indgang.accounts.services import staff_groups_sync
from indgang.core.tests.staff_browser import StaffBrowserTestCase
from indgang.places.models import ServicePointKind
from indgang.places.tests.factories import BusStopFactory, ServicePointFactory

from ..models import CandidateSite, Placement, Scenario
from ..placement import population_grid_generate_demo
from ..replications import run_scenario
from ..scenario import load_scenario
from .test_scenario_views import SMALL


class ScenarioPagesInTheBrowserTests(StaffBrowserTestCase):
    def setUp(self):
        super().setUp()
        groups = staff_groups_sync()
        self.manager = get_user_model().objects.create_user(
            "manager", first_name="Lars", last_name="Leder", is_staff=True
        )
        self.manager.groups.add(groups["Leder"])
        town_hall = ServicePointFactory(
            name="Fjordby Rådhus", latitude=56.6212, longitude=9.231, parking=True
        )
        ServicePointFactory(
            name="Nordby Bibliotek",
            kind=ServicePointKind.LIBRARY,
            latitude=56.689,
            longitude=9.205,
        )
        BusStopFactory(name="Tangvig Havn", latitude=56.6033, longitude=9.2981)
        hall = CandidateSite.objects.create(name="Kildemose Hallen", latitude=56.66, longitude=9.27)
        placement = Placement.objects.create(name="Rådhus og hal")
        placement.service_points.add(town_hall)
        placement.candidate_sites.add(hall)
        population_grid_generate_demo()
        self.scenarios = []
        for name, text in (
            ("Today", SMALL),
            ("More staff", SMALL.replace("agents: 2", "agents: 3")),
        ):
            result = run_scenario(load_scenario(text), replications=2, seed=1).as_dict()
            self.scenarios.append(
                Scenario.objects.create(
                    name=name, yaml_text=text, result=result, replications=2, seed=1
                )
            )

    def test_the_pages_have_no_axe_violations(self):
        first, second = self.scenarios
        compare_query = f"?scenarios={first.pk}&scenarios={second.pk}"
        pages = {
            "list": reverse("scenarios:list"),
            "form": reverse("scenarios:create"),
            "detail": reverse("scenarios:detail", args=[first.pk]),
            "compare": reverse("scenarios:compare") + compare_query,
            "compare picker with an error": reverse("scenarios:compare") + f"?scenarios={first.pk}",
            "report": reverse("scenarios:report") + compare_query,
            "placement": reverse("scenarios:placement"),
            "placement form": reverse("scenarios:placement_create"),
            "candidate site form": reverse("scenarios:site_create"),
            "population": reverse("scenarios:population"),
        }
        violations = []
        for label, path in pages.items():
            page, response = self.open_as(self.manager, path)
            self.assertEqual(response.status, 200, label)
            violations += self.axe(page, label)
        self.assertEqual(violations, [], "\n".join(violations))

    def test_a_form_with_yaml_errors_has_no_axe_violations(self):
        # The pages have no script of their own; JavaScript is on only for axe-core.
        page, _response = self.open_as(self.manager, reverse("scenarios:create"))
        page.fill("#id_name", "Broken")
        page.fill("#id_yaml_text", SMALL.replace("agents: 2", "agents: two"))
        page.click("form:has(#id_yaml_text) button[type=submit]")
        page.wait_for_selector("#yaml-errors")
        self.assertIn("agents", page.inner_text("#yaml-errors"))
        self.assertEqual(self.axe(page, "form with errors"), [])

    def test_a_manager_runs_a_scenario_without_javascript(self):
        scenario = Scenario.objects.create(name="Fresh", yaml_text=SMALL)
        page, _response = self.open_as(
            self.manager, reverse("scenarios:detail", args=[scenario.pk]), javascript=False
        )
        page.click(f"form[action='{reverse('scenarios:run', args=[scenario.pk])}'] button")
        page.wait_for_selector("#result-table")
        scenario.refresh_from_db()
        self.assertEqual(scenario.replications, 5)
        page, _response = self.open_as(
            self.manager, reverse("scenarios:detail", args=[scenario.pk])
        )
        self.assertEqual(self.axe(page, "detail with result"), [])
