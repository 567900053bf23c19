"""The opening-hours engine's hard cases, on plain values (no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from indgang.places.hours import ClosingDayRule, Exception_, Rule, Schedule, local_instant

CPH = ZoneInfo("Europe/Copenhagen")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def at(text: str) -> dt.datetime:
    """A local Copenhagen moment, e.g. at('2026-11-23 11:00')."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=CPH)


def weekdays(opens: str, closes: str, days=(MON, TUE, WED, THU, FRI), **kw) -> list[Rule]:
    return [Rule(weekday=d, opens=t(opens), closes=t(closes), **kw) for d in days]


MUNICIPAL_CLOSING_DAYS = [
    ClosingDayRule(name="Grundlovsdag", month=6, day=5),
    ClosingDayRule(name="Juleaftensdag", month=12, day=24),
    ClosingDayRule(name="Nytårsaftensdag", month=12, day=31),
    ClosingDayRule(name="Fredag efter Kristi himmelfartsdag", easter_offset=40),
]


class SplitShiftTests(SimpleTestCase):
    def setUp(self):
        self.schedule = Schedule(rules=weekdays("10:00", "12:00") + weekdays("13:00", "15:30"))

    def test_it_lists_both_periods_of_a_split_day_in_order(self):
        day = self.schedule.day(dt.date(2026, 11, 23))
        self.assertEqual(
            [(p.opens, p.closes) for p in day.periods],
            [(t("10:00"), t("12:00")), (t("13:00"), t("15:30"))],
        )
        self.assertEqual(day.open_duration, dt.timedelta(hours=4, minutes=30))

    def test_it_is_open_in_the_morning_period_until_its_end(self):
        status = self.schedule.status_at(at("2026-11-23 11:00"))
        self.assertTrue(status.is_open)
        self.assertEqual(status.current.local_end, at("2026-11-23 12:00"))
        self.assertEqual(status.next_open.local_start, at("2026-11-23 13:00"))

    def test_it_is_closed_over_lunch_and_opens_again_the_same_day(self):
        status = self.schedule.status_at(at("2026-11-23 12:00"))
        self.assertFalse(status.is_open)
        self.assertEqual(status.next_open.local_start, at("2026-11-23 13:00"))

    def test_closing_time_is_exclusive(self):
        self.assertFalse(self.schedule.status_at(at("2026-11-23 15:30")).is_open)
        self.assertTrue(self.schedule.status_at(at("2026-11-23 15:29:59")).is_open)

    def test_friday_evening_points_to_monday_morning(self):
        status = self.schedule.status_at(at("2026-11-27 18:00"))
        self.assertEqual(status.next_open.local_start, at("2026-11-30 10:00"))

    def test_back_to_back_periods_read_as_one_opening(self):
        schedule = Schedule(rules=weekdays("09:00", "12:00") + weekdays("12:00", "14:00"))
        status = schedule.status_at(at("2026-11-23 11:00"))
        self.assertEqual(status.current.local_end, at("2026-11-23 14:00"))


