"""The staffing page: who may see it, the form, the tables and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from indgang.accounts.tests.personas import StaffPersonasMixin
from indgang.places.models import ServicePointKind
from indgang.places.tests.factories import ServicePointFactory

from .test_forecast import TODAY, synthetic_history

TZ = ZoneInfo("Europe/Copenhagen")
# Mid-morning on the day after the synthetic history ends; the page plans the following week.
NOW = dt.datetime.combine(TODAY, dt.time(10), tzinfo=TZ)
NEXT_MONDAY = TODAY + dt.timedelta(days=7)


def url(**query) -> str:
    with translation.override("en"):
        path = reverse("insight:staffing")
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


@time_machine.travel(NOW, tick=False)
class StaffingViewTests(StaffPersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        synthetic_history(start=TODAY - dt.timedelta(weeks=12), end=TODAY)
        ServicePointFactory(
            slug="telefon", kind=ServicePointKind.PHONE, weekdays=[("10:00", "14:00")]
        )

    def test_it_sends_anonymous_visitors_to_the_login_page(self):
        response = self.client.get(url())
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])

    def test_it_refuses_clerks_without_the_permission(self):
        self.assertFalse(self.clerk.has_perm("insight.view_contact"))
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get(url()).status_code, 403)
        self.assertEqual(self.client.get(url(format="csv")).status_code, 403)

    def test_it_refuses_a_citizen(self):
        self.client.force_login(self.citizen)
        self.assertEqual(self.client.get(url()).status_code, 403)

    def test_it_shows_managers_next_weeks_plan(self):
        self.client.force_login(self.manager)
        response = self.client.get(url())
        self.assertEqual(response.status_code, 200)
        plan = response.context["plan"]
        self.assertEqual(plan.start, NEXT_MONDAY)
        self.assertEqual(
            [c.channel for c in plan.channels],
            ["phone", "chat", "counter", "appointment", "assisted"],
        )
        html = response.content.decode()
        self.assertIn('id="staffing-phone"', html)
        self.assertIn('id="staffing-totals"', html)
        # Seven day columns plus the time column, rows from 09:00, where the phone demand starts.
        phone = response.context["tables"][0]
        self.assertEqual(phone["rows"][0].label, "09:00")
        self.assertEqual(len(phone["rows"][0].cells), 7)
        self.assertIn('data-flag="closed_demand"', html)  # 09:00–10:00 before the line opens
        self.assertIn("staffing-level-5", html)
        # The nav shows the page to managers.
        self.assertIn(f'href="{reverse("insight:staffing")}"', html)

    def test_the_totals_add_up_in_hours_and_fte(self):
        self.client.force_login(self.manager)
        response = self.client.get(url(channel="phone", shrinkage="30"))
        plan = response.context["plan"]
        phone = plan.channels[0]
        agent_hours = sum(i.agents for i in phone.intervals) / 2
        self.assertGreater(agent_hours, 0)
        self.assertAlmostEqual(plan.staff_hours, agent_hours / 0.7)
        self.assertAlmostEqual(plan.fte, agent_hours / 0.7 / 37)
        self.assertContains(response, f'data-value="{plan.fte}"')

    def test_the_form_overrides_the_target(self):
        self.client.force_login(self.manager)
        default = self.client.get(url(channel="phone")).context["plan"]
        strict = self.client.get(url(channel="phone", target="95", answer_time="5")).context["plan"]
        self.assertEqual(strict.channels[0].target.service_level, 0.95)
        self.assertEqual(strict.channels[0].target.answer_seconds, 5)
        self.assertGreater(strict.agent_hours, default.agent_hours)
        chosen = self.client.get(url(week="2026-12-07")).context["plan"]
        self.assertEqual(chosen.start, dt.date(2026, 12, 7))

    def test_bad_input_gives_form_errors_not_an_error_page(self):
        self.client.force_login(self.manager)
        cases = {
            "week": "not-a-date",
            "target": "100",
            "answer_time": "-5",
            "shrinkage": "95",
            "channel": "email",
        }
        for field, value in cases.items():
            with self.subTest(field=field):
                response = self.client.get(url(**{field: value}))
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.context["form"].errors)
                self.assertIsNone(response.context["plan"])
                self.assertContains(response, 'id="staffing-errors"', status_code=400)
        far = (TODAY + dt.timedelta(days=800)).isoformat()
        response = self.client.get(url(week=far))
        self.assertEqual(response.status_code, 400)
        response = self.client.get(url(week="2026-02-30", format="csv"))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")

    def test_it_exports_every_interval_as_csv(self):
        self.client.force_login(self.manager)
        response = self.client.get(url(channel="phone", format="csv"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        text = response.content.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        self.assertEqual(
            rows[0][:5],
            ["channel", "interval_start", "expected_contacts", "booked_minutes", "agents"],
        )
        self.assertEqual(len(rows) - 1, 7 * 48)
        nine = next(r for r in rows[1:] if r[1] == f"{NEXT_MONDAY.isoformat()}T09:00:00+01:00")
        self.assertEqual(nine[0], "phone")
        self.assertEqual(nine[-1], "closed_demand")
        self.assertGreater(int(nine[4]), 0)
        self.assertIn(",", nine[2])  # decimal comma for Danish spreadsheets
        page = self.client.get(url(channel="phone"))
        self.assertContains(page, "format=csv")

    def test_it_only_answers_get(self):
        self.client.force_login(self.manager)
        self.assertEqual(self.client.post(url()).status_code, 405)


@time_machine.travel(NOW, tick=False)
class StaffingWithoutHistoryTests(StaffPersonasMixin, TestCase):
    def test_it_shows_an_empty_plan_without_contacts_or_hours(self):
        self.client.force_login(self.manager)
        response = self.client.get(url())
        self.assertEqual(response.status_code, 200)
        plan = response.context["plan"]
        self.assertEqual(plan.staff_hours, 0)
        self.assertTrue(all(not table["rows"] for table in response.context["tables"]))
        self.assertNotContains(response, "staffing-table")
