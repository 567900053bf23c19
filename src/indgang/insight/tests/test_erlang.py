"""The staffing maths against published values, exact references and its own properties."""

from __future__ import annotations

import math
from fractions import Fraction

from django.test import SimpleTestCase

from indgang.insight.erlang import (
    StaffingInputError,
    TargetUnreachable,
    _harmonic,
    counter_required,
    erlang_a_metrics,
    erlang_a_required,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    erlang_c_required,
    scheduled,
)

# The published check of issue 6: 100 calls per 30 minutes, AHT 3 minutes, 80 % in 20 s.
PUBLISHED = {"calls": 100, "interval_seconds": 1800, "aht_seconds": 180}


def exact_erlang_b(traffic: Fraction, agents: int) -> Fraction:
    """The textbook definition, (A^N/N!) / sum_k A^k/k!, in exact rational arithmetic."""
    terms = [traffic**k / math.factorial(k) for k in range(agents + 1)]
    return terms[-1] / sum(terms)


def reference_erlang_a(*, rate, aht, patience, agents, answer_time, states=160):
    """M/M/n+M worked out from its definition, independently of erlang.py's closed forms.

    The stationary distribution of the birth–death chain (truncated at `states`), and for the
    service level each caller's own small Markov chain (q callers ahead drain at nμ + kθ, the
    caller hangs up at θ) solved by uniformisation up to the answer time.
    """
    mu, theta = 1 / aht, 1 / patience
    weights = [1.0]
    for j in range(1, states):
        death = min(j, agents) * mu + max(0, j - agents) * theta
        weights.append(weights[-1] * rate / death)
    total = sum(weights)
    pi = [w / total for w in weights]
    p_wait = sum(pi[agents:])
    p_abandon = theta * sum((j - agents) * p for j, p in enumerate(pi) if j > agents) / rate

    queue = states - agents
    drain = [agents * mu + k * theta for k in range(queue)]  # rate with k callers ahead
    top = max(drain) + theta
    # f[k]: P(answered within m uniformised steps | k ahead); mixed over Poisson(top·t) steps.
    f = [0.0] * queue
    answered_by = [0.0] * queue
    mean_steps = top * answer_time
    m = 0
    while answer_time > 0:  # with no answer time nobody who waits is answered in time
        m += 1
        f = [
            (drain[k] / top) * (1.0 if k == 0 else f[k - 1]) + (1 - (drain[k] + theta) / top) * f[k]
            for k in range(queue)
        ]
        # Poisson(mean_steps) weight of exactly m steps, in logs so it never underflows.
        poisson = math.exp(-mean_steps + m * math.log(mean_steps) - math.lgamma(m + 1))
        answered_by = [a + poisson * fk for a, fk in zip(answered_by, f, strict=True)]
        if m > mean_steps and poisson < 1e-18:
            break
    service_level = sum(pi[:agents]) + sum(pi[agents + q] * answered_by[q] for q in range(queue))

    wait_answered = 0.0  # E[wait; answered]: E[V·e^(-θV)] of a sum of exponentials
    for q in range(queue):
        rates = drain[: q + 1]
        survive = math.prod(r / (r + theta) for r in rates)
        wait_answered += pi[agents + q] * survive * sum(1 / (r + theta) for r in rates)
    return {
        "probability_of_waiting": p_wait,
        "probability_of_abandon": p_abandon,
        "service_level": service_level,
        "average_speed_of_answer": wait_answered / (1 - p_abandon),
    }


