from django.test import SimpleTestCase

from indgang.lib.masking import CPR_MASK, EMAIL_MASK, PHONE_MASK, mask_personal_data


class MaskCprNumberTests(SimpleTestCase):
    def test_it_masks_a_cpr_number_with_a_dash(self):
        self.assertEqual(mask_personal_data("mit cpr er 211062-5629"), f"mit cpr er {CPR_MASK}")

    def test_it_masks_a_cpr_number_without_a_separator_or_with_a_space(self):
        self.assertEqual(mask_personal_data("2110625629"), CPR_MASK)
        self.assertEqual(mask_personal_data("211062 5629 pas"), f"{CPR_MASK} pas")

    def test_it_masks_numbers_from_after_2007_that_fail_modulus_11(self):
        # 1 January 1990 with a sequence number whose weighted sum is not divisible by 11.
        self.assertEqual(mask_personal_data("010190-1235"), CPR_MASK)

    def test_it_masks_a_leap_day_only_in_a_leap_year(self):
        self.assertEqual(mask_personal_data("290296-1234"), CPR_MASK)  # 1996
        self.assertEqual(mask_personal_data("290297-1234"), "290297-1234")

    def test_it_leaves_ten_digits_that_do_not_start_with_a_date(self):
        for text in ["320190-1234", "011390-1234", "000190-1234", "9999991234"]:
            with self.subTest(text=text):
                self.assertEqual(mask_personal_data(text), text)

    def test_it_leaves_digits_inside_words_and_longer_runs(self):
        for text in [
            "ordre0101901234",
            "0101901234x",
            "DK5000400440116243",  # an IBAN
            "010190123456",  # twelve digits
            "journal 20240101901234",
        ]:
            with self.subTest(text=text):
                self.assertEqual(mask_personal_data(text), text)

    def test_it_masks_several_numbers_and_keeps_the_words_around_them(self):
        self.assertEqual(
            mask_personal_data("pas til 010190-1234 og 020295-4321."),
            f"pas til {CPR_MASK} og {CPR_MASK}.",
        )


class MaskEmailTests(SimpleTestCase):
    def test_it_masks_email_addresses(self):
        self.assertEqual(
            mask_personal_data("skriv til jens.hansen+pas@mail.example.dk tak"),
            f"skriv til {EMAIL_MASK} tak",
        )

    def test_it_masks_addresses_with_danish_letters_and_digits(self):
        self.assertEqual(mask_personal_data("søren.ø1962@fjordby.dk"), EMAIL_MASK)

    def test_it_leaves_an_at_sign_that_is_no_address(self):
        for text in ["møde @ rådhuset", "a@b", "@fjordby"]:
            with self.subTest(text=text):
                self.assertEqual(mask_personal_data(text), text)


class MaskPhoneTests(SimpleTestCase):
    def test_it_masks_danish_phone_numbers_in_the_usual_ways(self):
        for text in [
            "12345678",
            "12 34 56 78",
            "1234 5678",
            "+45 12 34 56 78",
            "+4512345678",
            "0045 1234 5678",
            "004512345678",
        ]:
            with self.subTest(text=text):
                self.assertEqual(mask_personal_data(f"ring {text}."), f"ring {PHONE_MASK}.")

    def test_it_leaves_shorter_and_longer_numbers(self):
        for text in ["1234567", "123456789", "12 34 56", "1234 56789", "+45 1234567", "år 2024"]:
            with self.subTest(text=text):
                self.assertEqual(mask_personal_data(text), text)

    def test_it_leaves_digits_inside_words(self):
        self.assertEqual(mask_personal_data("sag12345678"), "sag12345678")


class MaskEverythingTests(SimpleTestCase):
    def test_it_masks_all_kinds_in_one_text(self):
        self.assertEqual(
            mask_personal_data("Jeg hedder Ib, 0101901234, ib@example.dk, tlf 20 30 40 50"),
            f"Jeg hedder Ib, {CPR_MASK}, {EMAIL_MASK}, tlf {PHONE_MASK}",
        )

    def test_an_email_with_a_phone_number_in_it_is_one_address(self):
        self.assertEqual(mask_personal_data("ib12345678@example.dk"), EMAIL_MASK)

    def test_it_keeps_ordinary_text_and_empty_text(self):
        self.assertEqual(mask_personal_data(""), "")
        self.assertEqual(mask_personal_data("nyt pas"), "nyt pas")
