import datetime as dt

import time_machine
from django.test import TestCase, override_settings

from indgang.places.export import _fold, opening_hours_ical, opening_hours_jsonld
from indgang.places.selectors import service_point_get

from .factories import (
    BusStopFactory,
    ClosingDayFactory,
    HoursExceptionFactory,
    ServicePointFactory,
    WeeklyHoursFactory,
)


@override_settings(SITE_URL="https://borgerservice.fjordby.dk")
class JsonLdTests(TestCase):
    def setUp(self):
        ServicePointFactory(
            slug="raadhuset",
            name="Borgerservice, Fjordby Rådhus",
            phone="+45 70 00 00 00",
            latitude="56.100000",
            longitude="9.500000",
            weekdays=[("10:00", "14:00")],
        )
        ClosingDayFactory(name="Juleaftensdag", month=12, day=24)

    def jsonld(self):
        return opening_hours_jsonld(
            point=service_point_get(slug="raadhuset"), today=dt.date(2026, 12, 1)
        )

    def test_it_describes_the_office_for_search_engines(self):
        data = self.jsonld()
        self.assertEqual(data["@type"], "GovernmentOffice")
        self.assertEqual(
            data["url"], "https://borgerservice.fjordby.dk/betjeningssteder/raadhuset/"
        )
        self.assertEqual(data["address"]["postalCode"], "4990")
        self.assertEqual(data["geo"]["latitude"], 56.1)

    def test_it_lists_the_weekly_hours_per_day(self):
        weekly = [s for s in self.jsonld()["openingHoursSpecification"] if "dayOfWeek" in s]
        self.assertEqual(len(weekly), 5)
        self.assertEqual(
            weekly[0],
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": "https://schema.org/Monday",
                "opens": "10:00",
                "closes": "14:00",
            },
        )

    def test_it_marks_closed_special_days_with_zero_hours(self):
        special = [s for s in self.jsonld()["openingHoursSpecification"] if "validFrom" in s]
        christmas_eve = next(s for s in special if s["validFrom"] == "2026-12-24")
        self.assertEqual((christmas_eve["opens"], christmas_eve["closes"]), ("00:00", "00:00"))

    def test_a_closing_at_midnight_is_given_as_23_59(self):
        point = ServicePointFactory(slug="chat")
        WeeklyHoursFactory(service_point=point, weekday=0, opens=dt.time(18), closes=dt.time(0))
        data = opening_hours_jsonld(
            point=service_point_get(slug="chat"), today=dt.date(2026, 12, 1)
        )
        self.assertEqual(data["openingHoursSpecification"][0]["closes"], "23:59")


@override_settings(SITE_URL="https://borgerservice.fjordby.dk")
class ICalendarTests(TestCase):
    def setUp(self):
        self.point = ServicePointFactory(
            slug="raadhuset",
            name="Borgerservice, Fjordby Rådhus",
            weekdays=[("10:00", "12:00"), ("13:00", "15:00")],
        )
        HoursExceptionFactory(
            service_point=self.point, starts_on=dt.date(2026, 12, 2), note="Personalemøde; lukket"
        )

    @time_machine.travel(dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC), tick=False)
    def ical(self, **kwargs):
        return opening_hours_ical(
            point=service_point_get(slug="raadhuset"), start=dt.date(2026, 11, 30), **kwargs
        )

    def test_it_is_a_calendar_with_crlf_lines(self):
        body = self.ical(days=7)
        self.assertTrue(body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        self.assertTrue(body.endswith("END:VCALENDAR\r\n"))
        self.assertNotIn("\n", body.replace("\r\n", ""))

    def test_each_period_is_an_event_in_utc(self):
        body = self.ical(days=1)  # Monday 30 November, winter time
        self.assertIn("DTSTART:20261130T090000Z", body)
        self.assertIn("DTEND:20261130T110000Z", body)
        self.assertIn("DTSTART:20261130T120000Z", body)
        self.assertEqual(body.count("BEGIN:VEVENT"), 2)

    def test_a_closed_day_is_an_all_day_event_with_the_escaped_reason(self):
        body = self.ical(days=7)
        self.assertIn("DTSTART;VALUE=DATE:20261202", body)
        self.assertIn("SUMMARY:Lukket: Borgerservice\\, Fjordby Rådhus", body)
        self.assertIn("DESCRIPTION:Personalemøde\\; lukket", body)

    def test_summer_time_events_are_an_hour_earlier_in_utc(self):
        body = opening_hours_ical(
            point=service_point_get(slug="raadhuset"), start=dt.date(2026, 6, 1), days=1
        )
        self.assertIn("DTSTART:20260601T080000Z", body)

    def test_bus_events_name_the_stop_and_its_place(self):
        stop = BusStopFactory(
            name="Lille Vejby Brugs",
            street_address="Hovedgaden 3",
            postcode="4991",
            city="Lille Vejby",
        )
        WeeklyHoursFactory(service_point=stop.service_point, stop=stop, weekday=0)
        body = opening_hours_ical(
            point=service_point_get(slug=stop.service_point.slug),
            start=dt.date(2026, 11, 30),
            days=1,
        )
        self.assertIn("ved Lille Vejby Brugs", body)
        self.assertIn("LOCATION:Lille Vejby Brugs\\, Hovedgaden 3\\, 4991 Lille Vejby", body)

    def test_long_lines_are_folded_at_75_octets_without_breaking_characters(self):
        line = "SUMMARY:" + "æøå" * 40
        folded = _fold(line)
        parts = folded.split("\r\n")
        self.assertTrue(all(len(p.encode()) <= 75 for p in parts))
        self.assertEqual("".join(p[1:] if i else p for i, p in enumerate(parts)), line)
