from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indgang.demo.exceptions import DemoDataError
from indgang.demo.services import DemoSummary, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo municipality Fjordby Kommune: departments, services, life events, "
        "service points with opening hours, and demo staff logins. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        try:
            summary = demo_load(progress_stream=self.stdout if options["verbosity"] else None)
        except DemoDataError as exc:
            raise CommandError(f"The demo data is wrong, nothing was loaded. {exc}") from exc
        if options["verbosity"]:
            self.stdout.write(self._report(summary))

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
                f"Demo staff logins at {settings.SITE_URL}/admin/ with the password {s.password}:",
                f"  {logins}",
            ]
        )
