import io
import logging
import logging.config

from django.conf import settings
from django.test import SimpleTestCase

from indgang.lib.log_masking import PersonalDataFilter


class PersonalDataFilterTests(SimpleTestCase):
    def setUp(self):
        self.stream = io.StringIO()
        handler = logging.StreamHandler(self.stream)
        handler.addFilter(PersonalDataFilter())
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        self.logger = logging.getLogger("indgang.tests.log_masking")
        self.logger.addHandler(handler)
        self.logger.setLevel(logging.INFO)
        self.logger.propagate = False
        self.addCleanup(self.logger.removeHandler, handler)

    def test_a_cpr_number_in_the_message_is_masked(self):
        self.logger.info("Henvendelse fra 010190-1234 om pas")
        self.assertEqual(self.stream.getvalue(), "INFO Henvendelse fra [cpr-nummer] om pas\n")

    def test_personal_data_in_the_arguments_is_masked(self):
        self.logger.warning("Ukendt %s (%s), ring %d", "0101901234", "karen@example.dk", 20304050)
        self.assertEqual(
            self.stream.getvalue(), "WARNING Ukendt [cpr-nummer] ([e-mail]), ring [telefon]\n"
        )

    def test_mapping_arguments_and_ordinary_lines_pass_unchanged_otherwise(self):
        self.logger.info(
            "%(count)d henvendelser slettet, sag %(ref)s", {"count": 3, "ref": "H-7K3Q"}
        )
        self.logger.info("Sletning færdig")
        self.assertEqual(
            self.stream.getvalue(),
            "INFO 3 henvendelser slettet, sag H-7K3Q\nINFO Sletning færdig\n",
        )

    def test_a_traceback_is_masked_too(self):
        try:
            raise ValueError("bad cpr 010190-1234")
        except ValueError:
            self.logger.exception("Kunne ikke læse %s", "010190 1234")
        output = self.stream.getvalue()
        self.assertIn("ValueError: bad cpr [cpr-nummer]", output)
        self.assertNotIn("1234", output)

    def test_a_number_that_is_not_a_date_stays(self):
        self.logger.info("Ordre 9999991234 afsendt")
        self.assertEqual(self.stream.getvalue(), "INFO Ordre 9999991234 afsendt\n")


class LoggingSettingsTests(SimpleTestCase):
    def test_every_configured_handler_masks_personal_data(self):
        filters = settings.LOGGING["filters"]
        masking = [
            name
            for name, spec in filters.items()
            if spec.get("()") == PersonalDataFilter.__module__ + ".PersonalDataFilter"
        ]
        self.assertTrue(masking)
        for name, handler in settings.LOGGING["handlers"].items():
            with self.subTest(handler=name):
                self.assertTrue(set(handler.get("filters", [])) & set(masking))

    def test_the_indgang_logger_masks_through_its_configured_handler(self):
        logger = logging.getLogger("indgang.inquiries")
        handlers = [h for h in logging.getLogger("indgang").handlers if h.filters]
        self.assertTrue(handlers)
        stream = io.StringIO()
        previous = [handler.setStream(stream) for handler in handlers]
        try:
            logger.warning("Borger med CPR %s ringede", "010190-1234")
        finally:
            for handler, old in zip(handlers, previous, strict=True):
                handler.setStream(old)
        self.assertIn("Borger med CPR [cpr-nummer] ringede", stream.getvalue())
        self.assertNotIn("1234", stream.getvalue())
