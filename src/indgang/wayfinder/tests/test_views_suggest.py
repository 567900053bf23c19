from .base import WayfinderPageTestCase


class SuggestTests(WayfinderPageTestCase):
    """Suggestions while typing, as JSON for the search boxes' datalist."""

    def test_it_suggests_services_for_what_has_been_typed(self):
        response = self.client.get("/vejviser/forslag/", {"q": "pa"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        suggestions = response.json()["suggestions"]
        self.assertIn("/ydelser/pas/", [s["url"] for s in suggestions])
        self.assertTrue(all(set(s) == {"text", "url"} for s in suggestions))

    def test_it_links_to_the_service_in_the_pages_language(self):
        suggestions = self.client.get("/en/vejviser/forslag/", {"q": "pas"}).json()["suggestions"]
        self.assertIn("/en/ydelser/pas/", [s["url"] for s in suggestions])

    def test_it_suggests_nothing_for_empty_or_odd_input(self):
        for q in ["", "   ", "\x00", "a" * 10_000, "!!!"]:
            with self.subTest(q=q[:10]):
                response = self.client.get("/vejviser/forslag/", {"q": q})
                self.assertEqual(response.status_code, 200)
                self.assertIsInstance(response.json()["suggestions"], list)
        self.assertEqual(self.client.get("/vejviser/forslag/").json(), {"suggestions": []})

    def test_it_only_allows_reading(self):
        self.assertEqual(self.client.post("/vejviser/forslag/", {"q": "pa"}).status_code, 405)
