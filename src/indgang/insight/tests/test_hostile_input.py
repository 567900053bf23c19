"""Hostile input to the insight pages (the dashboard and its exports, the staffing plan and its
CSV): each query parameter gets NUL bytes, huge and malformed numbers, impossible dates and
repeated values, and each answer is a form error on the page, never a server error."""

from __future__ import annotations

from urllib.parse import urlencode

from django.test import TestCase

from indgang.accounts.tests.personas import StaffPersonasMixin
from indgang.catalogue.tests.factories import ServiceFactory
from indgang.places.tests.factories import ServicePointFactory

DASHBOARD = "/personale/indsigt/"
STAFFING = "/personale/indsigt/bemanding/"
NUL = "x\x00y"
LONG = "x" * 100_000
HUGE = str(10**30)
BAD_NUMBERS = ["abc", HUGE, "-" + HUGE, "-1", "0", "nan", "NaN", "inf", "-inf", "1e400", LONG, NUL]
BAD_DATES = [
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "31-02-2026",
    "99999-01-01",
    "abc",
    HUGE,
    NUL,
    LONG,
]
BAD_TEXT = [NUL, LONG, HUGE, "-1", "../../etc/passwd", "' OR 1=1 --"]


class HostileQueryMixin:
    def get(self, url: str, **params):
        return self.client.get(url + "?" + urlencode(params, doseq=True))


class DashboardHostileInputTests(HostileQueryMixin, StaffPersonasMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.service = ServiceFactory(slug="pas")
        cls.point = ServicePointFactory(slug="raadhuset")

    def setUp(self):
        self.client.force_login(self.manager)

    def assert_form_error(self, response, field: str):
        self.assertEqual(response.status_code, 200)
        self.assertIn(field, response.context["form"].errors)
        self.assertNotIn("sections", response.context)

    def test_bad_dates_are_form_errors(self):
        for field in ("from", "to"):
            for value in BAD_DATES:
                with self.subTest(field=field, value=value[:12]):
                    self.assert_form_error(self.get(DASHBOARD, **{field: value}), field)

    def test_the_period_may_not_be_backwards_or_too_long(self):
        self.assert_form_error(
            self.get(DASHBOARD, **{"from": "2026-03-02", "to": "2026-03-01"}), "to"
        )
        self.assert_form_error(
            self.get(DASHBOARD, **{"from": "2000-01-01", "to": "2099-12-31"}), "from"
        )

    def test_unknown_channels_services_and_points_are_form_errors(self):
        for field in ("channel", "service", "point"):
            for value in BAD_TEXT:
                with self.subTest(field=field, value=value[:12]):
                    self.assert_form_error(self.get(DASHBOARD, **{field: value}), field)

    def test_an_unknown_export_is_a_form_error_not_a_file(self):
        for value in [*BAD_TEXT, "CHANNELS", "channels\x00"]:
            with self.subTest(value=value[:12]):
                response = self.get(DASHBOARD, export=value)
                self.assert_form_error(response, "export")
                self.assertNotIn("attachment", response.get("Content-Disposition", ""))

    def test_repeated_parameters_use_one_value_or_are_refused(self):
        response = self.get(
            DASHBOARD,
            **{"from": ["2026-03-02", "abc"], "to": ["2026-03-15", "2026-03-16"]},
            channel=["phone", "phone", "counter"],
            service=["pas", "pas"],
        )
        self.assertLess(response.status_code, 500)
        response = self.get(DASHBOARD, export=["channels", "weeks"])
        self.assertEqual(response.status_code, 200)
        response = self.get(DASHBOARD, export=["weeks", NUL])
        self.assert_form_error(response, "export")

    def test_the_export_of_a_bad_filter_is_the_page_with_form_errors(self):
        response = self.get(DASHBOARD, export="channels", **{"from": "0001-01-01"})
        self.assert_form_error(response, "from")

    def test_clerks_get_403_before_their_input_is_read(self):
        self.client.force_login(self.clerk)
        self.assertEqual(self.get(DASHBOARD, **{"from": NUL, "export": LONG}).status_code, 403)


class StaffingHostileInputTests(HostileQueryMixin, StaffPersonasMixin, TestCase):
    def setUp(self):
        self.client.force_login(self.manager)

    def assert_form_error(self, response, field: str):
        self.assertEqual(response.status_code, 400)
        self.assertIn(field, response.context["form"].errors)
        self.assertIsNone(response.context["plan"])

    def test_bad_numbers_are_form_errors(self):
        for field in ("target", "answer_time", "shrinkage"):
            for value in BAD_NUMBERS:
                if value == "0" and field == "shrinkage":
                    continue  # no shrinkage is a valid assumption
                with self.subTest(field=field, value=value[:12]):
                    self.assert_form_error(self.get(STAFFING, **{field: value}), field)

    def test_bad_weeks_are_form_errors(self):
        for value in BAD_DATES:
            with self.subTest(value=value[:12]):
                self.assert_form_error(self.get(STAFFING, week=value), "week")

    def test_unknown_channels_are_form_errors(self):
        for value in [*BAD_TEXT, "self_service", "letter"]:
            with self.subTest(value=value[:12]):
                self.assert_form_error(self.get(STAFFING, channel=value), "channel")

    def test_the_csv_of_a_bad_query_is_the_page_with_form_errors(self):
        for value in ("csv", NUL, LONG, "CSV"):
            with self.subTest(format=value[:12]):
                response = self.get(STAFFING, target="abc", format=value)
                self.assert_form_error(response, "target")
                self.assertNotIn("attachment", response.get("Content-Disposition", ""))

    def test_an_unknown_format_shows_the_page(self):
        for value in (NUL, LONG, "xlsx", ["csv", "pdf"]):
            with self.subTest(format=str(value)[:12]):
                response = self.get(STAFFING, format=value)
                self.assertLess(response.status_code, 500)

    def test_repeated_parameters_use_one_value(self):
        response = self.get(STAFFING, target=["80", "abc"], shrinkage=["30", "30"])
        self.assertLess(response.status_code, 500)

    def test_clerks_get_403_before_their_input_is_read(self):
        self.client.force_login(self.clerk)
        self.assertEqual(self.get(STAFFING, week=NUL, format="csv").status_code, 403)
