"""How scenario inputs and results are put into words, tables and charts for managers and the
council. Shared by the scenario page, the compare page and the printable report."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .charts import Bar, bar_chart
from .scenario import Scenario, format_minute


def channel_labels() -> dict[str, str]:
    return {
        "counter": _("Counter"),
        "appointment": _("Booked appointments"),
        "assisted_self_service": _("Assisted self-service"),
        "phone": _("Phone"),
        "chat": _("Chat"),
        "self_service": _("Self-service"),
    }


def weekday_labels() -> list[str]:
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]


# The measures shown, in order: (key in the result, label, unit).
def metric_list() -> list[tuple[str, str, str]]:
    return [
        ("wait_mean", _("Mean wait"), "minutes"),
        ("wait_p80", _("80 % waited at most"), "minutes"),
        ("wait_p95", _("95 % waited at most"), "minutes"),
        ("service_level", _("Service level (answered within the target)"), "percent"),
        ("abandon_share", _("Share who gave up"), "percent"),
        ("staff_hours", _("Staff hours"), "hours"),
        ("fte", _("Full-time equivalents (37 h a week)"), "fte"),
        ("utilisation", _("Staff utilisation"), "percent"),
        ("self_service_rate", _("Self-service rate"), "percent"),
        ("cost", _("Staff cost"), "kroner"),
        ("arrivals", _("Contacts"), "count"),
        ("turned_away", _("Turned away (closed or no free time)"), "count"),
    ]


# The measures drawn as bar charts on the compare page and in the report.
CHART_METRICS = ("wait_mean", "wait_p95", "service_level", "abandon_share", "fte", "cost")


def _scaled(value: float, unit: str) -> float:
    if unit == "minutes":
        return value / 60
    if unit == "percent":
        return value * 100
    return value


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    v = _scaled(value, unit)
    if unit == "minutes":
        return _("%(v)s min") % {"v": number_format(v, 1)}
    if unit == "percent":
        return f"{number_format(v, 1)} %"
    if unit == "hours":
        return _("%(v)s h") % {"v": number_format(v, 0, force_grouping=True)}
    if unit == "fte":
        return number_format(v, 1)
    if unit == "kroner":
        return _("%(v)s kr.") % {"v": number_format(v, 0, force_grouping=True)}
    return number_format(v, 0, force_grouping=True)


def format_interval(estimate: dict | None, unit: str) -> str:
    ci = (estimate or {}).get("ci95")
    if not ci:
        return ""
    return f"{format_value(ci[0], unit)} – {format_value(ci[1], unit)}"


def metric_rows(groups: list[dict | None]) -> list[dict]:
    """One row per measure with a cell per group (a scenario's overall, or a channel)."""
    rows = []
    for key, label, unit in metric_list():
        cells = []
        for group in groups:
            estimate = (group or {}).get(key)
            cells.append(
                {
                    "mean": format_value(estimate["mean"], unit) if estimate else "–",
                    "interval": format_interval(estimate, unit),
                }
            )
        if any(cell["mean"] != "–" for cell in cells):
            rows.append({"key": key, "label": label, "cells": cells})
    return rows


def channel_table(result: dict) -> dict:
    """Measures × (overall, each channel) for one scenario's result."""
    labels = channel_labels()
    channels = [c for c in labels if c in result.get("channels", {})]
    headers = [_("All channels")] + [labels[c] for c in channels]
    groups = [result.get("overall")] + [result["channels"][c] for c in channels]
    return {"headers": headers, "rows": metric_rows(groups)}


def compare_charts(scenarios: list, scope: str = "overall") -> list[dict]:
    """A bar chart per charted measure: one bar per scenario with its 95 % interval."""
    charts = []
    units = {key: (label, unit) for key, label, unit in metric_list()}
    for key in CHART_METRICS:
        label, unit = units[key]
        bars, rows = [], []
        for scenario in scenarios:
            estimate = (result_group(scenario.result, scope) or {}).get(key)
            if not estimate:
                continue
            low, high = estimate.get("ci95") or (estimate["mean"], estimate["mean"])
            bar = Bar(
                label=scenario.name,
                mean=_scaled(estimate["mean"], unit),
                low=_scaled(low, unit),
                high=_scaled(high, unit),
                text=format_value(estimate["mean"], unit),
            )
            bars.append(bar)
            rows.append(
                {
                    "label": scenario.name,
                    "mean": bar.text,
                    "interval": format_interval(estimate, unit),
                }
            )
        if bars:
            top = 100.0 if unit == "percent" else None
            charts.append(
                {
                    "key": key,
                    "label": label,
                    "chart": bar_chart(bars, max_value=top),
                    "rows": rows,
                }
            )
    return charts


def result_group(result: dict | None, scope: str) -> dict | None:
    """A result's measures for all channels ("overall") or for one channel."""
    if not result:
        return None
    if scope == "overall":
        return result.get("overall")
    return result.get("channels", {}).get(scope)


def _days_text(days: tuple[int, ...]) -> str:
    names = weekday_labels()
    if days == (0, 1, 2, 3, 4):
        return _("Monday to Friday")
    if days == tuple(range(7)):
        return _("every day")
    return ", ".join(names[d] for d in days)


def describe(scenario: Scenario) -> dict:
    """The scenario's inputs in plain words, for the report's assumptions."""
    labels = channel_labels()
    days = weekday_labels()
    horizon = ngettext(
        "%(days)d day from %(start)s.", "%(days)d days from %(start)s.", scenario.days
    ) % {"days": scenario.days, "start": scenario.start.strftime("%d-%m-%Y")}
    if scenario.public_holidays:
        horizon += " " + _("Closed on Danish public holidays.")
    points = []
    for point in scenario.points:
        channels = []
        for name, config in point.channels.items():
            open_minutes = sum(b - a for intervals in config.hours.values() for a, b in intervals)
            opening = "; ".join(
                f"{days[d]} "
                + ", ".join(f"{format_minute(a)}–{format_minute(b)}" for a, b in config.hours[d])
                for d in sorted(config.hours)
            )
            staff_hours = sum(
                block.agents * (block.end - block.start) / 60 * len(block.days)
                for block in config.staff
            )
            staff = [
                ngettext(
                    "%(n)d person %(days)s %(start)s–%(end)s",
                    "%(n)d people %(days)s %(start)s–%(end)s",
                    block.agents,
                )
                % {
                    "n": block.agents,
                    "days": _days_text(block.days),
                    "start": format_minute(block.start),
                    "end": format_minute(block.end),
                }
                for block in config.staff
            ]
            channels.append(
                {
                    "label": labels.get(name, name),
                    "open_hours": number_format(open_minutes / 60, 1),
                    "opening": opening or _("closed"),
                    "staff": staff,
                    "staff_hours": number_format(staff_hours, 1),
                    "cost": number_format(config.cost_per_hour, 0, force_grouping=True),
                    "patience": number_format(config.patience.mean, 1) if config.patience else None,
                    "staffed": name != "self_service",
                }
            )
        points.append({"name": point.name, "channels": channels})
    names = {p.id: p.name for p in scenario.points}
    services = []
    for service in scenario.services:
        demand = [
            _("%(n)s a week by %(channel)s at %(point)s")
            % {
                "n": number_format(d.per_week, 0, force_grouping=True),
                "channel": labels.get(d.channel, d.channel).lower(),
                "point": names.get(d.point, d.point),
            }
            for d in service.demand
        ]
        handling = [
            _("%(channel)s %(mean)s min")
            % {
                "channel": labels.get(k, _("other channels")) if k != "default" else _("default"),
                "mean": number_format(v.mean, 1),
            }
            for k, v in service.handling.items()
        ]
        services.append(
            {
                "name": service.name,
                "demand": demand,
                "handling": handling,
                "teaches": round(service.teaches * 100) if service.teaches else None,
            }
        )
    service_names = {s.id: s.name for s in scenario.services}
    shifts = []
    for shift in scenario.shifts:
        shifts.append(
            _("%(share)s %% of %(what)s by %(from)s%(at)s move to %(to)s%(to_at)s.")
            % {
                "share": number_format(shift.share * 100, 0),
                "what": service_names.get(shift.service, shift.service)
                if shift.service
                else _("all contacts"),
                "from": labels.get(shift.from_channel, shift.from_channel).lower(),
                "at": (" " + _("at %(point)s") % {"point": names.get(shift.from_point, "")})
                if shift.from_point
                else "",
                "to": labels.get(shift.to_channel, shift.to_channel).lower(),
                "to_at": (" " + _("at %(point)s") % {"point": names.get(shift.to_point, "")})
                if shift.to_point
                else "",
            }
        )
    levels = [
        _("%(channel)s: %(seconds)s seconds")
        % {"channel": labels.get(c, c), "seconds": number_format(s, 0, force_grouping=True)}
        for c, s in scenario.service_levels.items()
    ]
    return {
        "horizon": horizon,
        "points": points,
        "services": services,
        "shifts": shifts,
        "service_levels": levels,
    }
