from django.contrib.auth.models import Permission, User

from indgang.core.tests.municipality import PageTestCase


class ServiceDetailTests(PageTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = User.objects.create_user("redaktoer", password="x" * 12, is_staff=True)
        cls.editor.user_permissions.add(Permission.objects.get(codename="view_service"))
        cls.citizen_account = User.objects.create_user("borger", password="x" * 12)

    def test_it_shows_what_why_and_how(self):
        response = self.client.get("/en/ydelser/pas/")
        self.assertEqual(response.status_code, 200)
        for text in [
            "<h1>Pas</h1>",
            "Sådan søger du om nyt pas til voksne og børn.",
            "<h2>What is it?</h2>",
            "Et pas er dit bevis på, at du er dansk statsborger.",
            "<h2>Who can get it?</h2>",
            '<h2 id="how">How to do it</h2>',
            "<li>Dit gamle pas</li>",
            "<li>Sygesikringskort</li>",
            "Voksne 18–65 år: 763 kr.",
            "We answer within 21 days.",
            "23.09.02 Pas",
        ]:
            self.assertContains(response, text, html=text.startswith("<"))

    def test_it_puts_the_self_service_link_first_as_the_primary_button(self):
        response = self.client.get("/en/ydelser/boligstoette/")
        self.assertContains(
            response,
            '<a class="button button-primary" '
            'href="https://www.borger.dk/bolig-og-flytning/boligstoette">Do it yourself online</a>',
            html=True,
        )

    def test_it_says_who_handles_it_and_how_to_reach_them(self):
        response = self.client.get("/en/ydelser/boligstoette/")
        self.assertContains(response, "Udbetaling Danmark handles this, not the municipality.")
        self.assertContains(response, 'href="tel:+4570128063"')
        self.assertContains(response, "Mandag–fredag 9–15")
        municipal = self.client.get("/en/ydelser/pas/")
        self.assertContains(municipal, "Borgerservice in the municipality handles your case.")
        self.assertContains(municipal, 'href="mailto:borgerservice@fjordby.example"')

    def test_it_promises_a_private_room_for_sensitive_services(self):
        self.assertContains(self.client.get("/en/ydelser/boligstoette/"), "private room")
        self.assertNotContains(self.client.get("/en/ydelser/pas/"), "private room")

    def test_it_lists_where_the_service_is_offered_with_each_points_status(self):
        response = self.client.get("/en/ydelser/pas/")
        places = response.context["places"]
        self.assertEqual([s.point for _, s in places], [self.m.town_hall, self.m.bus])
        self.assertContains(response, "Open now until 14:00")
        self.assertContains(response, "By appointment")
        self.assertContains(response, "Walk in, no appointment needed")

    def test_it_links_the_life_events_it_is_part_of(self):
        response = self.client.get("/ydelser/flytning/")
        self.assertContains(response, 'href="/livssituationer/flytning/"')

    def test_it_is_404_for_unknown_and_draft_services(self):
        self.assertEqual(self.client.get("/ydelser/findes-ikke/").status_code, 404)
        self.assertEqual(self.client.get("/ydelser/kladde/").status_code, 404)

    def test_it_lets_staff_who_may_view_services_preview_a_draft(self):
        self.client.force_login(self.editor)
        response = self.client.get("/en/ydelser/kladde/")
        self.assertContains(response, "Draft preview.")

    def test_it_hides_drafts_from_users_without_permission(self):
        self.client.force_login(self.citizen_account)
        self.assertEqual(self.client.get("/ydelser/kladde/").status_code, 404)

    def test_it_is_in_english_under_en(self):
        response = self.client.get("/en/ydelser/pas/")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Where you can get help")

    def test_it_uses_a_fixed_number_of_queries(self):
        # Service, offerings with their points' hours (5), closing days, life events, footer,
        # whether it can be booked (visits).
        with self.assertNumQueries(10):
            self.client.get("/ydelser/pas/")

    def test_it_only_allows_reading(self):
        self.assertEqual(self.client.post("/ydelser/pas/").status_code, 405)

    def test_it_gives_the_number_of_a_phone_line_instead_of_counter_details(self):
        response = self.client.get("/en/ydelser/boligstoette/")
        phone_line = next(o for o, s in response.context["places"] if s.point == self.m.phone)
        self.assertTrue(phone_line.walk_in)
        self.assertNotContains(response, "Walk in, no appointment needed")
        self.assertContains(response, '<a href="tel:+4570102030">70 10 20 30</a>', html=True)
