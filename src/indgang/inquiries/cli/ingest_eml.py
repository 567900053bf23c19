"""`indgang inquiries ingest-eml FILE…`: take in e-mail saved as .eml files, one line per file."""

import logging
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

from django.core.management.base import CommandError

from indgang.inquiries.mail.intake import Outcome, email_ingest

logger = logging.getLogger(__name__)

help = (
    "Take in e-mail saved as .eml files (RFC 822), as the mailbox reader does: one line per file "
    "with the reference and new/joined, or why it was skipped. Exits non-zero if a file failed."
)


def add_arguments(parser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="an .eml file")


def _line(raw: bytes) -> str:
    if not raw.strip():
        raise ValueError("the file is empty")
    if not BytesHeaderParser(policy=policy.compat32).parsebytes(raw).keys():
        raise ValueError("not an e-mail message (no headers)")
    result = email_ingest(raw=raw)
    if result.outcome == Outcome.SKIPPED:
        return f"skipped: {result.reason}"
    line = f"{result.inquiry.reference} {result.outcome}"
    if result.refused:
        line += f" ({len(result.refused)} attachment(s) refused, noted on the inquiry)"
    return line


def run(command, options) -> None:
    failed = 0
    for name in options["files"]:
        try:
            raw = Path(name).read_bytes()
            line = _line(raw)
        except (OSError, ValueError) as exc:
            failed += 1
            command.stderr.write(f"{name}: error: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - report the file and go on with the others
            failed += 1
            logger.exception("%s could not be taken in", name)
            command.stderr.write(f"{name}: error: {exc.__class__.__name__}: {exc}")
            continue
        command.stdout.write(f"{name}: {line}")
    if failed:
        raise CommandError(f"{failed} of {len(options['files'])} file(s) could not be taken in")
