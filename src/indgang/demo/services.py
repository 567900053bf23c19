"""Loading the demo municipality, Fjordby Kommune, into the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from indgang.catalogue.models import (
    Authority,
    Department,
    KleEntry,
    LifeEvent,
    LifeEventStep,
    Service,
)
from indgang.insight.demo_history import (
    DemoHistoryResult,
    demo_history_exists,
    demo_history_generate,
)
from indgang.insight.models import Contact
from indgang.places.models import (
    BusStop,
    ClosingDay,
    HoursException,
    ServiceOffering,
    ServicePoint,
    WeeklyHours,
)

from .datafiles import DATA_DIR, demo_data_read
from .loading.catalogue import life_events_load, services_load
from .loading.inquiries import demo_inquiries_load
from .loading.organisations import organisations_load
from .loading.places import places_load
from .loading.staff import DEMO_PASSWORD, DemoLogin, demo_staff_sync
from .loading.visits import demo_visits_load


@dataclass(frozen=True)
class DemoSummary:
    """What the database holds after loading: totals, so rows added by hand are counted too."""

    departments: int
    authorities: int
    services: int
    offerings: int
    life_events: int
    life_event_steps: int
    service_points: int
    bus_stops: int
    weekly_hours: int
    exceptions: int
    closing_days: int
    logins: tuple[DemoLogin, ...]
    password: str = DEMO_PASSWORD
    contacts: int = 0  # contact statistics rows, demo history included
    history: DemoHistoryResult | None = None  # set when the demo history was generated now


def _kle_ensure(progress_stream: TextIO | None) -> None:
    if KleEntry.objects.exists():
        return
    # Imported here: the KLE importer is heavy and only needed on a fresh database.
    from indgang.catalogue.kle import kle_import_shipped

    kle_import_shipped(progress_stream=progress_stream)


@transaction.atomic
def demo_load(
    *,
    today: dt.date | None = None,
    data_dir: Path = DATA_DIR,
    progress_stream: TextIO | None = None,
    history_days: int = 0,
) -> DemoSummary:
    """Load (or bring up to date) the demo municipality. Running it again changes nothing.

    Dated exceptions are computed from `today` (default: the local date), so the demo always
    shows exceptions in the coming months. Raises DemoDataError naming the faulty record.
    With `history_days`, `history_days` of demo contact statistics are generated, but only when
    there are none yet: a second run stays fast and keeps the history.
    """
    today = today or timezone.localdate()
    data = demo_data_read(data_dir)
    _kle_ensure(progress_stream)
    departments, authorities = organisations_load(data.organisations)
    points = places_load(data.places, today=today)
    services = services_load(
        data.services,
        departments=departments,
        authorities=authorities,
        points=points,
    )
    life_events_load(data.life_events, services=services)
    logins = demo_staff_sync()
    demo_inquiries_load(departments=departments, today=today)
    demo_visits_load(points=points)
    history = None
    if history_days and not demo_history_exists():
        history = demo_history_generate(
            days=history_days, today=today, progress_stream=progress_stream
        )
    return DemoSummary(
        departments=Department.objects.count(),
        authorities=Authority.objects.count(),
        services=Service.objects.count(),
        offerings=ServiceOffering.objects.count(),
        life_events=LifeEvent.objects.count(),
        life_event_steps=LifeEventStep.objects.count(),
        service_points=ServicePoint.objects.count(),
        bus_stops=BusStop.objects.count(),
        weekly_hours=WeeklyHours.objects.count(),
        exceptions=HoursException.objects.count(),
        closing_days=ClosingDay.objects.count(),
        logins=tuple(logins),
        contacts=Contact.objects.count(),
        history=history,
    )
