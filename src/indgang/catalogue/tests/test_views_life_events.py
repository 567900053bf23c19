from indgang.core.tests.municipality import PageTestCase

from .factories import LifeEventFactory


class LifeEventIndexTests(PageTestCase):
    def test_it_lists_published_life_events(self):
        response = self.client.get("/livssituationer/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'href="/livssituationer/flytning/"')
        self.assertNotContains(response, self.m.draft_event.title)

    def test_it_is_in_english_under_en(self):
        response = self.client.get("/en/livssituationer/")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, 'href="/en/livssituationer/flytning/"')

    def test_it_uses_a_fixed_number_of_queries(self):
        with self.assertNumQueries(2):
            self.client.get("/livssituationer/")
        LifeEventFactory.create_batch(5)
        with self.assertNumQueries(2):
            self.client.get("/livssituationer/")


class LifeEventDetailTests(PageTestCase):
    def test_it_shows_the_steps_in_order_with_links_to_their_services(self):
        response = self.client.get("/en/livssituationer/flytning/")
        self.assertEqual(response.status_code, 200)
        titles = [step.title for step in response.context["steps"]]
        self.assertEqual(
            titles, ["Meld flytning", "Søg boligstøtte", "Et trin uden offentlig side"]
        )
        self.assertContains(response, 'href="/en/ydelser/flytning/"')
        self.assertContains(response, 'href="/en/ydelser/boligstoette/"')

    def test_it_does_not_link_to_a_service_that_is_not_published(self):
        response = self.client.get("/livssituationer/flytning/")
        self.assertContains(response, "Et trin uden offentlig side")
        self.assertNotContains(response, "/ydelser/kladde/")

    def test_it_says_what_happens_automatically(self):
        response = self.client.get("/en/livssituationer/flytning/")
        self.assertContains(response, "Happens automatically:")
        self.assertContains(response, "Din læge bliver den samme")

    def test_it_is_404_for_unknown_and_draft_life_events(self):
        self.assertEqual(self.client.get("/livssituationer/findes-ikke/").status_code, 404)
        draft = self.client.get(f"/livssituationer/{self.m.draft_event.slug}/")
        self.assertEqual(draft.status_code, 404)

    def test_it_uses_a_fixed_number_of_queries(self):
        # Life event, its steps with their services, footer.
        with self.assertNumQueries(3):
            self.client.get("/livssituationer/flytning/")
