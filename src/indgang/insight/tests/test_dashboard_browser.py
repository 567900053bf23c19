"""The dashboard in a real browser: axe-core finds no violations at desktop and phone width, in
Danish and English, with the tables open and with form errors; the filter works without
JavaScript. Run with `indgang test --tag browser`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from indgang.accounts.services import staff_groups_sync
from indgang.core.tests.staff_browser import StaffBrowserTestCase
from indgang.core.tests.test_browser_accessibility import AXE_TAGS

from .test_selectors import build_known_contacts

URL = "/personale/indsigt/"
PERIOD = "?from=2026-03-02&to=2026-03-15"


class DashboardInTheBrowserTests(StaffBrowserTestCase):
    def setUp(self):
        super().setUp()
        groups = staff_groups_sync()
        self.manager = get_user_model().objects.create_user(
            "manager", first_name="Lars", last_name="Leder", is_staff=True
        )
        self.manager.groups.add(groups["Leder"])
        build_known_contacts(self)

    def test_the_dashboard_has_no_axe_violations(self):
        paths = [
            URL + PERIOD,
            "/en" + URL + PERIOD,
            URL,  # the default period, without contacts: "no contacts" instead of charts
            "/en" + URL + "?from=2026-03-15&to=2026-03-02&channel=teleport",  # form errors
        ]
        failures, checked = [], 0
        for width in (1280, 375):
            for path in paths:
                with self.subTest(path=path, width=width):
                    page, response = self.open_as(self.manager, path, width=width)
                    self.assertEqual(response.status, 200, path)
                    failures += self.axe(page, f"{path} at {width}px")
                    checked += 1
                    if PERIOD in path:
                        # The tables in <details> too, and nothing wider than the phone.
                        page.evaluate(
                            "document.querySelectorAll('details').forEach(d => d.open = true)"
                        )
                        failures += self.axe(page, f"{path} at {width}px, tables open")
                        checked += 1
                        overflow = page.evaluate(
                            "document.documentElement.scrollWidth - window.innerWidth"
                        )
                        self.assertLessEqual(overflow, 0, f"{path} scrolls sideways at {width}px")
        print(f"\naxe-core ({', '.join(AXE_TAGS)}): {checked} dashboard views checked.")
        self.assertEqual(failures, [], "\n\n" + "\n\n".join(failures))

    def test_a_manager_filters_by_channel_without_javascript(self):
        page, _ = self.open_as(self.manager, "/en" + URL + PERIOD, javascript=False)
        self.assertEqual(page.locator("svg.insight-chart[role=img]").count(), 10)
        page.get_by_label("Phone", exact=True).check()
        page.get_by_label("Service point", exact=True).select_option(label="Rådhuset")
        page.get_by_role("button", name="Show").press("Enter")
        page.wait_for_load_state()
        self.assertIn("channel=phone", page.url)
        self.assertIn("point=raadhuset", page.url)
        # The town hall has no phone line: the charts say so instead of drawing, except the
        # self-service rate, which compares all channels and service points.
        self.assertEqual(page.locator("svg.insight-chart").count(), 1)
        self.assertEqual(page.locator("#chart-self_service svg.insight-chart").count(), 1)
        self.assertGreater(page.locator(".insight-empty").count(), 5)
        page.get_by_label("Service point", exact=True).select_option(label="All service points")
        page.get_by_role("button", name="Show").press("Enter")
        page.wait_for_load_state()
        details = page.locator("#chart-channels details")
        details.locator("summary").press("Enter")
        table = details.get_by_role("table")
        self.assertIn("Phone", table.inner_text())
        self.assertEqual(table.locator("tbody tr").count(), 1)
