"""`indgang staffing erlang-c|erlang-a`."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase
from django.utils import translation

PUBLISHED = ["--calls", "100", "--interval", "1800", "--aht", "180", "--answer-time", "20"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("staffing", *args, stdout=out)
    return out.getvalue()


class ErlangCCommandTests(SimpleTestCase):
    def test_it_prints_the_published_staffing_as_json(self):
        payload = json.loads(
            run("erlang-c", *PUBLISHED, "--target", "0.8", "--shrinkage", "0.3", "--json")
        )
        self.assertEqual(
            list(payload),
            [
                "agents",
                "service_level",
                "probability_of_waiting",
                "average_speed_of_answer",
                "occupancy",
                "scheduled_agents",
            ],
        )
        self.assertEqual(payload["agents"], 14)
        self.assertAlmostEqual(payload["service_level"], 0.8884, places=4)
        self.assertAlmostEqual(payload["probability_of_waiting"], 0.1741, places=4)
        self.assertEqual(payload["scheduled_agents"], 20)

    def test_it_leaves_out_scheduled_agents_without_shrinkage(self):
        payload = json.loads(run("erlang-c", *PUBLISHED, "--target", "0.8", "--json"))
        self.assertNotIn("scheduled_agents", payload)
        self.assertNotIn("probability_of_abandon", payload)

    def test_it_reports_on_a_given_number_of_agents(self):
        payload = json.loads(run("erlang-c", *PUBLISHED, "--agents", "12", "--json"))
        self.assertEqual(payload["agents"], 12)
        self.assertLess(payload["service_level"], 0.8)

    def test_an_unstable_queue_has_no_average_wait_in_json(self):
        payload = json.loads(run("erlang-c", *PUBLISHED, "--agents", "9", "--json"))
        self.assertIsNone(payload["average_speed_of_answer"])
        self.assertEqual(payload["probability_of_waiting"], 1.0)

    def test_it_prints_a_table_by_default(self):
        with translation.override("en"):
            output = run("erlang-c", *PUBLISHED, "--target", "0.8", "--shrinkage", "0.3")
        lines = output.splitlines()
        self.assertIn("10.00 Erlang", lines[0])
        self.assertRegex(output, r"Agents\s+14\n")
        self.assertRegex(output, r"Service level \(answered within 20 s\)\s+88\.84 %")
        self.assertRegex(output, r"Probability of waiting\s+17\.41 %")
        self.assertRegex(output, r"Scheduled agents \(30\.00 % shrinkage\)\s+20")

    def test_it_rejects_bad_input(self):
        cases = [
            ["--calls", "-5", "--interval", "1800", "--aht", "180", "--answer-time", "20"],
            ["--calls", "100", "--interval", "0", "--aht", "180", "--answer-time", "20"],
            ["--calls", "100", "--interval", "1800", "--aht", "-1", "--answer-time", "20"],
        ]
        for args in cases:
            with self.subTest(args), self.assertRaisesMessage(CommandError, "must"):
                run("erlang-c", *args, "--target", "0.8")
        for target in ("0", "1", "1.2", "-0.5"):
            with self.subTest(target=target), self.assertRaisesMessage(CommandError, "target"):
                run("erlang-c", *PUBLISHED, "--target", target)
        with self.assertRaisesMessage(CommandError, "shrinkage"):
            run("erlang-c", *PUBLISHED, "--target", "0.8", "--shrinkage", "1")
        with self.assertRaisesMessage(CommandError, "--target"):
            run("erlang-c", *PUBLISHED)
        with self.assertRaisesMessage(CommandError, "agents"):
            run("erlang-c", *PUBLISHED, "--agents", "-2")

    def test_it_says_when_the_target_cannot_be_met(self):
        with self.assertRaisesMessage(CommandError, "cannot be met with at most 13 agents"):
            run("erlang-c", *PUBLISHED, "--target", "0.8", "--max-agents", "13")


class ErlangACommandTests(SimpleTestCase):
    def test_it_reports_abandonment_too(self):
        payload = json.loads(
            run("erlang-a", *PUBLISHED, "--patience", "120", "--target", "0.8", "--json")
        )
        self.assertEqual(payload["agents"], 12)
        self.assertGreater(payload["service_level"], 0.8)
        self.assertGreater(payload["probability_of_abandon"], 0)
        self.assertLess(payload["probability_of_abandon"], 0.1)

    def test_it_needs_no_more_agents_than_erlang_c_here(self):
        erlang_a = json.loads(
            run("erlang-a", *PUBLISHED, "--patience", "120", "--target", "0.8", "--json")
        )
        erlang_c = json.loads(run("erlang-c", *PUBLISHED, "--target", "0.8", "--json"))
        self.assertLess(erlang_a["agents"], erlang_c["agents"])

    def test_it_prints_the_abandonment_in_the_table(self):
        with translation.override("en"):
            output = run("erlang-a", *PUBLISHED, "--patience", "120", "--agents", "12")
        self.assertRegex(output, r"Probability of abandon\s+6\.16 %")

    def test_it_needs_a_positive_patience(self):
        with self.assertRaises(CommandError):
            run("erlang-a", *PUBLISHED, "--target", "0.8")
        with self.assertRaisesMessage(CommandError, "patience"):
            run("erlang-a", *PUBLISHED, "--target", "0.8", "--patience", "0")
