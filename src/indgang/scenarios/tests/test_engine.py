"""The simulator's bookkeeping and rules, on small scenarios built for each behaviour."""

import copy
import random
from pathlib import Path
from statistics import fmean, stdev

from django.test import SimpleTestCase

from indgang.scenarios.engine import DAY, build_model, run, sampler
from indgang.scenarios.replications import replication_rng, run_scenario
from indgang.scenarios.scenario import Distribution, load_scenario, scenario_from_dict

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]


def small(**overrides) -> dict:
    """One town hall with a counter (10–12 on weekdays), a phone line and self-service."""
    data = {
        "name": "small",
        "start": "2026-03-02",  # a Monday, no public holidays in the two weeks
        "days": 14,
        "points": [
            {
                "id": "hall",
                "name": "Town hall",
                "channels": {
                    "counter": {
                        "hours": {day: "10:00-12:00" for day in WEEKDAYS},
                        "staff": [{"days": WEEKDAYS, "from": "10:00", "to": "12:00", "agents": 2}],
                        "patience": {"distribution": "exponential", "mean": 20},
                    },
                },
            },
            {
                "id": "phone",
                "name": "Phone",
                "channels": {
                    "phone": {
                        "hours": {day: "09:00-15:00" for day in WEEKDAYS},
                        "staff": [{"days": WEEKDAYS, "from": "09:00", "to": "15:00", "agents": 3}],
                        "patience": {"distribution": "exponential", "mean": 3},
                    }
                },
            },
            {"id": "web", "name": "Website", "channels": {"self_service": {"hours": "always"}}},
        ],
        "services": [
            {
                "id": "pas",
                "name": "Passports",
                "handling": {
                    "counter": {"distribution": "lognormal", "mean": 8, "cv": 0.5},
                    "phone": {"distribution": "exponential", "mean": 4},
                },
                "demand": [
                    {"point": "hall", "channel": "counter", "per_week": 100},
                    {"point": "phone", "channel": "phone", "per_week": 300},
                ],
            }
        ],
    }
    data.update(overrides)
    return data


def outcomes(stats) -> int:
    return stats.served + stats.abandoned + stats.turned_away + stats.no_show


class ConservationTests(SimpleTestCase):
    def test_every_contact_ends_served_abandoned_turned_away_or_no_show(self):
        for name in ("baseline.yaml", "close-branch.yaml", "passports-to-booking.yaml"):
            scenario = load_scenario((EXAMPLES / name).read_text())
            model = build_model(scenario)
            for replication in range(3):
                result = run(model, replication_rng(7, replication))
                total = sum(s.arrivals for s in result.stations)
                self.assertGreater(total, 1000, name)
                for station, stats in zip(model.stations, result.stations, strict=True):
                    with self.subTest(name=name, station=station.key):
                        self.assertEqual(stats.arrivals, outcomes(stats))
                        self.assertEqual(len(stats.waits), stats.served if station.staffed else 0)
                        self.assertLessEqual(stats.busy_seconds, stats.staff_seconds + 1e-6)

    def test_staff_hours_follow_the_schedule_when_nobody_comes(self):
        data = small()
        data["services"][0]["demand"] = [{"point": "web", "channel": "self_service", "per_week": 5}]
        result = run_scenario(scenario_from_dict(data), replications=2)
        # counter: 2 agents × 2 h × 10 weekdays; phone: 3 × 6 h × 10
        self.assertAlmostEqual(result.stations["hall/counter"]["staff_hours"].mean, 40.0)
        self.assertAlmostEqual(result.stations["phone/phone"]["staff_hours"].mean, 180.0)
        self.assertAlmostEqual(result.overall["fte"].mean, 220.0 / (37 * 2))
        self.assertAlmostEqual(result.overall["cost"].mean, 220.0 * 400)


