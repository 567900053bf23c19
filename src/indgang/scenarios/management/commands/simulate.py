"""`indgang simulate SCENARIO.yaml` runs a scenario; `indgang simulate mmc …` checks the simulator
against Erlang C / Erlang A on a single M/M/c(+M) queue; `indgang simulate from-data …` writes a
scenario of today's service model from the municipality's own data."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indgang.insight.erlang import StaffingInputError, erlang_a_metrics, erlang_c_metrics
from indgang.scenarios.from_data import NoContactHistory, scenario_yaml_from_data
from indgang.scenarios.replications import Estimate, run_mmc, run_scenario
from indgang.scenarios.scenario import MAX_DAYS, ScenarioError, load_scenario

MAX_REPLICATIONS = 1000
MAX_MMC_CONTACTS = 50_000_000  # calls × replications: a few minutes at most
CHANNEL_ORDER = ("counter", "appointment", "assisted_self_service", "phone", "chat", "self_service")


class Command(BaseCommand):
    help = (
        "Simulate a scenario file: simulate SCENARIO.yaml [--replications N] [--seed S] [--json]. "
        "Check against Erlang C/A: simulate mmc --calls N --interval SECONDS --aht SECONDS "
        "--agents K [--patience SECONDS] [--answer-time SECONDS] --hours H --seed S [--json]. "
        "Today's model from data: simulate from-data --start YYYY-MM-DD --days N [--output FILE]."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "target",
            help='a scenario file (YAML), "mmc" for one queue, or "from-data" to write a scenario',
        )
        parser.add_argument(
            "--replications", type=int, default=None, help="independent runs (default 10)"
        )
        parser.add_argument("--seed", type=int, default=None, help="random seed (default 1)")
        parser.add_argument("--json", action="store_true", help="print JSON")
        mmc = parser.add_argument_group("mmc: one M/M/c queue, Erlang C (with --patience: A)")
        mmc.add_argument("--calls", type=float, help="calls per interval")
        mmc.add_argument("--interval", type=float, help="interval length in seconds")
        mmc.add_argument("--aht", type=float, help="average handling time in seconds")
        mmc.add_argument("--agents", type=int, help="agents on duty")
        mmc.add_argument("--patience", type=float, help="mean patience in seconds (Erlang A)")
        mmc.add_argument(
            "--answer-time",
            type=float,
            default=None,
            help="service-level target in seconds (default 20)",
        )
        mmc.add_argument("--hours", type=float, help="simulated hours per replication")
        data = parser.add_argument_group("from-data: today's service model as a scenario file")
        data.add_argument("--start", help="first day of the scenario, YYYY-MM-DD")
        data.add_argument("--days", type=int, help="number of days (1-366)")
        data.add_argument("--output", help="write the YAML to this file (default: stdout)")

    def handle(self, *args, target: str, **options):
        from_data = ("start", "days", "output")
        if target == "from-data":
            return self._from_data(options)
        used = [f"--{name}" for name in from_data if options[name] is not None]
        if used:
            raise CommandError(f"{', '.join(used)} only apply to `simulate from-data`")
        replications = options["replications"] if options["replications"] is not None else 10
        if not 2 <= replications <= MAX_REPLICATIONS:
            raise CommandError(
                f"--replications must be between 2 and {MAX_REPLICATIONS} "
                "(a confidence interval needs at least two)"
            )
        seed = options["seed"] if options["seed"] is not None else 1
        if target == "mmc":
            return self._mmc(replications=replications, seed=seed, options=options)
        used = [
            f"--{name.replace('_', '-')}"
            for name in ("calls", "interval", "aht", "agents", "patience", "answer_time", "hours")
            if options[name] is not None
        ]
        if used:
            raise CommandError(f"{', '.join(used)} only apply to `simulate mmc`")
        self._scenario(Path(target), replications=replications, seed=seed, as_json=options["json"])

    # -- today's model from data -------------------------------------------------------------

    def _from_data(self, options: dict) -> None:
        if options["start"] is None or options["days"] is None:
            raise CommandError("simulate from-data needs --start YYYY-MM-DD and --days N")
        try:
            start = dt.date.fromisoformat(options["start"])
        except ValueError:
            raise CommandError("--start must be a date like 2026-03-02") from None
        if not 1 <= options["days"] <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}")
        try:
            text = scenario_yaml_from_data(start=start, days=options["days"])
        except NoContactHistory as error:
            raise CommandError("\n".join(error.errors)) from None
        if options["output"]:
            path = Path(options["output"])
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as error:
                raise CommandError(f"cannot write {path}: {error}") from None
            self.stderr.write(f"wrote {path}")
            return
        self.stdout.write(text, ending="")

    # -- progress on stderr --------------------------------------------------------------------

    def _progress(self, label: str):
        def show(done: int, total: int) -> None:
            width = 30
            filled = round(width * done / total)
            bar = "#" * filled + "-" * (width - filled)
            end = "\n" if done == total else ""
            self.stderr.write(f"\r{label} [{bar}] {done}/{total} replications", ending=end)
            self.stderr.flush()

        return show

    # -- a scenario file -----------------------------------------------------------------------

    def _scenario(self, path: Path, *, replications: int, seed: int, as_json: bool) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}") from None
        try:
            scenario = load_scenario(text)
        except ScenarioError as error:
            raise CommandError(
                f"{path} is not a valid scenario:\n" + "\n".join(f"  {e}" for e in error.errors)
            ) from None
        result = run_scenario(
            scenario,
            replications=replications,
            seed=seed,
            progress=self._progress(scenario.name),
        )
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"{scenario.name}: {scenario.days} days from {scenario.start.isoformat()}, "
            f"{replications} replications, seed {seed}; mean ± half the 95 % interval\n"
        )
        columns = (
            ("wait_mean", "wait min", _minutes),
            ("wait_p80", "p80 min", _minutes),
            ("wait_p95", "p95 min", _minutes),
            ("service_level", "in target", _percent),
            ("abandon_share", "gave up", _percent),
            ("staff_hours", "staff h", _plain),
            ("fte", "FTE", _plain2),
            ("utilisation", "busy", _percent),
            ("cost", "cost kr", _plain),
        )
        header = f"{'':<38}" + "".join(f"{title:>17}" for _, title, _ in columns)
        self.stdout.write(header)
        rows = [
            (channel, result.channels[channel])
            for channel in CHANNEL_ORDER
            if channel in result.channels
        ]
        rows += [(f"  {key}", group) for key, group in result.stations.items()]
        rows.append(("all channels", result.overall))
        for label, group in rows:
            cells = "".join(f"{_cell(group[name], fmt):>17}" for name, _, fmt in columns)
            self.stdout.write(f"{label:<38}{cells}")
        overall = result.overall
        self.stdout.write(
            "\ncontacts "
            + ", ".join(
                f"{name.replace('_', ' ')} {overall[name].mean:,.0f}"
                for name in ("arrivals", "served", "abandoned", "turned_away", "no_show")
            )
            + f"; self-service rate {_cell(overall['self_service_rate'], _percent).strip()}"
        )

    # -- one M/M/c queue ----------------------------------------------------------------------

    def _mmc(self, *, replications: int, seed: int, options: dict) -> None:
        missing = [
            f"--{name}"
            for name in ("calls", "interval", "aht", "agents", "hours")
            if options[name] is None
        ]
        if missing:
            raise CommandError(f"simulate mmc needs {', '.join(missing)}")
        calls, interval, aht = options["calls"], options["interval"], options["aht"]
        agents, hours, patience = options["agents"], options["hours"], options["patience"]
        answer_time = options["answer_time"] if options["answer_time"] is not None else 20.0
        for name, value in (("--calls", calls), ("--interval", interval), ("--aht", aht)):
            if not math.isfinite(value) or value <= 0:
                raise CommandError(f"{name} must be a number above 0")
        if agents < 1 or agents > 10_000:
            raise CommandError("--agents must be between 1 and 10000")
        if not math.isfinite(hours) or hours <= 0:
            raise CommandError("--hours must be a number above 0")
        if patience is not None and (not math.isfinite(patience) or patience <= 0):
            raise CommandError("--patience must be a number of seconds above 0")
        if not math.isfinite(answer_time) or answer_time < 0:
            raise CommandError("--answer-time must be 0 seconds or more")
        traffic = calls * aht / interval
        if patience is None and traffic >= agents:
            raise CommandError(
                f"the offered traffic ({traffic:.2f} Erlang) needs more than {agents} agents: "
                "without --patience the queue grows without bound (Erlang C has no answer)"
            )
        contacts = calls / interval * hours * 3600 * replications
        if contacts > MAX_MMC_CONTACTS:
            raise CommandError(
                f"that is about {contacts:,.0f} calls in all; keep calls × hours × replications "
                f"under {MAX_MMC_CONTACTS:,}"
            )
        estimates = run_mmc(
            calls=calls,
            interval_seconds=interval,
            aht_seconds=aht,
            agents=agents,
            hours=hours,
            patience_seconds=patience,
            answer_time_seconds=answer_time,
            replications=replications,
            seed=seed,
            progress=self._progress("M/M/c" + ("+M" if patience else "")),
        )
        try:
            if patience is None:
                exact = erlang_c_metrics(
                    calls=calls,
                    interval_seconds=interval,
                    aht_seconds=aht,
                    agents=agents,
                    answer_time_seconds=answer_time,
                )
            else:
                exact = erlang_a_metrics(
                    calls=calls,
                    interval_seconds=interval,
                    aht_seconds=aht,
                    patience_seconds=patience,
                    agents=agents,
                    answer_time_seconds=answer_time,
                )
        except StaffingInputError as error:
            raise CommandError(str(error)) from None
        exact_values = {
            "probability_of_waiting": exact.probability_of_waiting,
            "service_level": exact.service_level,
            "average_wait": exact.average_speed_of_answer,
        }
        if patience is not None:
            exact_values["probability_of_abandon"] = exact.probability_of_abandon
        if options["json"]:
            out = {name: _estimate_dict(estimate) for name, estimate in estimates.items()}
            out["exact"] = {"model": "erlang_a" if patience else "erlang_c", **exact_values}
            out["inputs"] = {
                "calls": calls,
                "interval_seconds": interval,
                "aht_seconds": aht,
                "agents": agents,
                "patience_seconds": patience,
                "answer_time_seconds": answer_time,
                "hours": hours,
                "replications": replications,
                "seed": seed,
            }
            self.stdout.write(json.dumps(out, indent=2))
            return
        model = "Erlang A" if patience else "Erlang C"
        self.stdout.write(
            f"M/M/{agents}{'+M' if patience else ''}: {calls:g} calls per {interval:g} s, AHT "
            f"{aht:g} s ({traffic:.2f} Erlang){f', patience {patience:g} s' if patience else ''}; "
            f"{replications} × {hours:g} h (first {min(60.0, hours * 6):g} min of each left "
            f"out as warm-up), seed {seed}\n"
        )
        self.stdout.write(
            f"{'measure':<34}{'simulated':>12}{'95 % interval':>24}{model:>12}{'inside':>8}"
        )
        labels = {
            "probability_of_waiting": "probability of waiting",
            "service_level": f"service level ({answer_time:g} s)",
            "average_wait": "average wait of answered (s)",
            "probability_of_abandon": "probability of abandon",
        }
        for name, estimate in estimates.items():
            if estimate is None:
                self.stdout.write(f"{labels[name]:<34}{'–':>12}")
                continue
            interval_text = (
                f"{estimate.low:.4f} – {estimate.high:.4f}" if estimate.low is not None else "–"
            )
            inside = "yes" if estimate.covers(exact_values[name]) else "no"
            self.stdout.write(
                f"{labels[name]:<34}{estimate.mean:>12.4f}{interval_text:>24}"
                f"{exact_values[name]:>12.4f}{inside:>8}"
            )


def _estimate_dict(estimate: Estimate | None) -> dict | None:
    return estimate.as_dict() if estimate is not None else None


def _cell(estimate: Estimate | None, fmt) -> str:
    if estimate is None:
        return "–"
    if estimate.low is None:
        return fmt(estimate.mean)
    return f"{fmt(estimate.mean)} ±{fmt((estimate.high - estimate.low) / 2).strip('%')}"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}"


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _plain(value: float) -> str:
    return f"{value:,.0f}"


def _plain2(value: float) -> str:
    return f"{value:.2f}"
