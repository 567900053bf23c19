from indgang.core.tests.municipality import PageTestCase

from .factories import ServicePointFactory


class ServicePointIndexTests(PageTestCase):
    def test_it_lists_published_points_in_sections_with_their_status(self):
        response = self.client.get("/en/betjeningssteder/")
        self.assertEqual(response.status_code, 200)
        sections = {
            s["id"]: [x.point for x in s["summaries"]] for s in response.context["sections"]
        }
        self.assertEqual(
            sections,
            {
                "visit": [self.m.town_hall, self.m.library],
                "bus": [self.m.bus],
                "remote": [self.m.phone, self.m.chat],
            },
        )
        self.assertContains(response, "Open now until 14:00")  # the town hall, Monday 11:00
        self.assertContains(response, "Closed. Opens tomorrow at 09:00")  # the bus, Tuesday 09:00
        self.assertNotContains(response, self.m.hidden_point.name)

    def test_it_shows_todays_hours_for_each_point(self):
        response = self.client.get("/en/betjeningssteder/")
        text = " ".join(response.content.decode().split())
        self.assertIn("Today: 10:00–14:00", text)
        self.assertContains(response, 'href="tel:+4570102030"')

    def test_it_is_in_english_under_en(self):
        response = self.client.get("/en/betjeningssteder/")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, '<h2 id="section-bus">The citizen bus</h2>', html=True)

    def test_it_uses_a_fixed_number_of_queries(self):
        # Points with their hours (5), closing days, footer.
        with self.assertNumQueries(7):
            self.client.get("/betjeningssteder/")
        ServicePointFactory.create_batch(4, weekdays=[("09:00", "15:00")])
        with self.assertNumQueries(7):
            self.client.get("/betjeningssteder/")
