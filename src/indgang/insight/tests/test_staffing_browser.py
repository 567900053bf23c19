"""The staffing page in a real browser: axe-core finds no violations at desktop and phone width, in
Danish and English, with a plan and with form errors; the form works without JavaScript.
Run with `indgang test --tag browser`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from indgang.accounts.services import staff_groups_sync
from indgang.core.tests.staff_browser import StaffBrowserTestCase
from indgang.core.tests.test_browser_accessibility import AXE_TAGS
from indgang.places.models import ServicePointKind
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.tests.factories import DeskFactory

from .test_forecast import synthetic_history

URL = "/personale/indsigt/bemanding/"


class StaffingInTheBrowserTests(StaffBrowserTestCase):
    def setUp(self):
        super().setUp()
        groups = staff_groups_sync()
        self.manager = get_user_model().objects.create_user(
            "manager", first_name="Lars", last_name="Leder", is_staff=True
        )
        self.manager.groups.add(groups["Leder"])
        today = timezone.localdate()
        synthetic_history(start=today - dt.timedelta(weeks=12), end=today)
        ServicePointFactory(
            slug="telefon", kind=ServicePointKind.PHONE, weekdays=[("10:00", "14:00")]
        )
        town_hall = ServicePointFactory(slug="raadhuset", weekdays=[("10:00", "14:00")])
        DeskFactory(service_point=town_hall)

    def test_the_staffing_page_has_no_axe_violations(self):
        paths = [
            (URL, 200),
            ("/en" + URL, 200),
            ("/en" + URL + "?channel=phone&target=90&answer_time=30&shrinkage=25", 200),
            ("/en" + URL + "?week=soon&target=150&shrinkage=-1", 400),  # form errors
        ]
        failures, checked = [], 0
        for width in (1280, 375):
            for path, status in paths:
                with self.subTest(path=path, width=width):
                    page, response = self.open_as(self.manager, path, width=width)
                    self.assertEqual(response.status, status, path)
                    failures += self.axe(page, f"{path} at {width}px")
                    checked += 1
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    self.assertLessEqual(overflow, 0, f"{path} scrolls sideways at {width}px")
        print(f"\naxe-core ({', '.join(AXE_TAGS)}): {checked} staffing views checked.")
        self.assertEqual(failures, [], "\n\n" + "\n\n".join(failures))

    def test_a_manager_plans_a_channel_without_javascript(self):
        page, _ = self.open_as(self.manager, "/en" + URL, javascript=False)
        # Five channels; the chat has neither demand nor opening hours, so it has no table.
        self.assertEqual(page.locator("section.staffing-channel").count(), 5)
        self.assertEqual(page.locator("table.staffing-table").count(), 4)
        page.get_by_label("Channel (optional)").select_option(label="Phone")
        page.get_by_label("Shrinkage (%) (optional)").fill("20")
        page.get_by_role("button", name="Show plan").press("Enter")
        page.wait_for_load_state()
        self.assertIn("channel=phone", page.url)
        self.assertIn("shrinkage=20", page.url)
        tables = page.locator("table.staffing-table")
        self.assertEqual(tables.count(), 1)
        self.assertGreater(tables.locator("td[data-flag=closed_demand]").count(), 0)
        # The CSV link keeps the choices.
        href = page.locator("#staffing-csv").get_attribute("href")
        self.assertIn("channel=phone", href)
        self.assertIn("format=csv", href)
