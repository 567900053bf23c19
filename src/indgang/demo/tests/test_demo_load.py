import datetime as dt
import tempfile
from pathlib import Path
from unittest import mock

from django.test import TestCase
from django.utils import translation

from indgang.catalogue.models import LifeEvent, PublicationStatus, Service
from indgang.demo.exceptions import DemoDataError
from indgang.demo.services import demo_load
from indgang.places.models import BusStop, ClosingDay, HoursException, ServicePoint, WeeklyHours

from .fixture import fixture_data, fixture_write, kle_entries_create

TODAY = dt.date(2026, 11, 22)  # a Sunday


class DemoLoadTests(TestCase):
    def setUp(self):
        kle_entries_create()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.dir = Path(self.tmp.name)

    def load(self, data=None, today=TODAY):
        fixture_write(self.dir, data or fixture_data())
        return demo_load(today=today, data_dir=self.dir)

    def test_it_publishes_services_with_their_handler_and_kle(self):
        self.load()
        pas = Service.objects.get(slug="pas")
        self.assertEqual(pas.status, PublicationStatus.PUBLISHED)
        self.assertEqual(pas.department.slug, "borgerservice")
        self.assertEqual(pas.kle.number, "23.09.02")
        self.assertEqual(pas.what_to_bring_list(), ["Dit gamle pas", "Et foto"])
        self.assertEqual(pas.keyword_list(), ["pas", "rejse"])
        boligstoette = Service.objects.get(slug="boligstoette")
        self.assertEqual(boligstoette.authority.slug, "udbetaling-danmark")
        self.assertIsNone(boligstoette.department)

    def test_it_links_offerings_to_points(self):
        self.load()
        offering = ServicePoint.objects.get(slug="raadhuset").offerings.get()
        self.assertEqual(offering.service.slug, "pas")
        self.assertTrue(offering.by_appointment)
        self.assertFalse(offering.walk_in)

    def test_it_publishes_life_events_with_ordered_steps(self):
        self.load()
        event = LifeEvent.objects.get(slug="flytning")
        self.assertEqual(event.status, PublicationStatus.PUBLISHED)
        self.assertEqual(
            [(s.position, s.service.slug) for s in event.steps.all()],
            [(1, "pas"), (2, "boligstoette")],
        )

    def test_it_gives_summer_hours_a_validity_range_in_july(self):
        self.load()
        summer = WeeklyHours.objects.get(service_point__slug="raadhuset", valid_from__isnull=False)
        self.assertEqual(
            (summer.valid_from, summer.valid_until), (dt.date(2027, 7, 5), dt.date(2027, 8, 1))
        )

    def test_it_dates_exceptions_relative_to_today(self):
        self.load()
        exceptions = HoursException.objects.filter(service_point__slug="raadhuset")
        # First Wednesday of December 2026, and the Friday two weeks after this week's Monday.
        self.assertEqual(
            [e.starts_on for e in exceptions], [dt.date(2026, 12, 2), dt.date(2026, 12, 4)]
        )
        special = exceptions.get(starts_on=dt.date(2026, 12, 4))
        self.assertEqual(
            [(p.opens, p.closes) for p in special.periods.all()], [(dt.time(10), dt.time(12))]
        )

    def test_it_gives_bus_stops_their_times_and_exceptions(self):
        self.load()
        stop = BusStop.objects.get(name="Lille Vejby Brugs")
        self.assertEqual(
            [(h.weekday, h.opens, h.closes) for h in stop.weekly_hours.all()],
            [(1, dt.time(10), dt.time(12))],
        )
        self.assertEqual(stop.hours_exceptions.get().starts_on, dt.date(2026, 12, 8))

    def test_it_creates_the_closing_days(self):
        self.load()
        friday = ClosingDay.objects.get(name="Fredag efter Kristi himmelfartsdag")
        self.assertEqual(friday.easter_offset, 40)

    def test_a_second_run_changes_nothing(self):
        self.load()
        histories = self._history_counts()
        summary = self.load()
        self.assertEqual(self._history_counts(), histories)
        self.assertEqual((summary.services, summary.weekly_hours, summary.exceptions), (2, 5, 3))

    def _history_counts(self):
        models = (
            Service,
            LifeEvent,
            ServicePoint,
            WeeklyHours,
            HoursException,
            BusStop,
            ClosingDay,
        )
        return [m.history.count() for m in models]

    def test_it_replaces_the_hours_of_a_demo_point_as_a_set(self):
        self.load()
        data = fixture_data()
        data["places.json"]["points"][0]["hours"] = [
            {"days": ["friday"], "opens": "09:00", "closes": "12:00"},
        ]
        self.load(data)
        ordinary = WeeklyHours.objects.filter(service_point__slug="raadhuset", valid_from=None)
        self.assertEqual([(h.weekday, h.opens) for h in ordinary], [(4, dt.time(9))])

    def test_it_moves_exceptions_when_run_on_a_later_day(self):
        self.load()
        self.load(today=dt.date(2027, 1, 10))
        exceptions = HoursException.objects.filter(service_point__slug="raadhuset")
        starts = sorted(e.starts_on for e in exceptions)
        self.assertEqual(starts, [dt.date(2027, 1, 22), dt.date(2027, 2, 3)])

    def test_it_leaves_out_an_exception_that_is_already_over(self):
        data = fixture_data()
        data["places.json"]["points"][0]["exceptions"] = [
            {
                "starts": {"rule": "summer_start", "offset_days": -16},
                "periods": [["09:00", "13:00"]],
                "note": "Ekstra lørdagsåbent.",
            }
        ]
        self.load(data, today=dt.date(2027, 6, 1))
        self.assertEqual(
            HoursException.objects.get(service_point__slug="raadhuset").starts_on,
            dt.date(2027, 6, 19),
        )
        self.load(data, today=dt.date(2027, 6, 25))
        self.assertFalse(HoursException.objects.filter(service_point__slug="raadhuset").exists())

    def test_it_removes_steps_and_offerings_no_longer_in_the_data(self):
        self.load()
        data = fixture_data()
        data["life_events.json"][0]["steps"].pop()
        data["services_a.json"][0]["offered_at"] = []
        self.load(data)
        self.assertEqual(LifeEvent.objects.get(slug="flytning").steps.count(), 1)
        self.assertFalse(ServicePoint.objects.get(slug="raadhuset").offerings.exists())

    def test_it_loads_the_shipped_kle_when_there_is_none(self):
        from indgang.catalogue.models import KleEntry

        KleEntry.objects.all().delete()

        def fake_import(*, progress_stream=None):
            kle_entries_create()

        with mock.patch("indgang.catalogue.kle.kle_import_shipped", side_effect=fake_import) as imp:
            self.load()
        imp.assert_called_once()

    def test_it_does_not_import_kle_again_when_it_is_there(self):
        with mock.patch("indgang.catalogue.kle.kle_import_shipped") as imp:
            self.load()
        imp.assert_not_called()


