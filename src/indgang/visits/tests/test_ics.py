import datetime as dt

from django.test import TestCase

from indgang.visits.booking import appointment_book
from indgang.visits.ics import appointment_ics, ics_escape, ics_fold

from .booking_setup import bookable, local


class IcsTests(TestCase):
    def setUp(self):
        service, point = bookable(what_to_bring="Dit gamle pas; et foto\nSygesikringskort")
        point.name = "Borgerservice, Rådhuset"
        point.save()
        self.appointment = appointment_book(
            service=service,
            service_point=point,
            start=local(2026, 3, 30, 9),
            capacity=1,
            name="Karen",
            email="karen@example.dk",
        )

    def ics(self):
        return appointment_ics(
            appointment=self.appointment,
            manage_url="https://borgerservice.example.dk/tidsbestilling/min/" + "x" * 43 + "/",
            now=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        )

    def unfolded(self):
        return self.ics().replace("\r\n ", "").split("\r\n")

    def test_it_is_a_calendar_with_crlf_and_utc_times(self):
        text = self.ics()
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        self.assertTrue(text.endswith("END:VCALENDAR\r\n"))
        self.assertNotIn("\n", text.replace("\r\n", ""))
        lines = self.unfolded()
        self.assertIn("DTSTART:20260330T070000Z", lines)  # 09:00 summer time
        self.assertIn("DTEND:20260330T073000Z", lines)
        self.assertIn(f"UID:{self.appointment.reference}@127.0.0.1", lines)
        self.assertIn("DTSTAMP:20260301T000000Z", lines)

    def test_location_and_description_are_escaped(self):
        lines = self.unfolded()
        location = next(line for line in lines if line.startswith("LOCATION:"))
        self.assertTrue(location.startswith("LOCATION:Borgerservice\\, Rådhuset\\, Torvet 1"))
        description = next(line for line in lines if line.startswith("DESCRIPTION:"))
        self.assertIn(self.appointment.reference, description)
        self.assertIn("Dit gamle pas\\; et foto", description)
        self.assertIn("\\n", description)

    def test_lines_are_folded_at_75_octets(self):
        for line in self.ics().split("\r\n"):
            self.assertLessEqual(len(line.encode("utf-8")), 75, line)

    def test_folding_never_splits_a_character(self):
        folded = ics_fold("DESCRIPTION:" + "æøå" * 40)
        for part in folded.split("\r\n"):
            part.encode("utf-8").decode("utf-8")
            self.assertLessEqual(len(part.encode("utf-8")), 75)
        self.assertEqual(folded.replace("\r\n ", ""), "DESCRIPTION:" + "æøå" * 40)

    def test_escape(self):
        self.assertEqual(ics_escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne")