class DaylightSavingTests(SimpleTestCase):
    """Europe/Copenhagen: 2026-03-29 02:00 → 03:00 (CEST), 2026-10-25 03:00 → 02:00 (CET)."""

    def setUp(self):
        # A night phone line, midnight to 06:00 every day.
        self.night = Schedule(
            rules=[Rule(weekday=d, opens=t("00:00"), closes=t("06:00")) for d in range(7)],
            follows_public_holidays=False,
        )

    def test_the_spring_change_day_is_one_hour_shorter(self):
        day = self.night.day(dt.date(2026, 3, 29))
        self.assertEqual(day.open_duration, dt.timedelta(hours=5))

    def test_the_autumn_change_day_is_one_hour_longer(self):
        day = self.night.day(dt.date(2026, 10, 25))
        self.assertEqual(day.open_duration, dt.timedelta(hours=7))

    def test_an_ordinary_night_is_six_hours(self):
        self.assertEqual(self.night.day(dt.date(2026, 10, 26)).open_duration, dt.timedelta(hours=6))

    def test_daytime_hours_keep_their_wall_clock_across_the_change(self):
        schedule = Schedule(
            rules=weekdays("10:00", "14:00", days=(SUN,)), follows_public_holidays=False
        )
        before, change, after = (
            schedule.day(day).periods[0]
            for day in (dt.date(2026, 10, 18), dt.date(2026, 10, 25), dt.date(2026, 11, 1))
        )
        self.assertEqual(before.start, dt.datetime(2026, 10, 18, 8, 0, tzinfo=dt.UTC))  # CEST
        self.assertEqual(change.start, dt.datetime(2026, 10, 25, 9, 0, tzinfo=dt.UTC))  # CET
        self.assertEqual(after.local_start.hour, 10)
        self.assertEqual(change.duration, dt.timedelta(hours=4))

    def test_it_is_open_in_both_occurrences_of_the_repeated_hour(self):
        first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # 02:30 CEST
        second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)  # 02:30 CET
        self.assertTrue(self.night.status_at(first).is_open)
        self.assertTrue(self.night.status_at(second).is_open)
        self.assertEqual(self.night.status_at(second).current.local_end, at("2026-10-25 06:00"))

    def test_a_time_in_the_spring_gap_is_read_as_summer_time(self):
        self.assertEqual(
            local_instant(dt.date(2026, 3, 29), t("02:30"), CPH),
            dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC),
        )

    def test_next_opening_across_the_autumn_change_is_at_the_local_time(self):
        schedule = Schedule(rules=weekdays("10:00", "14:00"))
        status = schedule.status_at(at("2026-10-24 18:00"))  # Saturday, CEST
        self.assertEqual(status.next_open.start, dt.datetime(2026, 10, 26, 9, 0, tzinfo=dt.UTC))
        self.assertEqual(status.next_open.local_start.hour, 10)

    def test_a_period_until_midnight_ends_at_the_next_day(self):
        schedule = Schedule(rules=[Rule(weekday=SAT, opens=t("20:00"), closes=t("00:00"))])
        period = schedule.day(dt.date(2026, 3, 28)).periods[0]
        self.assertEqual(period.local_end, at("2026-03-29 00:00"))
        self.assertTrue(schedule.status_at(at("2026-03-28 23:59")).is_open)
        self.assertFalse(schedule.status_at(at("2026-03-29 00:00")).is_open)


class HolidayTests(SimpleTestCase):
    def setUp(self):
        self.schedule = Schedule(
            rules=weekdays("10:00", "15:00", days=range(7)), closing_days=MUNICIPAL_CLOSING_DAYS
        )

    def assertClosed(self, day, reason, name):
        result = self.schedule.day(day)
        self.assertFalse(result.is_open, day)
        self.assertEqual((result.closed_reason, result.closed_name), (reason, name))
        self.assertTrue(result.is_special)

    def test_christmas_closes_on_the_eve_and_the_two_holidays(self):
        self.assertClosed(dt.date(2026, 12, 24), "closing_day", "Juleaftensdag")
        self.assertClosed(dt.date(2026, 12, 25), "holiday", "Juledag")
        self.assertClosed(dt.date(2026, 12, 26), "holiday", "Anden juledag")
        self.assertTrue(self.schedule.day(dt.date(2026, 12, 23)).is_open)
        self.assertTrue(self.schedule.day(dt.date(2026, 12, 27)).is_open)

    def test_easter_2026_closes_thursday_to_monday(self):
        self.assertClosed(dt.date(2026, 4, 2), "holiday", "Skærtorsdag")
        self.assertClosed(dt.date(2026, 4, 3), "holiday", "Langfredag")
        self.assertClosed(dt.date(2026, 4, 5), "holiday", "Påskedag")
        self.assertClosed(dt.date(2026, 4, 6), "holiday", "Anden påskedag")
        self.assertTrue(
            self.schedule.day(dt.date(2026, 4, 4)).is_open
        )  # Saturday in Easter is no holiday

    def test_grundlovsdag_is_a_municipal_closing_day_not_a_public_holiday(self):
        self.assertClosed(dt.date(2026, 6, 5), "closing_day", "Grundlovsdag")
        without = Schedule(rules=weekdays("10:00", "15:00"))
        self.assertTrue(without.day(dt.date(2026, 6, 5)).is_open)

    def test_the_friday_after_ascension_follows_easter(self):
        self.assertClosed(dt.date(2026, 5, 14), "holiday", "Kristi himmelfartsdag")
        self.assertClosed(dt.date(2026, 5, 15), "closing_day", "Fredag efter Kristi himmelfartsdag")
        self.assertClosed(dt.date(2027, 5, 7), "closing_day", "Fredag efter Kristi himmelfartsdag")

    def test_store_bededag_is_no_holiday_from_2024(self):
        self.assertClosed(dt.date(2023, 5, 5), "holiday", "Store bededag")
        self.assertTrue(self.schedule.day(dt.date(2024, 4, 26)).is_open)
        self.assertTrue(self.schedule.day(dt.date(2026, 5, 1)).is_open)

    def test_status_on_christmas_eve_points_past_the_holidays(self):
        status = self.schedule.status_at(at("2026-12-24 11:00"))
        self.assertFalse(status.is_open)
        self.assertEqual(status.next_open.local_start, at("2026-12-27 10:00"))

    def test_a_point_that_ignores_holidays_stays_open(self):
        chat = Schedule(
            rules=weekdays("10:00", "15:00", days=range(7)),
            closing_days=MUNICIPAL_CLOSING_DAYS,
            follows_public_holidays=False,
        )
        self.assertTrue(chat.day(dt.date(2026, 12, 25)).is_open)
        self.assertEqual(chat.day(dt.date(2026, 12, 25)).holiday_name, "")


