"""`indgang insight import-self-service` and `import-calls`: formats, bad rows, re-imports."""

import datetime as dt
import tempfile
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from indgang.catalogue.tests.factories import KleEntryFactory, ServiceFactory
from indgang.insight.imports import import_calls, import_self_service
from indgang.insight.models import Contact, ContactChannel, ContactOutcome, ContactSource
from indgang.places.models import ServicePointKind
from indgang.places.tests.factories import ServicePointFactory

CPH = ZoneInfo("Europe/Copenhagen")


class ImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.passport = ServiceFactory(slug="pas", kle=KleEntryFactory(number="23.09.02"))
        cls.moving = ServiceFactory(slug="flytning", kle=KleEntryFactory(number="23.05.10"))
        # Two services share this KLE number; a third number is a KLE topic with no service.
        shared = KleEntryFactory(number="32.24.04")
        ServiceFactory(slug="kontanthjaelp", kle=shared)
        ServiceFactory(slug="uddannelseshjaelp", kle=shared)
        KleEntryFactory(number="23.15.10")
        cls.phone_line = ServicePointFactory(slug="telefon", kind=ServicePointKind.PHONE)

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def file(self, text: str, *, encoding="utf-8", name="import.csv") -> Path:
        path = Path(self.tmp.name) / name
        path.write_bytes(text.encode(encoding))
        return path

    def command(self, *args) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("insight", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def command_fails(self, *args) -> tuple[str, str]:
        err = StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("insight", *args, stdout=StringIO(), stderr=err)
        return str(caught.exception), err.getvalue()


class SelfServiceImportTests(ImportTestCase):
    def test_it_imports_one_contact_per_date_and_service_with_the_count(self):
        path = self.file("date,service,count\n2026-03-02,pas,41\n2026-03-02,23.05.10,7\n")
        out, _err = self.command("import-self-service", str(path))
        self.assertIn("Read 2 rows: imported 2,", out)
        pas = Contact.objects.get(service=self.passport)
        self.assertEqual(pas.channel, ContactChannel.SELF_SERVICE)
        self.assertEqual(pas.outcome, ContactOutcome.COMPLETED)
        self.assertEqual(pas.source, ContactSource.SELF_SERVICE_IMPORT)
        self.assertEqual(pas.count, 41)
        self.assertEqual(pas.kle_number, "23.09.02")
        self.assertEqual(pas.arrived_at, dt.datetime(2026, 3, 2, tzinfo=CPH))
        moving = Contact.objects.get(kle_number="23.05.10")
        self.assertEqual((moving.service, moving.count), (self.moving, 7))

    def test_it_reads_excel_files_with_bom_semicolons_danish_dates_and_headers(self):
        text = "Dato;Ydelse;Antal\r\n02-03-2026;pas;1.234\r\n\r\n03.03.2026;flytning;5\r\n"
        path = self.file(text, encoding="utf-8-sig")
        result = import_self_service(path=path)
        self.assertTrue(result.committed)
        self.assertEqual((result.read, result.imported, result.bad), (2, 2, 0))
        counts = dict(Contact.objects.values_list("service__slug", "count"))
        self.assertEqual(counts, {"pas": 1234, "flytning": 5})

    def test_it_reads_windows_1252_files(self):
        path = self.file("dato;ydelse;gennemførte\n02-03-2026;pas;3\n", encoding="cp1252")
        result = import_self_service(path=path)
        self.assertEqual(result.imported, 1)
        self.assertEqual(Contact.objects.get().count, 3)

    def test_a_kle_number_shared_or_without_a_service_is_counted_on_the_number(self):
        path = self.file("date;service;count\n2026-03-02;32.24.04;4\n2026-03-02;23.15.10;2\n")
        import_self_service(path=path)
        rows = set(Contact.objects.values_list("kle_number", "service", "count"))
        self.assertEqual(rows, {("32.24.04", None, 4), ("23.15.10", None, 2)})

    def test_importing_again_does_not_double_count_and_a_correction_replaces_the_count(self):
        path = self.file("date;service;count\n2026-03-02;pas;41\n2026-03-03;pas;0\n")
        import_self_service(path=path)
        result = import_self_service(path=path)
        self.assertEqual((result.imported, result.already, result.empty), (0, 1, 1))
        self.assertEqual(Contact.objects.get().count, 41)
        corrected = self.file("date;service;count\n2026-03-02;pas;45\n", name="corrected.csv")
        import_self_service(path=corrected)
        self.assertEqual(Contact.objects.get().count, 45)

    def test_each_kind_of_bad_row_is_reported_with_its_line_and_nothing_is_imported(self):
        text = (
            "date;service;count\n"  # line 1
            "2026-03-02;pas;41\n"  # 2: good
            "2026-02-30;pas;1\n"  # 3: no such date
            "\n"  # 4: blank, skipped
            "02/03/26;pas;1\n"  # 5: two-digit year
            "2026-03-04;passport;1\n"  # 6: unknown slug
            "2026-03-04;99.99.99;1\n"  # 7: unknown KLE number
            "2026-03-05;pas;-3\n"  # 8: negative count
            "2026-03-05;flytning;mange\n"  # 9: not a number
            "2026-03-02;pas;2\n"  # 10: same date and service as line 2
            "2099-01-01;pas;1\n"  # 11: in the future
            "2026-03-06;;1\n"  # 12: no service
        )
        result = import_self_service(path=self.file(text), today=dt.date(2026, 12, 1))
        self.assertFalse(result.committed)
        self.assertEqual(result.read, 10)
        reasons = {e.line: e.reason for e in result.errors}
        self.assertEqual(sorted(reasons), [3, 5, 6, 7, 8, 9, 10, 11, 12])
        self.assertIn("'2026-02-30' is not a date", reasons[3])
        self.assertIn("'02/03/26' is not a date", reasons[5])
        self.assertIn("'passport'", reasons[6])
        self.assertIn("99.99.99 is not a KLE number", reasons[7])
        self.assertIn("'-3' is not a whole number", reasons[8])
        self.assertIn("'mange' is not a whole number", reasons[9])
        self.assertIn("already on line 2", reasons[10])
        self.assertIn("in the future", reasons[11])
        self.assertIn("the service is empty", reasons[12])
        self.assertFalse(Contact.objects.exists())

    def test_the_command_prints_the_bad_rows_and_refuses_to_import(self):
        path = self.file("date;service;count\n2026-03-02;pas;41\n2026-03-03;pas;x\n")
        message, err = self.command_fails("import-self-service", str(path))
        self.assertIn("1 of 2 rows are bad, so nothing was imported", message)
        self.assertIn("line 3: the count 'x' is not a whole number", err)
        self.assertFalse(Contact.objects.exists())

    def test_skip_bad_rows_imports_the_good_ones_and_reports_the_bad(self):
        path = self.file("date;service;count\n2026-03-02;pas;41\n2026-03-03;pas;x\n")
        out, err = self.command("import-self-service", str(path), "--skip-bad-rows")
        self.assertIn("Read 2 rows: imported 1,", out)
        self.assertIn("skipped 1 bad", out)
        self.assertIn("line 3:", err)
        self.assertEqual(Contact.objects.get().count, 41)

    def test_a_file_without_a_required_column_is_refused_as_a_whole(self):
        path = self.file("date;service\n2026-03-02;pas\n")
        message, _err = self.command_fails("import-self-service", str(path))
        self.assertIn("lacks the column(s) count", message)
        message, _err = self.command_fails("import-self-service", str(self.file("")))
        self.assertIn("empty", message)
        message, _err = self.command_fails("import-self-service", "/nonexistent/file.csv")
        self.assertIn("no such file", message)


CALLS = (
    "arrival;answered;end;abandoned;queue\n"
    "2026-03-02 09:00:00;2026-03-02 09:00:45;2026-03-02 09:04:45;nej;Borgerservice\n"
    "02-03-2026 09:01:00;;02-03-2026 09:03:30;ja;Borgerservice\n"
)


class CallImportTests(ImportTestCase):
    def test_it_imports_answered_and_abandoned_calls_with_their_times(self):
        out, _err = self.command("import-calls", str(self.file(CALLS)))
        self.assertIn("Read 2 rows: imported 2,", out)
        served = Contact.objects.get(outcome=ContactOutcome.SERVED)
        self.assertEqual(served.channel, ContactChannel.PHONE)
        self.assertEqual(served.source, ContactSource.PHONE_IMPORT)
        self.assertEqual(served.arrived_at, dt.datetime(2026, 3, 2, 9, 0, tzinfo=CPH))
        self.assertEqual(served.started_at, dt.datetime(2026, 3, 2, 9, 0, 45, tzinfo=CPH))
        self.assertEqual((served.wait_seconds, served.handle_seconds), (45, 240))
        self.assertEqual(served.queue_code, "Borgerservice")
        self.assertEqual(served.service_point, self.phone_line)
        abandoned = Contact.objects.get(outcome=ContactOutcome.ABANDONED)
        self.assertEqual((abandoned.wait_seconds, abandoned.handle_seconds), (150, None))
        self.assertIsNone(abandoned.started_at)

    def test_chats_are_imported_as_chat_with_a_service(self):
        text = (
            "ankomst,besvaret,slut,opgivet,ydelse\n"
            "2026-03-02T09:00:00+00:00,2026-03-02T09:02:00+00:00,2026-03-02T09:10:00Z,0,pas\n"
        )
        self.command("import-calls", str(self.file(text)), "--channel", "chat")
        chat = Contact.objects.get()
        self.assertEqual(chat.channel, ContactChannel.CHAT)
        self.assertEqual(chat.service, self.passport)
        self.assertEqual(chat.arrived_at, dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
        self.assertEqual((chat.wait_seconds, chat.handle_seconds), (120, 480))

    def test_importing_again_or_an_overlapping_file_adds_only_new_calls(self):
        import_calls(path=self.file(CALLS))
        result = import_calls(path=self.file(CALLS))
        self.assertEqual((result.read, result.imported, result.already), (2, 0, 2))
        overlapping = CALLS + "2026-03-02 09:05:00;;2026-03-02 09:05:20;1;Borgerservice\n"
        result = import_calls(path=self.file(overlapping, name="next.csv"))
        self.assertEqual((result.imported, result.already), (1, 2))
        self.assertEqual(Contact.objects.count(), 3)

    def test_two_identical_rows_are_two_calls_also_when_imported_again(self):
        row = "2026-03-02 09:05:00;;2026-03-02 09:05:20;1;Borgerservice\n"
        path = self.file("arrival;answered;end;abandoned;queue\n" + row + row)
        import_calls(path=path)
        import_calls(path=path)
        self.assertEqual(Contact.objects.count(), 2)

    def test_each_kind_of_bad_call_is_reported_with_its_line(self):
        now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
        text = (
            "arrival;answered;end;abandoned\n"  # 1
            "2026-03-02 09:00;2026-03-02 09:01;2026-03-02 09:05;nej\n"  # 2: good
            "2026-03-02 25:00;2026-03-02 09:01;2026-03-02 09:05;nej\n"  # 3: no such hour
            "2026-03-02;2026-03-02 09:01;2026-03-02 09:05;nej\n"  # 4: no time of day
            "2026-03-02 09:00;2026-03-02 09:01;2026-03-02 08:55;nej\n"  # 5: ends before it came
            "2026-03-02 09:00;2026-03-02 09:01;2026-03-02 09:05;måske\n"  # 6: abandoned?
            "2026-03-02 09:00;2026-03-02 09:01;2026-03-02 09:05;ja\n"  # 7: abandoned, answered
            "2026-03-02 09:00;;2026-03-02 09:05;nej\n"  # 8: answered, no answer time
            "2026-03-02 09:00;2026-03-02 09:06;2026-03-02 09:05;nej\n"  # 9: answered after end
            "2026-03-02 09:00;;2026-03-04 09:05;ja\n"  # 10: two days long
            "2027-03-02 09:00;;2027-03-02 09:05;ja\n"  # 11: in the future
            ";;;\n"  # 12: blank, skipped
            "2026-03-02 09:00;;;ja\n"  # 13: no end
        )
        result = import_calls(path=self.file(text), now=now)
        self.assertFalse(result.committed)
        reasons = {e.line: e.reason for e in result.errors}
        self.assertEqual(sorted(reasons), [3, 4, 5, 6, 7, 8, 9, 10, 11, 13])
        self.assertIn("arrival: '2026-03-02 25:00' has an impossible time", reasons[3])
        self.assertIn("arrival: '2026-03-02' is not a date and time", reasons[4])
        self.assertIn("the end is before the arrival", reasons[5])
        self.assertIn("abandoned must be ja/nej", reasons[6])
        self.assertIn("an abandoned call has no answer time", reasons[7])
        self.assertIn("an answered call needs its answer time", reasons[8])
        self.assertIn("answered must lie between arrival and end", reasons[9])
        self.assertIn("more than 24 hours", reasons[10])
        self.assertIn("the arrival is in the future", reasons[11])
        self.assertIn("end: empty", reasons[13])
        self.assertEqual(result.read, 11)
        self.assertFalse(Contact.objects.exists())

    def test_the_command_shows_the_first_twenty_bad_rows_and_how_many_more(self):
        bad = "2026-03-02 09:00;;2026-03-02 09:05;kanske\n"
        path = self.file("arrival;answered;end;abandoned\n" + bad * 25)
        message, err = self.command_fails("import-calls", str(path))
        self.assertIn("25 of 25 rows are bad", message)
        lines = [line for line in err.splitlines() if line.startswith("line ")]
        self.assertEqual(lines[0].split(":")[0], "line 2")
        self.assertEqual(lines[-1].split(":")[0], "line 21")
        self.assertEqual(len(lines), 20)
        self.assertIn("and 5 more bad rows", err)

    def test_skip_bad_rows_imports_the_good_calls(self):
        text = CALLS + "2026-03-02 09:00;;2026-03-02 08:00;ja;Borgerservice\n"
        out, err = self.command("import-calls", str(self.file(text)), "--skip-bad-rows")
        self.assertIn("imported 2,", out)
        self.assertIn("skipped 1 bad", out)
        self.assertIn("line 4: the end is before the arrival", err)
        self.assertNotIn("Reading", err)  # no progress bar for a small file
        self.assertEqual(Contact.objects.count(), 2)

    def test_a_big_file_shows_its_progress_on_stderr_unless_quiet(self):
        start = dt.datetime(2026, 3, 2, 9, 0)
        rows = [
            f"{start + dt.timedelta(minutes=i):%Y-%m-%d %H:%M};;"
            f"{start + dt.timedelta(minutes=i, seconds=30):%Y-%m-%d %H:%M:%S};ja"
            for i in range(200)
        ]
        path = self.file("arrival;answered;end;abandoned\n" + "\n".join(rows) + "\n")
        out, err = self.command("import-calls", str(path))
        self.assertIn("Read 200 rows: imported 200,", out)
        out = StringIO()
        steps = [line for line in err.splitlines() if line.startswith("Reading")]
        self.assertEqual(len(steps), 10)  # a line for every 10 % when not on a terminal
        self.assertEqual(steps[-1], "Reading 100% (200/200)")
        Contact.objects.all().delete()
        quiet = StringIO()
        call_command("insight", "import-calls", str(path), verbosity=0, stdout=out, stderr=quiet)
        self.assertEqual(quiet.getvalue(), "")
        self.assertEqual(Contact.objects.count(), 200)