class PublishedValuesTests(SimpleTestCase):
    def test_it_staffs_the_published_example_with_14_agents(self):
        result = erlang_c_required(**PUBLISHED, target=0.8, answer_time_seconds=20, shrinkage=0.3)
        self.assertEqual(result.agents, 14)
        self.assertAlmostEqual(result.service_level, 0.8884, places=4)
        self.assertAlmostEqual(result.probability_of_waiting, 0.1741, places=4)
        self.assertAlmostEqual(result.occupancy, 10 / 14)
        self.assertEqual(result.scheduled_agents, 20)

    def test_13_agents_miss_the_published_target(self):
        result = erlang_c_metrics(**PUBLISHED, agents=13, answer_time_seconds=20)
        self.assertLess(result.service_level, 0.8)

    def test_erlang_b_matches_the_textbook_tables(self):
        self.assertAlmostEqual(erlang_b(10, 10), 0.2146, places=4)
        # Erlang B table, 10 lines at 1 % blocking: 4.46 Erlang; 5 lines at 2 Erlang: 3.67 %.
        self.assertAlmostEqual(erlang_b(4.4612, 10), 0.0100, places=4)
        self.assertAlmostEqual(erlang_b(2, 5), 0.0367, places=4)

    def test_erlang_b_and_c_equal_the_exact_definition(self):
        for traffic in (Fraction(1, 2), Fraction(7), Fraction(10), Fraction(83, 4)):
            for agents in (1, 5, 11, 25, 40):
                b = exact_erlang_b(traffic, agents)
                self.assertAlmostEqual(erlang_b(float(traffic), agents), float(b), places=14)
                if agents > traffic:
                    c = agents * b / (agents - traffic * (1 - b))
                    self.assertAlmostEqual(erlang_c(float(traffic), agents), float(c), places=14)

    def test_asa_is_the_erlang_c_mean_wait(self):
        result = erlang_c_metrics(**PUBLISHED, agents=14, answer_time_seconds=20)
        self.assertAlmostEqual(
            result.average_speed_of_answer, result.probability_of_waiting * 180 / 4
        )


class ErlangAReferenceTests(SimpleTestCase):
    def test_it_matches_the_markov_chain_worked_out_directly(self):
        cases = [
            {"calls": 100, "interval_seconds": 1800, "aht_seconds": 180, "patience_seconds": 120},
            {"calls": 100, "interval_seconds": 1800, "aht_seconds": 180, "patience_seconds": 20},
            {"calls": 60, "interval_seconds": 1800, "aht_seconds": 300, "patience_seconds": 600},
            {"calls": 300, "interval_seconds": 1800, "aht_seconds": 240, "patience_seconds": 90},
        ]
        for case in cases:
            traffic = case["calls"] * case["aht_seconds"] / case["interval_seconds"]
            for agents in (max(1, int(traffic) - 3), int(traffic), int(traffic) + 2):
                for answer_time in (0, 20, 60):
                    with self.subTest(**case, agents=agents, answer_time=answer_time):
                        ours = erlang_a_metrics(
                            **case, agents=agents, answer_time_seconds=answer_time
                        )
                        reference = reference_erlang_a(
                            rate=case["calls"] / case["interval_seconds"],
                            aht=case["aht_seconds"],
                            patience=case["patience_seconds"],
                            agents=agents,
                            answer_time=answer_time,
                        )
                        for field, expected in reference.items():
                            self.assertAlmostEqual(getattr(ours, field), expected, places=9)

    def test_it_becomes_erlang_c_as_patience_grows(self):
        erlang_c_result = erlang_c_metrics(**PUBLISHED, agents=14, answer_time_seconds=20)
        gaps = []
        for patience in (60, 600, 6_000, 60_000, 600_000, 6_000_000):
            result = erlang_a_metrics(
                **PUBLISHED, patience_seconds=patience, agents=14, answer_time_seconds=20
            )
            gaps.append(
                max(
                    abs(result.service_level - erlang_c_result.service_level),
                    abs(result.probability_of_waiting - erlang_c_result.probability_of_waiting),
                    abs(result.average_speed_of_answer - erlang_c_result.average_speed_of_answer)
                    / erlang_c_result.average_speed_of_answer,
                    result.probability_of_abandon,
                )
            )
        self.assertEqual(gaps, sorted(gaps, reverse=True))
        self.assertLess(gaps[-1], 1e-4)
        infinite = erlang_a_metrics(
            **PUBLISHED, patience_seconds=math.inf, agents=14, answer_time_seconds=20
        )
        self.assertAlmostEqual(infinite.service_level, erlang_c_result.service_level)
        self.assertEqual(infinite.probability_of_abandon, 0.0)

    def test_it_stays_finite_when_overloaded(self):
        # 10 Erlang on 6 agents: Erlang C has no steady state; with hang-ups the queue settles.
        result = erlang_a_metrics(
            **PUBLISHED, patience_seconds=120, agents=6, answer_time_seconds=20
        )
        self.assertTrue(math.isfinite(result.average_speed_of_answer))
        # Served calls cannot exceed what 6 agents can carry: at least 40 % hang up.
        self.assertGreaterEqual(result.probability_of_abandon, 0.4 - 1e-12)
        self.assertLess(result.probability_of_abandon, 1)


