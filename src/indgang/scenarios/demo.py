"""Scenarios and a population grid for the demo municipality, so the pages have something to show."""

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .models import PopulationGrid, Scenario
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
    return added, grid_made
