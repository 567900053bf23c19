import datetime as dt

from django.test import SimpleTestCase

from indgang.lib.workdays import add_working_days, is_working_day


class WorkingDayTests(SimpleTestCase):
    def test_weekends_do_not_count(self):
        friday = dt.date(2026, 12, 4)
        self.assertEqual(add_working_days(friday, 1), dt.date(2026, 12, 7))

    def test_easter_does_not_count(self):
        # Maundy Thursday 2 April, Good Friday 3 April, Easter Monday 6 April 2026.
        self.assertEqual(add_working_days(dt.date(2026, 4, 1), 1), dt.date(2026, 4, 7))

    def test_christmas_and_new_year_do_not_count(self):
        self.assertEqual(add_working_days(dt.date(2026, 12, 24), 1), dt.date(2026, 12, 28))
        self.assertFalse(is_working_day(dt.date(2027, 1, 1)))

    def test_store_bededag_is_a_working_day_from_2024(self):
        self.assertTrue(is_working_day(dt.date(2026, 5, 1)))  # the fourth Friday after Easter

    def test_ten_working_days_span_two_weeks(self):
        self.assertEqual(add_working_days(dt.date(2026, 11, 2), 10), dt.date(2026, 11, 16))

    def test_zero_days_is_the_same_day(self):
        self.assertEqual(add_working_days(dt.date(2026, 11, 2), 0), dt.date(2026, 11, 2))
