"""A full week's staffing with Indgang's Erlang C against pyworkforce's ErlangC, in one run.

    .venv/bin/python bench/staffing.py [--repeat 5] [--seed 7]

A week is 5 channels × 7 days × 48 half-hour intervals (1,680 intervals) with volumes shaped like
a municipal citizen service: a Monday peak falling through the week, a morning and an
early-afternoon peak inside the opening hours, short Saturday hours, Sunday closed, and Poisson
noise around the expected volume (seeded, so every run staffs the same week). Each channel has
its own handling time and target (phone 80 % in 20 s, chat 80 % in 60 s, counter 80 % in 10 min,
…) and 30 % shrinkage.

Both engines staff every open interval in this process, one after the other, `--repeat` times;
the table shows the median time per week and the ratio to pyworkforce. They must agree: the
script counts the intervals where the required agents differ (and exits non-zero if any do),
and separately where the scheduled agents after shrinkage differ (pyworkforce takes
ceil(21 / 0.7) of the float 30.000000000000004, i.e. 31; Indgang rounds that noise away). A second week at 25 × the volume (a national line,
hundreds of agents per interval) shows how both scale. Erlang A for the same week (patience
2 minutes) is timed too; pyworkforce has no Erlang A, so it has no ratio.

pyworkforce is a development dependency; Indgang's product code never imports it.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import indgang  # noqa: F401
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from pyworkforce.queuing import ErlangC  # noqa: E402

from indgang.insight.erlang import erlang_a_required, erlang_c_required  # noqa: E402

INTERVAL_SECONDS = 1800
SHRINKAGE = 0.3


@dataclass(frozen=True)
class Channel:
    name: str
    weekly_contacts: int
    aht_seconds: float
    target: float
    answer_time_seconds: float


CHANNELS = [
    Channel("phone", 9000, 240, 0.8, 20),
    Channel("chat", 2500, 420, 0.8, 60),
    Channel("counter walk-in", 3000, 600, 0.8, 600),
    Channel("assisted self-service", 900, 900, 0.8, 300),
    Channel("switchboard", 6000, 60, 0.9, 15),
]
# Share of the week's contacts per weekday (Monday first) and opening hours per weekday.
DAY_SHARE = [0.26, 0.21, 0.2, 0.2, 0.11, 0.02, 0.0]
OPEN_HOURS = [(8, 17), (8, 17), (8, 17), (8, 18), (8, 15), (10, 13), (0, 0)]


def _intraday(opens: int, closes: int) -> list[float]:
    """Weights of the 48 half hours: zero when closed, peaks around 9:30 and 13:00."""
    weights = []
    for slot in range(48):
        hour = slot / 2 + 0.25
        if not opens <= hour < closes:
            weights.append(0.0)
            continue
        weights.append(
            1.0
            + 1.6 * math.exp(-((hour - 9.5) ** 2) / 1.5)
            + 1.1 * math.exp(-((hour - 13.0) ** 2) / 2.0)
        )
    total = sum(weights)
    return [w / total for w in weights] if total else weights


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 50:  # normal approximation, rounded, for large means
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def week(seed: int, scale: float) -> list[tuple[Channel, int]]:
    """(channel, calls) for every interval of the week, closed intervals included (0 calls)."""
    rng = random.Random(seed)
    intervals = []
    for channel in CHANNELS:
        for day in range(7):
            shape = _intraday(*OPEN_HOURS[day])
            for slot in range(48):
                expected = channel.weekly_contacts * scale * DAY_SHARE[day] * shape[slot]
                intervals.append((channel, _poisson(rng, expected)))
    return intervals


def staff_ours(intervals) -> list[tuple[int, int]]:
    answers = []
    for channel, calls in intervals:
        if calls == 0:
            answers.append((0, 0))
            continue
        result = erlang_c_required(
            calls=calls,
            interval_seconds=INTERVAL_SECONDS,
            aht_seconds=channel.aht_seconds,
            target=channel.target,
            answer_time_seconds=channel.answer_time_seconds,
            shrinkage=SHRINKAGE,
        )
        answers.append((result.agents, result.scheduled_agents))
    return answers


def staff_pyworkforce(intervals) -> list[tuple[int, int]]:
    answers = []
    for channel, calls in intervals:
        if calls == 0:  # pyworkforce refuses 0 transactions
            answers.append((0, 0))
            continue
        result = ErlangC(
            transactions=calls,
            aht=channel.aht_seconds / 60,
            asa=channel.answer_time_seconds / 60,
            interval=INTERVAL_SECONDS / 60,
            shrinkage=SHRINKAGE,
        ).required_positions(service_level=channel.target)
        answers.append((result["raw_positions"], result["positions"]))
    return answers


def staff_erlang_a(intervals) -> list[tuple[int, int]]:
    answers = []
    for channel, calls in intervals:
        if calls == 0:
            answers.append((0, 0))
            continue
        result = erlang_a_required(
            calls=calls,
            interval_seconds=INTERVAL_SECONDS,
            aht_seconds=channel.aht_seconds,
            patience_seconds=120,
            target=channel.target,
            answer_time_seconds=channel.answer_time_seconds,
            shrinkage=SHRINKAGE,
        )
        answers.append((result.agents, result.scheduled_agents))
    return answers


def timed(function, intervals, repeat: int):
    times, answers = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        answers = function(intervals)
        times.append(time.perf_counter() - started)
    return statistics.median(times), answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="weeks timed per engine")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated volumes")
    args = parser.parse_args()

    print(
        f"{'week':<22} {'engine':<24} {'ms/week':>9} {'time ratio':>14} "
        f"{'agent mismatches':>17} {'scheduled mismatches':>21}"
    )
    failed = False
    for label, scale in (("municipal volumes", 1), ("national line (× 25)", 25)):
        intervals = week(args.seed, scale)
        open_intervals = sum(1 for _channel, calls in intervals if calls)
        base_time, base = timed(staff_pyworkforce, intervals, args.repeat)
        our_time, ours = timed(staff_ours, intervals, args.repeat)
        a_time, erlang_a = timed(staff_erlang_a, intervals, max(1, args.repeat // 2))
        agent_mismatches = sum(1 for o, b in zip(ours, base, strict=True) if o[0] != b[0])
        scheduled_mismatches = sum(1 for o, b in zip(ours, base, strict=True) if o[1] != b[1])
        peak_agents = max(agents for agents, _scheduled in ours)
        failed = failed or agent_mismatches > 0
        print(f"{label:<22} {'pyworkforce ErlangC':<24} {base_time * 1000:>9.1f} {1:>14.2f}")
        print(
            f"{'':<22} {'Indgang erlang_c_required':<24} {our_time * 1000:>9.1f} "
            f"{our_time / base_time:>14.2f} {agent_mismatches:>17} {scheduled_mismatches:>21}"
        )
        print(f"{'':<22} {'Indgang erlang_a_required':<24} {a_time * 1000:>9.1f} {'-':>14}")
        fewer = sum(1 for a, c in zip(erlang_a, ours, strict=True) if a[0] < c[0])
        print(
            f"{'':<22} {len(intervals)} intervals, {open_intervals} open, "
            f"peak {peak_agents} agents; Erlang A (patience 2 min) needs fewer agents in "
            f"{fewer} intervals\n"
        )
    print(
        "time ratio: time per week / pyworkforce's (below 1 is faster). Scheduled agents differ\n"
        "where pyworkforce rounds up float noise: 21 / (1 - 0.3) = 30.000000000000004 -> 31."
    )
    if failed:
        print("Indgang and pyworkforce disagree on required agents.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
