"""`indgang visits SUBCOMMAND`: jobs for visits. `send-reminders` reminds citizens of appointments."""

import datetime as dt

from django.core.management.base import BaseCommand

from indgang.visits.reminders import appointment_reminders_send


class Command(BaseCommand):
    help = "Visits: send-reminders (see --help of each)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        reminders = sub.add_parser(
            "send-reminders",
            help="Remind citizens of appointments starting within the next hours, once each.",
        )
        reminders.add_argument(
            "--hours",
            type=float,
            default=24.0,
            help="Remind of appointments starting within this many hours (default 24).",
        )

    def handle(self, *args, subcommand: str, **options):
        outcome = appointment_reminders_send(before=dt.timedelta(hours=options["hours"]))
        self.stdout.write(outcome.summary() or "No reminders due.")
