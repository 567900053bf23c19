"""The dashboard's numbers on a small data set whose every figure is worked out by hand below.

The period is Monday 2 March – Sunday 15 March 2026 (ISO weeks 10 and 11), in winter time, so
Copenhagen is UTC+1 and a contact at 23:30 UTC belongs to the next local day.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.test import TestCase, override_settings
from django.utils import translation

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.insight.models import Contact, ContactChannel, ContactOutcome, ContactSource
from indgang.insight.selectors import (
    ContactFilter,
    avoidable_contacts,
    contact_heatmap,
    contact_volume_by_channel,
    contact_volume_by_service,
    contact_volume_by_service_point,
    contact_volume_by_week,
    deadlines_met,
    no_show_rate,
    percentile,
    self_service_rate_by_service,
    waiting_by_queue,
)
from indgang.places.tests.factories import ServicePointFactory

LOCAL = ZoneInfo("Europe/Copenhagen")
UTC = dt.UTC
PERIOD = ContactFilter(date_from=dt.date(2026, 3, 2), date_to=dt.date(2026, 3, 15))
_keys = itertools.count()


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=LOCAL)


def contact(channel, arrived_at, **fields) -> Contact:
    fields.setdefault("source", ContactSource.DEMO)
    return Contact.objects.create(
        channel=channel, arrived_at=arrived_at, source_key=f"k{next(_keys)}", **fields
    )


def build_known_contacts(test_class) -> None:
    """25 contacts in the period (7 of them one imported self-service total) and 1 just after."""
    c = test_class
    c.passport = ServiceFactory(slug="pas", title="Pas", self_service_url="https://example.dk/pas")
    c.moving = ServiceFactory(
        slug="flytning", title="Flytning", self_service_url="https://example.dk/flyt"
    )
    c.shelter = ServiceFactory(slug="krisecenter", title="Krisecenter")
    c.town_hall = ServicePointFactory(slug="raadhuset", name="Rådhuset")
    c.library = ServicePointFactory(slug="biblioteket", name="Biblioteket")
    counter, appointment = ContactChannel.COUNTER, ContactChannel.APPOINTMENT
    at_hall = {"service_point": c.town_hall}
    at_library = {"service_point": c.library}
    # Counter, queue A at the town hall: served after 5, 15 and 2 minutes, one gave up.
    contact(
        counter,
        local(2, 9, 10),
        service=c.passport,
        queue_code="A",
        wait_seconds=300,
        self_service_obstacle="no_mitid",
        **at_hall,
    )
    contact(
        counter,
        local(2, 9, 40),
        service=c.passport,
        queue_code="A",
        wait_seconds=900,
        self_service_obstacle="digital_skills",
        **at_hall,
    )
    contact(
        counter,
        local(3, 10, 5),
        service=c.passport,
        queue_code="A",
        wait_seconds=120,
        self_service_obstacle="no_mitid",
        **at_hall,
    )
    contact(
        counter,
        local(3, 10, 30),
        service=c.passport,
        queue_code="A",
        wait_seconds=1500,
        outcome=ContactOutcome.ABANDONED,
        **at_hall,
    )
    # Appointments: one no-show of two at the town hall, one of three at the library.
    contact(appointment, local(4, 11), service=c.moving, wait_seconds=60, **at_hall)
    contact(
        appointment, local(4, 11, 30), service=c.moving, outcome=ContactOutcome.NO_SHOW, **at_hall
    )
    contact(appointment, local(5, 13), service=c.shelter, wait_seconds=0, **at_library)
    contact(
        appointment, local(12, 13), service=c.shelter, outcome=ContactOutcome.NO_SHOW, **at_library
    )
    contact(appointment, local(13, 10), service=c.shelter, wait_seconds=30, **at_library)
    # Phone: answered after 10, 30 and 15 seconds, one caller gave up after 40.
    phone = ContactChannel.PHONE
    contact(
        phone, local(6, 12), service=c.passport, wait_seconds=10, self_service_obstacle="language"
    )
    contact(phone, local(6, 12, 5), service=c.passport, wait_seconds=30)
    contact(phone, local(9, 9), service=c.shelter, wait_seconds=15)
    contact(
        phone, local(9, 9, 5), service=c.shelter, wait_seconds=40, outcome=ContactOutcome.ABANDONED
    )
    # Written inquiries: 2 of the 3 with a known answer met the promised date.
    contact(ContactChannel.EMAIL, local(10, 8), service=c.moving, deadline_met=True)
    contact(ContactChannel.EMAIL, local(10, 8, 30), service=c.moving, deadline_met=False)
    contact(ContactChannel.WEB, local(10, 14), service=c.shelter, deadline_met=True)
    contact(ContactChannel.WEB, local(10, 15), service=c.shelter, outcome=ContactOutcome.OPEN)
    # Self-service: an imported daily total of 6 passports, one move online in the evening.
    contact(
        ContactChannel.SELF_SERVICE,
        local(9, 12),
        service=c.passport,
        count=6,
        outcome=ContactOutcome.COMPLETED,
        source=ContactSource.SELF_SERVICE_IMPORT,
    )
    contact(
        ContactChannel.SELF_SERVICE,
        local(11, 20),
        service=c.moving,
        outcome=ContactOutcome.COMPLETED,
    )
    # Sunday 1 March 23:30 UTC is Monday 2 March 00:30 in Copenhagen: inside the period.
    contact(
        counter,
        dt.datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
        service=c.shelter,
        queue_code="B",
        wait_seconds=60,
        **at_library,
    )
    # Sunday 15 March 23:30 UTC is Monday 16 March in Copenhagen: after the period.
    contact(
        counter,
        dt.datetime(2026, 3, 15, 23, 30, tzinfo=UTC),
        service=c.shelter,
        queue_code="B",
        wait_seconds=60,
        **at_library,
    )


def by_label(rows) -> dict:
    return {row.label: row for row in rows}


class VolumeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_known_contacts(cls)

    def test_it_counts_contacts_per_channel_summing_imported_totals(self):
        volumes = {v.key: v.count for v in contact_volume_by_channel(filters=PERIOD)}
        self.assertEqual(
            volumes,
            {"counter": 5, "appointment": 5, "phone": 4, "email": 2, "web": 2, "self_service": 7},
        )
        first = contact_volume_by_channel(filters=PERIOD)[0]
        self.assertEqual((first.key, first.share), ("self_service", 7 / 25))

    def test_it_counts_contacts_per_service_and_service_point(self):
        services = {v.label: v.count for v in contact_volume_by_service(filters=PERIOD)}
        self.assertEqual(services, {"Pas": 12, "Flytning": 5, "Krisecenter": 8})
        points = {v.key: v.count for v in contact_volume_by_service_point(filters=PERIOD)}
        self.assertEqual(points, {str(self.town_hall.pk): 6, str(self.library.pk): 4, "": 15})

    def test_it_counts_per_iso_week_by_local_date(self):
        weeks = contact_volume_by_week(filters=PERIOD)
        self.assertEqual([(w.label, w.count) for w in weeks], [("2026-W10", 10), ("2026-W11", 15)])
        self.assertEqual(weeks[0].starts_on, dt.date(2026, 3, 2))

    def test_weeks_without_contacts_are_listed_with_zero(self):
        longer = ContactFilter(date_from=dt.date(2026, 2, 25), date_to=dt.date(2026, 3, 20))
        weeks = contact_volume_by_week(filters=longer)
        self.assertEqual([(w.week, w.count) for w in weeks], [(9, 0), (10, 10), (11, 15), (12, 1)])

    def test_the_period_ends_at_local_midnight(self):
        # The contact at 23:30 UTC on 15 March is on the 16th in Copenhagen.
        only_16th = ContactFilter(date_from=dt.date(2026, 3, 16), date_to=dt.date(2026, 3, 16))
        self.assertEqual([v.count for v in contact_volume_by_channel(filters=only_16th)], [1])
        only_1st = ContactFilter(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 1))
        self.assertEqual(contact_volume_by_channel(filters=only_1st), [])

    def test_filters_narrow_by_channel_service_and_service_point(self):
        phone = ContactFilter(PERIOD.date_from, PERIOD.date_to, channels=("phone",))
        self.assertEqual(
            [(v.key, v.count) for v in contact_volume_by_channel(filters=phone)], [("phone", 4)]
        )
        passport = ContactFilter(PERIOD.date_from, PERIOD.date_to, service_id=self.passport.pk)
        self.assertEqual(
            {v.key: v.count for v in contact_volume_by_channel(filters=passport)},
            {"counter": 4, "phone": 2, "self_service": 6},
        )
        library = ContactFilter(PERIOD.date_from, PERIOD.date_to, service_point_id=self.library.pk)
        self.assertEqual(sum(v.count for v in contact_volume_by_channel(filters=library)), 4)

    def test_the_heatmap_counts_per_local_weekday_and_hour(self):
        heatmap = contact_heatmap(filters=PERIOD)
        self.assertEqual(heatmap.hours, list(range(0, 16)))
        monday, sunday = heatmap.rows[0], heatmap.rows[6]
        self.assertEqual((monday.weekday, sunday.weekday), (1, 7))
        self.assertEqual(monday.cells[heatmap.hours.index(9)], 4)  # 2 counter, 2 phone calls
        # The 23:30 UTC Sunday contact is Monday 00:30 here, not Sunday 23:00.
        self.assertEqual(monday.cells[heatmap.hours.index(0)], 1)
        self.assertEqual(sum(sunday.cells), 0)
        # Self-service completions (6 at noon on Monday 9 March, 1 on Wednesday at 20) are left
        # out: the hours end with the last web form at 15.
        self.assertEqual(monday.cells[heatmap.hours.index(12)], 0)
        self.assertEqual(sum(sum(row.cells) for row in heatmap.rows), 25 - 7)
        self.assertEqual(heatmap.maximum, 4)

    def test_the_heatmap_is_empty_without_contacts(self):
        empty = ContactFilter(dt.date(2025, 1, 1), dt.date(2025, 1, 2))
        self.assertEqual(contact_heatmap(filters=empty).rows, [])


class SelfServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_known_contacts(cls)

    def test_it_computes_the_rate_per_service_with_imported_totals(self):
        report = self_service_rate_by_service(filters=PERIOD)
        rows = by_label(report.rows)
        self.assertEqual((rows["Pas"].self_service, rows["Pas"].assisted), (6, 6))
        self.assertEqual(rows["Pas"].rate, 0.5)
        self.assertTrue(rows["Pas"].meets_target)
        self.assertEqual((rows["Flytning"].self_service, rows["Flytning"].assisted), (1, 4))
        self.assertEqual(rows["Flytning"].rate, 0.2)
        self.assertFalse(rows["Flytning"].meets_target)
        self.assertEqual((report.total.self_service, report.total.assisted), (7, 10))
        self.assertEqual(report.target, 0.5)
        # The biggest first; the shelter has no self-service and no completions: left out.
        self.assertEqual([r.label for r in report.rows], ["Pas", "Flytning"])

    def test_a_service_with_completions_counts_even_without_a_self_service_link(self):
        contact(ContactChannel.SELF_SERVICE, local(9, 10), service=self.shelter, count=2)
        rows = by_label(self_service_rate_by_service(filters=PERIOD).rows)
        self.assertEqual((rows["Krisecenter"].self_service, rows["Krisecenter"].assisted), (2, 8))

    @override_settings(INSIGHT_SELF_SERVICE_TARGET=60)
    def test_the_target_comes_from_the_settings(self):
        report = self_service_rate_by_service(filters=PERIOD)
        self.assertEqual(report.target, 0.6)
        self.assertFalse(by_label(report.rows)["Pas"].meets_target)

    def test_the_rate_ignores_the_channel_and_service_point_filters(self):
        narrowed = ContactFilter(
            PERIOD.date_from,
            PERIOD.date_to,
            channels=("counter",),
            service_point_id=self.town_hall.pk,
        )
        self.assertEqual(self_service_rate_by_service(filters=narrowed).total.rate, 7 / 17)

    def test_avoidable_contacts_are_assisted_contacts_for_services_with_self_service(self):
        report = avoidable_contacts(filters=PERIOD)
        self.assertEqual((report.total, report.assisted), (10, 18))
        self.assertEqual({v.label: v.count for v in report.by_service}, {"Pas": 6, "Flytning": 4})
        self.assertEqual(
            {v.key: v.count for v in report.reasons},
            {"no_mitid": 2, "digital_skills": 1, "language": 1, "": 6},
        )
        with translation.override("en"):
            labels = {v.key: v.label for v in avoidable_contacts(filters=PERIOD).reasons}
        self.assertEqual(labels["no_mitid"], "The citizen has no MitID")
        self.assertEqual(labels[""], "No reason given")


class WaitingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_known_contacts(cls)

    def test_percentiles_interpolate_between_ranks(self):
        self.assertEqual(percentile([120, 300, 900], 0.8), 660)
        self.assertEqual(percentile([120, 300, 900], 0.95), 840)
        self.assertEqual(percentile([7], 0.95), 7)
        self.assertIsNone(percentile([], 0.5))

    def test_it_reports_waits_and_service_level_per_point_queue_and_channel(self):
        rows = {
            (r.service_point, r.queue_code, r.channel): r for r in waiting_by_queue(filters=PERIOD)
        }
        self.assertEqual(
            sorted(rows),
            [
                ("", "", "phone"),
                ("Biblioteket", "", "appointment"),
                ("Biblioteket", "B", "counter"),
                ("Rådhuset", "", "appointment"),
                ("Rådhuset", "A", "counter"),
            ],
        )
        counter = rows[("Rådhuset", "A", "counter")]
        self.assertEqual((counter.served, counter.abandoned), (3, 1))
        self.assertEqual(counter.mean_seconds, 440)
        self.assertEqual((counter.p80_seconds, counter.p95_seconds), (660, 840))
        self.assertEqual((counter.target_seconds, counter.within_target), (600, 2))
        self.assertEqual(counter.service_level, 0.5)
        phone = rows[("", "", "phone")]
        self.assertEqual((phone.served, phone.abandoned, phone.target_seconds), (3, 1, 20))
        self.assertAlmostEqual(phone.mean_seconds, 55 / 3)
        self.assertEqual((phone.p80_seconds, phone.p95_seconds), (24, 28.5))
        self.assertEqual(phone.service_level, 0.5)
        library = rows[("Biblioteket", "", "appointment")]
        self.assertEqual(
            (library.served, library.mean_seconds, library.service_level), (2, 15, 1.0)
        )

    @override_settings(INSIGHT_PHONE_WAIT_TARGET_SECONDS=30)
    def test_the_target_wait_comes_from_the_settings(self):
        phone = [r for r in waiting_by_queue(filters=PERIOD) if r.channel == "phone"][0]
        self.assertEqual((phone.target_seconds, phone.within_target), (30, 3))
        self.assertEqual(phone.service_level, 0.75)


class DeadlineAndNoShowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_known_contacts(cls)

    def test_it_shares_deadlines_met_among_inquiries_with_a_known_answer(self):
        report = deadlines_met(filters=PERIOD)
        self.assertEqual(
            {s.label: (s.part, s.whole) for s in report.rows},
            {"Flytning": (1, 2), "Krisecenter": (1, 1)},
        )
        self.assertEqual((report.total.part, report.total.whole), (2, 3))
        self.assertAlmostEqual(report.total.rate, 2 / 3)

    def test_it_shares_no_shows_among_appointments(self):
        report = no_show_rate(filters=PERIOD)
        self.assertEqual(
            {s.label: (s.part, s.whole) for s in report.rows},
            {"Rådhuset": (1, 2), "Biblioteket": (1, 3)},
        )
        self.assertEqual(report.total.rate, 0.4)

    def test_rates_are_none_without_contacts(self):
        empty = ContactFilter(dt.date(2025, 1, 1), dt.date(2025, 1, 2))
        self.assertIsNone(no_show_rate(filters=empty).total.rate)
        self.assertIsNone(deadlines_met(filters=empty).total.rate)
        self.assertIsNone(self_service_rate_by_service(filters=empty).total.rate)
        self.assertEqual(avoidable_contacts(filters=empty).total, 0)
