from django.test import SimpleTestCase

from indgang.inquiries.references import (
    ALPHABET,
    reference_generate,
    reference_parse,
    references_in,
)


class ReferenceTests(SimpleTestCase):
    def test_it_looks_like_h_four_dash_four(self):
        reference = reference_generate()
        self.assertRegex(reference, rf"^H-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")

    def test_generated_references_are_valid_and_differ(self):
        references = {reference_generate() for _ in range(2000)}
        self.assertEqual(len(references), 2000)
        self.assertTrue(all(reference_parse(r) == r for r in references))

    def test_every_single_mistyped_character_is_caught(self):
        reference = reference_generate()
        chars = reference[2:6] + reference[7:]
        for i in range(8):
            for other in ALPHABET:
                if other == chars[i]:
                    continue
                wrong = chars[:i] + other + chars[i + 1 :]
                self.assertIsNone(reference_parse(wrong), wrong)

    def test_every_swap_of_two_characters_is_caught(self):
        for _ in range(200):
            reference = reference_generate()
            chars = reference[2:6] + reference[7:]
            for i in range(8):
                for j in range(i + 1, 8):
                    if chars[i] != chars[j]:
                        swapped = list(chars)
                        swapped[i], swapped[j] = swapped[j], swapped[i]
                        self.assertIsNone(reference_parse("".join(swapped)), swapped)

    def test_it_reads_forgiving_input(self):
        reference = reference_generate()
        sloppy = " " + reference.lower().replace("-", " ").replace("0", "o") + " "
        self.assertEqual(reference_parse(sloppy), reference)
        self.assertEqual(reference_parse(reference[2:6] + reference[7:]), reference)

    def test_it_rejects_garbage(self):
        for text in ("", "H-", "H-1234-567", "hello world", "H-UUUU-UUUU", "x" * 1000):
            self.assertIsNone(reference_parse(text), text)

    def test_it_finds_references_in_a_subject(self):
        reference = reference_generate()
        self.assertEqual(references_in(f"SV: Vedr. {reference.lower()} – pas"), [reference])
        self.assertEqual(references_in("H-0000-0001 has a wrong check character"), [])
