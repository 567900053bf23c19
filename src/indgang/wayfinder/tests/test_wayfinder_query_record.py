from django.test import TestCase

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.wayfinder.models import QuerySource, WayfinderQuery
from indgang.wayfinder.results import Answer
from indgang.wayfinder.services import wayfinder_query_record

from .base import answer_for

PERSONAL = "Hej, pas til 010190-1234, skriv til ib.hansen@example.dk eller ring +45 20 30 40 50"


class WayfinderQueryRecordTests(TestCase):
    def test_it_stores_the_search_with_personal_data_masked(self):
        log = wayfinder_query_record(
            query=PERSONAL, answer=Answer(PERSONAL, (), False), language="da"
        )
        self.assertEqual(
            log.text, "Hej, pas til [cpr-nummer], skriv til [e-mail] eller ring [telefon]"
        )
        self.assertEqual(
            log.normalised, "hej, pas til [cpr-nummer], skriv til [e-mail] eller ring [telefon]"
        )
        stored = " ".join(str(v) for v in WayfinderQuery.objects.values().get().values())
        for secret in ["010190", "1234", "ib.hansen", "example.dk", "20 30 40 50"]:
            self.assertNotIn(secret, stored)

    def test_it_stores_the_masked_text_from_the_citizen_page(self):
        response = self.client.get("/vejviser/", {"q": PERSONAL})
        self.assertEqual(response.status_code, 200)
        self.assertIn("[cpr-nummer]", WayfinderQuery.objects.get().text)
        self.assertNotIn("010190", WayfinderQuery.objects.get().normalised)

    def test_it_stores_the_best_match_and_the_outcome(self):
        service = ServiceFactory(slug="pas")
        log = wayfinder_query_record(
            query="Nyt   PAS",
            answer=answer_for("Nyt PAS", service, ServiceFactory()),
            language="en",
        )
        log.refresh_from_db()
        self.assertEqual(
            (log.best_slug, log.confident, log.match_count, log.language, log.source),
            ("pas", True, 2, "en", QuerySource.PAGE),
        )
        self.assertEqual(log.normalised, "nyt pas")

    def test_it_stores_no_best_match_when_nothing_matched(self):
        log = wayfinder_query_record(
            query="xyzzy", answer=Answer("xyzzy", (), False), language="da"
        )
        self.assertEqual((log.best_slug, log.confident, log.match_count), ("", False, 0))
