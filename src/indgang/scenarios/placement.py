"""Placement of service points: how near citizens live to a set of points, and how good the points
are by the criteria municipalities use. See docs/placement.md.

The maths is pure Python on plain values (`Cell`, `Site`, `Weights`), so it is exact to test; the
functions at the end read and write the database (population grids, candidate points).

Distances are great-circle distances (haversine). Travel time is an approximation, not a route
planner: road distance = straight line × DETOUR_FACTOR, driven at CAR_KMH, or by bus at BUS_KMH
plus BUS_ACCESS_MINUTES to walk to the stop and wait.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
# Roads are longer than the straight line; 1.3 is the usual rule of thumb for Danish rural roads.
DETOUR_FACTOR = 1.3
CAR_KMH = 60.0
BUS_KMH = 30.0  # average speed of a regional bus including stops
BUS_ACCESS_MINUTES = 15.0  # walk to the stop and wait (half of a half-hourly departure, plus walk)
DISTANCE_THRESHOLDS_KM = (5.0, 10.0, 15.0)
TRAVEL_THRESHOLDS_MINUTES = (15, 30)

# A criterion's value is between 0 and 1; these references count as "fully met".
FULL_WEEK_HOURS = 37.0  # a full-time week of opening hours
FULL_DESKS = 4
FULL_PCS = 4

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_CELLS = 100_000
# More than Copenhagen in one square or address point is a typo (and overflows the column).
MAX_CELL_POPULATION = 1_000_000


# Geometry


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in km between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def car_minutes(distance_km: float) -> float:
    return distance_km * DETOUR_FACTOR / CAR_KMH * 60


def bus_minutes(distance_km: float) -> float:
    return BUS_ACCESS_MINUTES + distance_km * DETOUR_FACTOR / BUS_KMH * 60


KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180


def project(lat: float, lon: float, centre: tuple[float, float]) -> tuple[float, float]:
    """Equirectangular projection around `centre`, in km east (x) and km south (y, as in SVG).

    Within a municipality (tens of km) the distortion is well under 1 %.
    """
    lat0, lon0 = centre
    x = (lon - lon0) * KM_PER_DEGREE_LAT * math.cos(math.radians(lat0))
    y = -(lat - lat0) * KM_PER_DEGREE_LAT
    return x, y


def unproject(x: float, y: float, centre: tuple[float, float]) -> tuple[float, float]:
    lat0, lon0 = centre
    lat = lat0 - y / KM_PER_DEGREE_LAT
    lon = lon0 + x / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat0)))
    return lat, lon


def utm32_to_latlon(easting_m: float, northing_m: float) -> tuple[float, float]:
    """ETRS89 / UTM zone 32N (EPSG:25832, Danmarks Statistik's grid) to latitude/longitude.

    Krüger's series (as in the inverse UTM formulas on Wikipedia), accurate to well under a metre.
    """
    a = 6378.137
    f = 1 / 298.257222101  # GRS80
    k0 = 0.9996
    n = f / (2 - f)
    big_a = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    beta = (n / 2 - 2 * n**2 / 3 + 37 * n**3 / 96, n**2 / 48 + n**3 / 15, 17 * n**3 / 480)
    delta = (2 * n - 2 * n**2 / 3 - 2 * n**3, 7 * n**2 / 3 - 8 * n**3 / 5, 56 * n**3 / 15)
    xi = northing_m / 1000 / (k0 * big_a)
    eta = (easting_m / 1000 - 500) / (k0 * big_a)
    xi_p = xi - sum(
        b * math.sin(2 * j * xi) * math.cosh(2 * j * eta) for j, b in enumerate(beta, 1)
    )
    eta_p = eta - sum(
        b * math.cos(2 * j * xi) * math.sinh(2 * j * eta) for j, b in enumerate(beta, 1)
    )
    chi = math.asin(math.sin(xi_p) / math.cosh(eta_p))
    phi = chi + sum(d * math.sin(2 * j * chi) for j, d in enumerate(delta, 1))
    lam = math.radians(9) + math.atan(math.sinh(eta_p) / math.cos(xi_p))
    return math.degrees(phi), math.degrees(lam)


# Plain values


@dataclass(frozen=True)
class Cell:
    lat: float
    lon: float
    population: int
    label: str = ""


@dataclass(frozen=True)
class Criteria:
    public_transport: bool = False
    parking: bool = False
    step_free: bool = False
    hours_per_week: float = 0.0
    desks: int = 0
    self_service_pcs: int = 0
    guidance: bool = False

    def values(self) -> dict[str, float]:
        """Each criterion between 0 (not met) and 1 (fully met)."""
        pcs = min(self.self_service_pcs, FULL_PCS) / FULL_PCS
        return {
            "public_transport": float(self.public_transport),
            "parking": float(self.parking),
            "step_free": float(self.step_free),
            "opening_hours": min(self.hours_per_week / FULL_WEEK_HOURS, 1.0),
            "staff": min(self.desks, FULL_DESKS) / FULL_DESKS,
            # PCs without anyone to help count half: those who need help cannot use them.
            "self_service": pcs if self.guidance else pcs / 2,
        }


CRITERIA = ("public_transport", "parking", "step_free", "opening_hours", "staff", "self_service")


def criterion_labels() -> dict[str, str]:
    return {
        "public_transport": _("Public transport nearby"),
        "parking": _("Parking"),
        "step_free": _("Step-free access"),
        "opening_hours": _("Opening hours"),
        "staff": _("Staff capacity"),
        "self_service": _("Self-service PCs with guidance"),
    }


@dataclass(frozen=True)
class Weights:
    public_transport: float = 3
    parking: float = 2
    step_free: float = 3
    opening_hours: float = 2
    staff: float = 2
    self_service: float = 1

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in CRITERIA}


@dataclass(frozen=True)
class Site:
    key: str  # "point-3", "stop-7", "site-2": unique over the kinds
    name: str
    kind: str
    lat: float
    lon: float
    criteria: Criteria = field(default_factory=Criteria)


def site_score(criteria: Criteria, weights: Weights) -> float:
    """The weighted mean of the criteria, 0–100. All weights zero scores 0."""
    total = sum(weights.as_dict().values())
    if total <= 0:
        return 0.0
    values = criteria.values()
    return 100 * sum(values[name] * w for name, w in weights.as_dict().items()) / total


@dataclass(frozen=True)
class Coverage:
    population: int
    within_km: list[tuple[float, float]]  # (threshold km, share 0–1)
    within_car: list[tuple[int, float]]  # (minutes, share)
    within_bus: list[tuple[int, float]]
    mean_km: float | None
    p95_km: float | None
    score: float  # criteria score of each citizen's nearest point, population-weighted
    served: dict[str, int]  # site key → citizens for whom it is the nearest point
    site_scores: dict[str, float]


def weighted_percentile(pairs: Sequence[tuple[float, int]], q: float) -> float | None:
    """The smallest value with at least share `q` of the weight at or below it."""
    total = sum(w for _v, w in pairs)
    if total <= 0:
        return None
    running = 0
    for value, weight in sorted(pairs):
        running += weight
        if running >= q * total - 1e-9:
            return value
    return max(v for v, _w in pairs)


def coverage(
    cells: Iterable[Cell],
    sites: Sequence[Site],
    weights: Weights | None = None,
    *,
    thresholds_km: Sequence[float] = DISTANCE_THRESHOLDS_KM,
    thresholds_minutes: Sequence[int] = TRAVEL_THRESHOLDS_MINUTES,
) -> Coverage:
    """How near the population lives to the nearest of `sites`, and the criteria score there."""
    weights = weights or Weights()
    scores = {s.key: site_score(s.criteria, weights) for s in sites}
    served = {s.key: 0 for s in sites}
    nearest: list[tuple[float, int]] = []
    weighted_score = 0.0
    for cell in cells:
        if cell.population <= 0:
            continue
        if not sites:
            continue
        distance, key = min((haversine_km(cell.lat, cell.lon, s.lat, s.lon), s.key) for s in sites)
        nearest.append((distance, cell.population))
        served[key] += cell.population
        weighted_score += scores[key] * cell.population
    population = sum(w for _d, w in nearest)

    def share(test) -> float:
        if population == 0:
            return 0.0
        return sum(w for d, w in nearest if test(d)) / population

    return Coverage(
        population=population,
        within_km=[(t, share(lambda d, t=t: d <= t)) for t in thresholds_km],
        within_car=[(m, share(lambda d, m=m: car_minutes(d) <= m)) for m in thresholds_minutes],
        within_bus=[(m, share(lambda d, m=m: bus_minutes(d) <= m)) for m in thresholds_minutes],
        mean_km=sum(d * w for d, w in nearest) / population if population else None,
        p95_km=weighted_percentile(nearest, 0.95),
        score=weighted_score / population if population else 0.0,
        served=served,
        site_scores=scores,
    )


# The population: import from CSV


class PopulationImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


# Northing and easting in units of the cell size: at most 8 digits even for 100 m cells.
CELL_ID = re.compile(r"^(100m|250m|1km|10km)_(\d{1,8})_(\d{1,8})$", re.IGNORECASE)
CELL_UNITS_M = {"100m": 100, "250m": 250, "1km": 1000, "10km": 10000}
LAT_NAMES = ("lat", "latitude", "breddegrad")
LON_NAMES = ("lon", "lng", "longitude", "laengdegrad", "længdegrad")
POP_NAMES = ("population", "pop", "befolkning", "antal", "indbyggere")
CELL_NAMES = ("cell", "cell_id", "kn1kmdk", "kn100mdk", "ddkncelle", "celle")
LABEL_NAMES = ("label", "postcode", "postnr", "name", "navn")


def _number(text: str, decimal_comma: bool) -> float:
    text = text.strip().replace(" ", "")
    if decimal_comma:
        text = text.replace(".", "").replace(",", ".")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_population_csv(text: str) -> tuple[list[Cell], float]:
    """Cells and the cell size in km from a CSV text; raises PopulationImportError with all errors.

    Columns (header row, any order, case-insensitive; `,` `;` or tab separated; with `;` a decimal
    comma is allowed): `population` and either `lat` + `lon` (WGS84 degrees: grid square centres
    or address points, e.g. one per postcode) or `cell` (Danmarks Statistik's grid cell id such
    as `1km_6171_567`, ETRS89/UTM32N). An optional `label` (or `postcode`, `name`) names the row.
    """
    if len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        raise PopulationImportError([_("The file is larger than 10 MB.")])
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    decimal_comma = delimiter != ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise PopulationImportError([_("The file is empty.")])
    names = [h.strip().lower() for h in header]

    def column(candidates: tuple[str, ...]) -> int | None:
        return next((names.index(c) for c in candidates if c in names), None)

    lat_i, lon_i, pop_i = column(LAT_NAMES), column(LON_NAMES), column(POP_NAMES)
    cell_i, label_i = column(CELL_NAMES), column(LABEL_NAMES)
    errors: list[str] = []
    if pop_i is None:
        errors.append(_("Line 1: no 'population' column."))
    if cell_i is None and (lat_i is None or lon_i is None):
        errors.append(_("Line 1: give either 'lat' and 'lon' columns or a 'cell' column."))
    if errors:
        raise PopulationImportError(errors)

    cells: list[Cell] = []
    cell_m: set[int] = set()
    for line_no, row in enumerate(reader, start=2):
        if not any(value.strip() for value in row):
            continue
        if len(cells) >= MAX_IMPORT_CELLS:
            errors.append(_("More than %(n)d rows.") % {"n": MAX_IMPORT_CELLS})
            break
        if len(row) < len(names):
            errors.append(_("Line %(line)d: too few columns.") % {"line": line_no})
            continue
        label = row[label_i].strip()[:60] if label_i is not None else ""
        try:
            population = _number(row[pop_i], decimal_comma)
        except ValueError:
            errors.append(
                _("Line %(line)d: the population '%(value)s' is not a number.")
                % {"line": line_no, "value": row[pop_i][:30]}
            )
            continue
        if population < 0 or population != int(population):
            errors.append(
                _("Line %(line)d: the population must be a whole number of 0 or more.")
                % {"line": line_no}
            )
            continue
        if population > MAX_CELL_POPULATION:
            errors.append(
                _("Line %(line)d: the population is more than %(most)s people in one place.")
                % {"line": line_no, "most": f"{MAX_CELL_POPULATION:,}"}
            )
            continue
        if lat_i is not None and lon_i is not None and row[lat_i].strip():
            try:
                lat = _number(row[lat_i], decimal_comma)
                lon = _number(row[lon_i], decimal_comma)
            except ValueError:
                errors.append(
                    _("Line %(line)d: latitude and longitude must be numbers.") % {"line": line_no}
                )
                continue
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                errors.append(
                    _("Line %(line)d: the coordinates %(lat)s, %(lon)s are outside the globe.")
                    % {"line": line_no, "lat": lat, "lon": lon}
                )
                continue
        elif cell_i is not None:
            match = CELL_ID.match(row[cell_i].strip())
            if not match:
                errors.append(
                    _("Line %(line)d: '%(value)s' is not a grid cell id such as 1km_6171_567.")
                    % {"line": line_no, "value": row[cell_i][:30]}
                )
                continue
            unit = CELL_UNITS_M[match.group(1).lower()]
            northing = int(match.group(2)) * unit + unit / 2
            easting = int(match.group(3)) * unit + unit / 2
            lat, lon = utm32_to_latlon(easting, northing)
            cell_m.add(unit)
            label = label or row[cell_i].strip()
        else:
            errors.append(_("Line %(line)d: no coordinates.") % {"line": line_no})
            continue
        cells.append(Cell(lat=lat, lon=lon, population=int(population), label=label))
    if errors:
        raise PopulationImportError(errors[:50] + ([_("…")] if len(errors) > 50 else []))
    if not cells:
        raise PopulationImportError([_("The file has no rows after the header.")])
    cell_km = (min(cell_m) / 1000) if cell_m else _spacing_km(cells)
    return cells, cell_km


def _spacing_km(cells: Sequence[Cell]) -> float:
    """A map square size for address points: the typical distance to the nearest other point."""
    sample = cells[:400]
    if len(sample) < 2:
        return 1.0
    nearest = sorted(
        min(haversine_km(a.lat, a.lon, b.lat, b.lon) for b in sample if b is not a) for a in sample
    )
    return max(0.1, min(5.0, round(nearest[len(nearest) // 2], 2)))


# The population: a synthetic grid for the demo municipality


@dataclass(frozen=True)
class Town:
    lat: float
    lon: float
    population: int
    radius_km: float  # standard deviation of the population around the centre


RURAL_PER_KM2 = 12  # average rural population density outside the towns
SYNTHETIC_MARGIN_KM = 6.0


def synthetic_cells(
    towns: Sequence[Town], *, seed: int = 2007, margin_km: float = SYNTHETIC_MARGIN_KM
) -> list[Cell]:
    """A 1 km grid over the towns' bounding box plus a margin: towns as Gaussian population
    clusters plus a randomly varying rural spread. The same towns and seed give the same grid.
    """
    if not towns:
        return []
    rng = random.Random(seed)
    centre = (
        (min(t.lat for t in towns) + max(t.lat for t in towns)) / 2,
        (min(t.lon for t in towns) + max(t.lon for t in towns)) / 2,
    )
    xy = [project(t.lat, t.lon, centre) for t in towns]
    x0 = math.floor(min(x for x, _y in xy) - margin_km)
    x1 = math.ceil(max(x for x, _y in xy) + margin_km)
    y0 = math.floor(min(y for _x, y in xy) - margin_km)
    y1 = math.ceil(max(y for _x, y in xy) + margin_km)
    cells = []
    for row in range(y0, y1):
        for col in range(x0, x1):
            cx, cy = col + 0.5, row + 0.5
            people = RURAL_PER_KM2 * rng.uniform(0.2, 1.8)
            for town, (tx, ty) in zip(towns, xy, strict=True):
                d2 = (cx - tx) ** 2 + (cy - ty) ** 2
                sigma2 = town.radius_km**2
                people += town.population * math.exp(-d2 / (2 * sigma2)) / (2 * math.pi * sigma2)
            population = round(people)
            if population > 0:
                lat, lon = unproject(cx, cy, centre)
                cells.append(Cell(lat=round(lat, 6), lon=round(lon, 6), population=population))
    return cells


# The database


def _weekly_hours(rules) -> float:
    total = 0.0
    for rule in rules:
        opens = rule.opens.hour * 60 + rule.opens.minute
        closes = (
            24 * 60 if rule.closes == dt.time(0) else rule.closes.hour * 60 + rule.closes.minute
        )
        total += max(0, closes - opens) / 60
    return total


def _point_criteria(point, rules, desks) -> Criteria:
    return Criteria(
        public_transport=bool(point.public_transport.strip()),
        parking=point.parking or point.disabled_parking,
        step_free=point.step_free_access,
        hours_per_week=_weekly_hours(rules),
        desks=sum(1 for d in desks if d.active),
        self_service_pcs=point.self_service_pcs,
        guidance=any(d.active and d.kind == "station" for d in desks),
    )


def candidate_site_list() -> list[Site]:
    """Every point a placement can choose: physical service points and bus stops with
    coordinates, and the candidate sites staff added."""
    from indgang.places.hours import rules_in_force
    from indgang.places.models import ServicePoint

    from .models import CandidateSite

    today = dt.date.today()
    sites: list[Site] = []
    points = (
        ServicePoint.objects.filter(published=True)
        .prefetch_related("weekly_hours", "desks", "stops")
        .order_by("sort_order", "name")
    )
    for point in points:
        rules = rules_in_force(point.weekly_hours.all(), today)
        desks = list(point.desks.all())
        if point.is_physical and point.latitude is not None and point.longitude is not None:
            sites.append(
                Site(
                    key=f"point-{point.pk}",
                    name=point.name,
                    kind="point",
                    lat=float(point.latitude),
                    lon=float(point.longitude),
                    criteria=_point_criteria(point, [r for r in rules if not r.stop_id], desks),
                )
            )
        if point.is_bus:
            for stop in point.stops.all():
                if stop.latitude is None or stop.longitude is None:
                    continue
                sites.append(
                    Site(
                        key=f"stop-{stop.pk}",
                        name=stop.name,
                        kind="stop",
                        lat=float(stop.latitude),
                        lon=float(stop.longitude),
                        # The bus brings its own PCs and staff; its hours are the stop's.
                        criteria=_point_criteria(
                            point, [r for r in rules if r.stop_id == stop.pk], desks
                        ),
                    )
                )
    for site in CandidateSite.objects.all():
        sites.append(
            Site(
                key=f"site-{site.pk}",
                name=site.name,
                kind="candidate",
                lat=site.latitude,
                lon=site.longitude,
                criteria=Criteria(
                    public_transport=site.public_transport,
                    parking=site.parking,
                    step_free=site.step_free_access,
                    hours_per_week=site.hours_per_week,
                    desks=site.desks,
                    self_service_pcs=site.self_service_pcs,
                    guidance=site.guidance,
                ),
            )
        )
    return sites


def placement_keys(placement) -> set[str]:
    return (
        {f"point-{pk}" for pk in placement.service_points.values_list("pk", flat=True)}
        | {f"stop-{pk}" for pk in placement.bus_stops.values_list("pk", flat=True)}
        | {f"site-{pk}" for pk in placement.candidate_sites.values_list("pk", flat=True)}
    )


def grid_cells(grid) -> list[Cell]:
    return [
        Cell(lat=c.latitude, lon=c.longitude, population=c.population, label=c.label)
        for c in grid.cells.all().order_by("pk")
    ]


def _grid_save(*, name: str, source: str, cells: Sequence[Cell], cell_km: float, synthetic: bool):
    from .models import PopulationCell, PopulationGrid

    with transaction.atomic():
        grid = PopulationGrid(name=name, source=source, cell_km=cell_km, synthetic=synthetic)
        grid.full_clean()
        grid.save()
        PopulationCell.objects.bulk_create(
            [
                PopulationCell(
                    grid=grid,
                    label=c.label,
                    latitude=c.lat,
                    longitude=c.lon,
                    population=c.population,
                )
                for c in cells
            ],
            batch_size=2000,
        )
    return grid


def population_grid_import(*, name: str, source: str, text: str):
    """A population grid from CSV text (see `parse_population_csv`); PopulationImportError else."""
    cells, cell_km = parse_population_csv(text)
    return _grid_save(name=name, source=source, cells=cells, cell_km=cell_km, synthetic=False)


# Town sizes of the synthetic grid by kind of place: a town hall town, a library town, a village.
TOWN_SIZES = {"point": (9000, 1.6), "library": (3500, 1.0), "stop": (450, 0.6)}


def demo_towns() -> list[Town]:
    """Towns around the municipality's physical service points and bus stops."""
    from indgang.places.models import BusStop, ServicePoint, ServicePointKind

    towns = []
    for point in ServicePoint.objects.exclude(latitude=None).exclude(longitude=None).order_by("pk"):
        if not point.is_physical:
            continue
        kind = "library" if point.kind == ServicePointKind.LIBRARY else "point"
        size, radius = TOWN_SIZES[kind]
        towns.append(Town(float(point.latitude), float(point.longitude), size, radius))
    for stop in BusStop.objects.exclude(latitude=None).exclude(longitude=None).order_by("pk"):
        size, radius = TOWN_SIZES["stop"]
        towns.append(Town(float(stop.latitude), float(stop.longitude), size, radius))
    return towns


def population_grid_generate_demo(*, seed: int = 2007):
    """A synthetic grid around the service points and bus stops; PopulationImportError if the
    places have no coordinates."""
    cells = synthetic_cells(demo_towns(), seed=seed)
    if not cells:
        raise PopulationImportError(
            [_("No service point or bus stop has coordinates to build the synthetic grid around.")]
        )
    return _grid_save(
        name=_("Synthetic grid"),
        source=_("Synthetic: towns around the service points and bus stops, plus rural spread"),
        cells=cells,
        cell_km=1.0,
        synthetic=True,
    )