class OpeningHoursTests(SimpleTestCase):
    def test_nobody_is_served_who_arrived_while_closed(self):
        data = small()
        # Citizens come round the clock; the counter is open 10–12 and staffed 8–16.
        data["profiles"] = {"flat": {"hours": {h: 1 for h in range(24)}}}
        data["services"][0]["demand"] = [
            {"point": "hall", "channel": "counter", "per_week": 300, "profile": "flat"}
        ]
        data["points"][0]["channels"]["counter"]["staff"] = [
            {"days": WEEKDAYS, "from": "08:00", "to": "16:00", "agents": 2}
        ]
        model = build_model(scenario_from_dict(data))
        trace: list = []
        result = run(model, random.Random(3), trace=trace)
        counter = model.stations.index(next(s for s in model.stations if s.key == "hall/counter"))
        starts = [(start, arrived) for start, arrived, station in trace if station == counter]
        self.assertTrue(starts)
        opens = model.stations[counter].opens
        for start, arrived in starts:
            # Arrived while open (agents on duty from 8 serve nobody before 10), served after
            # arriving: while open, or after closing while the queue is finished.
            self.assertTrue(any(a <= arrived < b for a, b in opens), arrived)
            self.assertGreaterEqual(start, arrived)
        stats = result.stations[counter]
        # Open 2 of 24 hours on 10 of 14 days: most who come find the door closed.
        self.assertGreater(stats.turned_away, 0.75 * stats.arrivals)

    def test_next_opening_brings_closed_time_arrivals_back_when_it_opens(self):
        data = small()
        data["profiles"] = {"flat": {"hours": {h: 1 for h in range(24)}}}
        data["services"][0]["demand"] = [
            {"point": "hall", "channel": "counter", "per_week": 60, "profile": "flat"}
        ]
        data["points"][0]["channels"]["counter"]["after_hours"] = "next_opening"
        data["points"][0]["channels"]["counter"].pop("patience")
        data["points"][0]["channels"]["counter"]["staff"][0]["agents"] = 6
        data["days"] = 12  # ends on a Friday evening: a Saturday arrival has no opening left
        model = build_model(scenario_from_dict(data))
        trace: list = []
        stats = run(model, random.Random(5), trace=trace).stations[0]
        opening_times = {a for a, _ in model.stations[0].opens}
        self.assertTrue(any(arrived in opening_times for _, arrived, _ in trace))
        self.assertEqual(stats.abandoned, 0)
        # Only those arriving after the last opening of the horizon are turned away.
        self.assertLess(stats.turned_away, stats.arrivals * 0.2)
        self.assertEqual(stats.arrivals, outcomes(stats))

    def test_public_holidays_close_the_point_and_send_its_staff_home(self):
        data = small(start="2026-04-02", days=2)  # Maundy Thursday and Good Friday
        closed = run_scenario(scenario_from_dict(data), replications=2)
        self.assertEqual(closed.overall["staff_hours"].mean, 0.0)
        self.assertEqual(closed.stations["hall/counter"]["served"].mean, 0.0)
        data["public_holidays"] = False
        opened = run_scenario(scenario_from_dict(data), replications=2)
        # 2 days × (2 agents × 2 h + 3 × 6 h), plus a little overtime finishing the queues
        self.assertGreaterEqual(opened.overall["staff_hours"].mean, 44.0)
        self.assertLess(opened.overall["staff_hours"].mean, 46.0)

    def test_a_closed_date_closes_that_day_only(self):
        data = small(days=7, closed_dates=["2026-03-04"])
        result = run_scenario(scenario_from_dict(data), replications=2)
        self.assertGreaterEqual(result.overall["staff_hours"].mean, 4 * 22)
        self.assertLess(result.overall["staff_hours"].mean, 5 * 22)


class ChannelShiftTests(SimpleTestCase):
    def test_a_shift_moves_its_share_of_the_contacts(self):
        data = small(days=28)
        data["shifts"] = [
            {
                "from": {"channel": "phone"},
                "to": {"point": "web", "channel": "self_service"},
                "share": 0.3,
            }
        ]
        result = run_scenario(scenario_from_dict(data), replications=4, seed=2)
        moved = result.stations["web/self_service"]["arrivals"].mean
        stayed = result.stations["phone/phone"]["arrivals"].mean
        self.assertAlmostEqual(moved / (moved + stayed), 0.3, delta=0.02)
        self.assertAlmostEqual(moved + stayed, 300 * 4, delta=60)
        self.assertAlmostEqual(
            result.overall["self_service_rate"].mean, moved / (1200 + 400), delta=0.02
        )

    def test_a_shift_to_booking_turns_walk_ins_into_appointments(self):
        data = small(days=28)
        data["points"][0]["channels"]["appointment"] = {
            "hours": {day: "08:00-10:00" for day in WEEKDAYS},
            "staff": [{"days": WEEKDAYS, "from": "08:00", "to": "10:00", "agents": 2}],
            "slot_minutes": 15,
        }
        data["services"][0]["handling"]["appointment"] = {"distribution": "fixed", "mean": 10}
        data["shifts"] = [
            {
                "service": "pas",
                "from": {"point": "hall", "channel": "counter"},
                "to": {"channel": "appointment"},
                "share": 0.2,
            }
        ]
        model = build_model(scenario_from_dict(data))
        rows = [run(model, random.Random(i)).stations for i in range(4)]
        counter = sum(r[0].arrivals for r in rows)
        booked = sum(r[1].arrivals for r in rows)
        self.assertAlmostEqual(booked / (counter + booked), 0.2, delta=0.03)
        # fixed 10 minutes in 15-minute slots with one seat per agent: nobody waits
        self.assertEqual(max(w for r in rows for w in r[1].waits), 0.0)
        self.assertEqual(sum(r[1].turned_away for r in rows), 0)