class PropertyTests(SimpleTestCase):
    def test_service_level_rises_with_agents(self):
        for answer_time in (0, 20, 120):
            levels_c = [
                erlang_c_metrics(**PUBLISHED, agents=n, answer_time_seconds=answer_time)
                for n in range(0, 30)
            ]
            levels_a = [
                erlang_a_metrics(
                    **PUBLISHED, patience_seconds=90, agents=n, answer_time_seconds=answer_time
                )
                for n in range(0, 30)
            ]
            for levels in (levels_c, levels_a):
                values = [r.service_level for r in levels]
                self.assertEqual(values, sorted(values))
                self.assertGreater(values[-1], values[0])

    def test_erlang_a_never_waits_longer_than_erlang_c(self):
        for calls in (20, 100, 400):
            traffic = calls * 180 / 1800
            for agents in range(int(traffic) + 1, int(traffic) + 12):
                c = erlang_c_metrics(
                    calls=calls,
                    interval_seconds=1800,
                    aht_seconds=180,
                    agents=agents,
                    answer_time_seconds=20,
                )
                for patience in (5, 60, 300, 3600):
                    with self.subTest(calls=calls, agents=agents, patience=patience):
                        a = erlang_a_metrics(
                            calls=calls,
                            interval_seconds=1800,
                            aht_seconds=180,
                            patience_seconds=patience,
                            agents=agents,
                            answer_time_seconds=20,
                        )
                        self.assertLessEqual(
                            a.probability_of_waiting, c.probability_of_waiting + 1e-12
                        )
                        self.assertLessEqual(
                            a.average_speed_of_answer, c.average_speed_of_answer + 1e-9
                        )

    def test_abandonment_falls_with_agents(self):
        values = [
            erlang_a_metrics(
                **PUBLISHED, patience_seconds=60, agents=n, answer_time_seconds=20
            ).probability_of_abandon
            for n in range(0, 25)
        ]
        self.assertEqual(values[0], 1.0)
        for fewer, more in zip(values, values[1:], strict=False):
            self.assertLess(more, fewer)

    def test_required_is_the_fewest_that_meet_the_target(self):
        for target, answer_time in ((0.8, 20), (0.9, 60), (0.5, 0)):
            c = erlang_c_required(**PUBLISHED, target=target, answer_time_seconds=answer_time)
            below = erlang_c_metrics(
                **PUBLISHED, agents=c.agents - 1, answer_time_seconds=answer_time
            )
            self.assertGreaterEqual(c.service_level, target)
            self.assertLess(below.service_level, target)
            a = erlang_a_required(
                **PUBLISHED,
                patience_seconds=60,
                target=target,
                answer_time_seconds=answer_time,
            )
            below = erlang_a_metrics(
                **PUBLISHED,
                patience_seconds=60,
                agents=a.agents - 1,
                answer_time_seconds=answer_time,
            )
            self.assertGreaterEqual(a.service_level, target)
            self.assertLess(below.service_level, target)

    def test_max_occupancy_adds_agents_when_it_binds(self):
        loose = erlang_c_required(**PUBLISHED, target=0.2, answer_time_seconds=20)
        capped = erlang_c_required(
            **PUBLISHED, target=0.2, answer_time_seconds=20, max_occupancy=0.7
        )
        self.assertEqual(capped.agents, 15)  # ceil(10 / 0.7)
        self.assertLess(loose.agents, capped.agents)
        self.assertLessEqual(capped.occupancy, 0.7)

    def test_no_calls_need_no_agents(self):
        result = erlang_c_required(
            calls=0, interval_seconds=1800, aht_seconds=180, target=0.8, answer_time_seconds=20
        )
        self.assertEqual((result.agents, result.service_level), (0, 1.0))
        result = erlang_a_required(
            calls=0,
            interval_seconds=1800,
            aht_seconds=180,
            patience_seconds=60,
            target=0.8,
            answer_time_seconds=20,
        )
        self.assertEqual((result.agents, result.probability_of_abandon), (0, 0.0))

    def test_scheduled_agents_round_up_without_float_noise(self):
        self.assertEqual(scheduled(21, 0.3), 30)  # 21 / 0.7 is 30.000000000000004 in floats
        self.assertEqual(scheduled(22, 0.3), 32)
        self.assertEqual(scheduled(5, 0.0), 5)


