"""The wayfinder on the demo municipality, measured on the team's labelled queries.

The floors sit below what `indgang wayfinder evaluate` reports today (see the closing numbers in
bench/wayfinder.py's output), so a change that breaks matching as a whole fails here, while normal
tuning does not. They are behaviour, not timing: latency is measured by bench/wayfinder.py only.
"""

from pathlib import Path

from django.test import TestCase, override_settings

from indgang.demo.services import demo_load
from indgang.wayfinder.evaluation import read_labelled_queries, run, summarise
from indgang.wayfinder.freshness import forget_index
from indgang.wayfinder.selectors import wayfinder_search

TEAM_QUERIES = Path(__file__).resolve().parents[4] / "bench" / "data" / "wayfinder-team-queries.csv"


@override_settings(WAYFINDER_REFRESH_SECONDS=0)
class DemoCatalogueQualityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_load()

    def setUp(self):
        forget_index()
        self.addCleanup(forget_index)

    def best(self, query: str) -> str | None:
        answer = wayfinder_search(query=query)
        return answer.best.slug if answer.best and answer.confident else None

    def test_the_team_queries_stay_above_their_floors(self):
        report = summarise(
            run(read_labelled_queries(TEAM_QUERIES), lambda q: wayfinder_search(query=q, limit=10))
        )
        self.assertGreaterEqual(report.top1, 0.85)
        self.assertGreaterEqual(report.top3, 0.93)
        self.assertGreaterEqual(report.abstain, 0.7)
        self.assertGreaterEqual(report.confident, 0.8)

    def test_the_widow_finds_funeral_assistance(self):
        self.assertEqual(
            self.best("min mand er død, hvem hjælper med begravelsen"), "begravelseshjaelp"
        )

    def test_everyday_words_from_the_lexicon(self):
        self.assertEqual(self.best("børnecheck"), "boerne-ungeydelse")
        self.assertEqual(self.best("gult kort"), "sundhedskort")

    def test_english_finds_the_main_services(self):
        self.assertEqual(self.best("passport"), "pas")
        self.assertEqual(self.best("housing benefit"), "boligstoette")

    def test_compounds_split_with_a_linking_s(self):
        self.assertEqual(self.best("affaldsordning"), "dagrenovation")
