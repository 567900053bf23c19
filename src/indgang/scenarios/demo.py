"""Scenarios and a population grid for the demo municipality, so the pages have something to show."""

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from indgang.places.models import BusStop, ServicePoint

from .models import CandidateSite, Placement, PopulationGrid, Scenario
from .placement import population_grid_generate_demo
from .replications import run_scenario
from .scenario import load_scenario

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
# Few replications: enough for intervals on the compare page, quick enough for `make run`.
DEMO_REPLICATIONS = 3
DEMO_SEED = 1


def scenarios_demo_load(*, run: bool = True) -> tuple[int, bool]:
    """Add the example scenarios (by name, once) and the synthetic grid (once).

    Returns how many scenarios were added and whether the grid was made now. Scenarios a manager
    edited keep their text: an existing name is left alone.
    """
    added = 0
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        parsed = load_scenario(text)
        if Scenario.objects.filter(name=parsed.name).exists():
            continue
        with transaction.atomic():
            scenario = Scenario.objects.create(
                name=parsed.name, description=parsed.description, yaml_text=text
            )
            if run:
                result = run_scenario(parsed, replications=DEMO_REPLICATIONS, seed=DEMO_SEED)
                Scenario.objects.filter(pk=scenario.pk).update(
                    result=result.as_dict(),
                    replications=DEMO_REPLICATIONS,
                    seed=DEMO_SEED,
                    ran_at=timezone.now(),
                )
        added += 1
    grid_made = False
    if not PopulationGrid.objects.exists():
        population_grid_generate_demo()
        grid_made = True
    if not Placement.objects.exists():
        _placements_demo_load()
    return added, grid_made


def _placements_demo_load() -> None:
    """Two alternatives to today's points, so the placement page has something to compare."""
    points = list(ServicePoint.objects.filter(latitude__isnull=False, published=True))
    stops = list(BusStop.objects.filter(latitude__isnull=False))
    if not points:
        return
    without_strandvig = Placement.objects.create(
        name="Uden skranken i Strandvig",
        description="Som i dag, men Strandvig Bibliotek har ikke længere borgerservice.",
    )
    without_strandvig.service_points.set([p for p in points if p.slug != "strandvig-bibliotek"])
    without_strandvig.bus_stops.set(stops)
    station = CandidateSite.objects.create(
        name="Fjordby Station (nyt borgerservicepunkt)",
        latitude=56.6450,
        longitude=9.2350,
        public_transport=True,
        parking=True,
        step_free_access=True,
        hours_per_week=20,
        desks=2,
        self_service_pcs=4,
        guidance=True,
        note="Lokaler i stationsbygningen; tog og busser hver halve time.",
    )
    with_station = Placement.objects.create(
        name="Stationen i stedet for bussen",
        description="Rådhuset og bibliotekerne som i dag; borgerbussen erstattes af et fast "
        "borgerservicepunkt på Fjordby Station.",
    )
    with_station.service_points.set(points)
    with_station.candidate_sites.set([station])
