import datetime as dt
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase
from django.utils import translation

from indgang.places.hours import Rule, Schedule
from indgang.places.presentation import status_text

CPH = ZoneInfo("Europe/Copenhagen")
SCHEDULE = Schedule(
    rules=[Rule(weekday=d, opens=dt.time(10), closes=dt.time(15)) for d in range(5)]
)


def text(moment: dt.datetime, language="da") -> str:
    with translation.override(language):
        return status_text(SCHEDULE.status_at(moment), now=moment)


class StatusTextTests(SimpleTestCase):
    def test_open_now_says_until_when(self):
        self.assertEqual(
            text(dt.datetime(2026, 11, 23, 11, tzinfo=CPH), "en"), "Open now until 15:00"
        )

    def test_before_opening_says_today(self):
        self.assertEqual(
            text(dt.datetime(2026, 11, 23, 8, tzinfo=CPH), "en"), "Closed. Opens today at 10:00"
        )

    def test_after_closing_says_tomorrow(self):
        self.assertEqual(
            text(dt.datetime(2026, 11, 23, 16, tzinfo=CPH), "en"), "Closed. Opens tomorrow at 10:00"
        )

    def test_over_the_weekend_it_names_the_weekday(self):
        self.assertEqual(
            text(dt.datetime(2026, 11, 28, 12, tzinfo=CPH), "en"), "Closed. Opens Monday at 10:00"
        )

    def test_danish_is_the_default(self):
        self.assertEqual(
            text(dt.datetime(2026, 11, 28, 12, tzinfo=CPH)), "Lukket. Åbner mandag kl. 10:00"
        )

    def test_without_planned_hours_it_says_so(self):
        with translation.override("en"):
            moment = dt.datetime(2026, 11, 23, 11, tzinfo=CPH)
            self.assertIn("No opening hours", status_text(Schedule().status_at(moment), now=moment))
