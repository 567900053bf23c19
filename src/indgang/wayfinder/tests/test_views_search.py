from unittest import mock

from indgang.catalogue.tests.factories import ServiceFactory
from indgang.places.models import ServiceOffering
from indgang.places.tests.factories import ServicePointFactory
from indgang.wayfinder.models import WayfinderQuery

from .base import WayfinderPageTestCase, answer_for

SEARCH = "indgang.wayfinder.views.wayfinder_search"


class SearchPageTests(WayfinderPageTestCase):
    """The results page: one answer card when the wayfinder is sure, an honest "not sure" if not."""

    def search(self, answer, path="/en/vejviser/?q=test"):
        with mock.patch(SEARCH, return_value=answer):
            return self.client.get(path)

    def test_it_finds_the_passport_for_pas(self):
        # The one ranking this suite relies on: any engine puts "Pas" first for "pas".
        response = self.client.get("/en/vejviser/?q=pas")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["page"].confident)
        self.assertEqual(response.context["page"].card.service, self.m.passport)

    def test_its_answer_card_names_the_service_and_what_to_bring(self):
        response = self.search(answer_for("pas", self.m.passport))
        self.assertContains(
            response, '<h2 id="answer-heading"><a href="/en/ydelser/pas/">Pas</a></h2>', html=True
        )
        self.assertContains(response, "Sådan søger du om nyt pas til voksne og børn.")
        self.assertContains(response, "<h3>What to bring</h3>", html=True)
        self.assertContains(response, "<li>Dit gamle pas</li>", html=True)
        self.assertContains(response, "<li>Sygesikringskort</li>", html=True)

    def test_its_answer_card_says_who_handles_it_and_how_to_reach_them(self):
        response = self.search(answer_for("husleje", self.m.housing_benefit))
        self.assertContains(response, '<h3 id="who">Who handles it</h3>', html=True)
        self.assertContains(response, "Udbetaling Danmark handles this, not the municipality.")
        self.assertContains(response, 'href="tel:+4570128063"')
        municipal = self.search(answer_for("pas", self.m.passport))
        self.assertContains(municipal, "Borgerservice in the municipality handles your case.")

    def test_it_offers_self_service_first_then_phone(self):
        response = self.search(answer_for("husleje", self.m.housing_benefit))
        kinds = [way.kind for way in response.context["page"].card.ways]
        self.assertEqual(kinds, ["online", "phone"])
        html = response.content.decode()
        self.assertContains(
            response,
            '<a class="button button-primary" '
            'href="https://www.borger.dk/bolig-og-flytning/boligstoette">Do it yourself online</a>',
            html=True,
        )
        self.assertLess(html.index("Do it yourself online"), html.index("Call or chat"))
        # The phone line offers it and is open now (Monday 11:00, open 9–15).
        self.assertContains(response, '<a href="tel:+4570102030">70 10 20 30</a>', html=True)
        self.assertContains(response, "Open now until 15:00")

    def test_it_orders_counter_booking_and_library_after_the_digital_ways(self):
        response = self.search(answer_for("flytning", self.m.moving))
        ways = response.context["page"].card.ways
        self.assertEqual([w.kind for w in ways], ["online", "walk_in", "library"])
        walk_in, library = ways[1], ways[2]
        self.assertEqual([p.summary.point for p in walk_in.places], [self.m.town_hall])
        self.assertEqual([p.summary.point for p in library.places], [self.m.library])
        self.assertContains(response, "Get help at the library")
        self.assertContains(response, "do it yourself on the library")

    def test_it_says_whether_each_place_is_open_now_and_when_it_opens(self):
        response = self.search(answer_for("pas", self.m.passport))
        ways = {w.kind: w for w in response.context["page"].card.ways}
        self.assertEqual([p.summary.point for p in ways["appointment"].places], [self.m.town_hall])
        self.assertEqual([p.summary.point for p in ways["walk_in"].places], [self.m.bus])
        self.assertContains(response, "Book an appointment")
        self.assertContains(response, "Open now until 14:00")  # the town hall, Monday 10–14
        self.assertContains(response, "Closed. Opens tomorrow at 09:00")  # the bus on Tuesday

    def test_it_falls_back_to_the_handlers_phone_when_no_phone_line_offers_it(self):
        service = ServiceFactory(by_phone=True)
        response = self.search(answer_for("x", service))
        self.assertEqual([w.kind for w in response.context["page"].card.ways], ["phone"])
        self.assertContains(response, f"Call {service.department.name}:")
        self.assertContains(response, 'href="tel:+4570102030"')

    def test_it_lists_up_to_five_alternatives_below_the_answer(self):
        others = [ServiceFactory() for _ in range(6)]
        response = self.search(answer_for("x", self.m.passport, *others))
        self.assertEqual(list(response.context["page"].alternatives), others[:5])
        self.assertContains(response, "Other services that may fit")
        self.assertContains(response, others[4].get_absolute_url())
        self.assertNotContains(response, others[5].get_absolute_url())

    def test_it_shows_the_life_events_the_answer_is_part_of(self):
        response = self.search(answer_for("flytte", self.m.moving))
        self.assertEqual(list(response.context["page"].life_events), [self.m.moving_event])
        self.assertContains(response, 'href="/en/livssituationer/flytning/"')
        self.assertNotContains(
            self.search(answer_for("pas", self.m.passport)), "When something happens in your life"
        )

    def test_it_skips_services_that_are_no_longer_published(self):
        response = self.search(answer_for("x", self.m.draft_service, self.m.passport))
        page = response.context["page"]
        self.assertFalse(page.confident)
        self.assertEqual(list(page.alternatives), [self.m.passport])

    def test_it_uses_a_fixed_number_of_queries(self):
        answer = answer_for("flytning", self.m.moving, self.m.passport)
        # Services, offerings with their points' hours (5), closing days, life events,
        # the log row (insert in a savepoint: 3), the footer's contact points.
        with mock.patch(SEARCH, return_value=answer), self.assertNumQueries(12):
            self.client.get("/vejviser/?q=flytning")
        for _ in range(3):
            point = ServicePointFactory(weekdays=[("09:00", "12:00"), ("13:00", "15:00")])
            ServiceOffering.objects.create(service_point=point, service=self.m.moving)
        more = answer_for(
            "flytning", self.m.moving, self.m.passport, *ServiceFactory.create_batch(3)
        )
        with mock.patch(SEARCH, return_value=more), self.assertNumQueries(12):
            self.client.get("/vejviser/?q=flytning")

    def test_it_is_in_danish_without_a_prefix(self):
        response = self.search(answer_for("pas", self.m.passport), path="/vejviser/?q=pas")
        self.assertContains(response, '<html lang="da">')
        self.assertContains(response, "Den hurtigste vej")

    def test_it_keeps_search_result_pages_out_of_search_engines(self):
        response = self.search(answer_for("pas", self.m.passport))
        self.assertContains(response, '<meta name="robots" content="noindex">', html=True)
        self.assertNotContains(self.client.get("/en/vejviser/"), "noindex")

    def test_it_only_allows_reading(self):
        self.assertEqual(self.client.post("/vejviser/?q=pas").status_code, 405)


