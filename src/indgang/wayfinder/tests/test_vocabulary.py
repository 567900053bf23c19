from django.test import SimpleTestCase

from indgang.wayfinder.analysis import stem
from indgang.wayfinder.vocabulary import Vocabulary, damerau_levenshtein

WORDS = [
    "affald",
    "ordning",
    "begravelse",
    "hjælp",
    "bolig",
    "støtte",
    "børn",
    "have",
    "kørekort",
    "pas",
    "skraldespand",
    "ældre",
    "pension",
    "folkepension",
    "syge",
    "dagpenge",
]


def vocabulary() -> Vocabulary:
    return Vocabulary({word: 1 for word in WORDS})


class SplitTests(SimpleTestCase):
    def test_it_splits_a_plain_compound(self):
        self.assertEqual(vocabulary().split("boligstøtte"), ("bolig", "støtte"))

    def test_it_drops_a_linking_s(self):
        self.assertEqual(vocabulary().split("affaldsordning"), ("affald", "ordning"))
        self.assertEqual(vocabulary().split("begravelseshjælp"), ("begravelse", "hjælp"))

    def test_it_drops_a_linking_e(self):
        self.assertEqual(vocabulary().split("børnehave"), ("børn", "have"))

    def test_it_splits_into_three_parts(self):
        self.assertEqual(vocabulary().split("sygedagpengeordning"), ("syge", "dagpenge", "ordning"))

    def test_it_leaves_words_it_cannot_split(self):
        self.assertIsNone(vocabulary().split("hundeskat"))
        self.assertIsNone(vocabulary().split("pasta"))


class CorrectTests(SimpleTestCase):
    def test_it_corrects_a_swapped_pair(self):
        self.assertEqual(vocabulary().correct("kørekrot"), "kørekort")

    def test_it_corrects_two_edits_in_a_long_word(self):
        self.assertEqual(vocabulary().correct("skraldespnd"), "skraldespand")
        self.assertEqual(vocabulary().correct("skraldespanen"), "skraldespand")

    def test_it_corrects_across_typed_danish_letters(self):
        self.assertEqual(vocabulary().correct("aeldr"), "ældre")

    def test_short_words_are_never_corrected(self):
        self.assertIsNone(vocabulary().correct("pax"))

    def test_distance_counts_a_transposition_as_one_edit(self):
        self.assertEqual(damerau_levenshtein("kørekrot", "kørekort", 2), 1)
        self.assertEqual(damerau_levenshtein("abc", "xyz", 1), 2)


class OptionsTests(SimpleTestCase):
    def test_a_known_word_is_read_as_itself_and_lends_weight_to_its_parts(self):
        options = vocabulary().options("folkepensionen")
        self.assertEqual(options[0].how, "exact")
        self.assertEqual(options[0].stems, (stem("folkepensionen"),))

    def test_an_ascii_spelling_reads_as_the_danish_word(self):
        (option,) = vocabulary().options("koerekort")
        self.assertEqual((option.how, option.stems), ("folded", (stem("kørekort"),)))

    def test_an_unknown_compound_reads_as_its_parts(self):
        (option,) = vocabulary().options("affaldsordningen")
        self.assertEqual(option.how, "split")

    def test_a_misspelling_reads_as_the_known_word_with_less_weight(self):
        option = vocabulary().options("begravelsse")[0]
        self.assertEqual(option.how, "corrected")
        self.assertLess(option.weight, 1)

    def test_an_unknown_word_has_no_reading(self):
        self.assertEqual(vocabulary().options("xylofon"), [])
