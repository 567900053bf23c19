"""Simulated customers per second: Indgang's event-list simulator against a minimal SimPy model of
the same M/M/c queue, in the same run.

    .venv/bin/python bench/simulation.py [--hours 200] [--replications 5] [--agents 14]
                                         [--calls 100] [--interval 1800] [--aht 180]

Both simulate the issue's example queue (100 calls per 30 minutes, 180 s exponential handling,
14 agents, FIFO, nobody hangs up) for `--hours` per replication, `--replications` times, with
the same seeds; the first hour of each run is warm-up and left out of the mean wait. The SimPy
model is what one would write by hand: a source process and a process per caller requesting a
`simpy.Resource` with 14 servers.

Printed: customers simulated, wall time, customers per second, the ratio to SimPy (the issue's
target is ≥ 0.5×), and the mean wait of each with its 95 % interval over replications, next to
Erlang C's exact value; the run fails (exit 1) if the two means differ by more than the 95 %
interval of their difference, or if we are below 0.5× of SimPy.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time

import simpy

from indgang.insight.erlang import erlang_c_metrics
from indgang.scenarios.engine import mmc_model, run
from indgang.scenarios.replications import Estimate, replication_rng, t_quantile_975

WARMUP = 3600.0


def indgang_run(args, replication: int) -> tuple[int, list[float]]:
    model = mmc_model(
        calls=args.calls,
        interval_seconds=args.interval,
        aht_seconds=args.aht,
        agents=args.agents,
        hours=args.hours,
        warmup_seconds=WARMUP,
    )
    result = run(model, replication_rng(args.seed, replication))
    return result.contacts, result.stations[0].waits


def simpy_run(args, replication: int) -> tuple[int, list[float]]:
    rng = replication_rng(args.seed, replication)
    arrival_rate = args.calls / args.interval
    service_rate = 1.0 / args.aht
    horizon = args.hours * 3600.0
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=args.agents)
    waits: list[float] = []
    customers = 0

    def caller(arrived: float):
        with agents.request() as request:
            yield request
            if arrived >= WARMUP:
                waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(service_rate))

    def source():
        nonlocal customers
        while True:
            yield env.timeout(rng.expovariate(arrival_rate))
            if env.now >= horizon:
                return
            customers += 1
            env.process(caller(env.now))

    env.process(source())
    env.run()
    return customers, waits


def measure(label: str, simulate, args) -> dict:
    customers = 0
    means = []
    started = time.perf_counter()
    for replication in range(args.replications):
        count, waits = simulate(args, replication)
        customers += count
        means.append(statistics.fmean(waits))
    wall = time.perf_counter() - started
    return {
        "label": label,
        "customers": customers,
        "wall": wall,
        "rate": customers / wall,
        "means": means,
        "wait": Estimate.of(means),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=200.0, help="simulated hours per run")
    parser.add_argument("--replications", type=int, default=5, help="runs per simulator")
    parser.add_argument("--calls", type=float, default=100.0, help="calls per interval")
    parser.add_argument("--interval", type=float, default=1800.0, help="interval in seconds")
    parser.add_argument("--aht", type=float, default=180.0, help="handling time in seconds")
    parser.add_argument("--agents", type=int, default=14, help="agents")
    parser.add_argument("--seed", type=int, default=1, help="seed for both")
    args = parser.parse_args()
    if args.replications < 2:
        parser.error("--replications must be at least 2 (for an interval)")

    # Warm both up once (imports, caches) on a short run so neither pays it in the timing.
    short = argparse.Namespace(**{**vars(args), "hours": 2.0})
    indgang_run(short, 0)
    simpy_run(short, 0)

    rows = [measure("SimPy (baseline)", simpy_run, args), measure("indgang", indgang_run, args)]
    exact = erlang_c_metrics(
        calls=args.calls,
        interval_seconds=args.interval,
        aht_seconds=args.aht,
        agents=args.agents,
        answer_time_seconds=20,
    ).average_speed_of_answer

    baseline = rows[0]
    print(
        f"M/M/{args.agents}: {args.calls:g} calls per {args.interval:g} s, AHT {args.aht:g} s; "
        f"{args.replications} × {args.hours:g} h per simulator (first hour warm-up), seed "
        f"{args.seed}\n"
    )
    print(
        f"{'simulator':<18} {'customers':>10} {'seconds':>8} {'customers/s':>12} "
        f"{'× SimPy':>8} {'mean wait s':>12} {'95 % interval':>17}"
    )
    for row in rows:
        wait = row["wait"]
        print(
            f"{row['label']:<18} {row['customers']:>10,} {row['wall']:>8.2f} "
            f"{row['rate']:>12,.0f} {row['rate'] / baseline['rate']:>8.2f} {wait.mean:>12.3f} "
            f"{f'{wait.low:.3f} – {wait.high:.3f}':>17}"
        )
    print(f"{'Erlang C (exact)':<18} {'':>10} {'':>8} {'':>12} {'':>8} {exact:>12.3f}")

    # The two simulators agree if 0 lies in the 95 % interval of the difference of their means.
    ours, theirs = rows[1]["means"], rows[0]["means"]
    difference = statistics.fmean(ours) - statistics.fmean(theirs)
    spread = math.sqrt(
        statistics.variance(ours) / len(ours) + statistics.variance(theirs) / len(theirs)
    )
    half = t_quantile_975(len(ours) + len(theirs) - 2) * spread
    agree = abs(difference) <= half
    fast = rows[1]["rate"] >= 0.5 * baseline["rate"]
    print(
        f"\nMean wait, indgang − SimPy: {difference:+.3f} s ± {half:.3f} s: "
        + ("the same within the interval." if agree else "DIFFERENT!")
    )
    print(
        f"Speed: {rows[1]['rate'] / baseline['rate']:.2f}× SimPy (target ≥ 0.5×): "
        + ("met." if fast else "NOT MET!")
    )
    return 0 if agree and fast else 1


if __name__ == "__main__":
    sys.exit(main())
