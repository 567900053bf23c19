"""`indgang inquiries send-mail`: send the due e-mail in the outbox once."""

from django.conf import settings

from indgang.inquiries.mail.sending import outbox_send_due

help = (
    "Send the receipts and answers waiting in the outbox once; failed sends are retried later "
    "with growing pauses and given up (visibly) after the last attempt."
)

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


def add_arguments(parser) -> None:
    parser.add_argument(
        "--limit", type=int, default=100, help="At most this many e-mails (default 100)."
    )


def console_warning(command) -> None:
    if settings.EMAIL_BACKEND == CONSOLE_BACKEND:
        command.stderr.write("EMAIL_HOST is not set: e-mail is printed here, not sent.")


def run(command, options) -> None:
    console_warning(command)
    report = outbox_send_due(limit=options["limit"])
    command.stdout.write(report.summary())
