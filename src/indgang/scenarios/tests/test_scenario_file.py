"""Scenario files: every problem is reported with its path; the examples load and round-trip."""

import datetime as dt
from pathlib import Path

import yaml
from django.test import SimpleTestCase

from indgang.scenarios.scenario import ScenarioError, load_scenario, scenario_from_dict
from indgang.scenarios.tests.test_engine import small

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


class ExampleFileTests(SimpleTestCase):
    def test_the_examples_load_and_write_back_the_same_scenario(self):
        names = sorted(path.name for path in EXAMPLES.glob("*.yaml"))
        self.assertEqual(
            names,
            [
                "baseline.yaml",
                "close-branch.yaml",
                "passports-to-booking.yaml",
                "phone-to-self-service.yaml",
            ],
        )
        for name in names:
            with self.subTest(name=name):
                scenario = load_scenario((EXAMPLES / name).read_text())
                self.assertEqual(load_scenario(scenario.to_yaml()), scenario)

    def test_the_baseline_is_fjordby_with_its_service_points(self):
        scenario = load_scenario((EXAMPLES / "baseline.yaml").read_text())
        self.assertEqual(
            [p.id for p in scenario.points],
            [
                "raadhuset",
                "nordby-bibliotek",
                "strandvig-bibliotek",
                "telefon",
                "chat",
                "selvbetjening",
            ],
        )
        self.assertEqual(scenario.start, dt.date(2026, 3, 2))
        self.assertEqual(scenario.shifts, ())

    def test_the_variants_shift_the_shares_the_issue_names(self):
        booking = load_scenario((EXAMPLES / "passports-to-booking.yaml").read_text())
        (shift,) = booking.shifts
        self.assertEqual(
            (shift.service, shift.from_channel, shift.to_channel, shift.share),
            ("pas", "counter", "appointment", 0.2),
        )
        phone = load_scenario((EXAMPLES / "phone-to-self-service.yaml").read_text())
        (shift,) = phone.shifts
        self.assertEqual(
            (shift.from_channel, shift.to_channel, shift.share), ("phone", "self_service", 0.3)
        )
        closed = load_scenario((EXAMPLES / "close-branch.yaml").read_text())
        self.assertEqual(closed.point("strandvig-bibliotek").channels["counter"].hours, {})
        self.assertAlmostEqual(sum(s.share for s in closed.shifts), 1.0)

    def test_unquoted_times_are_read_as_times(self):
        # YAML 1.1 reads 09:30 without quotes as the number 570 (base 60).
        text = (EXAMPLES / "baseline.yaml").read_text().replace('from: "09:00"', "from: 09:00")
        scenario = load_scenario(text)
        self.assertEqual(scenario.point("telefon").channels["phone"].staff[0].start, 9 * 60)


