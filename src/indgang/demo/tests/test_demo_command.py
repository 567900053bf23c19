"""`indgang demo` with the shipped data: the whole demo municipality, as citizens need it."""

import csv
from io import StringIO
from pathlib import Path
from unittest import mock, skipUnless

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from django.utils.text import slugify

from indgang.catalogue.models import Authority, Department, KleEntry, LifeEvent, Service
from indgang.demo.exceptions import DemoDataError
from indgang.demo.loading.staff import DEMO_PASSWORD
from indgang.places.models import (
    ClosingDay,
    HoursException,
    ServiceOffering,
    ServicePoint,
    ServicePointKind,
    WeeklyHours,
)

# The checked list lives beside the repository; the shipped product never reads it.
SHARED = Path(__file__).resolve().parents[5] / "shared"
REQUIRED_SERVICES = SHARED / "catalogue" / "required-services.csv"
LIFE_EVENTS = (
    "flytning",
    "baby",
    "doedsfald",
    "pension",
    "skilsmisse",
    "ny-i-danmark",
    "ledig",
    "foraeldre-pleje",
)
PHYSICAL = (ServicePointKind.TOWN_HALL, ServicePointKind.LIBRARY)


class DemoCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = StringIO()
        call_command("demo", stdout=cls.output)

    def counts(self):
        models = (
            Department,
            Authority,
            Service,
            LifeEvent,
            ServicePoint,
            WeeklyHours,
            HoursException,
            ClosingDay,
            ServiceOffering,
            get_user_model(),
        )
        return {m.__name__: m.objects.count() for m in models}

    def histories(self):
        models = (
            Department,
            Authority,
            Service,
            LifeEvent,
            ServicePoint,
            WeeklyHours,
            HoursException,
            ClosingDay,
            ServiceOffering,
        )
        return {m.__name__: m.history.count() for m in models}

    def test_it_loads_the_kle_it_needs(self):
        self.assertGreater(KleEntry.objects.count(), 2000)

    def test_a_second_run_gives_the_same_rows_and_no_new_history(self):
        counts, histories = self.counts(), self.histories()
        call_command("demo", stdout=StringIO())
        self.assertEqual(self.counts(), counts)
        self.assertEqual(self.histories(), histories)

    def test_it_prints_the_counts_and_the_staff_logins(self):
        output = self.output.getvalue()
        self.assertIn(f"{Service.objects.count()} services", output)
        self.assertIn(f"{WeeklyHours.objects.count()} weekly hours rows", output)
        self.assertIn(f"{ClosingDay.objects.count()} closing days", output)
        self.assertIn("http://127.0.0.1:8000/admin/", output)
        self.assertIn(DEMO_PASSWORD, output)
        for username in ("admin", "clerk", "specialist", "manager"):
            self.assertIn(username, output)

    def test_it_has_at_least_eight_departments(self):
        self.assertGreaterEqual(Department.objects.count(), 8)

    @skipUnless(REQUIRED_SERVICES.exists(), f"{REQUIRED_SERVICES} is not there to check against")
    def test_every_required_service_is_published_with_its_title_kle_and_handler(self):
        with REQUIRED_SERVICES.open(encoding="utf-8") as handle:
            required = list(csv.DictReader(handle))
        self.assertGreater(len(required), 0)
        for row in required:
            with self.subTest(slug=row["slug"]):
                service = Service.objects.filter(slug=row["slug"]).first()
                self.assertIsNotNone(service, f"{row['slug']} is missing from the demo services")
                self.assertTrue(service.is_published)
                self.assertEqual(service.title, row["title"])
                self.assertEqual(service.kle.number, row["kle"])
                if row["handled_by"] == "kommune":
                    self.assertIsNotNone(service.department, "municipal: needs a department")
                else:
                    self.assertIsNotNone(service.authority, f"handled by {row['handled_by']}")
                    self.assertEqual(service.authority.slug, slugify(row["handled_by"]))

    def test_every_service_says_how_to_get_it(self):
        for service in Service.objects.all():
            with self.subTest(slug=service.slug):
                self.assertTrue(service.summary.strip())
                channels = (
                    service.self_service_url,
                    service.by_phone,
                    service.walk_in,
                    service.by_appointment,
                    service.by_post,
                )
                self.assertTrue(any(channels), "no channel")

    def test_sensitive_services_are_only_served_in_person_where_there_is_a_private_room(self):
        in_person = ServiceOffering.objects.filter(service__sensitive=True).exclude(
            service_point__kind__in=(ServicePointKind.PHONE, ServicePointKind.CHAT)
        )
        for offering in in_person.select_related("service", "service_point"):
            with self.subTest(offering=str(offering)):
                self.assertTrue(offering.service_point.private_room)

    def test_the_life_events_are_published_with_steps_pointing_to_published_services(self):
        self.assertEqual(
            set(LifeEvent.objects.published().values_list("slug", flat=True)), set(LIFE_EVENTS)
        )
        for event in LifeEvent.objects.prefetch_related("steps__service"):
            with self.subTest(life_event=event.slug):
                steps = list(event.steps.all())
                self.assertGreaterEqual(len(steps), 3)
                self.assertEqual([s.position for s in steps], list(range(1, len(steps) + 1)))
                for step in steps:
                    self.assertTrue(step.service.is_published)
                    self.assertTrue(step.title and step.text and step.automatic_note)

    def test_it_has_every_kind_of_service_point(self):
        kinds = list(ServicePoint.objects.published().values_list("kind", flat=True))
        self.assertEqual(kinds.count(ServicePointKind.TOWN_HALL), 1)
        self.assertEqual(kinds.count(ServicePointKind.LIBRARY), 2)
        for kind in (ServicePointKind.CITIZEN_BUS, ServicePointKind.PHONE, ServicePointKind.CHAT):
            self.assertIn(kind, kinds)

    def test_every_point_except_the_bus_has_ordinary_weekly_hours(self):
        for point in ServicePoint.objects.exclude(kind=ServicePointKind.CITIZEN_BUS):
            with self.subTest(point=point.slug):
                self.assertTrue(point.weekly_hours.filter(valid_from=None, stop=None).exists())

    def test_physical_points_have_an_address_and_coordinates(self):
        for point in ServicePoint.objects.filter(kind__in=PHYSICAL):
            with self.subTest(point=point.slug):
                self.assertRegex(point.postcode, r"^\d{4}$")
                self.assertTrue(point.street_address and point.city)
                self.assertTrue(54.5 < point.latitude < 57.8 and 8.0 < point.longitude < 15.2)

    def test_the_town_hall_opens_late_on_thursday(self):
        thursday = WeeklyHours.objects.filter(
            service_point__slug="raadhuset", weekday=3, valid_from=None
        )
        self.assertEqual(max(h.closes for h in thursday).strftime("%H:%M"), "17:30")

    def test_the_phone_line_and_the_libraries_have_split_shifts(self):
        for slug in ("telefon", "nordby-bibliotek", "strandvig-bibliotek"):
            with self.subTest(point=slug):
                ordinary = WeeklyHours.objects.filter(service_point__slug=slug, valid_from=None)
                weekdays = [h.weekday for h in ordinary]
                self.assertTrue(any(weekdays.count(day) > 1 for day in set(weekdays)))

    def test_library_guidance_hours_are_marked(self):
        guidance = WeeklyHours.objects.filter(
            service_point__kind=ServicePointKind.LIBRARY, note__icontains="vejledning"
        )
        self.assertEqual(
            {h.service_point.slug for h in guidance}, {"nordby-bibliotek", "strandvig-bibliotek"}
        )

    def test_accessibility_differs_realistically_between_points(self):
        town_hall = ServicePoint.objects.get(slug="raadhuset")
        self.assertTrue(town_hall.private_room)
        self.assertTrue(town_hall.hearing_loop)
        self.assertTrue(town_hall.disabled_parking)
        self.assertFalse(ServicePoint.objects.get(slug="strandvig-bibliotek").private_room)
        bus = ServicePoint.objects.get(slug="borgerbussen")
        self.assertFalse(bus.step_free_access)
        self.assertIn("lift", bus.accessibility_note)

    def test_the_bus_has_stops_with_weekly_times(self):
        stops = ServicePoint.objects.get(slug="borgerbussen").stops.all()
        self.assertTrue(4 <= len(stops) <= 6)
        for stop in stops:
            with self.subTest(stop=stop.name):
                self.assertTrue(stop.weekly_hours.exists())
                self.assertRegex(stop.postcode, r"^\d{4}$")

    def test_there_are_summer_hours_and_exceptions_in_the_coming_months(self):
        summer = WeeklyHours.objects.exclude(valid_from=None)
        self.assertTrue(summer.filter(valid_from__month=7).exists())
        today = timezone.localdate()
        soon = HoursException.objects.filter(
            starts_on__gte=today, starts_on__lte=today + timezone.timedelta(days=92)
        )
        self.assertGreaterEqual(soon.count(), 3)

    def test_it_has_the_municipal_closing_days(self):
        days = {c.name: c for c in ClosingDay.objects.all()}
        self.assertEqual((days["Grundlovsdag"].month, days["Grundlovsdag"].day), (6, 5))
        self.assertEqual((days["Juleaftensdag"].month, days["Juleaftensdag"].day), (12, 24))
        self.assertEqual((days["Nytårsaftensdag"].month, days["Nytårsaftensdag"].day), (12, 31))
        self.assertEqual(days["Fredag efter Kristi himmelfartsdag"].easter_offset, 40)

    def test_it_creates_one_demo_login_per_staff_group(self):
        User = get_user_model()
        expected = {
            "admin": "Administrator",
            "clerk": "Borgerservicemedarbejder",
            "specialist": "Fagmedarbejder",
            "manager": "Leder",
        }
        for username, group in expected.items():
            with self.subTest(username=username):
                user = User.objects.get(username=username)
                self.assertTrue(user.is_staff and user.is_active)
                self.assertEqual(user.is_superuser, username == "admin")
                self.assertEqual(list(user.groups.values_list("name", flat=True)), [group])
                self.assertTrue(user.check_password(DEMO_PASSWORD))

    def test_it_resets_a_changed_demo_login(self):
        User = get_user_model()
        clerk = User.objects.get(username="clerk")
        clerk.set_password("something-else-entirely")
        clerk.is_active = False
        clerk.save()
        clerk.groups.clear()
        call_command("demo", stdout=StringIO())
        clerk.refresh_from_db()
        self.assertTrue(clerk.is_active and clerk.check_password(DEMO_PASSWORD))
        self.assertEqual(
            list(clerk.groups.values_list("name", flat=True)), ["Borgerservicemedarbejder"]
        )


class DemoCommandErrorTests(TestCase):
    def test_it_reports_bad_data_as_a_command_error_naming_the_record(self):
        error = DemoDataError("places.json: service point 'raadhuset': missing field 'kind'")
        with mock.patch("indgang.demo.management.commands.demo.demo_load", side_effect=error):
            expected = "service point 'raadhuset': missing field 'kind'"
            with self.assertRaisesMessage(CommandError, expected):
                call_command("demo", stdout=StringIO())
