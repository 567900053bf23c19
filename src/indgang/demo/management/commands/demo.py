from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indgang.demo.exceptions import DemoDataError
from indgang.demo.services import DemoSummary, demo_load
from indgang.scenarios.demo import scenarios_demo_load

# A year of made-up contact statistics for the insight pages, generated once.
DEMO_HISTORY_DAYS = 365


class Command(BaseCommand):
    help = (
        "Load the demo municipality Fjordby Kommune: departments, services, life events, "
        "service points with opening hours, and demo staff logins. Safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--history-days",
            type=int,
            default=DEMO_HISTORY_DAYS,
            help="Days of demo contact statistics to make when there are none yet (0: none).",
        )

    def handle(self, *args, **options) -> None:
        try:
            summary = demo_load(
                progress_stream=self.stdout if options["verbosity"] else None,
                history_days=max(0, options["history_days"]),
            )
        except DemoDataError as exc:
            raise CommandError(f"The demo data is wrong, nothing was loaded. {exc}") from exc
        scenarios_added, grid_made = scenarios_demo_load()
        if options["verbosity"]:
            self.stdout.write(self._report(summary))
            self.stdout.write(
                f"  {scenarios_added} example scenarios added"
                + (", a synthetic population grid made" if grid_made else "")
            )

    def _report(self, s: DemoSummary) -> str:
        logins = ", ".join(f"{login.username} ({login.group})" for login in s.logins)
        return "\n".join(
            [
                self.style.SUCCESS("The demo municipality Fjordby Kommune is loaded."),
                f"  {s.departments} departments, {s.authorities} other authorities",
                f"  {s.services} services, offered {s.offerings} times at service points",
                f"  {s.life_events} life events with {s.life_event_steps} steps",
                f"  {s.service_points} service points ({s.bus_stops} bus stops), "
                f"{s.weekly_hours} weekly hours rows, {s.exceptions} exceptions, "
                f"{s.closing_days} closing days",
                self._history_line(s),
                f"Demo staff logins at {settings.SITE_URL}/admin/ with the password {s.password}:",
                f"  {logins}",
            ]
        )

    def _history_line(self, s: DemoSummary) -> str:
        if s.history is None:
            return (
                f"  {s.contacts:,} contacts in the statistics "
                "(to make the demo history again: indgang insight demo-history)"
            )
        return (
            f"  {s.history.contacts:,} demo contacts ({s.history.rows:,} rows) from "
            f"{s.history.first_day} to {s.history.last_day}, made in {s.history.seconds:.1f} s"
        )
