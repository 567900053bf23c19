"""`indgang simulate`: the JSON it prints, the table, the progress bar and its refusals."""

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase

from indgang.insight.erlang import erlang_a_metrics

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MMC = ["mmc", "--calls", "100", "--interval", "1800", "--aht", "180", "--agents", "14"]


def simulate(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("simulate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class SimulateScenarioTests(SimpleTestCase):
    def test_it_prints_estimates_per_channel_and_overall_as_json(self):
        out, err = simulate(str(EXAMPLES / "baseline.yaml"), "--replications", "3", "--json")
        data = json.loads(out)
        self.assertEqual(data["replications"], 3)
        self.assertEqual(data["seed"], 1)
        self.assertEqual(
            set(data["channels"]),
            {"counter", "appointment", "assisted_self_service", "phone", "chat", "self_service"},
        )
        self.assertIn("raadhuset/counter", data["stations"])
        for name in (
            "wait_mean",
            "wait_p80",
            "wait_p95",
            "service_level",
            "abandon_share",
            "staff_hours",
            "fte",
            "utilisation",
            "self_service_rate",
            "cost",
        ):
            with self.subTest(measure=name):
                estimate = data["overall"][name]
                low, high = estimate["ci95"]
                self.assertLessEqual(low, estimate["mean"])
                self.assertLessEqual(estimate["mean"], high)
        self.assertIsNone(data["channels"]["self_service"]["wait_mean"])
        self.assertIn("3/3 replications", err)

    def test_the_seed_makes_runs_repeatable(self):
        path = str(EXAMPLES / "phone-to-self-service.yaml")
        first, _ = simulate(path, "--replications", "2", "--seed", "9", "--json")
        again, _ = simulate(path, "--replications", "2", "--seed", "9", "--json")
        self.assertEqual(first, again)

    def test_it_prints_a_table_by_default(self):
        out, _ = simulate(str(EXAMPLES / "close-branch.yaml"), "--replications", "2")
        lines = out.splitlines()
        self.assertTrue(any(line.startswith("phone ") for line in lines))
        self.assertTrue(any(line.startswith("all channels") for line in lines))
        self.assertTrue(any("telefon/phone" in line for line in lines))

    def test_it_lists_every_problem_of_an_invalid_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
            handle.write("name: broken\nstart: someday\ndays: 7\npoints: []\nservices: []\n")
        try:
            with self.assertRaises(CommandError) as caught:
                simulate(handle.name)
        finally:
            Path(handle.name).unlink()
        message = str(caught.exception)
        for path in ("start:", "points:", "services:"):
            self.assertIn(path, message)

    def test_it_refuses_bad_input(self):
        baseline = str(EXAMPLES / "baseline.yaml")
        cases = [
            ("/nonexistent/scenario.yaml",),
            (baseline, "--replications", "1"),
            (baseline, "--replications", "100000"),
            (baseline, "--calls", "10"),
        ]
        for args in cases:
            with self.subTest(args=args), self.assertRaises(CommandError):
                simulate(*args)


class SimulateMmcTests(SimpleTestCase):
    def test_it_prints_the_erlang_measures_with_intervals_as_json(self):
        out, _ = simulate(*MMC, "--hours", "4", "--seed", "3", "--replications", "4", "--json")
        data = json.loads(out)
        for name in ("probability_of_waiting", "service_level", "average_wait"):
            self.assertEqual(set(data[name]), {"mean", "ci95"})
            self.assertEqual(len(data[name]["ci95"]), 2)
        self.assertNotIn("probability_of_abandon", data)
        self.assertEqual(data["exact"]["model"], "erlang_c")
        self.assertAlmostEqual(data["exact"]["probability_of_waiting"], 0.1741, places=4)
        self.assertEqual(data["inputs"]["answer_time_seconds"], 20.0)

    def test_with_patience_it_adds_abandonment_and_compares_with_erlang_a(self):
        out, _ = simulate(
            *MMC,
            "--patience",
            "120",
            "--answer-time",
            "30",
            "--hours",
            "4",
            "--seed",
            "3",
            "--replications",
            "4",
            "--json",
        )
        data = json.loads(out)
        exact = erlang_a_metrics(
            calls=100,
            interval_seconds=1800,
            aht_seconds=180,
            patience_seconds=120,
            agents=14,
            answer_time_seconds=30,
        )
        self.assertEqual(data["exact"]["model"], "erlang_a")
        self.assertAlmostEqual(
            data["exact"]["probability_of_abandon"], exact.probability_of_abandon
        )
        self.assertGreater(data["probability_of_abandon"]["mean"], 0)

    def test_the_table_shows_the_exact_values_beside_the_simulated(self):
        out, err = simulate(*MMC, "--hours", "2", "--seed", "1", "--replications", "3")
        self.assertIn("Erlang C", out)
        row = next(line for line in out.splitlines() if line.startswith("probability of waiting"))
        self.assertIn("0.1741", row)
        self.assertIn("3/3 replications", err)

    def test_it_refuses_bad_input(self):
        cases = [
            ["mmc", "--calls", "100"],  # the rest missing
            [*MMC, "--hours", "0"],
            [*MMC, "--hours", "2", "--patience", "-1"],
            [*MMC, "--hours", "2", "--answer-time", "-5"],
            [
                "mmc",
                "--calls",
                "100",
                "--interval",
                "1800",
                "--aht",
                "180",
                "--agents",
                "9",
                "--hours",
                "1",
            ],
            [
                "mmc",
                "--calls",
                "-1",
                "--interval",
                "1800",
                "--aht",
                "180",
                "--agents",
                "9",
                "--hours",
                "1",
            ],
            [
                "mmc",
                "--calls",
                "100",
                "--interval",
                "1800",
                "--aht",
                "180",
                "--agents",
                "0",
                "--hours",
                "1",
            ],
            [*MMC, "--hours", "1000000"],
            [*MMC, "--hours", "nan"],
        ]
        for args in cases:
            with self.subTest(args=args), self.assertRaises(CommandError):
                simulate(*args)

    def test_overload_is_fine_when_callers_give_up(self):
        out, _ = simulate(
            "mmc", "--calls", "100", "--interval", "1800", "--aht", "180", "--agents", "8",
            "--patience", "60", "--hours", "2", "--replications", "2", "--json",
        )  # fmt: skip
        self.assertGreater(json.loads(out)["probability_of_abandon"]["mean"], 0.05)
