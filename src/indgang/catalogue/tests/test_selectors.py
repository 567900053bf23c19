from django.test import TestCase

from indgang.catalogue.models import LifeEvent, Service
from indgang.catalogue.selectors import (
    MAX_QUERY_LENGTH,
    danish_sort_key,
    life_event_get,
    life_event_list,
    normalise_query,
    service_get,
    service_list,
    services_by_letter,
)

from .factories import LifeEventFactory, LifeEventStepFactory, ServiceFactory


class DanishOrderTests(TestCase):
    def test_it_puts_ae_oe_and_aa_after_z(self):
        words = ["Åbent", "Zoneterapi", "Ældrebolig", "Affald", "Økonomi"]
        self.assertEqual(
            sorted(words, key=danish_sort_key),
            ["Affald", "Zoneterapi", "Ældrebolig", "Økonomi", "Åbent"],
        )

    def test_it_ignores_case_and_accents_but_files_german_letters_with_danish_ones(self):
        words = ["Ørsted", "Öresund", "émigré", "Ebbe", "Ægir", "Ärlig"]
        self.assertEqual(sorted(words, key=danish_sort_key)[:2], ["Ebbe", "émigré"])
        self.assertLess(danish_sort_key("Ärlig"), danish_sort_key("Ørsted"))
        self.assertGreater(danish_sort_key("Öresund"), danish_sort_key("Ægir"))

    def test_it_groups_services_under_their_letter_in_alphabet_order(self):
        titles = ["Åbent", "Boligstøtte", "Ældrebolig", "Éngang", "3D-print"]
        services = [Service(title=t) for t in titles]
        services.sort(key=lambda s: danish_sort_key(s.title))
        groups = services_by_letter(services)
        self.assertEqual([g.letter for g in groups], ["#", "B", "E", "Æ", "Å"])
        self.assertEqual(
            [g.anchor for g in groups],
            ["bogstav-andre", "bogstav-B", "bogstav-E", "bogstav-AE", "bogstav-AA"],
        )


class NormaliseQueryTests(TestCase):
    def test_it_removes_control_characters_and_extra_space(self):
        self.assertEqual(normalise_query("  pas\x00 til\tbørn \n"), "pas til børn")

    def test_it_cuts_very_long_queries(self):
        self.assertEqual(len(normalise_query("a" * 10_000)), MAX_QUERY_LENGTH)

    def test_it_accepts_nothing(self):
        self.assertEqual(normalise_query(None), "")


class ServiceListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.passport = ServiceFactory(
            title="Pas", summary="Nyt pas til voksne og børn.", keywords="rejse, id"
        )
        cls.elderly = ServiceFactory(title="Ældrebolig", summary="Bolig til ældre.")
        cls.benefit = ServiceFactory(
            title="Boligstøtte", summary="Hjælp til huslejen.", keywords="husleje"
        )
        cls.draft = ServiceFactory(title="Pas (kladde)", draft=True)

    def test_it_lists_only_published_services_in_danish_order(self):
        self.assertEqual(service_list(), [self.benefit, self.passport, self.elderly])

    def test_it_matches_title_summary_and_keywords_ignoring_case(self):
        self.assertEqual(service_list(q="PAS"), [self.passport])
        self.assertEqual(service_list(q="huslejen"), [self.benefit])
        self.assertEqual(service_list(q="Rejse"), [self.passport])

    def test_it_folds_case_of_danish_letters_on_every_database(self):
        self.assertEqual(service_list(q="ÆLDRE"), [self.elderly])
        self.assertEqual(service_list(q="boligstøtte"), [self.benefit])

    def test_it_needs_every_word_to_match(self):
        self.assertEqual(service_list(q="pas børn"), [self.passport])
        self.assertEqual(service_list(q="pas husleje"), [])

    def test_it_treats_odd_input_as_text(self):
        self.assertEqual(service_list(q="pas\x00"), [self.passport])
        self.assertEqual(service_list(q="%_'\"; DROP TABLE"), [])
        self.assertEqual(service_list(q="🙂" * 5000), [])


class ServiceGetTests(TestCase):
    def test_it_finds_a_published_service(self):
        service = ServiceFactory(slug="pas")
        self.assertEqual(service_get(slug="pas"), service)

    def test_it_hides_drafts_unless_asked_to_include_them(self):
        draft = ServiceFactory(slug="kladde", draft=True)
        with self.assertRaises(Service.DoesNotExist):
            service_get(slug="kladde")
        self.assertEqual(service_get(slug="kladde", include_drafts=True), draft)


class LifeEventTests(TestCase):
    def test_it_lists_published_life_events_in_their_order(self):
        second = LifeEventFactory(title="Dødsfald", sort_order=2)
        first = LifeEventFactory(title="Flytning", sort_order=1)
        LifeEventFactory(title="Kladde", draft=True)
        self.assertEqual(life_event_list(), [first, second])

    def test_it_gets_the_steps_in_order_with_their_services(self):
        event = LifeEventFactory(slug="baby")
        later = LifeEventStepFactory(life_event=event, position=2)
        sooner = LifeEventStepFactory(life_event=event, position=1)
        found = life_event_get(slug="baby")
        with self.assertNumQueries(0):
            steps = list(found.steps.all())
            titles = [s.service.title for s in steps]
        self.assertEqual(steps, [sooner, later])
        self.assertEqual(titles, [sooner.service.title, later.service.title])

    def test_it_hides_draft_life_events(self):
        LifeEventFactory(slug="kladde", draft=True)
        with self.assertRaises(LifeEvent.DoesNotExist):
            life_event_get(slug="kladde")
