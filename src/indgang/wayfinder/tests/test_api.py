from unittest import mock

from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle

from indgang.wayfinder.models import QuerySource, WayfinderQuery

from .base import WayfinderPageTestCase


class WayfinderApiTests(WayfinderPageTestCase):
    """GET /api/v1/wayfinder?q=…: the wayfinder's results as JSON."""

    def setUp(self):
        super().setUp()
        cache.clear()  # the throttle counts in the cache

    def test_it_answers_with_ranked_services(self):
        response = self.client.get("/api/v1/wayfinder", {"q": "pas"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        data = response.json()
        self.assertEqual(set(data), {"query", "confident", "results"})
        self.assertEqual(data["query"], "pas")
        self.assertTrue(data["confident"])
        best = data["results"][0]
        self.assertEqual(
            set(best),
            {"slug", "title", "kle", "score", "url", "summary", "self_service_url", "handled_by"},
        )
        self.assertEqual(best["slug"], "pas")
        self.assertEqual(best["kle"], "23.09.02")
        self.assertEqual(best["url"], "http://testserver/ydelser/pas/")
        self.assertIsInstance(best["score"], float)
        self.assertEqual(best["handled_by"]["kind"], "department")
        self.assertEqual(best["handled_by"]["name"], "Borgerservice")

    def test_it_names_another_authority_as_the_handler(self):
        results = self.client.get("/api/v1/wayfinder", {"q": "boligstøtte"}).json()["results"]
        housing = next(r for r in results if r["slug"] == "boligstoette")
        self.assertEqual(housing["handled_by"]["kind"], "authority")
        self.assertEqual(housing["handled_by"]["name"], "Udbetaling Danmark")

    def test_it_says_when_it_is_not_sure(self):
        data = self.client.get("/api/v1/wayfinder", {"q": "xyzzy"}).json()
        self.assertFalse(data["confident"])

    def test_it_respects_the_limit(self):
        data = self.client.get("/api/v1/wayfinder", {"q": "bolig", "limit": 1}).json()
        self.assertLessEqual(len(data["results"]), 1)

    def test_it_refuses_a_missing_empty_or_too_long_query(self):
        for params in [{}, {"q": ""}, {"q": "   "}, {"q": "a" * 201}, {"q": "\x00"}, {"q": "\x01"}]:
            with self.subTest(params={k: v[:10] for k, v in params.items()}):
                response = self.client.get("/api/v1/wayfinder", params)
                self.assertEqual(response.status_code, 400)
                self.assertIn("q", response.json())

    def test_it_refuses_a_limit_out_of_range(self):
        for limit in ["0", "21", "many"]:
            with self.subTest(limit=limit):
                response = self.client.get("/api/v1/wayfinder", {"q": "pas", "limit": limit})
                self.assertEqual(response.status_code, 400)
                self.assertIn("limit", response.json())

    def test_it_logs_the_search_masked(self):
        self.client.get("/api/v1/wayfinder", {"q": "pas 0101901234"})
        log = WayfinderQuery.objects.get()
        self.assertEqual(log.text, "pas [cpr-nummer]")
        self.assertEqual(log.source, QuerySource.API)

    def test_it_is_read_only(self):
        self.assertIn(self.client.post("/api/v1/wayfinder", {"q": "pas"}).status_code, {403, 405})

    def test_it_has_no_language_prefix(self):
        self.assertEqual(self.client.get("/en/api/v1/wayfinder", {"q": "pas"}).status_code, 404)

    def test_it_throttles_anonymous_clients(self):
        with mock.patch.object(AnonRateThrottle, "get_rate", return_value="2/minute"):
            codes = [
                self.client.get("/api/v1/wayfinder", {"q": "pas"}).status_code for _ in range(3)
            ]
        self.assertEqual(codes, [200, 200, 429])


class ApiSchemaTests(WayfinderPageTestCase):
    def test_the_schema_describes_the_wayfinder(self):
        response = self.client.get(
            "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
        )
        self.assertEqual(response.status_code, 200)
        schema = response.json()
        operation = schema["paths"]["/api/v1/wayfinder"]["get"]
        self.assertEqual({p["name"] for p in operation["parameters"]}, {"q", "limit"})
        self.assertEqual(set(operation["responses"]), {"200", "400", "429"})
        answer = schema["components"]["schemas"]["WayfinderAnswer"]
        self.assertEqual(set(answer["properties"]), {"query", "confident", "results"})