class StabilityTests(SimpleTestCase):
    def assertAllFinite(self, result):
        for field, value in result.as_dict().items():
            self.assertTrue(math.isfinite(value), f"{field} = {value}")

    def test_it_handles_thousands_of_agents(self):
        # 40 000 calls of 3 minutes per half hour: 4 000 Erlang.
        big = {"calls": 40_000, "interval_seconds": 1800, "aht_seconds": 180}
        result = erlang_c_required(**big, target=0.8, answer_time_seconds=20)
        self.assertGreater(result.agents, 4000)
        self.assertLess(result.agents, 4100)
        self.assertAllFinite(result)
        below = erlang_c_metrics(**big, agents=result.agents - 1, answer_time_seconds=20)
        self.assertLess(below.service_level, 0.8)
        for patience in (30, 600, 1e6):
            a = erlang_a_required(
                **big, patience_seconds=patience, target=0.8, answer_time_seconds=20
            )
            self.assertAllFinite(a)
            self.assertLessEqual(a.agents, result.agents)
            for agents in (100, 3000, 3999, 4000, 4100, 8000):
                self.assertAllFinite(
                    erlang_a_metrics(
                        **big, patience_seconds=patience, agents=agents, answer_time_seconds=20
                    )
                )

    def test_erlang_b_and_c_do_not_overflow(self):
        self.assertAlmostEqual(erlang_b(5000, 5000), exact_b_large(5000, 5000), places=12)
        self.assertEqual(erlang_b(1, 10_000), 0.0)
        self.assertEqual(erlang_c(9_000, 9_000), 1.0)
        for traffic, agents in ((5000, 5100), (20_000, 20_300), (0.001, 3000)):
            value = erlang_c(traffic, agents)
            self.assertTrue(0 <= value <= 1)
            self.assertFalse(math.isnan(value))

    def test_long_harmonic_sums_match_adding_them_up(self):
        for x, m in ((0.3, 6000), (3.7, 20_000), (55.5, 7000), (1e6, 100_000)):
            exact = math.fsum(1 / (x + i) for i in range(1, m + 1))
            self.assertAlmostEqual(_harmonic(x, m), exact, places=13)

    def test_erlang_a_with_long_patience_and_heavy_load_stays_finite(self):
        result = erlang_a_metrics(
            calls=40_000,
            interval_seconds=1800,
            aht_seconds=180,
            patience_seconds=1e7,
            agents=3900,
            answer_time_seconds=20,
        )
        self.assertAlmostEqual(result.probability_of_abandon, 1 - 3900 / 4000, places=6)
        self.assertFalse(math.isnan(result.service_level))