class AbstentionTests(WayfinderPageTestCase):
    """When nothing fits well enough, the page says so and offers a person instead of a guess."""

    def test_it_says_it_is_not_sure_when_nothing_matches(self):
        response = self.client.get("/vejviser/?q=xyzzy+qwerty")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["page"].confident)
        self.assertContains(response, "Vi er ikke sikre på, hvad du leder efter")
        self.assertNotContains(response, "answer-heading")

    def test_it_offers_phone_and_chat_with_their_hours(self):
        response = self.client.get("/en/vejviser/?q=xyzzy")
        self.assertContains(response, "Ask a person")
        self.assertContains(response, '<a href="tel:+4570102030">70 10 20 30</a>', html=True)
        self.assertContains(response, 'href="https://fjordby.example/chat"')
        self.assertContains(response, "Open now until 15:00")  # the phone line

    def test_it_shows_weak_matches_only_as_maybe_you_mean(self):
        answer = answer_for("bolig", self.m.housing_benefit, self.m.passport, confident=False)
        with mock.patch(SEARCH, return_value=answer):
            response = self.client.get("/en/vejviser/?q=bolig")
        self.assertContains(response, "We are not sure what you are looking for")
        self.assertContains(response, "Maybe you mean")
        self.assertContains(response, 'href="/en/ydelser/boligstoette/"')
        self.assertNotContains(response, "The fastest way to get it done")

    def test_it_has_no_maybe_you_mean_without_matches(self):
        self.assertNotContains(self.client.get("/en/vejviser/?q=xyzzy"), "Maybe you mean")

    def test_it_asks_whether_it_helped_there_too(self):
        self.assertContains(self.client.get("/en/vejviser/?q=xyzzy"), "Did this help?")


class SearchInputTests(WayfinderPageTestCase):
    def test_an_empty_search_shows_the_search_page_with_examples(self):
        for path in ["/en/vejviser/", "/en/vejviser/?q=", "/en/vejviser/?q=+++"]:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "<h1>Find help</h1>", html=True)
                self.assertContains(response, "Examples")
                self.assertNotContains(response, "Did this help?")
        self.assertFalse(WayfinderQuery.objects.exists())

    def test_odd_input_never_fails(self):
        for q in ["\x00", "pas\x00\x01", "a" * 10_000, "!!! ??? ...", "'; DROP TABLE --", "ææææ"]:
            with self.subTest(q=q[:20]):
                response = self.client.get("/vejviser/", {"q": q})
                self.assertEqual(response.status_code, 200)
        self.assertTrue(
            all(len(t) <= 300 for t in WayfinderQuery.objects.values_list("text", flat=True))
        )

    def test_it_cuts_long_queries_to_the_catalogues_length(self):
        response = self.client.get("/vejviser/", {"q": "pas " * 2000})
        self.assertLessEqual(len(response.context["q"]), 200)


class SearchBoxTests(WayfinderPageTestCase):
    def test_every_page_has_a_search_box_that_goes_to_the_wayfinder(self):
        for path in [
            "/en/ydelser/",
            "/en/ydelser/pas/",
            "/en/betjeningssteder/",
            "/en/findes-ikke/",
        ]:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertContains(
                    response,
                    '<form class="search-form site-search" action="/en/vejviser/" method="get" '
                    'role="search" aria-label="Search the website">',
                    status_code=response.status_code,
                )
                self.assertContains(
                    response,
                    '<label class="sr-only" for="site-search-q">What do you need help with?</label>',
                    html=True,
                    status_code=response.status_code,
                )

    def test_the_front_page_and_the_wayfinder_have_one_search_box_each(self):
        for path, field in [("/en/", "front-q"), ("/en/vejviser/", "wayfinder-q")]:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertNotContains(response, "site-search-q")
                self.assertContains(response, f'id="{field}"')
                self.assertContains(response, 'action="/en/vejviser/"')

    def test_the_search_boxes_ask_for_suggestions_with_javascript(self):
        response = self.client.get("/ydelser/")
        self.assertContains(response, 'data-wayfinder-suggest="/vejviser/forslag/"')
        self.assertContains(response, "wayfinder/suggest.js")

    def test_the_results_page_keeps_the_query_in_its_search_box(self):
        response = self.client.get("/en/vejviser/?q=nyt+pas")
        self.assertContains(response, 'value="nyt pas"')
