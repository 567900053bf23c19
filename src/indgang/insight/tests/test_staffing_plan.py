"""The staffing plan: Erlang per interval, FTE arithmetic, and where hours and desks do not fit."""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase, TestCase

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.insight.models import Contact, ContactChannel, ContactOutcome, ContactSource
from indgang.insight.staffing_plan import (
    CLOSED_DEMAND,
    IDLE,
    OVER_STAFFED,
    TOO_FEW_DESKS,
    ChannelPlan,
    IntervalPlan,
    StaffingPlan,
    Target,
    fte_for_week,
    interval_requirement,
    plan_grid,
    staffing_plan_build,
)
from indgang.places.models import ServicePointKind, WeeklyHours
from indgang.places.tests.factories import ServicePointFactory
from indgang.visits.lifecycle import DeskKind
from indgang.visits.models import Appointment
from indgang.visits.tests.factories import DeskFactory

from .test_forecast import TODAY, synthetic_history

TZ = ZoneInfo("Europe/Copenhagen")
PHONE_TARGET = Target(service_level=0.8, answer_seconds=20)


def at(day: dt.date, clock: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=TZ)


class IntervalRequirementTests(SimpleTestCase):
    def test_it_reproduces_the_published_erlang_c_check(self):
        # 100 calls in 30 minutes, 180 s handling, 80 % answered within 20 s, 30 % shrinkage.
        result = interval_requirement(
            channel=ContactChannel.PHONE,
            expected=100,
            handling_seconds=180,
            target=PHONE_TARGET,
            shrinkage=0.30,
        )
        self.assertEqual(result.agents, 14)
        self.assertEqual(result.scheduled_agents, 20)
        self.assertAlmostEqual(result.service_level, 0.8884, places=3)
        self.assertAlmostEqual(result.probability_of_waiting, 0.1741, places=3)

    def test_a_longer_answer_time_needs_fewer_agents(self):
        def agents(answer_seconds: int) -> int:
            return interval_requirement(
                channel=ContactChannel.CHAT,
                expected=100,
                handling_seconds=180,
                target=Target(0.8, answer_seconds),
                shrinkage=0.0,
            ).agents

        self.assertLessEqual(agents(60), agents(20))
        self.assertLess(agents(600), agents(20))

    def test_impatient_callers_need_no_more_agents_than_erlang_c(self):
        common = {
            "channel": ContactChannel.PHONE,
            "expected": 100,
            "handling_seconds": 180,
            "target": PHONE_TARGET,
            "shrinkage": 0.0,
        }
        erlang_c = interval_requirement(**common)
        erlang_a = interval_requirement(**common, patience_seconds=60)
        self.assertLessEqual(erlang_a.agents, erlang_c.agents)
        self.assertIsNotNone(erlang_a.probability_of_abandon)

    def test_booked_minutes_take_whole_desks(self):
        result = interval_requirement(
            channel=ContactChannel.APPOINTMENT,
            expected=0,
            handling_seconds=900,
            target=Target(0.8, 600),
            shrinkage=0.0,
            booked_minutes=45,
        )
        self.assertEqual(result.agents, 2)  # 45 booked minutes in a 30-minute interval

    def test_nothing_to_do_needs_nobody(self):
        self.assertIsNone(
            interval_requirement(
                channel=ContactChannel.COUNTER,
                expected=0,
                handling_seconds=480,
                target=Target(0.8, 600),
                shrinkage=0.3,
            )
        )


class FteArithmeticTests(SimpleTestCase):
    def plan(self, agents: list[int], shrinkage: float = 0.3) -> ChannelPlan:
        plan = ChannelPlan(
            channel=ContactChannel.PHONE,
            model="erlang_c",
            target=PHONE_TARGET,
            handling_seconds=180,
            handling_from_history=False,
            patience_seconds=None,
            shrinkage=shrinkage,
        )
        start = at(TODAY, "09:00")
        plan.intervals = [
            IntervalPlan(
                start=start + dt.timedelta(minutes=30 * i),
                expected=10,
                booked_minutes=0,
                agents=n,
                scheduled_agents=0,
                service_level=None,
                open=None,
                desks=None,
            )
            for i, n in enumerate(agents)
        ]
        return plan

    def test_hours_and_fte_follow_the_documented_rules(self):
        # 10 half-hours with 14 agents: 70 agent hours; with 30 % shrinkage 100 paid hours.
        plan = self.plan([14] * 10)
        self.assertAlmostEqual(plan.agent_hours, 70.0)
        self.assertAlmostEqual(plan.staff_hours, 100.0)
        self.assertAlmostEqual(plan.fte, 100 / 37)
        self.assertAlmostEqual(plan.staff_hours_per_year, 5200.0)
        # A year of that week: 5,200 hours at 1,924 hours per FTE is the same FTE.
        self.assertAlmostEqual(plan.staff_hours_per_year / (52 * 37), plan.fte)
        self.assertAlmostEqual(fte_for_week(37.0), 1.0)

    def test_the_week_adds_up_its_channels(self):
        week = StaffingPlan(
            start=TODAY,
            days=7,
            shrinkage=0.0,
            channels=[self.plan([2, 2], shrinkage=0.0), self.plan([1] * 4, shrinkage=0.0)],
        )
        self.assertAlmostEqual(week.agent_hours, 4.0)
        self.assertAlmostEqual(week.staff_hours, 4.0)
        self.assertAlmostEqual(week.fte, 4 / 37)
        self.assertEqual(len(week.dates), 7)


class StaffingPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Phone demand on weekdays 09:00–15:00 and Saturdays 10:00–12:00 (see test_forecast).
        synthetic_history(start=TODAY - dt.timedelta(weeks=12), end=TODAY)
        # The phone line is open Monday–Friday 10:00–14:00 only.
        cls.phone_line = ServicePointFactory(
            slug="telefon", kind=ServicePointKind.PHONE, weekdays=[("10:00", "14:00")]
        )
        # The chat is open but nobody uses it.
        ServicePointFactory(slug="chat", kind=ServicePointKind.CHAT, weekdays=[("10:00", "14:00")])
        # The town hall has four counters, and a single walk-in a day in the history.
        cls.town_hall = ServicePointFactory(slug="raadhus", weekdays=[("10:00", "14:00")])
        for n in range(4):
            DeskFactory(service_point=cls.town_hall, name=f"Skranke {n}", kind=DeskKind.COUNTER)
        Contact.objects.bulk_create(
            [
                Contact(
                    channel=ContactChannel.COUNTER,
                    arrived_at=at(TODAY - dt.timedelta(days=d), "11:10"),
                    handle_seconds=480,
                    source=ContactSource.DEMO,
                    source_key=f"counter-{d}",
                )
                for d in range(1, 60)
            ]
        )

    def build(self, **kwargs) -> StaffingPlan:
        return staffing_plan_build(start=TODAY, days=7, today=TODAY, **kwargs)

    def channel(self, plan: StaffingPlan, channel: str) -> ChannelPlan:
        return next(c for c in plan.channels if c.channel == channel)

    def test_it_plans_every_staffed_channel_per_half_hour(self):
        plan = self.build()
        self.assertEqual(
            [c.channel for c in plan.channels],
            ["phone", "chat", "counter", "appointment", "assisted"],
        )
        for channel in plan.channels:
            self.assertEqual(len(channel.intervals), 7 * 48)
        phone = self.channel(plan, "phone")
        monday_11 = next(i for i in phone.intervals if i.start == at(TODAY, "11:00"))
        self.assertGreater(monday_11.expected, 10)
        self.assertGreaterEqual(monday_11.agents, 2)
        self.assertGreaterEqual(monday_11.service_level, 0.8)
        self.assertEqual(monday_11.scheduled_agents, -(-monday_11.agents * 10 // 7))
        night = next(i for i in phone.intervals if i.start == at(TODAY, "03:00"))
        self.assertEqual((night.agents, night.flag), (0, ""))
        self.assertGreater(phone.fte, 0)

    def test_it_marks_demand_outside_the_opening_hours(self):
        phone = self.channel(self.build(channels=["phone"]), "phone")
        flagged = {i.start for i in phone.intervals if i.flag == CLOSED_DEMAND}
        # Monday 09:00–10:00 and 14:00–15:00 have calls but the line is closed; 10–14 is open.
        for clock in ("09:00", "09:30", "14:00", "14:30"):
            self.assertIn(at(TODAY, clock), flagged)
        for clock in ("10:00", "11:30", "13:30"):
            self.assertNotIn(at(TODAY, clock), flagged)
        # Saturday's calls come while the line is closed all day.
        self.assertIn(at(TODAY + dt.timedelta(days=5), "10:30"), flagged)
        self.assertGreater(phone.closed_demand_total, 0)
        # Staff is still planned for the demand, so the gap shows in hours.
        nine = next(i for i in phone.intervals if i.start == at(TODAY, "09:00"))
        self.assertGreater(nine.agents, 0)

    def test_it_marks_open_hours_without_demand_as_idle(self):
        chat = self.channel(self.build(channels=["chat"]), "chat")
        idle = [i for i in chat.intervals if i.flag == IDLE]
        self.assertEqual(len(idle), 5 * 8)  # Monday–Friday, 10:00–14:00
        self.assertTrue(all(i.open for i in idle))
        self.assertEqual(chat.closed_demand_intervals, 0)

    def test_it_marks_more_desks_than_needed(self):
        counter = self.channel(self.build(channels=["counter"]), "counter")
        eleven = next(i for i in counter.intervals if i.start == at(TODAY, "11:00"))
        self.assertEqual(eleven.desks, 4)
        self.assertEqual(eleven.flag, OVER_STAFFED)
        self.assertLess(eleven.agents, 4)
        self.assertTrue(counter.over_staffed_intervals)

    def test_it_counts_booked_appointments_in_their_intervals(self):
        Appointment.objects.create(
            reference="T-1",
            service=ServiceFactory(),
            service_point=self.town_hall,
            start=at(TODAY, "10:00"),
            end=at(TODAY, "10:45"),
            seat=1,
            name="Karen Jensen",
            manage_token=secrets.token_urlsafe(32),
        )
        appointment = self.channel(self.build(channels=["appointment"]), "appointment")
        by_start = {i.start: i for i in appointment.intervals}
        self.assertEqual(by_start[at(TODAY, "10:00")].booked_minutes, 30)
        self.assertEqual(by_start[at(TODAY, "10:30")].booked_minutes, 15)
        self.assertEqual(by_start[at(TODAY, "10:00")].agents, 1)
        self.assertEqual(by_start[at(TODAY, "11:00")].agents, 0)

    def test_it_marks_fewer_desks_than_needed(self):
        service = ServiceFactory()
        for seat in range(1, 6):  # five parallel appointments, 10:00–10:30, at four desks
            Appointment.objects.create(
                reference=f"T-{seat}",
                service=service,
                service_point=self.town_hall,
                start=at(TODAY, "10:00"),
                end=at(TODAY, "10:30"),
                seat=seat,
                name="Karen Jensen",
                manage_token=secrets.token_urlsafe(32),
            )
        appointment = self.channel(self.build(channels=["appointment"]), "appointment")
        ten = next(i for i in appointment.intervals if i.start == at(TODAY, "10:00"))
        self.assertEqual((ten.agents, ten.desks, ten.flag), (5, 4, TOO_FEW_DESKS))
        self.assertEqual(appointment.too_few_desks_intervals, 1)

    def test_it_uses_erlang_a_when_callers_give_up(self):
        since = at(TODAY - dt.timedelta(days=10), "10:00")
        Contact.objects.bulk_create(
            [
                Contact(
                    channel=ContactChannel.PHONE,
                    arrived_at=since,
                    outcome=ContactOutcome.ABANDONED,
                    wait_seconds=60,
                    source=ContactSource.PHONE_IMPORT,
                    source_key=f"gave-up-{n}",
                )
                for n in range(20)
            ]
            + [
                Contact(
                    channel=ContactChannel.PHONE,
                    arrived_at=since,
                    outcome=ContactOutcome.SERVED,
                    wait_seconds=30,
                    handle_seconds=200,
                    source=ContactSource.PHONE_IMPORT,
                    source_key=f"served-{n}",
                )
                for n in range(40)
            ]
        )
        phone = self.channel(self.build(channels=["phone"]), "phone")
        self.assertEqual(phone.model, "erlang_a")
        # (20 × 60 + 40 × 30) seconds waited / 20 gave up = 120 s mean patience.
        self.assertAlmostEqual(phone.patience_seconds, 120.0)
        self.assertTrue(phone.handling_from_history)
        self.assertEqual(phone.handling_seconds, 200.0)

    def test_targets_and_shrinkage_can_be_overridden(self):
        relaxed = self.build(channels=["phone"], targets={"phone": Target(0.5, 120)}, shrinkage=0.0)
        strict = self.build(channels=["phone"], targets={"phone": Target(0.95, 10)})
        self.assertLess(relaxed.channels[0].agent_hours, strict.channels[0].agent_hours)
        self.assertAlmostEqual(relaxed.channels[0].staff_hours, relaxed.channels[0].agent_hours)

    def test_it_rejects_channels_that_are_not_staffed(self):
        with self.assertRaises(ValueError):
            self.build(channels=["email"])
        with self.assertRaises(ValueError):
            self.build(shrinkage=1.0)

    def test_the_grid_is_trimmed_to_the_active_hours(self):
        plan = self.build(channels=["phone"])
        rows = plan_grid(plan.channels[0], plan.dates)
        self.assertEqual(rows[0].label, "09:00")
        self.assertEqual(rows[-1].label, "14:30")
        self.assertEqual(len(rows[0].cells), 7)
        levels = [cell.level for row in rows for cell in row.cells]
        self.assertEqual(max(levels), 5)
        self.assertEqual(min(levels), 0)

    def test_the_spring_change_day_has_no_0200_cell(self):
        WeeklyHours.objects.create(
            service_point=self.phone_line, weekday=6, opens=dt.time(0), closes=dt.time(6)
        )
        plan = staffing_plan_build(
            start=dt.date(2026, 3, 29), days=1, channels=["phone"], today=TODAY
        )
        phone = plan.channels[0]
        self.assertEqual(len(phone.intervals), 46)
        rows = {row.label: row for row in plan_grid(phone, plan.dates)}
        self.assertIsNone(rows["02:00"].cells[0].interval)
        self.assertIsNotNone(rows["03:00"].cells[0].interval)