class ExceptionTests(SimpleTestCase):
    def test_an_exception_with_hours_overrides_a_public_holiday(self):
        festival = Exception_(
            starts_on=dt.date(2026, 5, 25),
            periods=((t("10:00"), t("16:00")),),
            note="Borgerbussen ved Fjordby Festival",
        )
        schedule = Schedule(rules=weekdays("10:00", "14:00"), exceptions=[festival])
        day = schedule.day(dt.date(2026, 5, 25))  # Anden pinsedag
        self.assertEqual([(p.opens, p.closes) for p in day.periods], [(t("10:00"), t("16:00"))])
        self.assertEqual(day.holiday_name, "Anden pinsedag")
        self.assertEqual(day.closed_reason, "")
        self.assertEqual(day.note, "Borgerbussen ved Fjordby Festival")

    def test_a_closed_exception_closes_an_ordinary_day_with_its_note(self):
        training = Exception_(starts_on=dt.date(2026, 12, 2), closed=True, note="Personalemøde")
        schedule = Schedule(rules=weekdays("10:00", "14:00"), exceptions=[training])
        day = schedule.day(dt.date(2026, 12, 2))
        self.assertFalse(day.is_open)
        self.assertEqual((day.closed_reason, day.note), ("exception", "Personalemøde"))

    def test_an_exception_range_covers_every_day_in_it(self):
        summer = Exception_(
            starts_on=dt.date(2026, 7, 13), ends_on=dt.date(2026, 7, 24), closed=True
        )
        schedule = Schedule(rules=weekdays("10:00", "14:00"), exceptions=[summer])
        open_days = [
            d.date.day
            for d in schedule.days(dt.date(2026, 7, 10), dt.date(2026, 7, 27))
            if d.is_open
        ]
        self.assertEqual(open_days, [10, 27])

    def test_a_note_only_exception_keeps_the_usual_hours(self):
        note = Exception_(starts_on=dt.date(2026, 12, 3), note="Kun tidsbestilling i dag")
        day = Schedule(rules=weekdays("10:00", "14:00"), exceptions=[note]).day(
            dt.date(2026, 12, 3)
        )
        self.assertTrue(day.is_open)
        self.assertTrue(day.is_special)
        self.assertEqual(day.note, "Kun tidsbestilling i dag")

    def test_special_hours_replace_a_split_day(self):
        late = Exception_(starts_on=dt.date(2026, 12, 3), periods=((t("09:00"), t("18:00")),))
        schedule = Schedule(
            rules=weekdays("10:00", "12:00") + weekdays("13:00", "15:00"), exceptions=[late]
        )
        self.assertEqual(len(schedule.day(dt.date(2026, 12, 3)).periods), 1)

    def test_the_last_entered_of_two_exceptions_decides(self):
        first = Exception_(starts_on=dt.date(2026, 12, 3), closed=True)
        second = Exception_(starts_on=dt.date(2026, 12, 3), periods=((t("12:00"), t("13:00")),))
        day = Schedule(rules=weekdays("10:00", "14:00"), exceptions=[first, second]).day(
            dt.date(2026, 12, 3)
        )
        self.assertEqual(day.periods[0].opens, t("12:00"))

    def test_an_exception_on_a_closing_day_still_names_the_day(self):
        eve = Exception_(starts_on=dt.date(2026, 12, 24), periods=((t("09:00"), t("12:00")),))
        schedule = Schedule(
            rules=weekdays("10:00", "14:00"), exceptions=[eve], closing_days=MUNICIPAL_CLOSING_DAYS
        )
        day = schedule.day(dt.date(2026, 12, 24))
        self.assertTrue(day.is_open)
        self.assertEqual(day.holiday_name, "Juleaftensdag")


