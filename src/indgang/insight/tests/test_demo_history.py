"""The demo history: deterministic, shaped like real demand, only when places are open."""

import datetime as dt
import tempfile
from collections import Counter
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db.models import Sum
from django.test import TestCase

from indgang.catalogue.tests.factories import KleEntryFactory, ServiceFactory
from indgang.demo.services import demo_load
from indgang.demo.tests.fixture import fixture_write, kle_entries_create
from indgang.insight.demo_history import demo_history_generate
from indgang.insight.models import Contact, ContactChannel, ContactOutcome, ContactSource
from indgang.insight.tests.factories import ContactFactory
from indgang.places.hours import danish_public_holidays
from indgang.places.models import ServiceOffering, ServicePointKind
from indgang.places.selectors import service_point_schedule
from indgang.places.tests.factories import ClosingDayFactory, ServicePointFactory

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = dt.date(2026, 12, 7)  # a Monday; the year runs 7 December 2025 – 6 December 2026
ON_SITE = (ContactChannel.COUNTER, ContactChannel.ASSISTED, ContactChannel.APPOINTMENT)
OPEN_HOURS_ONLY = (*ON_SITE, ContactChannel.PHONE, ContactChannel.CHAT)


def municipality(cls) -> None:
    """A town hall (Monday–Friday 10–14, Thursday till 17:30), a phone line and a chat."""
    ClosingDayFactory(name="Grundlovsdag", month=6, day=5)
    cls.passport = ServiceFactory(slug="pas", kle=KleEntryFactory(number="23.09.02"))
    cls.moving = ServiceFactory(
        slug="flytning",
        kle=KleEntryFactory(number="23.05.10"),
        self_service_url="https://www.borger.dk/flytning",
    )
    cls.health_card = ServiceFactory(
        slug="sundhedskort", self_service_url="https://www.borger.dk/sundhedskort"
    )
    cls.town_hall = ServicePointFactory(slug="raadhuset", weekdays=[("10:00", "14:00")])
    cls.town_hall.weekly_hours.filter(weekday=3).update(closes=dt.time(17, 30))
    cls.phone = ServicePointFactory(
        slug="telefon", kind=ServicePointKind.PHONE, weekdays=[("09:00", "15:00")]
    )
    cls.chat = ServicePointFactory(
        slug="chat", kind=ServicePointKind.CHAT, weekdays=[("09:00", "13:00")]
    )
    services = (cls.passport, cls.moving, cls.health_card)
    for service in services:
        is_passport = service == cls.passport
        ServiceOffering.objects.create(
            service_point=cls.town_hall,
            service=service,
            walk_in=not is_passport,
            by_appointment=is_passport,
        )
        for line in (cls.phone, cls.chat):
            ServiceOffering.objects.create(service_point=line, service=service)


def rows():
    fields = [
        f.attname for f in Contact._meta.concrete_fields if f.name not in ("id", "created_at")
    ]
    return list(Contact.objects.order_by("source_key").values_list(*fields))


class DemoHistoryYearTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        municipality(cls)
        cls.result = demo_history_generate(days=365, seed=1, today=TODAY)

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(CPH)

    def test_it_covers_the_year_ending_yesterday(self):
        self.assertEqual(self.result.first_day, dt.date(2025, 12, 7))
        self.assertEqual(self.result.last_day, dt.date(2026, 12, 6))
        self.assertEqual(self.result.rows, Contact.objects.count())
        self.assertEqual(self.result.contacts, Contact.objects.aggregate(n=Sum("count"))["n"])
        days = {self.local(c).date() for c in Contact.objects.values_list("arrived_at", flat=True)}
        self.assertEqual((min(days), max(days)), (self.result.first_day, self.result.last_day))
        self.assertEqual(set(Contact.objects.values_list("source", flat=True)), {"demo"})

    def test_nothing_happens_at_counters_phone_or_chat_on_holidays_and_closing_days(self):
        closed = {d for d in danish_public_holidays(2026) if d <= self.result.last_day}
        closed |= {dt.date(2025, 12, 25), dt.date(2025, 12, 26), dt.date(2026, 6, 5)}
        self.assertIn(dt.date(2026, 4, 6), closed)  # Easter Monday
        arrivals = Contact.objects.filter(channel__in=OPEN_HOURS_ONLY).values_list(
            "arrived_at", flat=True
        )
        on_closed_days = [a for a in arrivals if self.local(a).date() in closed]
        self.assertEqual(on_closed_days, [])
        weekends = [a for a in arrivals if self.local(a).weekday() >= 5]
        self.assertEqual(weekends, [])
        # The written channels go on: citizens write on holidays too.
        self.assertTrue(
            any(
                self.local(a).date() in closed
                for a in Contact.objects.filter(channel=ContactChannel.WEB).values_list(
                    "arrived_at", flat=True
                )
            )
        )

    def test_walk_ins_calls_and_chats_arrive_only_while_their_point_is_open(self):
        for point in (self.town_hall, self.phone, self.chat):
            schedule = service_point_schedule(point=point)
            periods = {}
            arrivals = Contact.objects.filter(
                service_point=point,
                channel__in=(ContactChannel.COUNTER, ContactChannel.PHONE, ContactChannel.CHAT),
            ).values_list("arrived_at", flat=True)
            self.assertGreater(len(arrivals), 1000)
            for arrived in arrivals:
                day = self.local(arrived).date()
                if day not in periods:
                    periods[day] = schedule.day(day).periods
                with self.subTest(point=point.slug, arrived=self.local(arrived)):
                    self.assertTrue(any(p.start <= arrived < p.end for p in periods[day]))

    def test_the_phone_is_busiest_on_monday_mornings(self):
        calls = Contact.objects.filter(channel=ContactChannel.PHONE).values_list(
            "arrived_at", flat=True
        )
        by_weekday = Counter(self.local(a).weekday() for a in calls)
        by_hour = Counter(self.local(a).hour for a in calls)
        self.assertEqual(max(by_weekday, key=by_weekday.get), 0)
        self.assertGreater(by_weekday[0], 1.3 * by_weekday[4])
        self.assertEqual(max(by_hour, key=by_hour.get), 9)
        self.assertGreater(by_hour[9], 1.5 * by_hour[14])

    def test_passports_peak_before_the_summer_holidays(self):
        passports = Contact.objects.filter(service=self.passport)

        def per_month(month: int) -> int:
            months = [self.local(a).month for a in passports.values_list("arrived_at", flat=True)]
            return Counter(months)[month]

        self.assertGreater(per_month(5), 1.5 * per_month(2))
        self.assertGreater(per_month(5), 1.5 * per_month(9))

    def test_outcomes_and_registrations_look_like_a_real_citizen_service(self):
        def share(queryset, **condition) -> float:
            return queryset.filter(**condition).count() / queryset.count()

        phone = Contact.objects.filter(channel=ContactChannel.PHONE)
        self.assertTrue(0.02 < share(phone, outcome=ContactOutcome.ABANDONED) < 0.2)
        appointments = Contact.objects.filter(channel=ContactChannel.APPOINTMENT)
        self.assertTrue(0.02 < share(appointments, outcome=ContactOutcome.NO_SHOW) < 0.15)
        answered = Contact.objects.filter(
            channel__in=(ContactChannel.WEB, ContactChannel.EMAIL), deadline_met__isnull=False
        )
        self.assertTrue(0.85 < share(answered, deadline_met=True) < 0.95)
        served = Contact.objects.filter(channel__in=ON_SITE, outcome=ContactOutcome.SERVED)
        self.assertTrue(0.1 < share(served, self_service_possible=True) < 0.5)
        self.assertFalse(
            served.filter(self_service_possible=False, self_service_obstacle="").exists()
        )
        self.assertTrue(
            served.filter(service=self.passport, self_service_obstacle="no_self_service").exists()
        )
        for contact in served.filter(channel=ContactChannel.COUNTER)[:200]:
            self.assertEqual(
                contact.wait_seconds, (contact.started_at - contact.arrived_at).total_seconds()
            )
            self.assertGreater(contact.handle_seconds, 0)
        self_service = Contact.objects.filter(channel=ContactChannel.SELF_SERVICE)
        self.assertEqual(
            set(self_service.values_list("service", flat=True)),
            {
                self.moving.pk,
                self.health_card.pk,
            },
        )
        self.assertGreater(self_service.filter(count__gt=1).count(), 300)


class DemoHistoryRunTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        municipality(cls)

    def test_the_same_seed_gives_the_same_history_and_another_seed_another(self):
        demo_history_generate(days=21, seed=5, today=TODAY)
        first = rows()
        demo_history_generate(days=21, seed=5, today=TODAY)
        self.assertEqual(rows(), first)
        self.assertGreater(len(first), 1000)
        demo_history_generate(days=21, seed=6, today=TODAY)
        self.assertNotEqual(rows(), first)

    def test_running_again_replaces_only_the_demo_rows(self):
        real = ContactFactory(source=ContactSource.TICKET, source_key="1")
        imported = ContactFactory(source=ContactSource.PHONE_IMPORT, source_key="abc:1")
        first = demo_history_generate(days=14, seed=1, today=TODAY)
        second = demo_history_generate(days=14, seed=1, today=TODAY)
        self.assertEqual(first.rows, second.rows)
        self.assertEqual(Contact.objects.filter(source=ContactSource.DEMO).count(), second.rows)
        self.assertEqual(set(Contact.objects.exclude(source=ContactSource.DEMO)), {real, imported})

    def test_the_command_makes_the_history_and_says_how_much(self):
        out = StringIO()
        call_command(
            "insight", "demo-history", "--days", "7", "--seed", "2", stdout=out, stderr=StringIO()
        )
        count = Contact.objects.aggregate(n=Sum("count"))["n"]
        self.assertGreater(count, 0)
        self.assertIn(f"Lavede {count:,} demokontakter", out.getvalue())


class DemoLoadHistoryTests(TestCase):
    def setUp(self):
        kle_entries_create()
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        fixture_write(Path(self.tmp.name))

    def test_the_demo_makes_a_history_once_and_keeps_it_on_later_runs(self):
        first = demo_load(today=TODAY, data_dir=Path(self.tmp.name), history_days=10)
        self.assertIsNotNone(first.history)
        self.assertGreater(first.history.rows, 0)
        self.assertEqual(first.contacts, Contact.objects.count())
        kept = rows()
        second = demo_load(today=TODAY, data_dir=Path(self.tmp.name), history_days=10)
        self.assertIsNone(second.history)
        self.assertEqual(rows(), kept)

    def test_without_history_days_no_history_is_made(self):
        summary = demo_load(today=TODAY, data_dir=Path(self.tmp.name))
        self.assertIsNone(summary.history)
        self.assertFalse(Contact.objects.filter(source=ContactSource.DEMO).exists())
