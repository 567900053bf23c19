"""`indgang insight-forecast`: the demand forecast per channel and day, or its accuracy report."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.insight.forecast import Accuracy, forecast_accuracy, forecast_demand
from indgang.insight.models import ContactChannel


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from exc


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %"


def _accuracy_dict(accuracy: Accuracy) -> dict[str, Any]:
    data = {
        "mape": accuracy.mape,
        "wape": accuracy.wape,
        "actual_total": accuracy.actual_total,
        "forecast_total": accuracy.forecast_total,
        "intervals": accuracy.intervals,
    }
    if accuracy.baseline is not None:
        data["baseline"] = _accuracy_dict(accuracy.baseline)
    return data


class Command(BaseCommand):
    help = (
        "Forecast contacts per channel and day for the coming days from the contact history, or "
        "with --accuracy score the forecast on the last weeks (held out of the fit) against the "
        "naive forecast 'same interval last week'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=14, help="Days to forecast (default 14).")
        parser.add_argument("--start", help="First day to forecast, YYYY-MM-DD (default: today).")
        parser.add_argument(
            "--today", help="Forecast as if today were this date, YYYY-MM-DD (history before it)."
        )
        parser.add_argument(
            "--history-days", type=int, default=365, help="Days of history to fit on (default 365)."
        )
        parser.add_argument(
            "--channel",
            action="append",
            choices=ContactChannel.values,
            help="Only this channel (repeatable; default: every channel with history).",
        )
        parser.add_argument(
            "--accuracy", action="store_true", help="Print the accuracy report instead."
        )
        parser.add_argument(
            "--holdout-days", type=int, default=28, help="Days held out for --accuracy (28)."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["today"]) if options["today"] else timezone.localdate()
        if not 0 < options["days"] <= 366:
            raise CommandError(_("--days must be between 1 and 366."))
        if not 0 < options["history_days"] <= 3660:
            raise CommandError(_("--history-days must be between 1 and 3660."))
        if options["accuracy"]:
            if not 0 < options["holdout_days"] <= 366:
                raise CommandError(_("--holdout-days must be between 1 and 366."))
            self._accuracy(today, options)
        else:
            self._forecast(today, options)

    def _forecast(self, today: dt.date, options: dict[str, Any]) -> None:
        start = _date(options["start"]) if options["start"] else today
        forecast = forecast_demand(
            start=start,
            days=options["days"],
            channels=options["channel"],
            history_days=options["history_days"],
            today=today,
        )
        totals = {channel: forecast.day_totals(channel) for channel in forecast.channels}
        if options["json"]:
            data = {
                "start": start.isoformat(),
                "days": options["days"],
                "interval_minutes": forecast.interval_minutes,
                "channels": {
                    channel: {
                        "days": [
                            {"date": day.isoformat(), "expected": round(value, 2)}
                            for day, value in sorted(days.items())
                        ],
                        "total": round(sum(days.values()), 2),
                    }
                    for channel, days in totals.items()
                },
            }
            self.stdout.write(json.dumps(data, indent=2))
            return
        if not forecast.channels:
            self.stdout.write(_("No contact history to forecast from."))
            return
        dates = [start + dt.timedelta(days=i) for i in range(options["days"])]
        width = max(len(c) for c in forecast.channels)
        self.stdout.write(
            " ".join([_("Date").ljust(10), *(c.rjust(max(width, 8)) for c in forecast.channels)])
        )
        for day in dates:
            cells = [f"{totals[c][day]:.0f}".rjust(max(width, 8)) for c in forecast.channels]
            self.stdout.write(" ".join([day.isoformat(), *cells]))
        sums = [f"{sum(totals[c].values()):.0f}".rjust(max(width, 8)) for c in forecast.channels]
        self.stdout.write(" ".join([_("Total").ljust(10), *sums]))

    def _accuracy(self, today: dt.date, options: dict[str, Any]) -> None:
        result = forecast_accuracy(
            holdout_days=options["holdout_days"],
            channels=options["channel"],
            today=today,
            history_days=options["history_days"],
        )
        if options["json"]:
            data = {
                "holdout_days": options["holdout_days"],
                "today": today.isoformat(),
                "channels": {c: _accuracy_dict(a) for c, a in result.items()},
            }
            self.stdout.write(json.dumps(data, indent=2))
            return
        headers = (
            _("Channel"),
            _("Actual"),
            _("Forecast"),
            "MAPE",
            "WAPE",
            _("Naive MAPE"),
            _("Naive WAPE"),
        )
        rows = [
            (
                channel,
                f"{a.actual_total:.0f}",
                f"{a.forecast_total:.0f}",
                _percent(a.mape),
                _percent(a.wape),
                _percent(a.baseline.mape if a.baseline else None),
                _percent(a.baseline.wape if a.baseline else None),
            )
            for channel, a in result.items()
        ]
        widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
        for row in (headers, *rows):
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
            self.stdout.write("  ".join(cells))
        self.stdout.write(
            _(
                "Held out: the %(days)s days before %(today)s. MAPE over half-hours with contacts; "
                "WAPE = sum of absolute errors / actual contacts. Naive = same half-hour in the "
                "last week before the held-out days."
            )
            % {"days": options["holdout_days"], "today": today.isoformat()}
        )