class SeasonTests(SimpleTestCase):
    def setUp(self):
        summer = dict(valid_from=dt.date(2026, 7, 6), valid_until=dt.date(2026, 8, 2))
        self.schedule = Schedule(
            rules=weekdays("10:00", "15:00") + weekdays("10:00", "13:00", days=(MON, WED), **summer)
        )

    def test_summer_hours_replace_the_whole_ordinary_week(self):
        self.assertEqual(self.schedule.day(dt.date(2026, 7, 6)).periods[0].closes, t("13:00"))
        self.assertFalse(self.schedule.day(dt.date(2026, 7, 7)).is_open)  # no Tuesday in summer

    def test_ordinary_hours_return_after_the_season(self):
        self.assertEqual(self.schedule.day(dt.date(2026, 8, 3)).periods[0].closes, t("15:00"))
        self.assertTrue(self.schedule.day(dt.date(2026, 8, 4)).is_open)


class BusStopTests(SimpleTestCase):
    def setUp(self):
        self.schedule = Schedule(
            rules=[
                Rule(weekday=TUE, opens=t("10:00"), closes=t("12:00"), stop_id=1),
                Rule(weekday=TUE, opens=t("13:00"), closes=t("15:00"), stop_id=2),
            ]
        )

    def test_a_stop_exception_cancels_only_that_stop(self):
        schedule = Schedule(
            rules=self.schedule.rules,
            exceptions=[
                Exception_(
                    starts_on=dt.date(2026, 11, 24),
                    closed=True,
                    stop_id=1,
                    note="Bussen kommer ikke til Lille Vejby i dag",
                )
            ],
        )
        day = schedule.day(dt.date(2026, 11, 24))
        self.assertEqual([p.stop_id for p in day.periods], [2])
        self.assertIn("Lille Vejby", day.note)

    def test_a_stop_exception_can_move_the_time(self):
        moved = Exception_(
            starts_on=dt.date(2026, 11, 24), stop_id=2, periods=((t("14:00"), t("16:00")),)
        )
        day = Schedule(rules=self.schedule.rules, exceptions=[moved]).day(dt.date(2026, 11, 24))
        self.assertEqual(
            [(p.stop_id, p.opens) for p in day.periods], [(1, t("10:00")), (2, t("14:00"))]
        )


class StatusEdgeTests(SimpleTestCase):
    def test_a_schedule_without_hours_has_no_next_opening(self):
        status = Schedule().status_at(at("2026-11-23 10:00"))
        self.assertFalse(status.is_open)
        self.assertIsNone(status.next_open)

    def test_it_finds_an_opening_several_weeks_ahead(self):
        reopening = Exception_(starts_on=dt.date(2027, 1, 4), periods=((t("10:00"), t("12:00")),))
        status = Schedule(exceptions=[reopening]).status_at(at("2026-12-01 10:00"))
        self.assertEqual(status.next_open.local_start, at("2027-01-04 10:00"))

    def test_it_refuses_a_naive_moment(self):
        with self.assertRaises(ValueError):
            Schedule().status_at(dt.datetime(2026, 11, 23, 10, 0))

    def test_a_closing_day_rule_for_29_february_skips_common_years(self):
        leap = ClosingDayRule(name="Skuddag", month=2, day=29)
        self.assertIsNone(leap.date_in(2026))
        self.assertEqual(leap.date_in(2028), dt.date(2028, 2, 29))

    def test_a_one_off_closing_day_applies_only_in_its_year(self):
        once = ClosingDayRule(name="Flytning af systemer", date=dt.date(2026, 11, 27))
        schedule = Schedule(rules=weekdays("10:00", "14:00"), closing_days=[once])
        self.assertFalse(schedule.day(dt.date(2026, 11, 27)).is_open)
        self.assertTrue(schedule.day(dt.date(2027, 11, 26)).is_open)
