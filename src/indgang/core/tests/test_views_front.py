from django.urls import reverse

from indgang.catalogue.tests.factories import LifeEventFactory
from indgang.places.tests.factories import ServicePointFactory

from .municipality import PageTestCase


class FrontPageTests(PageTestCase):
    def test_it_shows_the_search_box_that_goes_to_the_wayfinder(self):
        response = self.client.get("/en/")
        self.assertContains(
            response,
            '<form class="front-search" action="/en/vejviser/" method="get" role="search">',
        )
        self.assertContains(
            response,
            '<label class="form-label" for="front-q">What do you need help with?</label>',
            html=True,
        )
        self.assertContains(response, 'name="q"')

    def test_it_links_to_published_life_events_only(self):
        response = self.client.get("/")
        self.assertContains(response, self.m.moving_event.get_absolute_url())
        self.assertNotContains(response, self.m.draft_event.get_absolute_url())

    def test_it_shows_each_service_points_status_now(self):
        response = self.client.get("/en/")
        self.assertContains(response, "Borgerservice på Rådhuset")
        self.assertContains(response, "Open now until 14:00")  # Monday 11:00, open 10–14
        self.assertNotContains(response, self.m.hidden_point.name)

    def test_it_shows_how_to_call_or_chat(self):
        response = self.client.get("/en/")
        self.assertContains(response, 'href="tel:+4570102030"')
        self.assertContains(response, 'href="https://fjordby.example/chat"')

    def test_it_is_danish_without_a_prefix_and_english_under_en(self):
        self.assertContains(self.client.get("/"), '<html lang="da">')
        english = self.client.get("/en/")
        self.assertContains(english, '<html lang="en">')
        self.assertContains(english, "<title>Citizen Service – Fjordby Kommune</title>", html=True)

    def test_it_uses_a_fixed_number_of_queries(self):
        # Points with their hours (5), closing days, life events, the footer's contact points.
        with self.assertNumQueries(8):
            self.client.get("/")
        for _ in range(3):
            LifeEventFactory()
            ServicePointFactory(weekdays=[("09:00", "12:00"), ("13:00", "15:00")])
        with self.assertNumQueries(8):
            self.client.get("/")

    def test_it_is_public(self):
        self.assertEqual(self.client.get(reverse("core:front")).status_code, 200)

    def test_it_only_allows_reading(self):
        self.assertEqual(self.client.post("/").status_code, 405)
