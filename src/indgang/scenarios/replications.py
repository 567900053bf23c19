"""Run a scenario many times and report each measure with a 95 % confidence interval.

One replication is one independent run of the whole horizon with its own random stream
(`random.Random` seeded from a SHA-256 of the scenario seed and the replication number), so
replication i gives the same numbers whatever else runs, and adding replications never changes
the earlier ones. Each measure is computed once per replication; the estimate is the mean over
replications with a Student t interval (n − 1 degrees of freedom).

Definitions (per station, summed over a channel or over everything):

- waits are those of *served* contacts in staffed channels, in seconds (0 when served at once);
  p80/p95 are percentiles of all served waits in the replication;
- service level: served within the channel's target ÷ (served + gave up); the target comes from
  the scenario (defaults: phone 20 s, chat 60 s, counter/appointment/assisted 10 min);
- share who gave up: gave up ÷ (served + gave up); turned away (closed, no free slot) and
  no-shows are reported as their own counts;
- staff hours: agents on duty × hours, overtime to finish the queue included; FTE: staff hours ÷
  (37 h × weeks in the horizon); utilisation: busy ÷ on duty;
- self-service rate: self-service contacts ÷ all contacts (overall only);
- cost: staff hours × the channel's cost per hour.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import random
import statistics
from collections.abc import Callable

from .engine import Model, RunResult, Station, StationStats, build_model, mmc_model, run
from .scenario import Scenario

HOURS_PER_FTE_WEEK = 37.0
COUNTS = ("arrivals", "served", "abandoned", "turned_away", "no_show")
MEASURES = (
    "wait_mean",
    "wait_p80",
    "wait_p95",
    "service_level",
    "abandon_share",
    "staff_hours",
    "fte",
    "utilisation",
    "self_service_rate",
    "cost",
    *COUNTS,
)

# Two-sided 95 % Student t quantiles t(0.975, df); between rows interpolated in 1/df.
_T975 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    21: 2.080,
    22: 2.074,
    23: 2.069,
    24: 2.064,
    25: 2.060,
    26: 2.056,
    27: 2.052,
    28: 2.048,
    29: 2.045,
    30: 2.042,
    40: 2.021,
    60: 2.000,
    120: 1.980,
}
_Z975 = 1.959964


def t_quantile_975(df: int) -> float:
    if df < 1:
        raise ValueError("needs at least one degree of freedom")
    if df in _T975:
        return _T975[df]
    if df > 120:  # interpolate between 120 and the normal limit in 1/df
        return _Z975 + (_T975[120] - _Z975) * 120 / df
    lower = max(k for k in _T975 if k < df)
    upper = min(k for k in _T975 if k > df)
    weight = (1 / df - 1 / upper) / (1 / lower - 1 / upper)
    return _T975[upper] + weight * (_T975[lower] - _T975[upper])


@dataclasses.dataclass(frozen=True)
class Estimate:
    """Mean over replications and its 95 % t interval (None with fewer than 2 values)."""

    mean: float
    low: float | None
    high: float | None
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Estimate | None:
        values = [v for v in values if v is not None]
        if not values:
            return None
        mean = statistics.fmean(values)
        if len(values) < 2:
            return cls(mean=mean, low=None, high=None, n=1)
        half = t_quantile_975(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
        return cls(mean=mean, low=mean - half, high=mean + half, n=len(values))

    def covers(self, value: float) -> bool:
        return self.low is not None and self.low <= value <= self.high

    def as_dict(self) -> dict:
        ci = [self.low, self.high] if self.low is not None else None
        return {"mean": self.mean, "ci95": ci}


@dataclasses.dataclass(frozen=True)
class ScenarioResult:
    name: str
    replications: int
    seed: int
    days: int
    # measure → Estimate (None when it does not apply, e.g. waits in self-service)
    overall: dict[str, Estimate | None]
    channels: dict[str, dict[str, Estimate | None]]
    stations: dict[str, dict[str, Estimate | None]]

    def as_dict(self) -> dict:
        def measures(group: dict[str, Estimate | None]) -> dict:
            return {key: (value.as_dict() if value else None) for key, value in group.items()}

        return {
            "name": self.name,
            "replications": self.replications,
            "seed": self.seed,
            "days": self.days,
            "overall": measures(self.overall),
            "channels": {key: measures(group) for key, group in self.channels.items()},
            "stations": {key: measures(group) for key, group in self.stations.items()},
        }


def replication_rng(seed: int, replication: int) -> random.Random:
    """An independent stream for replication `replication` of a run with this seed."""
    digest = hashlib.sha256(f"indgang-scenario/{seed}/{replication}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def _percentile(ordered: list[float], fraction: float) -> float:
    """Linear interpolation between order statistics (ordered must be sorted, non-empty)."""
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def group_measures(
    stations: list[Station], stats: list[StationStats], *, weeks: float
) -> dict[str, float | None]:
    """The measures of one replication for a group of stations (a channel, a point, all)."""
    total = StationStats()
    waits: list[float] = []
    self_service = 0
    cost = 0.0
    for station, one in zip(stations, stats, strict=True):
        for name in (*COUNTS, "waited", "within_target", "staff_seconds", "busy_seconds"):
            setattr(total, name, getattr(total, name) + getattr(one, name))
        if station.staffed:
            waits.extend(one.waits)
        else:
            self_service += one.served
        cost += one.staff_seconds / 3600.0 * station.cost_per_hour
    waits.sort()
    reached = total.served - self_service + total.abandoned
    staff_hours = total.staff_seconds / 3600.0
    return {
        "wait_mean": statistics.fmean(waits) if waits else None,
        "wait_p80": _percentile(waits, 0.80) if waits else None,
        "wait_p95": _percentile(waits, 0.95) if waits else None,
        "service_level": total.within_target / reached if reached else None,
        "abandon_share": total.abandoned / reached if reached else None,
        "staff_hours": staff_hours,
        "fte": staff_hours / (HOURS_PER_FTE_WEEK * weeks),
        "utilisation": total.busy_seconds / total.staff_seconds if total.staff_seconds else None,
        "self_service_rate": self_service / total.arrivals if total.arrivals else None,
        "cost": cost,
        **{name: float(getattr(total, name)) for name in COUNTS},
    }


def _estimates(rows: list[dict[str, float | None]]) -> dict[str, Estimate | None]:
    return {name: Estimate.of([row[name] for row in rows]) for name in MEASURES}


def run_scenario(
    scenario: Scenario,
    *,
    replications: int = 10,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> ScenarioResult:
    """Simulate `replications` independent runs of the scenario and estimate every measure."""
    if replications < 1:
        raise ValueError("replications must be at least 1")
    model = build_model(scenario)
    weeks = scenario.days / 7.0
    groups: dict[str, dict[str, list[int]]] = {"channels": {}, "stations": {}}
    for i, station in enumerate(model.stations):
        groups["channels"].setdefault(station.channel, []).append(i)
        groups["stations"][station.key] = [i]
    rows: dict[tuple[str, str], list] = {}
    overall_rows = []
    for replication in range(replications):
        result = run(model, replication_rng(seed, replication))
        overall_rows.append(group_measures(model.stations, result.stations, weeks=weeks))
        for kind, members in groups.items():
            for key, indices in members.items():
                rows.setdefault((kind, key), []).append(
                    group_measures(
                        [model.stations[i] for i in indices],
                        [result.stations[i] for i in indices],
                        weeks=weeks,
                    )
                )
        if progress is not None:
            progress(replication + 1, replications)
    return ScenarioResult(
        name=scenario.name,
        replications=replications,
        seed=seed,
        days=scenario.days,
        overall=_estimates(overall_rows),
        channels={key: _estimates(rows[("channels", key)]) for key in groups["channels"]},
        stations={key: _estimates(rows[("stations", key)]) for key in groups["stations"]},
    )


def mmc_measures(result: RunResult) -> dict[str, float | None]:
    """The Erlang quantities of one M/M/c(+M) run, counted over the calls after the warm-up."""
    stats = result.stations[0]
    offered = stats.arrivals
    return {
        "probability_of_waiting": stats.waited / offered if offered else None,
        "service_level": stats.within_target / offered if offered else None,
        "average_wait": statistics.fmean(stats.waits) if stats.waits else None,
        "probability_of_abandon": stats.abandoned / offered if offered else None,
    }


def run_mmc(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    agents: int,
    hours: float,
    patience_seconds: float | None = None,
    answer_time_seconds: float = 0.0,
    replications: int = 10,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Estimate | None]:
    """Replicate one M/M/c(+M) queue (see engine.mmc_model) and estimate the Erlang measures.

    `average_wait` is the mean wait of answered calls (Erlang's ASA); `service_level` counts
    calls answered within `answer_time_seconds` out of all offered (a caller who hangs up
    misses it), as insight/erlang.py does.
    """
    if replications < 1:
        raise ValueError("replications must be at least 1")
    model: Model = mmc_model(
        calls=calls,
        interval_seconds=interval_seconds,
        aht_seconds=aht_seconds,
        agents=agents,
        hours=hours,
        patience_seconds=patience_seconds,
        answer_time_seconds=answer_time_seconds,
    )
    rows = []
    for replication in range(replications):
        rows.append(mmc_measures(run(model, replication_rng(seed, replication))))
        if progress is not None:
            progress(replication + 1, replications)
    names = ["probability_of_waiting", "service_level", "average_wait"]
    if patience_seconds:
        names.append("probability_of_abandon")
    return {name: Estimate.of([row[name] for row in rows]) for name in names}
