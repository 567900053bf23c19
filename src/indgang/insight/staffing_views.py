"""The staffing page at /personale/indsigt/bemanding/: next week's demand forecast turned into staff
per half-hour and channel, with where the opening hours and desks do not fit the demand.

Readers need insight.view_contact (the Leder group). The form is a GET form; bad values give form
errors on the page. `?format=csv` with the same query returns every interval of the plan as CSV.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .erlang import StaffingInputError
from .forms_staffing import StaffingForm, next_monday
from .staffing_plan import (
    DEFAULT_SHRINKAGE,
    DEFAULT_TARGETS,
    FLAG_LABELS,
    FTE_HOURS_PER_WEEK,
    MIN_DEMAND,
    WEEKS_PER_YEAR,
    StaffingPlan,
    plan_grid,
    staffing_plan_build,
)
from .views import insight_required

MODEL_LABELS = {
    "erlang_c": "Erlang C",
    "erlang_a": "Erlang A",
}


def _model_label(model: str) -> str:
    return MODEL_LABELS.get(model) or _("Queue model for counters with booked appointments")


@require_safe
@insight_required
def staffing(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    # Empty fields show the defaults they stand for, so the form says what the plan assumes.
    data = request.GET.copy()
    if not data.get("week"):
        data["week"] = next_monday(today).isoformat()
    if not data.get("shrinkage"):
        data["shrinkage"] = str(round(DEFAULT_SHRINKAGE * 100))
    form = StaffingForm(data, today=today)
    plan = None
    if form.is_valid():
        try:
            plan = staffing_plan_build(
                start=form.cleaned_data["week"],
                days=7,
                channels=form.channels(),
                targets=form.targets(DEFAULT_TARGETS),
                shrinkage=form.shrinkage_share(),
                today=today,
            )
        except StaffingInputError:
            # The form's ranges keep the maths in bounds; should a target still be out of reach,
            # say so on the page rather than fail.
            form.add_error(None, _("No number of staff meets this target. Choose a lower one."))
    if plan is not None and request.GET.get("format") == "csv":
        return _csv_response(plan)
    query = {k: v for k, v in request.GET.items() if k != "format" and v}
    context = {
        "form": form,
        "plan": plan,
        "tables": _tables(plan) if plan else [],
        "default_handling": bool(plan) and any(not c.handling_from_history for c in plan.channels),
        "csv_url": reverse("insight:staffing") + "?" + urlencode({**query, "format": "csv"}),
        "flag_labels": FLAG_LABELS,
        "fte_hours": number_format(FTE_HOURS_PER_WEEK, 0),
        "fte_year_hours": number_format(
            FTE_HOURS_PER_WEEK * WEEKS_PER_YEAR, 0, force_grouping=True
        ),
        "weeks_per_year": WEEKS_PER_YEAR,
        "min_demand": number_format(MIN_DEMAND, 1),
        "breadcrumbs": [
            (_("Staff"), reverse("inquiries-staff:inbox")),
            (_("Staffing"), None),
        ],
        "staff_section": "staffing",
    }
    return render(request, "insight/staffing.html", context, status=200 if plan else 400)


def _tables(plan: StaffingPlan) -> list[dict]:
    return [
        {
            "plan": channel,
            "model": _model_label(channel.model),
            "rows": plan_grid(channel, plan.dates),
            "day_hours": _day_hours(channel, plan),
            "target_percent": round(channel.target.service_level * 100),
        }
        for channel in plan.channels
    ]


def _day_hours(channel, plan: StaffingPlan) -> list[float]:
    hours = {day: 0.0 for day in plan.dates}
    for interval in channel.intervals:
        hours[interval.start.date()] += interval.agents / 2
    return [hours[day] for day in plan.dates]


def _number(value: float, decimals: int) -> str:
    """Danish Excel reads a decimal comma; the CSV is semicolon-separated for that reason."""
    return f"{value:.{decimals}f}".replace(".", ",")


def _csv_response(plan: StaffingPlan) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # a byte-order mark, or Excel reads UTF-8 as Windows-1252
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "channel",
            "interval_start",
            "expected_contacts",
            "booked_minutes",
            "agents",
            "scheduled_agents",
            "service_level",
            "open",
            "desks",
            "flag",
        ]
    )
    for channel in plan.channels:
        for i in channel.intervals:
            writer.writerow(
                [
                    channel.channel,
                    i.start.isoformat(),
                    _number(i.expected, 2),
                    _number(i.booked_minutes, 0),
                    i.agents,
                    i.scheduled_agents,
                    "" if i.service_level is None else _number(i.service_level, 4),
                    "" if i.open is None else int(i.open),
                    "" if i.desks is None else i.desks,
                    i.flag,
                ]
            )
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    filename = f"bemanding-{plan.start.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
