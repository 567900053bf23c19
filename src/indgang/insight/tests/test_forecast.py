"""The demand forecast on small synthetic histories whose pattern, trend and holidays are known."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.test import TestCase

from indgang.insight.forecast import (
    average_handling_seconds,
    closed_days,
    forecast_accuracy,
    forecast_demand,
)
from indgang.insight.models import Contact, ContactChannel, ContactOutcome, ContactSource
from indgang.places.models import ClosingDay

TZ = ZoneInfo("Europe/Copenhagen")
# Monday 2 November 2026; the history runs up to the day before.
TODAY = dt.date(2026, 11, 2)
# The known pattern: contacts per weekday (Mon–Sun) at the start of the history, the trend, and the
# share of a day in each open half-hour (09:00–15:00 on weekdays, 10:00–12:00 on Saturdays).
DAILY = [200, 150, 160, 170, 120, 40, 0]
GROWTH_PER_WEEK = 4.0  # contacts per average day and week
WEEKDAY_PROFILE = dict(zip(range(18, 30), [1, 2, 3, 3, 2, 1] * 2, strict=True))
SATURDAY_PROFILE = {20: 1, 21: 1, 22: 1, 23: 1}

_keys = iter(range(10**9))


def contact(channel: str, at: dt.datetime, count: int = 1, **fields) -> Contact:
    """An unsaved Contact row (bulk-created by the callers)."""
    return Contact(
        channel=channel,
        arrived_at=at,
        count=count,
        source=ContactSource.DEMO,
        source_key=f"test-{next(_keys)}",
        **fields,
    )


def true_daily(day: dt.date, *, start: dt.date) -> float:
    """The synthetic history's daily total: weekday level scaled by a linear trend."""
    weeks = (day - start).days / 7
    mean_day = sum(DAILY) / 7
    return DAILY[day.weekday()] * (mean_day + GROWTH_PER_WEEK * weeks) / mean_day


def profile_of(day: dt.date) -> dict[int, float]:
    shares = SATURDAY_PROFILE if day.weekday() == 5 else WEEKDAY_PROFILE
    if day.weekday() == 6:
        return {}
    total = sum(shares.values())
    return {slot: share / total for slot, share in shares.items()}


