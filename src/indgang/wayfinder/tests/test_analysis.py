from unittest import skipUnless

from django.db import connection
from django.test import SimpleTestCase, TestCase

from indgang.wayfinder.analysis import (
    DANISH_STOPWORDS,
    content_words,
    fold,
    normalise,
    stem,
    words,
)

# Words from the catalogue and from citizens' queries, with the endings Snowball must handle.
STEM_SAMPLES = [
    "pas",
    "passet",
    "pensionen",
    "pensionister",
    "boligstøtte",
    "boligstøtten",
    "kørekortet",
    "flytning",
    "flytter",
    "flyttede",
    "begravelseshjælp",
    "begravelsen",
    "hjemmehjælpen",
    "sygedagpengene",
    "børnene",
    "ældreboliger",
    "skraldespanden",
    "genbrugsstationen",
    "indfødsret",
    "sundhedskortet",
    "lægen",
    "tandlæge",
    "vielsen",
    "skilsmissen",
    "kontanthjælp",
    "ansøgningerne",
    "betalinger",
    "udbetaling",
    "førtidspensionist",
    "grundlovsceremonien",
]


class NormaliseTests(SimpleTestCase):
    def test_it_folds_case_and_keeps_danish_letters(self):
        self.assertEqual(normalise("ÆbleGRØD på Å"), "æblegrød på å")

    def test_it_removes_accents_that_are_not_danish(self):
        self.assertEqual(normalise("Café Überfahrt"), "cafe uberfahrt")

    def test_it_splits_on_hyphens_and_punctuation(self):
        self.assertEqual(words("CPR-nummer, NemKonto!"), ["cpr", "nummer", "nemkonto"])

    def test_it_keeps_numbers_as_words(self):
        self.assertEqual(words("pas til barn på 12 år"), ["pas", "til", "barn", "på", "12", "år"])

    def test_ligatures_and_full_width_letters_become_plain(self):
        self.assertEqual(words("ﬁskekort ＰＡＳ"), ["fiskekort", "pas"])


class StopwordTests(SimpleTestCase):
    def test_it_drops_danish_stopwords_and_question_fillers(self):
        self.assertEqual(content_words("Hvordan kan jeg forny mit pas?"), ["forny", "pas"])

    def test_it_drops_english_fillers(self):
        self.assertEqual(content_words("How do I get a new passport"), ["new", "passport"])

    def test_the_danish_list_is_postgresqls(self):
        self.assertEqual(len(DANISH_STOPWORDS), 94)
        self.assertIn("sådan", DANISH_STOPWORDS)


class StemTests(SimpleTestCase):
    def test_inflections_meet_in_one_stem(self):
        self.assertEqual(stem("pensionen"), stem("pension"))
        self.assertEqual(stem("boligstøtten"), stem("boligstøtte"))
        self.assertEqual(stem("kørekortet"), stem("kørekort"))

    def test_fold_equates_typed_substitutes_for_danish_letters(self):
        self.assertEqual(fold("kørekort"), fold("koerekort"))
        self.assertEqual(fold("ældrebolig"), fold("aeldrebolig"))
        self.assertEqual(fold("genbrugsstationen på åen"), "genbrugsstationen paa aaen")


@skipUnless(connection.vendor == "postgresql", "needs PostgreSQL's danish text search")
class PostgresStemParityTests(TestCase):
    def test_stems_equal_postgresqls_danish_stemmer(self):
        with connection.cursor() as cursor:
            for word in STEM_SAMPLES:
                cursor.execute("SELECT ts_lexize('danish_stem', %s)", [word])
                (lexemes,) = cursor.fetchone()
                with self.subTest(word=word):
                    self.assertEqual(lexemes, [stem(word)])

    def test_a_sentence_gives_the_lexemes_of_to_tsvector(self):
        sentence = "Min mor skal have hjemmehjælp, og vi søger om boligstøtte til ældreboligen"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT array_agg(lexeme ORDER BY lexeme) FROM unnest(to_tsvector('danish', %s))",
                [sentence],
            )
            (lexemes,) = cursor.fetchone()
        ours = sorted({stem(w) for w in words(sentence) if w not in DANISH_STOPWORDS})
        self.assertEqual(lexemes, ours)
