from django.test import SimpleTestCase

from indgang.wayfinder.index import ServiceDoc, WayfinderIndex
from indgang.wayfinder.lexicon import LexiconEntry


def doc(n: int, slug: str, title: str, **fields) -> ServiceDoc:
    return ServiceDoc(service_id=n, slug=slug, title=title, kle=f"00.00.{n:02d}", **fields)


DOCS = [
    doc(
        1,
        "pas",
        "Pas",
        keywords=("nyt pas", "forny pas", "pasfoto"),
        summary="Du søger om pas hos Borgerservice og møder op personligt.",
    ),
    doc(
        2,
        "koerekort",
        "Kørekort",
        keywords=("forny kørekort", "mistet kørekort"),
        summary="Du fornyer dit kørekort hos Borgerservice.",
    ),
    doc(
        3,
        "boligstoette",
        "Boligstøtte",
        keywords=("huslejetilskud",),
        summary="Tilskud til husleje, når indkomsten er lav. Udbetaling Danmark behandler den.",
    ),
    doc(
        4,
        "begravelseshjaelp",
        "Begravelseshjælp",
        keywords=("dødsfald",),
        summary="Hjælp til udgifter til en begravelse eller bisættelse.",
    ),
    doc(
        5,
        "ejendomsskat",
        "Ejendomsskat (grundskyld)",
        keywords=("grundskyld",),
        summary="Skat på grunden, som kommunen opkræver to gange om året.",
    ),
    doc(
        6,
        "dagrenovation",
        "Skraldeafhentning fra husstande",
        keywords=("skraldespand", "affaldsordning"),
        summary="Vi henter dit affald hver anden uge.",
    ),
    doc(
        7,
        "genbrugsstation",
        "Genbrugsstation",
        keywords=("storskrald selv",),
        summary="Aflever affald på genbrugsstationen.",
        body="Der er åbent alle dage. Husk at sortere dit affald.",
    ),
]
LEXICON = [
    LexiconEntry("passport", "pas"),
    LexiconEntry("driving licence", "kørekort"),
    LexiconEntry("skraldemand", "skraldespand"),
    LexiconEntry("funeral", "Begravelseshjælp"),
]
# Words KLE knows though no service above uses them alone.
DICTIONARY = ["Støtte til bolig", "Hunde og katte"]


class SearchTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.index = WayfinderIndex(DOCS, LEXICON, DICTIONARY)

    def best(self, query: str) -> str | None:
        answer = self.index.search(query)
        return answer.best.slug if answer.best else None

    def test_it_finds_a_service_by_its_title_in_a_sentence(self):
        answer = self.index.search("Jeg skal have fornyet mit pas")
        self.assertEqual(answer.best.slug, "pas")
        self.assertTrue(answer.confident)

    def test_the_best_match_comes_first_and_alternatives_follow(self):
        answer = self.index.search("forny kørekort")
        self.assertEqual(answer.best.slug, "koerekort")
        self.assertEqual([m.slug for m in answer.matches][:1], ["koerekort"])
        self.assertGreater(answer.matches[0].score, answer.matches[-1].score)

    def test_it_matches_a_compound_written_as_separate_words(self):
        self.assertEqual(self.best("støtte til min bolig"), "boligstoette")

    def test_it_matches_words_written_together_with_a_linking_s(self):
        self.assertEqual(self.best("begravelseshjælpen"), "begravelseshjaelp")

    def test_it_tolerates_misspellings_and_ascii_spellings(self):
        self.assertEqual(self.best("kørekrot"), "koerekort")
        self.assertEqual(self.best("koerekort"), "koerekort")
        self.assertEqual(self.best("boligstötte"), "boligstoette")
        self.assertEqual(self.best("skraldespanen"), "dagrenovation")

    def test_english_words_reach_services_through_the_lexicon(self):
        self.assertEqual(self.best("how do I renew my passport"), "pas")
        self.assertEqual(self.best("driving licence"), "koerekort")

    def test_everyday_words_reach_services_through_the_lexicon(self):
        self.assertEqual(self.best("skraldemanden kom ikke"), "dagrenovation")

    def test_words_only_in_the_body_still_find_the_service(self):
        self.assertEqual(self.best("sortere"), "genbrugsstation")

    def test_it_abstains_when_nothing_fits(self):
        answer = self.index.search("vejret i morgen")
        self.assertFalse(answer.confident)

    def test_it_abstains_when_only_part_of_a_compound_fits(self):
        # "hundeskat" shares "skat" with the property tax but is about dogs.
        answer = self.index.search("hundeskat")
        self.assertFalse(answer.confident)

    def test_it_abstains_on_empty_and_stopword_only_queries(self):
        for query in ("", "   ", "hvordan kan jeg", "!!!"):
            with self.subTest(query=query):
                answer = self.index.search(query)
                self.assertFalse(answer.confident)
                self.assertEqual(answer.matches, ())

    def test_limit_bounds_the_matches(self):
        self.assertLessEqual(len(self.index.search("affald skrald pas", limit=2).matches), 2)

    def test_matches_carry_slug_title_kle_and_score(self):
        best = self.index.search("pas").best
        self.assertEqual(
            (best.slug, best.title, best.kle, best.service_id), ("pas", "Pas", "00.00.01", 1)
        )
        self.assertGreater(best.score, 0)


class SuggestTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.index = WayfinderIndex(DOCS, LEXICON, DICTIONARY)

    def test_it_completes_titles_first(self):
        suggestions = self.index.suggest("gen")
        self.assertEqual([s.slug for s in suggestions], ["genbrugsstation"])

    def test_it_completes_from_keywords_with_the_service_title(self):
        (suggestion,) = self.index.suggest("huslej")
        self.assertEqual((suggestion.text, suggestion.slug), ("Boligstøtte", "boligstoette"))

    def test_it_completes_any_word_of_a_title(self):
        self.assertEqual([s.slug for s in self.index.suggest("grundsk")], ["ejendomsskat"])

    def test_it_needs_two_letters(self):
        self.assertEqual(self.index.suggest("p"), [])