class ValidationErrorTests(SimpleTestCase):
    def errors_of(self, data) -> list[str]:
        with self.assertRaises(ScenarioError) as caught:
            scenario_from_dict(data)
        return caught.exception.errors

    def assertReported(self, errors: list[str], path: str, words: str = ""):
        found = [e for e in errors if e.startswith(f"{path}: ") and words in e]
        self.assertTrue(found, f"no error for {path!r} ({words!r}) in:\n" + "\n".join(errors))

    def test_the_small_scenario_is_valid(self):
        self.assertEqual(scenario_from_dict(small()).name, "small")

    def test_it_reports_every_problem_at_once_with_its_path(self):
        data = small()
        data["days"] = 0
        data["start"] = "2026-02-30"
        data["colour"] = "blue"
        counter = data["points"][0]["channels"]["counter"]
        counter["hours"]["monday"] = "10:00-25:00"
        counter["hours"]["tuesday"] = "14:00-10:00"
        counter["hours"]["friday"] = 9
        counter["staff"][0]["agents"] = -1
        counter["staff"][0]["days"] = ["monday", "funday"]
        counter["patience"] = {"distribution": "gamma", "mean": 0}
        counter["after_hours"] = "later"
        data["points"][1]["channels"]["phone"]["cost_per_hour"] = "lots"
        data["points"][1]["id"] = "Phone Line"
        data["services"][0]["handling"]["counter"] = {
            "distribution": "exponential",
            "mean": 5,
            "cv": 1,
        }
        data["services"][0]["demand"].append(
            {"point": "nowhere", "channel": "counter", "per_week": 1}
        )
        data["services"][0]["demand"].append({"point": "hall", "channel": "fax", "per_week": 1})
        data["services"][0]["demand"].append(
            {"point": "hall", "channel": "counter", "per_week": -5}
        )
        data["services"][0]["teaches"] = 2
        data["shifts"] = [
            {
                "service": "visa",
                "from": {"channel": "phone"},
                "to": {"channel": "chat"},
                "share": 1.5,
            },
            {
                "from": {"channel": "appointment"},
                "to": {"point": "web", "channel": "self_service"},
                "share": 0.1,
            },
        ]
        errors = self.errors_of(data)
        self.assertReported(errors, "days", "between 1 and 366")
        self.assertReported(errors, "start", "date")
        self.assertReported(errors, "file.colour", "unknown field")
        self.assertReported(errors, "points[0].channels.counter.hours.monday", "09:30")
        self.assertReported(errors, "points[0].channels.counter.hours.tuesday", "closes before")
        self.assertReported(errors, "points[0].channels.counter.hours.friday")
        self.assertReported(errors, "points[0].channels.counter.staff[0].agents")
        self.assertReported(errors, "points[0].channels.counter.staff[0].days[1]", "weekday")
        self.assertReported(errors, "points[0].channels.counter.patience.distribution")
        self.assertReported(errors, "points[0].channels.counter.patience.mean", "greater than 0")
        self.assertReported(errors, "points[0].channels.counter.after_hours")
        self.assertReported(errors, "points[1].channels.phone.cost_per_hour", "number")
        self.assertReported(errors, "points[1].id", "lowercase")
        self.assertReported(errors, "services[0].handling.counter.cv", "lognormal")
        self.assertReported(errors, "services[0].demand[2].point", 'no point "nowhere"')
        self.assertReported(errors, "services[0].demand[3].channel", "one of")
        self.assertReported(errors, "services[0].demand[4].per_week", "at least 0")
        self.assertReported(errors, "services[0].teaches", "at most 1")
        self.assertReported(errors, "shifts[0].service", 'no service "visa"')
        self.assertReported(errors, "shifts[0].share", "at most 1")
        self.assertReported(errors, "shifts[1].from.channel", "cannot be shifted")
        self.assertGreaterEqual(len(errors), 21)

    def test_it_reports_cross_references_between_parts(self):
        data = small()
        data["services"][0]["demand"].append(
            {"point": "phone", "channel": "counter", "per_week": 3, "profile": "lunch"}
        )
        data["services"][0]["demand"].append({"point": "hall", "channel": "chat", "per_week": 3})
        data["points"][0]["channels"]["chat"] = {"hours": {}}
        data["shifts"] = [
            {"from": {"channel": "counter"}, "to": {"channel": "chat"}, "share": 0.5},
            {
                "from": {"channel": "counter"},
                "to": {"point": "phone", "channel": "self_service"},
                "share": 0.6,
            },
        ]
        errors = self.errors_of(data)
        self.assertReported(errors, "services[0].demand[2].channel", 'point "phone" has no counter')
        self.assertReported(errors, "services[0].demand[3].profile", "never open")
        self.assertReported(errors, "services[0].handling", "handling time for chat")
        self.assertReported(errors, "shifts[1].to.channel", 'point "phone" has no self_service')
        self.assertReported(errors, "shifts[0].share", "more than 1")

    def test_an_open_channel_needs_staff_and_ids_are_unique(self):
        data = small()
        data["points"][0]["channels"]["counter"]["staff"] = []
        data["points"][2]["id"] = "hall"
        data["services"].append(dict(data["services"][0]))
        errors = self.errors_of(data)
        self.assertReported(errors, "points[0].channels.counter.staff", "at least one staff block")
        self.assertReported(errors, "points[2].id", "used twice")
        self.assertReported(errors, "services[1].id", "used twice")

    def test_it_refuses_more_contacts_than_a_run_can_simulate(self):
        data = small(days=366)
        data["services"][0]["demand"][0]["per_week"] = 100_000
        self.assertReported(self.errors_of(data), "services", "at most 2,000,000")
        data["days"] = 7
        self.assertEqual(scenario_from_dict(data).expected_contacts(), 100_300)

    def test_it_reports_broken_yaml_with_its_line(self):
        with self.assertRaises(ScenarioError) as caught:
            load_scenario("name: x\npoints: [\n  - id: a\n")
        self.assertTrue(caught.exception.errors[0].startswith("line "))

    def test_it_rejects_a_file_that_is_not_a_mapping(self):
        for text in ("", "- a\n- b\n", "just text"):
            with self.subTest(text=text), self.assertRaises(ScenarioError):
                load_scenario(text)

    def test_it_does_not_build_python_objects_from_the_file(self):
        text = "!!python/object/apply:os.system ['echo hacked']\n"
        with self.assertRaises(ScenarioError) as caught:
            load_scenario(text)
        self.assertIn("not valid YAML", caught.exception.errors[0])

    def test_to_yaml_is_plain_yaml(self):
        scenario = scenario_from_dict(small())
        data = yaml.safe_load(scenario.to_yaml())
        self.assertEqual(data["points"][0]["channels"]["counter"]["hours"]["monday"], "10:00-12:00")
        self.assertEqual(data["points"][0]["channels"]["counter"]["hours"]["saturday"], "closed")
