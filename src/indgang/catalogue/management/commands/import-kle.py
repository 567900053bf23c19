import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indgang.catalogue.kle import SHIPPED_KLE_FILES, KleImportError, KleImportResult, kle_import


class Command(BaseCommand):
    help = (
        "Import KL's KLE Emneplan XML files (.xml or .xml.gz). The newest publication wins per "
        "entry; running it again changes nothing. Without paths, imports the files Indgang ships."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="KLE Emneplan file")
        parser.add_argument(
            "--shipped",
            action="store_true",
            help="Also import the KLE files shipped with Indgang (the default without paths).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = list(options["paths"])
        if options["shipped"] or not paths:
            paths = [*SHIPPED_KLE_FILES, *paths]
        # The bar writes to the raw stderr: Django's wrapper would end each redraw with a newline.
        progress_stream = options.get("stderr") or sys.stderr
        try:
            result = kle_import(paths=paths, progress_stream=progress_stream)
        except KleImportError as exc:
            raise CommandError(str(exc)) from exc
        self._summary(result)

    def _summary(self, result: KleImportResult) -> None:
        headers = (_("File"), _("Published"), _("Entries"), _("Superseded"))
        rows = [
            (f.path.name, f.publication.isoformat(), f"{f.entries:,}", f"{f.skipped_older:,}")
            for f in result.files
        ]
        widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
        for row in (headers, *rows):
            cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
            cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
            self.stdout.write("  ".join(cells))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "KLE entries: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
                    "%(retired)s newly retired."
                )
                % {
                    "created": f"{result.created:,}",
                    "updated": f"{result.updated:,}",
                    "unchanged": f"{result.unchanged:,}",
                    "retired": f"{result.retired:,}",
                }
            )
        )
