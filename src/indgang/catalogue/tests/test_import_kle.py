import importlib
import io
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from indgang.catalogue.models import KleEntry
from indgang.lib.progress import Progress, progress

from .test_kle_service import KleFilesMixin

command_module = importlib.import_module("indgang.catalogue.management.commands.import-kle")


class ImportKleCommandTests(KleFilesMixin, TestCase):
    def run_command(self, *args: str) -> tuple[str, str]:
        stdout, stderr = io.StringIO(), io.StringIO()
        with translation.override("en"):
            call_command("import-kle", *args, stdout=stdout, stderr=stderr)
        return stdout.getvalue(), stderr.getvalue()

    def test_it_prints_a_summary_per_file_and_the_totals(self):
        stdout, _ = self.run_command(str(self.kle_2025), str(self.kle_2015))

        lines = stdout.splitlines()
        self.assertEqual(lines[0].split(), ["File", "Published", "Entries", "Superseded"])
        # Oldest publication first, as they were applied.
        self.assertEqual(lines[1].split(), ["KLE-2015.xml", "2015-08-01", "10", "4"])
        self.assertEqual(lines[2].split(), ["KLE-2025.xml", "2025-05-01", "5", "0"])
        self.assertEqual(
            lines[3],
            "KLE entries: 11 created, 0 updated, 0 unchanged, 3 newly retired.",
        )
        self.assertEqual(KleEntry.objects.count(), 11)

    def test_a_second_run_reports_everything_unchanged(self):
        self.run_command(str(self.kle_2015), str(self.kle_2025))
        stdout, _ = self.run_command(str(self.kle_2015), str(self.kle_2025))

        self.assertIn("0 created, 0 updated, 11 unchanged, 0 newly retired.", stdout)

    def test_it_shows_progress_on_stderr(self):
        stdout, stderr = self.run_command(str(self.kle_2015))

        self.assertIn("KLE-2015.xml 100%", stderr)
        self.assertIn("Saving 100% (10/10)", stderr)
        self.assertNotIn("%", stdout)

    def test_without_paths_it_imports_the_shipped_files(self):
        with mock.patch.object(command_module, "SHIPPED_KLE_FILES", [self.kle_2015]):
            stdout, _ = self.run_command()

        self.assertIn("KLE-2015.xml", stdout)
        self.assertEqual(KleEntry.objects.count(), 10)

    def test_shipped_adds_the_shipped_files_to_the_paths_given(self):
        with mock.patch.object(command_module, "SHIPPED_KLE_FILES", [self.kle_2015]):
            stdout, _ = self.run_command("--shipped", str(self.kle_2025))

        self.assertIn("KLE-2015.xml", stdout)
        self.assertIn("KLE-2025.xml", stdout)
        self.assertEqual(KleEntry.objects.get(number="23.09.02").title, "Pas")

    def test_it_fails_clearly_for_a_missing_file(self):
        with self.assertRaisesMessage(CommandError, "nowhere.xml: the file cannot be read"):
            self.run_command(str(self.dir / "nowhere.xml"))

    def test_it_fails_clearly_for_a_file_that_is_not_kle(self):
        other = self.write("services.xml", "<services/>")
        with self.assertRaisesMessage(CommandError, "services.xml: not a KLE Emneplan file"):
            self.run_command(str(self.kle_2015), str(other))
        self.assertFalse(KleEntry.objects.exists())


class TtyStream(io.StringIO):
    def isatty(self) -> bool:
        return True


class ProgressTests(SimpleTestCase):
    def test_in_a_log_it_prints_a_line_per_ten_percent(self):
        stream = io.StringIO()
        with Progress(1000, stream=stream, label="KLE") as bar:
            for _ in range(1000):
                bar.advance()

        lines = stream.getvalue().splitlines()
        self.assertEqual(len(lines), 10)
        self.assertEqual(lines[0], "KLE 10% (100/1,000)")
        self.assertEqual(lines[-1], "KLE 100% (1,000/1,000)")

    def test_on_a_terminal_it_redraws_one_line(self):
        stream = TtyStream()
        with mock.patch("indgang.lib.progress.time.monotonic", side_effect=range(100, 200)):
            with Progress(4, stream=stream, label="KLE") as bar:
                bar.advance(2)

        output = stream.getvalue()
        self.assertTrue(output.startswith("\rKLE [" + "-" * 30 + "] 0/4   0%"))
        self.assertIn("\rKLE [" + "#" * 15 + "-" * 15 + "] 2/4  50%", output)
        self.assertTrue(output.endswith("\rKLE [" + "#" * 30 + "] 4/4 100%\n"))
        self.assertEqual(output.count("\n"), 1)

    def test_after_an_error_it_stops_where_it_got_to(self):
        stream = io.StringIO()
        with self.assertRaises(ValueError), Progress(10, stream=stream, label="KLE") as bar:
            bar.advance(3)
            raise ValueError("bad file")

        self.assertEqual(stream.getvalue().splitlines()[-1], "KLE 30% (3/10)")

    def test_without_a_stream_it_is_silent(self):
        with Progress(10, stream=None) as bar:
            bar.advance(10)
        self.assertEqual(bar.done, 10)

    def test_with_nothing_to_do_it_is_silent(self):
        stream = TtyStream()
        with Progress(0, stream=stream, label="Saving"):
            pass
        self.assertEqual(stream.getvalue(), "")

    def test_it_wraps_an_iterable(self):
        stream = io.StringIO()
        self.assertEqual(list(progress(["a", "b"], stream=stream, label="KLE")), ["a", "b"])
        self.assertEqual(stream.getvalue().splitlines()[-1], "KLE 100% (2/2)")
