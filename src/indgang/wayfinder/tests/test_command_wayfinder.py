import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from indgang.catalogue.tests.factories import KleEntryFactory, ServiceFactory
from indgang.wayfinder.freshness import forget_index


def run(*args: str) -> str:
    out = StringIO()
    call_command("wayfinder", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@override_settings(WAYFINDER_REFRESH_SECONDS=0)
class WayfinderCommandTests(TestCase):
    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)
        ServiceFactory(
            slug="pas",
            title="Pas",
            keywords="nyt pas, forny pas",
            kle=KleEntryFactory(number="23.09.02", title="Pas"),
        )
        ServiceFactory(slug="koerekort", title="Kørekort", keywords="forny kørekort")
        ServiceFactory(slug="vielse", title="Vielse på rådhuset", keywords="bryllup")

    def test_it_prints_ranked_services(self):
        output = run("forny", "mit", "pas")
        self.assertIn("confident", output)
        self.assertRegex(output.splitlines()[1], r"^ 1\. .* pas +23\.09\.02 +Pas$")

    def test_json_has_slug_title_kle_score_and_confidence(self):
        payload = json.loads(run("forny mit pas", "--json"))
        self.assertIs(payload["confident"], True)
        best = payload["results"][0]
        self.assertEqual((best["slug"], best["title"], best["kle"]), ("pas", "Pas", "23.09.02"))
        self.assertIsInstance(best["score"], float)

    def test_limit_bounds_the_results(self):
        payload = json.loads(run("forny", "--json", "--limit", "1"))
        self.assertEqual(len(payload["results"]), 1)

    def test_it_rejects_a_limit_out_of_range(self):
        with self.assertRaisesMessage(CommandError, "--limit"):
            run("pas", "--limit", "0")

    def test_it_says_when_nothing_matches(self):
        self.assertIn("No service matches", run("xylofon"))
        payload = json.loads(run("xylofon", "--json"))
        self.assertEqual((payload["confident"], payload["results"]), (False, []))


@override_settings(WAYFINDER_REFRESH_SECONDS=0)
class EvaluateCommandTests(TestCase):
    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)
        ServiceFactory(slug="pas", title="Pas", keywords="nyt pas")
        ServiceFactory(slug="koerekort", title="Kørekort", keywords="forny kørekort")
        self.folder = Path(tempfile.mkdtemp())

    def write(self, text: str) -> str:
        path = self.folder / "queries.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    def test_it_reports_accuracy_abstention_and_latency_as_json(self):
        path = self.write(
            "query,expected\n"
            "nyt pas,pas\n"
            "kørekort,koerekort|pas\n"
            "forny kørekort,pas\n"  # wrong on purpose: the right answer is not ranked first
            "vejret i morgen,-\n"
        )
        report = json.loads(run("evaluate", path, "--json"))
        self.assertEqual(
            set(report), {"n", "top1", "top3", "mrr", "abstain", "confident", "p50_ms", "p95_ms"}
        )
        self.assertEqual(report["n"], 4)
        self.assertAlmostEqual(report["top1"], 2 / 3, places=3)
        self.assertEqual(report["abstain"], 1.0)
        self.assertGreaterEqual(report["p95_ms"], report["p50_ms"])

    def test_it_prints_a_readable_table(self):
        output = run("evaluate", self.write("query,expected\nnyt pas,pas\n"))
        self.assertIn("top-1 accuracy", output)
        self.assertIn("latency p95 (ms)", output)

    def test_a_file_without_the_header_is_a_clear_error(self):
        with self.assertRaisesMessage(CommandError, "query,expected"):
            run("evaluate", self.write("nyt pas,pas\n"))

    def test_a_missing_file_is_a_clear_error(self):
        with self.assertRaises(CommandError):
            run("evaluate", str(self.folder / "nope.csv"))