class PyworkforceComparisonTests(SimpleTestCase):
    """pyworkforce's ErlangC (a dev dependency, minutes instead of seconds) on a grid."""

    def test_it_agrees_with_pyworkforce(self):
        from pyworkforce.queuing import ErlangC

        compared = 0
        for calls in (5, 20, 60, 100, 250, 600):
            for aht_minutes in (1.5, 3, 6, 10):
                for answer_seconds in (10, 20, 60):
                    for target in (0.7, 0.8, 0.9):
                        theirs = ErlangC(
                            transactions=calls,
                            aht=aht_minutes,
                            asa=answer_seconds / 60,
                            interval=30,
                            shrinkage=0.3,
                        ).required_positions(service_level=target)
                        ours = erlang_c_required(
                            calls=calls,
                            interval_seconds=1800,
                            aht_seconds=aht_minutes * 60,
                            target=target,
                            answer_time_seconds=answer_seconds,
                            shrinkage=0.3,
                        )
                        with self.subTest(calls=calls, aht=aht_minutes, target=target):
                            self.assertEqual(ours.agents, theirs["raw_positions"])
                            self.assertAlmostEqual(
                                ours.service_level, theirs["service_level"], places=9
                            )
                            self.assertAlmostEqual(
                                ours.probability_of_waiting,
                                theirs["waiting_probability"],
                                places=9,
                            )
                            self.assertAlmostEqual(ours.occupancy, theirs["occupancy"], places=12)
                        compared += 1
        self.assertEqual(compared, 6 * 4 * 3 * 3)


def exact_b_large(traffic: int, agents: int) -> float:
    """Erlang B from the inverse recursion in exact rationals (no factorial overflow)."""
    inverse = Fraction(1)
    for n in range(1, agents + 1):
        inverse = 1 + inverse * n / traffic
    return float(1 / inverse)


class InputTests(SimpleTestCase):
    def test_it_rejects_nonsense(self):
        good = {**PUBLISHED, "target": 0.8, "answer_time_seconds": 20}
        for change in (
            {"calls": -1},
            {"interval_seconds": 0},
            {"aht_seconds": -180},
            {"answer_time_seconds": -5},
            {"target": 0},
            {"target": 1},
            {"target": 1.5},
            {"shrinkage": 1},
            {"shrinkage": -0.1},
            {"max_occupancy": 0},
            {"calls": math.nan},
        ):
            with self.subTest(change), self.assertRaises(StaffingInputError):
                erlang_c_required(**{**good, **change})
        with self.assertRaises(StaffingInputError):
            erlang_a_required(**good, patience_seconds=0)
        with self.assertRaises(StaffingInputError):
            erlang_c_metrics(**PUBLISHED, agents=-1, answer_time_seconds=20)

    def test_it_says_when_the_target_is_out_of_reach(self):
        with self.assertRaises(TargetUnreachable):
            erlang_c_required(**PUBLISHED, target=0.8, answer_time_seconds=20, max_agents=13)
        with self.assertRaises(TargetUnreachable):
            erlang_a_required(
                **PUBLISHED,
                patience_seconds=60,
                target=0.99,
                answer_time_seconds=20,
                max_agents=12,
            )
        self.assertEqual(
            erlang_c_required(
                **PUBLISHED, target=0.8, answer_time_seconds=20, max_agents=14
            ).agents,
            14,
        )


class CounterTests(SimpleTestCase):
    walk_ins = {"arrivals": 30, "interval_seconds": 1800, "service_seconds": 480}

    def test_without_bookings_it_is_erlang_c_for_the_walk_ins(self):
        counter = counter_required(**self.walk_ins, target=0.8, wait_seconds=600)
        erlang = erlang_c_required(
            calls=30, interval_seconds=1800, aht_seconds=480, target=0.8, answer_time_seconds=600
        )
        self.assertEqual(counter, erlang)

    def test_booked_time_adds_whole_desks(self):
        alone = counter_required(**self.walk_ins, target=0.8, wait_seconds=600)
        # 75 booked minutes in a 30-minute interval keep 2.5, so 3, desks busy.
        booked = counter_required(
            **self.walk_ins, target=0.8, wait_seconds=600, booked_minutes=75, shrinkage=0.2
        )
        self.assertEqual(booked.agents, alone.agents + 3)
        self.assertEqual(booked.service_level, alone.service_level)
        self.assertAlmostEqual(booked.occupancy, (8 + 2.5) / booked.agents)
        self.assertEqual(booked.scheduled_agents, math.ceil(booked.agents / 0.8))

    def test_bookings_alone_can_exceed_the_desks(self):
        with self.assertRaises(TargetUnreachable):
            counter_required(
                **self.walk_ins, target=0.8, wait_seconds=600, booked_minutes=300, max_agents=8
            )
