"""`indgang staffing erlang-c|erlang-a …`: agents needed for a queue, or how a given number does.

The maths is in indgang.insight.erlang; this only parses, validates and prints.
"""

from __future__ import annotations

import json
import math

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indgang.insight.erlang import (
    StaffingInputError,
    StaffingResult,
    erlang_a_metrics,
    erlang_a_required,
    erlang_c_metrics,
    erlang_c_required,
)


def _add_common(parser) -> None:
    parser.add_argument("--calls", type=float, required=True, help="calls arriving per interval")
    parser.add_argument(
        "--interval", type=float, required=True, help="interval length in seconds (e.g. 1800)"
    )
    parser.add_argument("--aht", type=float, required=True, help="average handling time in seconds")
    parser.add_argument(
        "--target",
        type=float,
        help="service level target as a fraction, e.g. 0.8 (required unless --agents)",
    )
    parser.add_argument(
        "--answer-time",
        type=float,
        required=True,
        help="seconds within which a call counts as answered in time (e.g. 20)",
    )
    parser.add_argument(
        "--agents", type=int, help="report on this many agents instead of finding the fewest"
    )
    parser.add_argument(
        "--shrinkage",
        type=float,
        help="share of paid time off the queue, e.g. 0.3; adds scheduled_agents",
    )
    parser.add_argument(
        "--max-occupancy",
        type=float,
        default=1.0,
        help="highest acceptable occupancy, e.g. 0.85 (default 1)",
    )
    parser.add_argument(
        "--max-agents", type=int, help="give up (error) if more agents than this would be needed"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")


class Command(BaseCommand):
    # Pure arithmetic: no database or URLs involved, so skip the system checks.
    requires_system_checks = []
    help = (
        "Staffing for a queue: erlang-c (everyone waits) or erlang-a (callers hang up after "
        "--patience seconds on average). Prints the fewest agents meeting --target, or with "
        "--agents K the service level of K agents."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        sub.required = True
        erlang_c = sub.add_parser(
            "erlang-c", help="Erlang C (M/M/c): no caller gives up.", description=self.help
        )
        _add_common(erlang_c)
        erlang_a = sub.add_parser(
            "erlang-a",
            help="Erlang A (M/M/c+M): callers give up after an exponential patience.",
            description=self.help,
        )
        _add_common(erlang_a)
        erlang_a.add_argument(
            "--patience",
            type=float,
            required=True,
            help="average time in seconds a caller waits before hanging up",
        )

    def handle(self, *args, subcommand: str, **options):
        agents, target = options["agents"], options["target"]
        if agents is None and target is None:
            raise CommandError(_("Give --target (e.g. 0.8), or --agents to evaluate a number."))
        shrinkage = options["shrinkage"]
        inputs = {
            "calls": options["calls"],
            "interval_seconds": options["interval"],
            "aht_seconds": options["aht"],
            "answer_time_seconds": options["answer_time"],
            "shrinkage": 0.0 if shrinkage is None else shrinkage,
        }
        if subcommand == "erlang-a":
            inputs["patience_seconds"] = options["patience"]
        try:
            if agents is not None:
                metrics = erlang_a_metrics if subcommand == "erlang-a" else erlang_c_metrics
                result = metrics(agents=agents, **inputs)
            else:
                required = erlang_a_required if subcommand == "erlang-a" else erlang_c_required
                result = required(
                    target=target,
                    max_occupancy=options["max_occupancy"],
                    max_agents=options["max_agents"],
                    **inputs,
                )
        except StaffingInputError as error:
            raise CommandError(str(error)) from error
        fields = result.as_dict()
        if shrinkage is None:
            fields.pop("scheduled_agents", None)
        if options["json"]:
            payload = {key: _finite_or_none(value) for key, value in fields.items()}
            self.stdout.write(json.dumps(payload, indent=2))
        else:
            self._table(subcommand, result, fields, inputs, target)

    def _table(self, subcommand, result: StaffingResult, fields, inputs, target) -> None:
        traffic = inputs["calls"] * inputs["aht_seconds"] / inputs["interval_seconds"]
        model = "Erlang A" if subcommand == "erlang-a" else "Erlang C"
        self.stdout.write(
            _(
                "%(model)s: %(traffic).2f Erlang offered (%(calls)g calls per %(interval)g s, AHT %(aht)g s)"
            )
            % {
                "model": model,
                "traffic": traffic,
                "calls": inputs["calls"],
                "interval": inputs["interval_seconds"],
                "aht": inputs["aht_seconds"],
            }
        )
        answer_time = inputs["answer_time_seconds"]
        rows = [
            (_("Agents"), str(result.agents)),
            (
                _("Service level (answered within %(seconds)g s)") % {"seconds": answer_time},
                _percent(result.service_level),
            ),
            (_("Probability of waiting"), _percent(result.probability_of_waiting)),
            (_("Average speed of answer"), _seconds(result.average_speed_of_answer)),
            (_("Occupancy"), _percent(result.occupancy)),
        ]
        if "probability_of_abandon" in fields:
            rows.append((_("Probability of abandon"), _percent(result.probability_of_abandon)))
        if "scheduled_agents" in fields:
            rows.append(
                (
                    _("Scheduled agents (%(shrinkage)s shrinkage)")
                    % {"shrinkage": _percent(inputs["shrinkage"])},
                    str(result.scheduled_agents),
                )
            )
        if target is not None:
            met = result.service_level >= target
            rows.append(
                (
                    _("Target %(target)s met") % {"target": _percent(target)},
                    _("yes") if met else _("no"),
                )
            )
        width = max(len(label) for label, _value in rows)
        for label, value in rows:
            self.stdout.write(f"{label:<{width}}  {value:>10}")


def _finite_or_none(value):
    # JSON has no infinity: an unbounded wait is written as null.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _percent(value: float) -> str:
    return f"{value * 100:.2f} %"


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if math.isfinite(value) else _("unbounded")
