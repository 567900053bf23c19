"""`indgang insight SUBCOMMAND …`: fill the contact statistics.

- `sync`: record every existing inquiry, ended ticket and finished appointment (safe to rerun).
- `import-self-service FILE.csv`: self-service completions per day and service.
- `import-calls FILE.csv [--channel phone|chat]`: call or chat records from the phone system.
- `demo-history [--days 365] [--seed 1]`: replace the demo history (source=demo) for Fjordby.

The CSV formats are described in docs/insight-imports.md.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indgang.insight.demo_history import DEFAULT_DAYS, DEFAULT_SEED, demo_history_generate
from indgang.insight.imports import ImportRejected, ImportResult, import_calls, import_self_service
from indgang.insight.models import ContactChannel
from indgang.insight.services import contacts_sync

ERRORS_SHOWN = 20


class _Stream:
    """The command's stderr for the progress bar: written as is, without a newline added."""

    def __init__(self, wrapper) -> None:
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, ending="")

    def flush(self) -> None:
        self._wrapper.flush()

    def isatty(self) -> bool:
        return self._wrapper.isatty()


class Command(BaseCommand):
    help = (
        "Contact statistics: sync, import-self-service, import-calls, demo-history "
        "(see --help of each)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        sub.add_parser(
            "sync",
            help="Record every existing inquiry, ended ticket and finished appointment as a "
            "contact (brings existing rows up to date; safe to run again).",
        )
        self_service = sub.add_parser(
            "import-self-service",
            help="Import self-service completions per day and service from a CSV file "
            "(columns date, service, count; see docs/insight-imports.md).",
        )
        calls = sub.add_parser(
            "import-calls",
            help="Import call records from a phone or chat system from a CSV file (columns "
            "arrival, answered, end, abandoned, optional queue and service).",
        )
        for import_parser in (self_service, calls):
            import_parser.add_argument("file", type=Path, metavar="FILE.csv")
            import_parser.add_argument(
                "--skip-bad-rows",
                action="store_true",
                help="Import the good rows and list the bad ones (default: import nothing "
                "when a row is bad).",
            )
        calls.add_argument(
            "--channel",
            choices=[ContactChannel.PHONE.value, ContactChannel.CHAT.value],
            default=ContactChannel.PHONE.value,
            help="What the records are: phone calls (default) or chats.",
        )
        demo = sub.add_parser(
            "demo-history",
            help="Replace the demo contact history (only rows made by this command) with a "
            "generated one ending yesterday. Load the demo municipality first (indgang demo).",
        )
        demo.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Days of history (default {DEFAULT_DAYS}).",
        )
        demo.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same history (default {DEFAULT_SEED}).",
        )

    def handle(self, *args, subcommand: str, **options):
        progress = _Stream(self.stderr) if options["verbosity"] else None
        if subcommand == "sync":
            result = contacts_sync(progress_stream=progress)
            self.stdout.write(
                _(
                    "Recorded %(total)s contacts: %(inquiries)s inquiries, %(tickets)s tickets, "
                    "%(appointments)s appointments without a ticket."
                )
                % {
                    "total": f"{result.total:,}",
                    "inquiries": f"{result.inquiries:,}",
                    "tickets": f"{result.tickets:,}",
                    "appointments": f"{result.appointments:,}",
                }
            )
        elif subcommand == "demo-history":
            if options["days"] < 1:
                raise CommandError(_("--days must be 1 or more."))
            history = demo_history_generate(
                days=options["days"], seed=options["seed"], progress_stream=progress
            )
            self.stdout.write(
                _(
                    "Made %(contacts)s demo contacts (%(rows)s rows) from %(first)s to %(last)s "
                    "in %(seconds)s s."
                )
                % {
                    "contacts": f"{history.contacts:,}",
                    "rows": f"{history.rows:,}",
                    "first": history.first_day,
                    "last": history.last_day,
                    "seconds": f"{history.seconds:.1f}",
                }
            )
        else:
            self._import(subcommand, options, progress)

    def _import(self, subcommand: str, options, progress) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        try:
            if subcommand == "import-calls":
                result = import_calls(
                    path=path,
                    channel=options["channel"],
                    skip_bad_rows=options["skip_bad_rows"],
                    progress_stream=progress,
                )
            else:
                result = import_self_service(
                    path=path, skip_bad_rows=options["skip_bad_rows"], progress_stream=progress
                )
        except ImportRejected as exc:
            raise CommandError(
                _("%(path)s: %(error)s Nothing was imported.") % {"path": path, "error": exc}
            ) from exc
        self._errors(result)
        if not result.committed:
            raise CommandError(
                _(
                    "%(path)s: %(bad)s of %(read)s rows are bad, so nothing was imported. "
                    "Correct them, or import the good rows with --skip-bad-rows."
                )
                % {"path": path, "bad": f"{result.bad:,}", "read": f"{result.read:,}"}
            )
        self.stdout.write(self._summary(result))

    def _errors(self, result: ImportResult) -> None:
        for error in result.errors[:ERRORS_SHOWN]:
            self.stderr.write(str(error))
        if result.bad > ERRORS_SHOWN:
            self.stderr.write(
                _("… and %(more)s more bad rows.") % {"more": f"{result.bad - ERRORS_SHOWN:,}"}
            )

    def _summary(self, result: ImportResult) -> str:
        return _(
            "Read %(read)s rows: imported %(imported)s, %(already)s already imported, "
            "%(empty)s with a count of 0, skipped %(bad)s bad."
        ) % {
            "read": f"{result.read:,}",
            "imported": f"{result.imported:,}",
            "already": f"{result.already:,}",
            "empty": f"{result.empty:,}",
            "bad": f"{result.bad:,}",
        }