class BookingTests(SimpleTestCase):
    def booking_scenario(self, *, no_show: float, per_week: float) -> dict:
        data = small(days=14)
        data["points"][0]["channels"]["appointment"] = {
            "hours": {day: "08:00-10:00" for day in WEEKDAYS},
            "staff": [{"days": WEEKDAYS, "from": "08:00", "to": "10:00", "agents": 3}],
            "slot_minutes": 20,
            "no_show": no_show,
        }
        data["services"][0]["demand"] = [
            {"point": "hall", "channel": "appointment", "per_week": per_week}
        ]
        return data

    def test_a_share_of_booked_citizens_do_not_come(self):
        model = build_model(scenario_from_dict(self.booking_scenario(no_show=0.25, per_week=60)))
        rows = [run(model, random.Random(i)).stations[1] for i in range(5)]
        arrivals = sum(r.arrivals for r in rows)
        no_shows = sum(r.no_show for r in rows)
        self.assertAlmostEqual(no_shows / arrivals, 0.25, delta=0.05)
        for r in rows:
            self.assertEqual(r.arrivals, r.served + r.no_show + r.turned_away)
            self.assertEqual(r.turned_away, 0)  # 180 seats for about 120 bookings

    def test_bookings_beyond_the_free_slots_are_turned_away(self):
        # 3 agents × 6 slots × 10 days = 180 seats for about 800 bookings
        model = build_model(scenario_from_dict(self.booking_scenario(no_show=0.0, per_week=400)))
        stats = run(model, random.Random(1)).stations[1]
        self.assertEqual(stats.served, 180)
        self.assertEqual(stats.turned_away, stats.arrivals - 180)


class AssistedSelfServiceTests(SimpleTestCase):
    def assisted(self, teaches: float) -> dict:
        data = small(days=28)
        data["points"][0]["channels"]["assisted_self_service"] = {
            "hours": {day: "10:00-12:00" for day in WEEKDAYS},
            "staff": [{"days": WEEKDAYS, "from": "10:00", "to": "12:00", "agents": 3}],
            "assist_factor": 2.0,
        }
        data["services"][0]["demand"] = [
            {"point": "hall", "channel": "assisted_self_service", "per_week": 100}
        ]
        data["services"][0]["handling"]["counter"] = {"distribution": "fixed", "mean": 6}
        data["services"][0]["teaches"] = teaches
        return data

    def test_helping_takes_the_assist_factor_longer(self):
        result = run(build_model(scenario_from_dict(self.assisted(0.0))), random.Random(1))
        stats = result.stations[1]  # hall/counter, hall/assisted_self_service, …
        self.assertEqual(stats.busy_seconds, stats.served * 12 * 60)

    def test_teaching_moves_later_contacts_to_self_service(self):
        without = run_scenario(scenario_from_dict(self.assisted(0.0)), replications=3)
        taught = run_scenario(scenario_from_dict(self.assisted(0.5)), replications=3)
        helped = without.stations["hall/assisted_self_service"]["arrivals"].mean
        fewer = taught.stations["hall/assisted_self_service"]["arrivals"].mean
        online = taught.stations["web/self_service"]["arrivals"].mean
        self.assertEqual(without.stations["web/self_service"]["arrivals"].mean, 0)
        # Each helped citizen sends half a later contact online: a third of them end up there.
        self.assertAlmostEqual(online / (online + fewer), 1 / 3, delta=0.05)
        self.assertAlmostEqual(online + fewer, helped, delta=helped * 0.1)


