"""`indgang inquiries fetch-mail`: read the IMAP mailbox once (settings INQUIRY_IMAP_*)."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from indgang.inquiries.mail.imap import MailboxError, imap_configured, mail_fetch

help = (
    "Read the inquiry mailbox once over IMAP: each new message becomes an inquiry or joins one, "
    "and is flagged or deleted in the mailbox only after it is saved."
)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--limit", type=int, default=200, help="At most this many messages (default 200)."
    )


def run(command, options) -> None:
    if not imap_configured():
        raise CommandError("INQUIRY_IMAP_HOST is not set: reading e-mail is off.")
    try:
        report = mail_fetch(limit=options["limit"])
    except (ImproperlyConfigured, MailboxError, OSError) as exc:
        raise CommandError(f"The mailbox could not be read: {exc}") from exc
    for reference in report.new:
        command.stdout.write(f"{reference} new")
    for reference in report.joined:
        command.stdout.write(f"{reference} joined")
    for reason in report.skipped:
        command.stdout.write(f"skipped: {reason}")
    for failure in report.failed:
        command.stderr.write(f"failed: {failure}")
    command.stdout.write(report.summary())
    if report.failed:
        raise CommandError(
            f"{len(report.failed)} message(s) could not be taken in; they stay in the mailbox"
        )
