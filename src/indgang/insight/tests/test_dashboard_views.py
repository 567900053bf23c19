"""The dashboard page: who may see it, the filter form and its errors, and the CSV exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import time_machine
from django.test import TestCase
from django.utils import translation

from indgang.accounts.tests.personas import StaffPersonasMixin
from indgang.catalogue.tests.factories import ServiceFactory
from indgang.insight.models import ContactChannel

from .test_selectors import build_known_contacts, contact, local

URL = "/personale/indsigt/"
PERIOD = "from=2026-03-02&to=2026-03-15"
CHARTS = (
    "channels",
    "weeks",
    "services",
    "points",
    "self_service",
    "avoidable",
    "avoidable_reasons",
    "waiting",
    "deadlines",
    "no_shows",
    "heatmap",
)


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "no byte-order mark"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


class DashboardAccessTests(StaffPersonasMixin, TestCase):
    def test_anonymous_users_are_sent_to_the_login_page(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.url.startswith("/admin/login/"))
        self.assertEqual(self.client.get(URL + "?export=channels").status_code, 302)

    def test_it_refuses_clerks_specialists_and_citizens(self):
        for user in (self.clerk, self.specialist, self.citizen):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(URL).status_code, 403)
                self.assertEqual(self.client.get(URL + "?export=channels").status_code, 403)

    def test_it_allows_managers_and_shows_them_the_menu_item(self):
        self.client.force_login(self.manager)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'href="{URL}" class="nav-link" aria-current="page"')

    def test_clerks_have_no_menu_item(self):
        self.client.force_login(self.clerk)
        response = self.client.get("/personale/henvendelser/")
        self.assertNotContains(response, f'href="{URL}"')

    def test_it_only_answers_get(self):
        self.client.force_login(self.manager)
        self.assertEqual(self.client.post(URL).status_code, 405)


class DashboardPageTests(StaffPersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_known_contacts(cls)

    def setUp(self):
        self.client.force_login(self.manager)

    @time_machine.travel(dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC), tick=False)
    def test_the_default_period_is_the_last_12_iso_weeks(self):
        response = self.client.get(URL)
        filters = response.context["filters"]
        self.assertEqual(
            (filters.date_from, filters.date_to), (dt.date(2025, 12, 22), dt.date(2026, 3, 15))
        )
        self.assertEqual(len(response.context["sections"][0]["charts"][1].table.rows), 12)
        self.assertContains(response, 'value="2025-12-22"')

    def test_it_shows_every_section_with_charts_tables_and_exports(self):
        with translation.override("en"):
            response = self.client.get("/en" + URL + "?" + PERIOD)
        self.assertEqual(response.status_code, 200)
        figures = dict(response.context["figures"])
        self.assertEqual(figures["Contacts"], "25")
        self.assertEqual(figures["Self-service rate"], "41.2 %")
        self.assertEqual(figures["Avoidable contacts"], "10")
        self.assertEqual(figures["Inquiries answered on time"], "66.7 %")
        self.assertEqual(figures["No-show rate for appointments"], "40.0 %")
        html = response.content.decode()
        for section in ("channels", "self-service", "waiting", "deadlines", "heatmap"):
            self.assertIn(f'<section class="insight-section" id="{section}"', html)
        for key in CHARTS:
            self.assertIn(f"export={key}", html)
        # Ten SVG charts, each an image with a title, and a table beside it.
        self.assertEqual(len(re.findall(r'<svg [^>]*role="img"', html)), 10)
        self.assertEqual(html.count("<title id="), 10)
        self.assertEqual(html.count("<details"), 10)
        self.assertIn('class="table table--compact insight-heatmap"', html)
        # The export links keep the filter.
        self.assertIn("?from=2026-03-02&amp;to=2026-03-15&amp;export=channels", html)

    def test_the_filter_narrows_every_chart(self):
        response = self.client.get(URL + f"?{PERIOD}&channel=phone&channel=counter&point=raadhuset")
        channels = response.context["sections"][0]["charts"][0]
        # Only the counter contacts at the town hall: its phone line has no service point.
        self.assertEqual([row[1:] for row in channels.table.rows], [[4, 1.0]])
        html = response.content.decode()
        self.assertRegex(html, r'<input type="checkbox" name="channel" value="phone"[^>]* checked')
        self.assertNotRegex(
            html, r'<input type="checkbox" name="channel" value="chat"[^>]* checked'
        )

    def test_a_long_breakdown_draws_the_largest_and_tables_them_all(self):
        for n in range(14):
            service = ServiceFactory(slug=f"lille-{n}", title=f"Lille ydelse {n}")
            contact(ContactChannel.PHONE, local(4, 10), service=service)
        with translation.override("en"):
            response = self.client.get("/en" + URL + "?" + PERIOD)
        services = response.context["sections"][0]["charts"][2]
        self.assertEqual(len(services.table.rows), 17)
        self.assertEqual(services.svg.count("<rect "), 15)
        self.assertEqual(services.note, "The chart shows the first 15; the table has all 17.")

    def test_an_empty_period_says_so_instead_of_drawing(self):
        response = self.client.get(URL + "?from=2020-01-01&to=2020-01-31")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'insight-chart"')
        self.assertNotContains(response, "export=")


class DashboardFilterErrorTests(StaffPersonasMixin, TestCase):
    def setUp(self):
        self.client.force_login(self.manager)

    def test_bad_filters_give_form_errors_never_an_error_page(self):
        cases = {
            "from=2026-03-15&to=2026-03-02": "to",
            "from=2026-13-45": "from",
            "to=not-a-date": "to",
            "from=" + "9" * 500: "from",
            "from=2020-01-01&to=2026-01-01": "from",
            "from=9999-12-30&to=9999-12-31": "to",
            "from=0001-01-01&to=0001-01-02": "from",
            "channel=teleport": "channel",
            "service=no-such-service": "service",
            "point=nowhere": "point",
            "point=%00": "point",
            "export=everything": "export",
        }
        for query, field in cases.items():
            with self.subTest(query=query):
                response = self.client.get(URL + "?" + query)
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
                self.assertContains(response, 'id="filter-errors"')
                self.assertNotIn("sections", response.context)
                self.assertNotEqual(response["Content-Type"], "text/csv; charset=utf-8")

    def test_empty_dates_mean_the_default_period(self):
        response = self.client.get(URL + "?from=&to=")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["form"].errors)


class DashboardExportTests(StaffPersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_known_contacts(cls)

    def setUp(self):
        self.client.force_login(self.manager)

    def export(self, chart: str, query: str = PERIOD, language: str = "en"):
        prefix = "/en" if language == "en" else ""
        with translation.override(language):
            return self.client.get(f"{prefix}{URL}?{query}&export={chart}")

    def test_every_chart_exports_as_csv_for_danish_excel(self):
        for chart in CHARTS:
            with self.subTest(chart=chart):
                response = self.export(chart)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
                self.assertEqual(
                    response["Content-Disposition"],
                    f'attachment; filename="indsigt-{chart.replace("_", "-")}-2026-03-02-2026-03-15.csv"',
                )
                self.assertGreater(len(csv_rows(response)), 1)

    def test_the_channel_csv_has_counts_and_shares_with_decimal_commas(self):
        rows = csv_rows(self.export("channels"))
        self.assertEqual(rows[0], ["Channel", "Contacts", "Share"])
        self.assertEqual(rows[1], ["Self-service", "7", "28,0"])
        self.assertEqual(sum(int(r[1]) for r in rows[1:]), 25)

    def test_the_export_honours_the_filters(self):
        rows = csv_rows(self.export("channels", PERIOD + "&channel=phone&service=pas"))
        self.assertEqual(rows[1:], [["Phone", "2", "100,0"]])
        rows = csv_rows(self.export("weeks", "from=2026-03-09&to=2026-03-15"))
        self.assertEqual(rows[1:], [["2026-W11", "2026-03-09", "15"]])

    def test_the_waiting_csv_gives_seconds(self):
        rows = csv_rows(self.export("waiting"))
        header = rows[0]
        counter = next(r for r in rows if r[1] == "A")
        self.assertEqual(counter[header.index("Mean wait (seconds)")], "440")
        self.assertEqual(counter[header.index("80th percentile (seconds)")], "660")
        self.assertEqual(counter[header.index("Service level")], "50,0")
        # No service point and no queue for the phone line: empty cells, not a dash.
        phone = next(r for r in rows if r[2] == "Phone")
        self.assertEqual(phone[:2], ["", ""])
        self.assertEqual(phone[header.index("Target wait (seconds)")], "20")

    def test_the_heatmap_csv_has_a_row_per_weekday_and_a_column_per_hour(self):
        rows = csv_rows(self.export("heatmap"))
        self.assertEqual(rows[0][:3], ["Weekday", "00", "01"])
        self.assertEqual(len(rows), 8)
        self.assertEqual(rows[1][0], "Monday")
        self.assertEqual(rows[1][rows[0].index("09")], "4")
        self.assertEqual(rows[0][-1], "15")

    def test_the_self_service_csv_ends_with_the_total(self):
        rows = csv_rows(self.export("self_service"))
        self.assertEqual(rows[-1], ["All services", "7", "10", "41,2", "No"])
        self.assertIn(["Pas", "6", "6", "50,0", "Yes"], rows)

    def test_danish_export_has_danish_headers_once_translated_and_the_same_numbers(self):
        rows = csv_rows(self.export("avoidable_reasons", language="da"))
        self.assertEqual(sorted(int(r[1]) for r in rows[1:]), [1, 1, 2, 6])