class DeterminismTests(SimpleTestCase):
    def test_the_same_seed_gives_the_same_result_and_another_seed_another(self):
        scenario = scenario_from_dict(small())
        first = run_scenario(scenario, replications=3, seed=11).as_dict()
        again = run_scenario(scenario, replications=3, seed=11).as_dict()
        other = run_scenario(scenario, replications=3, seed=12).as_dict()
        self.assertEqual(first, again)
        self.assertNotEqual(first["overall"], other["overall"])

    def test_each_replication_has_its_own_repeatable_stream(self):
        model = build_model(scenario_from_dict(small()))
        waits = [run(model, replication_rng(4, i)).stations[1].waits for i in range(3)]
        self.assertEqual(waits[2], run(model, replication_rng(4, 2)).stations[1].waits)
        self.assertNotEqual(waits[0], waits[1])
        self.assertNotEqual(waits[1], waits[2])

    def test_running_does_not_change_the_model(self):
        scenario = scenario_from_dict(small())
        model = build_model(scenario)
        before = copy.deepcopy([(s.opens, s.staff) for s in model.stations])
        run(model, random.Random(1))
        self.assertEqual(before, [(s.opens, s.staff) for s in model.stations])
        self.assertEqual(model.horizon, 14 * DAY)


class ClosingTimeTests(SimpleTestCase):
    def test_agents_on_duty_finish_the_queue_after_closing_and_it_counts_as_staff_time(self):
        data = small(days=1)  # a Monday
        counter = data["points"][0]["channels"]["counter"]
        counter["hours"] = {"monday": "10:00-11:00"}
        counter["staff"] = [{"days": ["monday"], "from": "10:00", "to": "11:00", "agents": 1}]
        counter.pop("patience")
        data["services"][0]["handling"]["counter"] = {"distribution": "fixed", "mean": 10}
        # 140 a week on the only open hour of the week: about 20 arrive in the hour
        data["services"][0]["demand"] = [{"point": "hall", "channel": "counter", "per_week": 140}]
        model = build_model(scenario_from_dict(data))
        trace: list = []
        stats = run(model, random.Random(2), trace=trace).stations[0]
        closing = 11 * 3600
        self.assertGreater(stats.arrivals, 10)
        self.assertEqual(stats.served, stats.arrivals)
        self.assertEqual(stats.turned_away, 0)
        self.assertGreater(max(start for start, _, _ in trace), closing)
        # on duty until the last citizen is done: 10:00 until the last start + 10 minutes
        last_end = max(start for start, _, _ in trace) + 600
        self.assertAlmostEqual(stats.staff_seconds, last_end - 10 * 3600)
        self.assertAlmostEqual(stats.busy_seconds, stats.served * 600)

    def test_those_waiting_at_closing_with_nobody_on_duty_are_turned_away(self):
        data = small(days=1)
        counter = data["points"][0]["channels"]["counter"]
        counter["hours"] = {"monday": "10:00-11:00"}
        counter["staff"] = [{"days": ["monday"], "from": "09:00", "to": "10:00", "agents": 1}]
        counter.pop("patience")
        data["services"][0]["demand"] = [{"point": "hall", "channel": "counter", "per_week": 140}]
        stats = run(build_model(scenario_from_dict(data)), random.Random(2)).stations[0]
        self.assertGreater(stats.arrivals, 0)
        self.assertEqual(stats.served, 0)
        self.assertEqual(stats.turned_away, stats.arrivals)
        self.assertEqual(stats.staff_seconds, 3600)


class DistributionTests(SimpleTestCase):
    def test_samplers_have_the_mean_and_spread_asked_for(self):
        rng = random.Random(1)
        for distribution, cv in (
            (Distribution("lognormal", 12, 0.5), 0.5),
            (Distribution("exponential", 4), 1.0),
            (Distribution("fixed", 10), 0.0),
        ):
            draw = sampler(distribution)
            values = [draw(rng) for _ in range(40_000)]
            with self.subTest(kind=distribution.kind):
                self.assertAlmostEqual(
                    fmean(values) / 60, distribution.mean, delta=distribution.mean * 0.03
                )
                self.assertAlmostEqual(stdev(values) / fmean(values), cv, delta=0.05)