class DemoLoadErrorTests(TestCase):
    """Bad data stops the load with a message that names the file and the record."""

    def setUp(self):
        kle_entries_create()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.dir = Path(self.tmp.name)

    def assertLoadFails(self, data, *fragments):
        fixture_write(self.dir, data)
        # Validation messages are translated; the assertions read the English ones.
        with translation.override("en"), self.assertRaises(DemoDataError) as caught:
            demo_load(today=TODAY, data_dir=self.dir)
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))

    def test_it_rejects_an_unknown_kle_number(self):
        data = fixture_data()
        data["services_a.json"][0]["kle"] = "99.99.99"
        self.assertLoadFails(data, "services_a.json", "'pas'", "99.99.99")

    def test_it_rejects_an_unknown_department(self):
        data = fixture_data()
        data["services_a.json"][0]["handled_by"] = {"department": "skatteafdelingen"}
        self.assertLoadFails(data, "'pas'", "skatteafdelingen")

    def test_it_rejects_a_missing_field(self):
        data = fixture_data()
        del data["services_b.json"][0]["summary"]
        self.assertLoadFails(data, "services_b.json", "'boligstoette'", "'summary'")

    def test_it_rejects_a_period_that_closes_before_it_opens(self):
        data = fixture_data()
        data["places.json"]["points"][0]["hours"][0]["closes"] = "09:00"
        self.assertLoadFails(data, "places.json", "'raadhuset'", "closing time")

    def test_it_rejects_an_offering_at_an_unknown_point(self):
        data = fixture_data()
        data["services_a.json"][0]["offered_at"][0]["point"] = "maanen"
        self.assertLoadFails(data, "'pas'", "maanen")

    def test_it_rejects_a_step_that_points_to_an_unknown_service(self):
        data = fixture_data()
        data["life_events.json"][0]["steps"][0]["service"] = "rumrejse"
        self.assertLoadFails(data, "life_events.json", "'flytning'", "step 1", "rumrejse")

    def test_it_rejects_a_slug_used_twice(self):
        data = fixture_data()
        data["services_b.json"].append(dict(data["services_a.json"][0]))
        self.assertLoadFails(data, "services_b.json", "'pas'", "another service")

    def test_it_rejects_a_missing_file(self):
        fixture_write(self.dir)
        (self.dir / "services_b.json").unlink()
        with self.assertRaisesMessage(DemoDataError, "services_b.json: the file is missing"):
            demo_load(today=TODAY, data_dir=self.dir)

    def test_it_saves_nothing_when_the_data_is_wrong(self):
        data = fixture_data()
        data["life_events.json"][0]["steps"][0]["service"] = "rumrejse"
        self.assertLoadFails(data, "rumrejse")
        self.assertFalse(Service.objects.exists())
