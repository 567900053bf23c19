from indgang.core.tests.municipality import PageTestCase

from .factories import ServiceFactory


class ServiceIndexTests(PageTestCase):
    def test_it_lists_published_services_by_letter_in_danish_order(self):
        response = self.client.get("/ydelser/")
        self.assertEqual(response.status_code, 200)
        letters = [g.letter for g in response.context["groups"]]
        self.assertEqual(letters, ["B", "F", "P", "Æ", "Ø", "Å"])
        self.assertContains(response, '<a href="/ydelser/pas/">Pas</a>', html=True)
        self.assertNotContains(response, self.m.draft_service.title)

    def test_it_has_a_letter_index_that_links_only_letters_with_services(self):
        response = self.client.get("/ydelser/")
        self.assertContains(response, '<a href="#bogstav-AE">Æ</a>', html=True)
        self.assertContains(
            response, '<h2 id="bogstav-AE" class="letter-heading">Æ</h2>', html=True
        )
        self.assertNotContains(response, 'href="#bogstav-C"')

    def test_it_filters_by_the_words_in_q(self):
        response = self.client.get("/en/ydelser/", {"q": "husleje"})
        self.assertEqual(response.context["services"], [self.m.housing_benefit])
        self.assertContains(response, "1 service matches “husleje”.")
        self.assertContains(response, 'value="husleje"')

    def test_it_says_plainly_when_nothing_matched_and_how_to_reach_a_person(self):
        response = self.client.get("/en/ydelser/", {"q": "trampolin"})
        self.assertContains(response, "No services match “trampolin”")
        self.assertContains(response, "a person will answer")
        self.assertContains(response, 'href="tel:+4570102030"')
        # The whole A–Z stays below, so the citizen can browse on.
        self.assertContains(response, '<a href="/en/ydelser/pas/">Pas</a>', html=True)

    def test_it_never_fails_on_odd_input(self):
        odd = ["x" * 5000, "æøå ÆØÅ 🙂 漢字", "\x00", "%00", "' OR 1=1 --", "<script>alert(1)"]
        for q in odd:
            with self.subTest(q=q[:20]):
                response = self.client.get("/ydelser/", {"q": q})
                self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.get("/ydelser/?q=%00%ff%fe").status_code, 200)
        self.assertNotContains(self.client.get("/ydelser/", {"q": "<script>"}), "<script>alert")

    def test_it_is_in_english_under_en(self):
        response = self.client.get("/en/ydelser/")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "<h1>Services A–Z</h1>", html=True)

    def test_it_uses_a_fixed_number_of_queries(self):
        # Services with their KLE topic, and the footer's contact points.
        with self.assertNumQueries(2):
            self.client.get("/ydelser/")
        ServiceFactory.create_batch(10)
        with self.assertNumQueries(2):
            self.client.get("/ydelser/", {"q": "ydelse"})

    def test_it_only_allows_reading(self):
        self.assertEqual(self.client.post("/ydelser/").status_code, 405)
