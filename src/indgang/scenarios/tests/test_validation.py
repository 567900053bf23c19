"""Statistical validation: the simulator reproduces Erlang C and Erlang A on an M/M/c(+M) queue.

For 40 seeds, each with 10 replications of 12 simulated hours (the first hour of each
left out as warm-up), the 95 % interval of each measure should contain the exact value about
95 % of the time; we require at least 90 % (36 of 40). The exact values come from
indgang.insight.erlang, an independent implementation of the formulas.

The queue is the issue's example: 100 calls per 30 minutes, 180 s handling time (10 Erlang),
14 agents, answer within 20 s; for Erlang A callers hang up after 120 s on average.
"""

from django.test import SimpleTestCase

from indgang.insight.erlang import erlang_a_metrics, erlang_c_metrics
from indgang.scenarios.replications import run_mmc

QUEUE = {"calls": 100, "interval_seconds": 1800, "aht_seconds": 180, "agents": 14}
ANSWER_TIME = 20
PATIENCE = 120
SEEDS = range(1, 41)
REQUIRED_COVERAGE = 0.90


class ErlangValidationTests(SimpleTestCase):
    def coverage(self, exact: dict[str, float], *, patience: float | None) -> dict[str, float]:
        covered = dict.fromkeys(exact, 0)
        for seed in SEEDS:
            estimates = run_mmc(
                **QUEUE,
                hours=12,
                patience_seconds=patience,
                answer_time_seconds=ANSWER_TIME,
                replications=10,
                seed=seed,
            )
            for name, value in exact.items():
                self.assertIsNotNone(estimates[name].low)
                covered[name] += estimates[name].covers(value)
        return {name: count / len(SEEDS) for name, count in covered.items()}

    def test_intervals_cover_erlang_c(self):
        exact = erlang_c_metrics(**QUEUE, answer_time_seconds=ANSWER_TIME)
        self.assertAlmostEqual(exact.probability_of_waiting, 0.174, places=3)  # the right queue
        coverage = self.coverage(
            {
                "probability_of_waiting": exact.probability_of_waiting,
                "service_level": exact.service_level,
                "average_wait": exact.average_speed_of_answer,
            },
            patience=None,
        )
        for name, share in coverage.items():
            with self.subTest(measure=name):
                self.assertGreaterEqual(share, REQUIRED_COVERAGE)

    def test_intervals_cover_erlang_a(self):
        exact = erlang_a_metrics(
            **QUEUE, patience_seconds=PATIENCE, answer_time_seconds=ANSWER_TIME
        )
        coverage = self.coverage(
            {
                "probability_of_abandon": exact.probability_of_abandon,
                "probability_of_waiting": exact.probability_of_waiting,
                "service_level": exact.service_level,
            },
            patience=PATIENCE,
        )
        for name, share in coverage.items():
            with self.subTest(measure=name):
                self.assertGreaterEqual(share, REQUIRED_COVERAGE)

    def test_a_biased_simulator_would_fail(self):
        """The check has power: one agent fewer in the simulation is caught every time."""
        exact = erlang_c_metrics(**QUEUE, answer_time_seconds=ANSWER_TIME)
        misses = 0
        for seed in range(1, 6):
            estimates = run_mmc(
                **{**QUEUE, "agents": 13},
                hours=12,
                answer_time_seconds=ANSWER_TIME,
                replications=10,
                seed=seed,
            )
            misses += not estimates["probability_of_waiting"].covers(exact.probability_of_waiting)
        self.assertEqual(misses, 5)
