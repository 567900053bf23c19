import datetime as dt
from zoneinfo import ZoneInfo

from django.test import TestCase

from indgang.places import selectors
from indgang.places.models import ServicePoint

from .factories import (
    BusStopFactory,
    ClosingDayFactory,
    HoursExceptionFactory,
    ServicePointFactory,
    SpecialPeriodFactory,
    WeeklyHoursFactory,
)

CPH = ZoneInfo("Europe/Copenhagen")


class ServicePointSelectorTests(TestCase):
    def setUp(self):
        self.town_hall = ServicePointFactory(
            slug="raadhuset", weekdays=[("10:00", "12:00"), ("13:00", "15:00")]
        )
        ClosingDayFactory(name="Juleaftensdag", month=12, day=24)

    def test_it_lists_only_published_points(self):
        ServicePointFactory(slug="kladde", published=False)
        self.assertEqual([p.slug for p in selectors.service_point_list()], ["raadhuset"])

    def test_it_does_not_get_an_unpublished_point(self):
        ServicePointFactory(slug="kladde", published=False)
        with self.assertRaises(ServicePoint.DoesNotExist):
            selectors.service_point_get(slug="kladde")

    def test_it_reads_the_hours_of_many_points_in_a_fixed_number_of_queries(self):
        for _n in range(5):
            point = ServicePointFactory(weekdays=[("09:00", "12:00")])
            HoursExceptionFactory(service_point=point)
        with self.assertNumQueries(5):  # points, weekly hours, exceptions, their periods, stops
            points = selectors.service_point_list()
        with self.assertNumQueries(1):  # the closing days, once
            closing = selectors.closing_day_rules()
            for point in points:
                selectors.service_point_schedule(point=point, closing_days=closing).day(
                    dt.date(2026, 12, 3)
                )

    def test_status_comes_from_the_database_rows(self):
        point = selectors.service_point_get(slug="raadhuset")
        status = selectors.service_point_status(
            point=point, now=dt.datetime(2026, 11, 23, 12, 30, tzinfo=CPH)
        )
        self.assertFalse(status.is_open)
        self.assertEqual(status.next_open.local_start, dt.datetime(2026, 11, 23, 13, 0, tzinfo=CPH))

    def test_the_week_has_seven_days_from_the_start(self):
        point = selectors.service_point_get(slug="raadhuset")
        week = selectors.service_point_week(point=point, start=dt.date(2026, 12, 21))
        self.assertEqual([d.date.day for d in week], [21, 22, 23, 24, 25, 26, 27])
        self.assertEqual([d.is_open for d in week], [True, True, True, False, False, False, False])
        self.assertEqual(week[3].closed_name, "Juleaftensdag")

    def test_special_days_include_holidays_closing_days_and_exceptions(self):
        exception = HoursExceptionFactory(
            service_point=self.town_hall,
            starts_on=dt.date(2026, 12, 2),
            closed=False,
            note="Ekstra åbent",
        )
        SpecialPeriodFactory(exception=exception, opens=dt.time(9), closes=dt.time(18))
        point = selectors.service_point_get(slug="raadhuset")
        days = selectors.service_point_special_days(
            point=point, start=dt.date(2026, 12, 1), days=31
        )
        self.assertEqual([d.date.day for d in days], [2, 24, 25, 26])
        self.assertEqual(days[0].periods[0].closes, dt.time(18))

    def test_weekly_rules_in_force_switch_to_summer_hours(self):
        WeeklyHoursFactory(
            service_point=self.town_hall,
            weekday=0,
            opens=dt.time(10),
            closes=dt.time(13),
            valid_from=dt.date(2026, 7, 6),
            valid_until=dt.date(2026, 8, 2),
        )
        point = selectors.service_point_get(slug="raadhuset")
        summer = selectors.service_point_weekly_rules(point=point, on=dt.date(2026, 7, 10))
        self.assertEqual([(r.weekday, r.closes) for r in summer], [(0, dt.time(13))])
        self.assertEqual(
            len(selectors.service_point_weekly_rules(point=point, on=dt.date(2026, 9, 1))), 10
        )

    def test_a_bus_stop_exception_is_bound_to_its_stop(self):
        stop = BusStopFactory()
        bus = stop.service_point
        other = BusStopFactory(service_point=bus)
        WeeklyHoursFactory(service_point=bus, stop=stop, weekday=1)
        WeeklyHoursFactory(
            service_point=bus, stop=other, weekday=1, opens=dt.time(14), closes=dt.time(16)
        )
        HoursExceptionFactory(service_point=bus, stop=stop, starts_on=dt.date(2026, 11, 24))
        day = selectors.service_point_week(
            point=selectors.service_point_get(slug=bus.slug), start=dt.date(2026, 11, 24)
        )[0]
        self.assertEqual([p.stop_id for p in day.periods], [other.pk])
