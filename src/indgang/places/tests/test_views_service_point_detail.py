import json
import re

from indgang.core.tests.municipality import PageTestCase


class ServicePointDetailTests(PageTestCase):
    def test_it_shows_the_status_now(self):
        response = self.client.get("/en/betjeningssteder/borgerservice-raadhuset/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            '<strong class="badge badge-success status-badge">Open now until 14:00</strong>',
            html=True,
        )

    def test_it_shows_the_week_with_split_shifts_and_today_marked(self):
        response = self.client.get("/en/betjeningssteder/borgerservice-raadhuset/")
        self.assertContains(response, "<caption>The next 7 days</caption>", html=True)
        self.assertContains(response, '<tr class="hours-today">')
        week = response.context["week"]
        self.assertEqual(len(week), 7)
        thursday = week[3]  # 24 December: the municipality's own closing day
        self.assertFalse(thursday.is_open)
        self.assertContains(response, "Juleaftensdag")
        self.assertContains(response, "Lukket på grund af personalemøde.")  # Tuesday's exception

    def test_it_lists_upcoming_special_days_with_their_reasons(self):
        response = self.client.get("/en/betjeningssteder/borgerservice-raadhuset/")
        names = [d.closed_name or d.note for d in response.context["special_days"]]
        self.assertIn("Juledag", names)
        self.assertIn("Nytårsdag", names)
        self.assertContains(response, "Days in the next 60 days that differ from the usual week")

    def test_it_shows_the_address_directions_and_a_plain_map_link(self):
        response = self.client.get("/en/betjeningssteder/borgerservice-raadhuset/")
        self.assertContains(response, "Torvet 1")
        self.assertContains(response, "Indgangen er fra Torvet.")
        self.assertContains(
            response,
            'href="https://www.openstreetmap.org/?mlat=54.8345&amp;mlon=11.1352'
            '#map=17/54.8345/11.1352"',
        )
        self.assertContains(response, "Coordinates: 54.8345 N, 11.1352 E")
        self.assertNotContains(response, "<iframe")

    def test_it_lists_accessibility_facts_in_words(self):
        response = self.client.get("/en/betjeningssteder/borgerservice-raadhuset/")
        for fact in [
            "Step-free access: yes",
            "Hearing loop: yes",
            "Private room for sensitive matters: yes",
            "Public transport nearby: Bus 12 og 14",
        ]:
            self.assertContains(response, fact)
        library = self.client.get("/en/betjeningssteder/biblioteket-strandby/")
        self.assertContains(library, "Hearing loop: no")
        self.assertContains(library, "4 PCs for self-service")

    def test_it_lists_the_published_services_offered_and_how(self):
        response = self.client.get("/en/betjeningssteder/borgerservice-raadhuset/")
        self.assertContains(response, '<a href="/en/ydelser/pas/">Pas</a>', html=True)
        self.assertContains(response, "by appointment only")
        self.assertContains(response, "walk in, no appointment needed")
        self.assertNotContains(response, self.m.draft_service.title)

    def test_it_shows_the_bus_stops_with_their_times(self):
        response = self.client.get("/en/betjeningssteder/borgerbussen/")
        self.assertContains(response, "Skovlund Forsamlingshus")
        self.assertContains(response, "<li>Tuesday 09:00–11:00</li>", html=True)
        self.assertContains(response, "09:00–11:00: Skovlund Forsamlingshus")  # in the week table

    def test_it_shows_the_number_of_the_phone_line_and_the_chat_link(self):
        phone = self.client.get("/en/betjeningssteder/telefon/")
        self.assertContains(phone, '<a href="tel:+4570102030">70 10 20 30</a>', html=True)
        chat = self.client.get("/en/betjeningssteder/chat/")
        self.assertContains(chat, 'href="https://fjordby.example/chat"')

    def test_it_embeds_the_opening_hours_as_json_ld(self):
        response = self.client.get("/betjeningssteder/borgerservice-raadhuset/")
        pattern = r'<script type="application/ld\+json">(.*?)</script>'
        match = re.search(pattern, response.content.decode(), re.S)
        data = json.loads(match.group(1))
        self.assertEqual(data["name"], "Borgerservice på Rådhuset")
        self.assertTrue(data["openingHoursSpecification"])

    def test_it_escapes_the_json_ld_so_data_cannot_close_the_script(self):
        self.m.town_hall.name = "</script><script>alert(1)</script>"
        self.m.town_hall.save()
        response = self.client.get("/betjeningssteder/borgerservice-raadhuset/")
        self.assertNotContains(response, "</script><script>alert(1)")
        self.assertContains(response, "\\u003C/script\\u003E")

    def test_it_links_the_calendar_file(self):
        response = self.client.get("/betjeningssteder/borgerservice-raadhuset/")
        self.assertContains(
            response, 'href="/betjeningssteder/borgerservice-raadhuset/aabningstider.ics"'
        )

    def test_it_is_404_for_unknown_and_unpublished_points(self):
        self.assertEqual(self.client.get("/betjeningssteder/findes-ikke/").status_code, 404)
        self.assertEqual(self.client.get("/betjeningssteder/lukket-filial/").status_code, 404)

    def test_it_is_in_english_under_en(self):
        response = self.client.get("/en/betjeningssteder/biblioteket-strandby/")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Holidays and changed hours")

    def test_it_uses_a_fixed_number_of_queries(self):
        # Point with hours (5 incl. the stops' hours), closing days (once: the JSON-LD reuses
        # the page's schedule), offerings, footer, links to the queue and booking (visits).
        with self.assertNumQueries(9):
            self.client.get("/betjeningssteder/borgerservice-raadhuset/")
