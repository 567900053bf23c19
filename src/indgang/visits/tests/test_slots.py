import datetime as dt

from django.test import TestCase

from indgang.places.models import ServiceOffering, WeeklyHours
from indgang.places.tests.factories import HoursExceptionFactory, SpecialPeriodFactory
from indgang.visits.booking import appointment_book, appointment_set_status
from indgang.visits.lifecycle import AppointmentStatus
from indgang.visits.models import BlockedDate, BookingPolicy, Desk
from indgang.visits.slots import (
    days_with_free_slots,
    free_slots_for,
    slot_capacity,
    slot_find,
    slot_key,
    slot_key_parse,
    slots_for,
)

from .booking_setup import bookable as make_bookable
from .booking_setup import local
from .factories import DeskFactory, QueueFactory

UTC = dt.UTC


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


class SlotDerivationTests(TestCase):
    def setUp(self):
        self.service, self.point = make_bookable(minutes=30, desks=2)
        self.now = local(2026, 3, 2, 8)  # a Monday morning
        self.monday = dt.date(2026, 3, 9)

    def slots(self, day, **kwargs):
        return slots_for(
            service=self.service, service_point=self.point, day=day, now=self.now, **kwargs
        )

    def test_slots_step_through_the_period_and_end_inside_it(self):
        slots = self.slots(self.monday)
        self.assertEqual(len(slots), 6)
        self.assertEqual(slots[0].local_start, local(2026, 3, 9, 9))
        self.assertEqual(slots[-1].local_end, local(2026, 3, 9, 12))
        self.assertTrue(all(s.capacity == 2 and s.booked == 0 and s.free == 2 for s in slots))

    def test_a_slot_that_would_end_after_closing_is_left_out(self):
        self.service.appointment_minutes = 40
        self.service.save()
        slots = self.slots(self.monday)
        # 09:00, 09:40, 10:20, 11:00; 11:40 would end at 12:20.
        self.assertEqual([s.local_start.strftime("%H:%M") for s in slots][-1], "11:00")
        self.assertEqual(len(slots), 4)

    def test_the_buffer_is_added_between_appointments(self):
        BookingPolicy.objects.create(service_point=self.point, buffer_minutes=15)
        starts = [s.local_start.strftime("%H:%M") for s in self.slots(self.monday)]
        self.assertEqual(starts, ["09:00", "09:45", "10:30", "11:15"])

    def test_split_shifts_give_slots_in_each_period(self):
        service, point = make_bookable(periods=(("09:00", "10:00"), ("13:00", "14:00")))
        slots = slots_for(service=service, service_point=point, day=self.monday, now=self.now)
        self.assertEqual(
            [s.local_start.strftime("%H:%M") for s in slots], ["09:00", "09:30", "13:00", "13:30"]
        )

    def test_no_slots_on_a_weekend_the_point_is_closed(self):
        self.assertEqual(self.slots(dt.date(2026, 3, 7)), [])

    def test_no_slots_on_christmas_day_and_around_easter(self):
        now = local(2026, 12, 1, 8)
        christmas = slots_for(
            service=self.service, service_point=self.point, day=dt.date(2026, 12, 25), now=now
        )
        self.assertEqual(christmas, [])
        self.assertTrue(
            slots_for(
                service=self.service, service_point=self.point, day=dt.date(2026, 12, 23), now=now
            )
        )
        for day in [dt.date(2026, 4, 2), dt.date(2026, 4, 3), dt.date(2026, 4, 6)]:
            with self.subTest(day=day):
                self.assertEqual(self.slots(day), [])
        self.assertTrue(self.slots(dt.date(2026, 4, 7)))

    def test_an_exception_closes_or_changes_the_day(self):
        HoursExceptionFactory(service_point=self.point, starts_on=self.monday, closed=True)
        self.assertEqual(self.slots(self.monday), [])
        tuesday = self.monday + dt.timedelta(days=1)
        special = HoursExceptionFactory(service_point=self.point, starts_on=tuesday, closed=False)
        SpecialPeriodFactory(exception=special, opens=dt.time(14), closes=dt.time(15))
        starts = [s.local_start.strftime("%H:%M") for s in self.slots(tuesday)]
        self.assertEqual(starts, ["14:00", "14:30"])

    def test_dst_spring_forward_day_is_in_summer_time(self):
        for weekday in (5, 6):
            WeeklyHours.objects.create(
                service_point=self.point, weekday=weekday, opens=dt.time(9), closes=dt.time(12)
            )
        saturday = slots_for(
            service=self.service, service_point=self.point, day=dt.date(2026, 3, 28), now=self.now
        )
        sunday = slots_for(
            service=self.service, service_point=self.point, day=dt.date(2026, 3, 29), now=self.now
        )
        self.assertEqual(saturday[0].start, utc(2026, 3, 28, 8))  # 09:00 CET
        self.assertEqual(sunday[0].start, utc(2026, 3, 29, 7))  # 09:00 CEST
        self.assertEqual(len(sunday), 6)
        self.assertEqual(sunday[-1].local_end.hour, 12)

    def test_a_period_across_the_spring_change_is_an_hour_shorter(self):
        WeeklyHours.objects.create(
            service_point=self.point, weekday=6, opens=dt.time(1), closes=dt.time(4)
        )
        slots = slots_for(
            service=self.service, service_point=self.point, day=dt.date(2026, 3, 29), now=self.now
        )
        self.assertEqual(len(slots), 4)  # 01:00 CET to 04:00 CEST is two hours
        self.assertEqual(slots[0].start, utc(2026, 3, 29, 0))
        self.assertEqual(slots[-1].end, utc(2026, 3, 29, 2))

    def test_dst_fall_back_day(self):
        now = local(2026, 10, 1, 8)
        WeeklyHours.objects.create(
            service_point=self.point, weekday=6, opens=dt.time(1), closes=dt.time(4)
        )
        WeeklyHours.objects.create(
            service_point=self.point, weekday=6, opens=dt.time(9), closes=dt.time(10)
        )
        slots = slots_for(
            service=self.service, service_point=self.point, day=dt.date(2026, 10, 25), now=now
        )
        night = [s for s in slots if s.start < utc(2026, 10, 25, 6)]
        self.assertEqual(len(night), 8)  # 01:00 CEST to 04:00 CET is four hours
        self.assertEqual(night[0].start, utc(2026, 10, 24, 23))
        morning = [s for s in slots if s.start >= utc(2026, 10, 25, 6)]
        self.assertEqual(morning[0].start, utc(2026, 10, 25, 8))  # 09:00 CET
        self.assertEqual(len({s.start for s in slots}), len(slots))

    def test_only_inside_the_booking_window(self):
        today = self.now.date()
        self.assertEqual(self.slots(today), [])  # min 1 day ahead
        self.assertTrue(self.slots(today + dt.timedelta(days=1)))
        # 60 days ahead: 2026-05-01 is a Friday; 61 days ahead is not bookable.
        self.assertTrue(self.slots(today + dt.timedelta(days=60)))
        self.assertEqual(self.slots(today + dt.timedelta(days=63)), [])

    def test_the_window_follows_the_points_policy(self):
        BookingPolicy.objects.create(service_point=self.point, min_days_ahead=0, max_days_ahead=7)
        today = self.now.date()
        # Today, only the times still ahead.
        starts = [s.local_start.hour for s in self.slots(today)]
        self.assertEqual(starts[0], 9)  # now is 08:00
        later = local(2026, 3, 2, 10, 5)
        self.assertEqual(
            slots_for(service=self.service, service_point=self.point, day=today, now=later)[
                0
            ].local_start,
            local(2026, 3, 2, 10, 30),
        )
        self.assertEqual(self.slots(today + dt.timedelta(days=8)), [])

    def test_no_slots_on_a_blocked_date(self):
        BlockedDate.objects.create(service_point=self.point, date=self.monday, reason="Kursus")
        self.assertEqual(self.slots(self.monday), [])
        self.assertTrue(self.slots(self.monday + dt.timedelta(days=1)))

    def test_capacity_counts_active_desks_serving_a_queue_with_the_service(self):
        self.assertEqual(slot_capacity(service=self.service, service_point=self.point), 2)
        inactive = DeskFactory(service_point=self.point, active=False)
        inactive.queues.add(self.point.queues.first())
        other_queue = QueueFactory(service_point=self.point, code="B")
        DeskFactory(service_point=self.point).queues.add(other_queue)  # does not serve it
        self.assertEqual(slot_capacity(service=self.service, service_point=self.point), 2)
        Desk.objects.filter(service_point=self.point, active=True).update(active=False)
        self.assertEqual(self.slots(self.monday), [])

    def test_no_slots_without_an_appointment_offering(self):
        ServiceOffering.objects.filter(service=self.service).update(by_appointment=False)
        self.assertEqual(self.slots(self.monday), [])

    def test_booked_and_fully_booked(self):
        slot = self.slots(self.monday)[0]
        for _ in range(2):
            last = appointment_book(
                service=self.service,
                service_point=self.point,
                start=slot.start,
                capacity=slot.capacity,
                name="Karen",
                email="karen@example.dk",
            )
        first = self.slots(self.monday)[0]
        self.assertEqual((first.booked, first.free), (2, 0))
        free = free_slots_for(
            service=self.service, service_point=self.point, day=self.monday, now=self.now
        )
        self.assertNotIn(slot.start, [s.start for s in free])
        appointment_set_status(appointment=last, status=AppointmentStatus.CANCELLED)
        self.assertEqual(self.slots(self.monday)[0].free, 1)

    def test_days_with_free_slots_skip_closed_and_full_days(self):
        days = days_with_free_slots(
            service=self.service, service_point=self.point, now=self.now, limit=3
        )
        self.assertEqual(
            [d for d, _ in days], [dt.date(2026, 3, 3), dt.date(2026, 3, 4), dt.date(2026, 3, 5)]
        )
        self.assertEqual(days[0][1], 6)

    def test_slot_find_and_keys(self):
        slot = self.slots(self.monday)[2]
        self.assertEqual(slot_key_parse(slot_key(slot.start)), slot.start)
        self.assertIsNone(slot_key_parse("nonsense"))
        found = slot_find(
            service=self.service,
            service_point=self.point,
            start=slot.start.astimezone(local(2026, 1, 1).tzinfo),
            now=self.now,
        )
        self.assertEqual(found, slot)
        self.assertIsNone(
            slot_find(
                service=self.service,
                service_point=self.point,
                start=slot.start + dt.timedelta(minutes=5),
                now=self.now,
            )
        )