def synthetic_history(
    *,
    channel: str = ContactChannel.PHONE,
    start: dt.date,
    end: dt.date,
    noise: random.Random | None = None,
    holidays_open: bool = False,
) -> list[Contact]:
    """One row per half-hour holding that half-hour's (rounded, optionally noisy) count."""
    closed = closed_days(start, end)
    rows = []
    day = start
    while day < end:
        if day not in closed or holidays_open:
            total = true_daily(day, start=start)
            for slot, share in profile_of(day).items():
                mean = total * share
                value = round(mean if noise is None else max(0.0, noise.gauss(mean, mean**0.5)))
                if value > 0:
                    at = dt.datetime.combine(
                        day, dt.time(slot // 2, 30 * (slot % 2) + 7), tzinfo=TZ
                    )
                    rows.append(contact(channel, at, value))
        day += dt.timedelta(days=1)
    return Contact.objects.bulk_create(rows)


class ForecastPatternTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.start = TODAY - dt.timedelta(weeks=16)
        synthetic_history(start=cls.start, end=TODAY)

    def test_it_recovers_the_weekday_level_and_trend(self):
        forecast = forecast_demand(start=TODAY, days=14, today=TODAY)
        self.assertEqual(forecast.channels, [ContactChannel.PHONE])
        totals = forecast.day_totals(ContactChannel.PHONE)
        for day, value in totals.items():
            expected = true_daily(day, start=self.start)
            with self.subTest(day=day):
                if expected == 0:
                    self.assertAlmostEqual(value, 0.0, places=6)
                else:
                    self.assertAlmostEqual(value / expected, 1.0, delta=0.03)
        # The trend continues: the second Monday is higher than the first by about a week's growth.
        mondays = [totals[TODAY], totals[TODAY + dt.timedelta(days=7)]]
        self.assertGreater(mondays[1], mondays[0])

    def test_it_holds_the_trend_flat_beyond_four_weeks(self):
        # Mondays 8 and 12 weeks ahead (no holidays on either): same level, above today's.
        later = [TODAY + dt.timedelta(weeks=8), TODAY + dt.timedelta(weeks=12)]
        forecast = forecast_demand(start=later[0], days=29, today=TODAY)
        totals = forecast.day_totals(ContactChannel.PHONE)
        self.assertAlmostEqual(totals[later[0]], totals[later[1]], places=6)
        self.assertAlmostEqual(
            totals[later[0]] / true_daily(TODAY + dt.timedelta(days=28), start=self.start),
            1.0,
            delta=0.03,
        )

    def test_it_recovers_the_time_of_day_profile(self):
        forecast = forecast_demand(start=TODAY, days=7, today=TODAY)
        by_day: dict[dt.date, list] = {}
        for interval in forecast.series[ContactChannel.PHONE]:
            by_day.setdefault(interval.start.date(), []).append(interval)
        for day, intervals in by_day.items():
            total = sum(i.expected for i in intervals)
            wanted = profile_of(day)
            for interval in intervals:
                slot = interval.start.hour * 2 + interval.start.minute // 30
                share = interval.expected / total if total else 0.0
                with self.subTest(day=day, slot=slot):
                    self.assertAlmostEqual(share, wanted.get(slot, 0.0), delta=0.01)

    def test_it_keeps_intervals_in_local_time_and_half_hours(self):
        forecast = forecast_demand(start=TODAY, days=1, today=TODAY)
        starts = [i.start for i in forecast.series[ContactChannel.PHONE]]
        self.assertEqual(len(starts), 48)
        self.assertEqual(starts[0], dt.datetime(2026, 11, 2, 0, 0, tzinfo=TZ))
        self.assertEqual(str(starts[0].tzinfo), "Europe/Copenhagen")
        self.assertEqual(forecast.interval_minutes, 30)

    def test_it_forecasts_zero_on_public_holidays(self):
        # Christmas Day 2026 is a Friday, New Year's Day 2027 a Friday as well.
        forecast = forecast_demand(start=dt.date(2026, 12, 21), days=14, today=TODAY)
        totals = forecast.day_totals(ContactChannel.PHONE)
        self.assertEqual(totals[dt.date(2026, 12, 25)], 0.0)
        self.assertEqual(totals[dt.date(2027, 1, 1)], 0.0)
        self.assertGreater(totals[dt.date(2026, 12, 28)], 0.0)  # a normal Monday
        self.assertGreater(totals[dt.date(2026, 12, 22)], 0.0)

    def test_it_forecasts_zero_on_the_municipalitys_closing_days(self):
        ClosingDay.objects.create(name="Grundlovsdag", month=6, day=5)
        forecast = forecast_demand(start=dt.date(2026, 11, 16), days=7, today=TODAY)
        self.assertGreater(forecast.day_totals(ContactChannel.PHONE)[dt.date(2026, 11, 20)], 0)
        ClosingDay.objects.create(name="Lukkedag", date=dt.date(2026, 11, 20))
        forecast = forecast_demand(start=dt.date(2026, 11, 16), days=7, today=TODAY)
        self.assertEqual(forecast.day_totals(ContactChannel.PHONE)[dt.date(2026, 11, 20)], 0.0)

    def test_it_rejects_unknown_channels(self):
        with self.assertRaises(ValueError):
            forecast_demand(start=TODAY, days=1, channels=["carrier-pigeon"], today=TODAY)

    def test_a_channel_without_history_forecasts_zero(self):
        forecast = forecast_demand(start=TODAY, days=2, channels=[ContactChannel.CHAT], today=TODAY)
        self.assertEqual(len(forecast.series[ContactChannel.CHAT]), 96)
        self.assertEqual(sum(i.expected for i in forecast.series[ContactChannel.CHAT]), 0.0)


class ForecastHolidayLevelTests(TestCase):
    def test_it_uses_the_level_observed_on_past_holidays(self):
        # Self-service goes on over the holidays: the history has normal days on them.
        start = TODAY - dt.timedelta(weeks=30)  # includes Whitsun, Ascension Day, …
        synthetic_history(
            channel=ContactChannel.SELF_SERVICE, start=start, end=TODAY, holidays_open=True
        )
        forecast = forecast_demand(start=dt.date(2026, 12, 21), days=7, today=TODAY)
        fit = forecast.fits[ContactChannel.SELF_SERVICE]
        self.assertAlmostEqual(fit.holiday_factor, 1.0, delta=0.1)
        self.assertGreater(
            forecast.day_totals(ContactChannel.SELF_SERVICE)[dt.date(2026, 12, 25)], 0
        )


class ForecastDaylightSavingTests(TestCase):
    def test_the_spring_change_day_has_46_intervals_and_the_autumn_one_50(self):
        Contact.objects.create(
            channel=ContactChannel.PHONE,
            arrived_at=dt.datetime(2026, 3, 2, 10, tzinfo=TZ),
            source=ContactSource.DEMO,
            source_key="one",
        )
        cases = {dt.date(2026, 3, 29): 46, dt.date(2026, 10, 25): 50, dt.date(2026, 10, 26): 48}
        for day, count in cases.items():
            forecast = forecast_demand(start=day, days=1, today=dt.date(2026, 3, 9))
            starts = [i.start for i in forecast.series[ContactChannel.PHONE]]
            with self.subTest(day=day):
                self.assertEqual(len(starts), count)
                utc = [s.astimezone(dt.UTC) for s in starts]
                self.assertTrue(
                    all(
                        b - a == dt.timedelta(minutes=30)
                        for a, b in zip(utc, utc[1:], strict=False)
                    )
                )
                self.assertEqual(starts[0].date(), day)
                self.assertEqual((starts[0].hour, starts[0].minute), (0, 0))
                self.assertEqual(starts[-1].astimezone(TZ).time(), dt.time(23, 30))


class ForecastSeasonalityTests(TestCase):
    def test_with_more_than_a_year_it_follows_last_years_weeks(self):
        # Two years of a flat level with a peak (three times the level) in weeks 20–24.
        start = dt.date(2024, 11, 4)
        rows = []
        day = start
        closed = closed_days(start, TODAY)
        while day < TODAY:
            if day.weekday() < 5 and day not in closed:
                peak = 3 if 20 <= day.isocalendar().week <= 24 else 1
                at = dt.datetime.combine(day, dt.time(10), tzinfo=TZ)
                rows.append(contact(ContactChannel.COUNTER, at, 50 * peak))
            day += dt.timedelta(days=1)
        Contact.objects.bulk_create(rows)
        today = dt.date(2026, 4, 27)  # before this year's peak
        forecast = forecast_demand(
            start=dt.date(2026, 5, 18), days=14, history_days=730, today=today
        )
        fit = forecast.fits[ContactChannel.COUNTER]
        self.assertTrue(fit.seasonal)
        totals = forecast.day_totals(ContactChannel.COUNTER)
        self.assertAlmostEqual(totals[dt.date(2026, 5, 19)], 150, delta=10)  # week 21: peak
        # Without the second year, the same forecast has no seasonality and stays flat.
        flat = forecast_demand(start=dt.date(2026, 5, 18), days=14, history_days=120, today=today)
        self.assertFalse(flat.fits[ContactChannel.COUNTER].seasonal)
        self.assertAlmostEqual(
            flat.day_totals(ContactChannel.COUNTER)[dt.date(2026, 5, 19)], 50, delta=5
        )


class ForecastAccuracyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.start = TODAY - dt.timedelta(weeks=20)
        synthetic_history(start=cls.start, end=TODAY, noise=random.Random(6))

    def test_it_beats_the_naive_forecast_on_patterned_data(self):
        result = forecast_accuracy(holdout_days=28, today=TODAY)
        accuracy = result[ContactChannel.PHONE]
        self.assertEqual(accuracy.intervals, 28 * 48)
        self.assertIsNotNone(accuracy.baseline)
        self.assertLess(accuracy.wape, accuracy.baseline.wape)
        self.assertLess(accuracy.mape, accuracy.baseline.mape)
        self.assertGreater(accuracy.actual_total, 0)
        self.assertAlmostEqual(accuracy.forecast_total / accuracy.actual_total, 1.0, delta=0.05)

    def test_it_scores_errors_as_documented(self):
        result = forecast_accuracy(holdout_days=7, today=TODAY)
        accuracy = result[ContactChannel.PHONE]
        self.assertEqual(accuracy.intervals, 7 * 48)
        self.assertGreater(accuracy.wape, 0)
        self.assertLess(accuracy.wape, 30)

    def test_the_command_prints_the_accuracy_table_and_json(self):
        out = io.StringIO()
        with self.settings(LANGUAGE_CODE="en"):
            call_command("insight-forecast", "--accuracy", "--today", TODAY.isoformat(), stdout=out)
        text = out.getvalue()
        self.assertIn("phone", text)
        self.assertIn("WAPE", text)
        out = io.StringIO()
        call_command(
            "insight-forecast", "--accuracy", "--json", "--today", TODAY.isoformat(), stdout=out
        )
        data = json.loads(out.getvalue())
        phone = data["channels"]["phone"]
        self.assertLess(phone["wape"], phone["baseline"]["wape"])

    def test_the_command_prints_totals_per_channel_and_day(self):
        out = io.StringIO()
        call_command(
            "insight-forecast", "--days", "3", "--json", "--today", TODAY.isoformat(), stdout=out
        )
        data = json.loads(out.getvalue())
        days = data["channels"]["phone"]["days"]
        self.assertEqual([d["date"] for d in days], ["2026-11-02", "2026-11-03", "2026-11-04"])
        self.assertGreater(days[0]["expected"], days[1]["expected"])  # Monday is the busiest
        out = io.StringIO()
        call_command("insight-forecast", "--days", "3", "--today", TODAY.isoformat(), stdout=out)
        self.assertIn("2026-11-03", out.getvalue())


class AverageHandlingTests(TestCase):
    def test_it_averages_served_contacts_since_a_date(self):
        at = dt.datetime(2026, 10, 1, 10, tzinfo=TZ)
        Contact.objects.bulk_create(
            [
                contact(ContactChannel.PHONE, at, handle_seconds=120),
                contact(ContactChannel.PHONE, at, handle_seconds=240),
                contact(
                    ContactChannel.PHONE,
                    at,
                    handle_seconds=5,
                    outcome=ContactOutcome.ABANDONED,
                ),
                contact(ContactChannel.PHONE, at - dt.timedelta(days=90), handle_seconds=900),
                contact(ContactChannel.CHAT, at, handle_seconds=600),
            ]
        )
        since = dt.date(2026, 9, 1)
        self.assertEqual(average_handling_seconds(channel="phone", since=since), 180.0)
        self.assertIsNone(average_handling_seconds(channel="counter", since=since))
