import datetime as dt

from django.test import SimpleTestCase

from indgang.demo.datafiles import DATA_DIR, read_json
from indgang.demo.dates import DemoCalendar
from indgang.demo.exceptions import DemoDataError

CLOSING_DAYS = (
    {"name": "Grundlovsdag", "month": 6, "day": 5},
    {"name": "Fredag efter Kristi himmelfartsdag", "easter_offset": 40},
)


def calendar(today: dt.date) -> DemoCalendar:
    return DemoCalendar(today=today, closing_days=CLOSING_DAYS)


class DemoCalendarTests(SimpleTestCase):
    def test_summer_is_four_weeks_from_the_first_monday_of_july(self):
        self.assertEqual(
            calendar(dt.date(2026, 3, 1)).summer, (dt.date(2026, 7, 6), dt.date(2026, 8, 2))
        )

    def test_summer_moves_to_next_year_once_it_is_over(self):
        self.assertEqual(calendar(dt.date(2026, 8, 2)).summer[0], dt.date(2026, 7, 6))
        self.assertEqual(calendar(dt.date(2026, 8, 3)).summer[0], dt.date(2027, 7, 5))

    def test_nth_weekday_of_next_month(self):
        rule = {"rule": "nth_weekday_of_month", "n": 1, "weekday": "wednesday", "months_ahead": 1}
        self.assertEqual(calendar(dt.date(2026, 11, 22)).resolve(rule), dt.date(2026, 12, 2))
        self.assertEqual(calendar(dt.date(2026, 12, 31)).resolve(rule), dt.date(2027, 1, 6))

    def test_a_weekday_rule_skips_a_public_holiday_by_a_week(self):
        # The first Thursday of April 2026 is Maundy Thursday (skærtorsdag).
        rule = {"rule": "nth_weekday_of_month", "n": 1, "weekday": "thursday", "months_ahead": 1}
        self.assertEqual(calendar(dt.date(2026, 3, 10)).resolve(rule), dt.date(2026, 4, 9))

    def test_a_weekday_rule_skips_a_municipal_closing_day(self):
        # Friday 15 May 2026 is the Friday after Ascension Day.
        rule = {"rule": "weekday_in_weeks", "weekday": "friday", "weeks_ahead": 1}
        self.assertEqual(calendar(dt.date(2026, 5, 6)).resolve(rule), dt.date(2026, 5, 22))

    def test_a_nth_weekday_in_a_named_month_is_the_next_one(self):
        rule = {"rule": "nth_weekday_of_month", "n": 1, "weekday": "saturday", "month": 12}
        self.assertEqual(calendar(dt.date(2026, 11, 22)).resolve(rule), dt.date(2026, 12, 5))
        self.assertEqual(calendar(dt.date(2026, 12, 6)).resolve(rule), dt.date(2027, 12, 4))

    def test_a_yearly_date_on_a_weekend_is_left_out(self):
        rule = {"rule": "next_yearly", "month": 12, "day": 23}
        self.assertEqual(calendar(dt.date(2026, 11, 22)).resolve(rule), dt.date(2026, 12, 23))
        # 23 December 2028 is a Saturday.
        self.assertIsNone(calendar(dt.date(2028, 11, 22)).resolve(rule))

    def test_it_rejects_an_unknown_rule(self):
        with self.assertRaisesMessage(DemoDataError, "unknown date rule 'easter'"):
            calendar(dt.date(2026, 1, 1)).resolve({"rule": "easter"})


class ShippedExceptionDatesTests(SimpleTestCase):
    """The shipped exceptions make sense whichever day of the year the demo is loaded."""

    def test_every_exception_resolves_to_a_sensible_range_on_every_day_of_a_year(self):
        places = read_json(DATA_DIR / "places.json")
        closing_days = tuple(places["closing_days"])
        day = dt.date(2027, 1, 1)
        while day.year == 2027:
            cal = DemoCalendar(today=day, closing_days=closing_days)
            for point in places["points"]:
                for exception in point.get("exceptions", []):
                    starts = cal.resolve(exception["starts"])
                    if starts is None:
                        continue
                    ends = cal.resolve(exception["ends"]) if "ends" in exception else starts
                    if "days" in exception:
                        ends = starts + dt.timedelta(days=exception["days"] - 1)
                    with self.subTest(point=point["slug"], note=exception["note"], today=day):
                        self.assertGreaterEqual(ends, starts)
                        if not exception.get("closed") and exception.get("periods"):
                            self.assertFalse(cal.is_closed_anyway(starts) and starts.weekday() < 5)
            day += dt.timedelta(days=1)
