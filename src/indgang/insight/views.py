"""The managers' dashboard under /personale/indsigt/: contact volumes, self-service, waiting,
deadlines and no-shows over a period, each chart with its numbers as a table and as CSV.

Readers need insight.view_contact (the Leder group). The filter is a GET form; bad values give
form errors on the page. `?export=<chart>` with the same filter returns that chart's table as CSV.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indgang.inquiries.staff_views import staff_permission_required

from . import selectors
from .charts import (
    Column,
    Shade,
    Table,
    bar_chart,
    column_chart,
    heat_shade,
    percent_text,
    table_csv,
)
from .forms import DashboardFilterForm
from .selectors import ContactFilter

# Bars drawn for a breakdown with many rows; the table and the CSV have them all.
MAX_BARS = 15


# Logged in (else the login page), active staff who may read contact statistics (else 403).
insight_required = staff_permission_required("insight.view_contact")


@dataclass
class Chart:
    key: str
    title: str
    table: Table
    svg: SafeString = field(default_factory=lambda: mark_safe(""))
    note: str = ""
    table_open: bool = False
    heat: list[tuple[str, list[tuple[str, Shade]]]] | None = None

    @property
    def empty(self) -> bool:
        return not self.table.rows


class DashboardData:
    """The selectors' results for one filter, each read once however many charts use it."""

    def __init__(self, filters: ContactFilter):
        self.filters = filters

    @functools.cached_property
    def channels(self):
        return selectors.contact_volume_by_channel(filters=self.filters)

    @functools.cached_property
    def services(self):
        return selectors.contact_volume_by_service(filters=self.filters)

    @functools.cached_property
    def points(self):
        return selectors.contact_volume_by_service_point(filters=self.filters)

    @functools.cached_property
    def weeks(self):
        return selectors.contact_volume_by_week(filters=self.filters)

    @functools.cached_property
    def heatmap(self):
        return selectors.contact_heatmap(filters=self.filters)

    @functools.cached_property
    def self_service(self):
        return selectors.self_service_rate_by_service(filters=self.filters)

    @functools.cached_property
    def avoidable(self):
        return selectors.avoidable_contacts(filters=self.filters)

    @functools.cached_property
    def waiting(self):
        return selectors.waiting_by_queue(filters=self.filters)

    @functools.cached_property
    def deadlines(self):
        return selectors.deadlines_met(filters=self.filters)

    @functools.cached_property
    def no_shows(self):
        return selectors.no_show_rate(filters=self.filters)


def _volume_chart(key: str, title: str, first_header: str, volumes) -> Chart:
    shown = volumes[:MAX_BARS]
    return Chart(
        key=key,
        title=title,
        svg=bar_chart(
            chart_id=f"svg-{key}",
            title=title,
            bars=[(v.label, v.count, _int_text(v.count)) for v in shown],
        ),
        table=Table(
            [Column(first_header), Column(_("Contacts"), "int"), Column(_("Share"), "percent")],
            [[v.label, v.count, v.share] for v in volumes],
        ),
        note=_drawn_note(len(volumes)),
    )


def _drawn_note(rows: int, *, busiest: bool = False) -> str:
    """Says that the chart leaves rows out, when it does."""
    if rows <= MAX_BARS:
        return ""
    numbers = {"n": MAX_BARS, "rows": rows}
    if busiest:
        return _("The chart shows the %(n)s busiest; the table has all %(rows)s.") % numbers
    return _("The chart shows the first %(n)s; the table has all %(rows)s.") % numbers


def _notes(*notes: str) -> str:
    return " ".join(note for note in notes if note)


def _int_text(value: int) -> str:
    return number_format(value, force_grouping=True)


def _channels(data: DashboardData) -> Chart:
    return _volume_chart("channels", _("Contacts per channel"), _("Channel"), data.channels)


def _services(data: DashboardData) -> Chart:
    return _volume_chart("services", _("Contacts per service"), _("Service"), data.services)


def _points(data: DashboardData) -> Chart:
    return _volume_chart("points", _("Contacts per service point"), _("Service point"), data.points)


def _weeks(data: DashboardData) -> Chart:
    title = _("Contacts per week")
    weeks = data.weeks
    has_contacts = any(w.count for w in weeks)
    return Chart(
        key="weeks",
        title=title,
        svg=column_chart(
            chart_id="svg-weeks",
            title=title,
            columns=[(str(w.week), w.count) for w in weeks],
        )
        if has_contacts
        else mark_safe(""),
        table=Table(
            [Column(_("Week")), Column(_("Starts on")), Column(_("Contacts"), "int")],
            [[w.label, w.starts_on.isoformat(), w.count] for w in weeks] if has_contacts else [],
        ),
        note=_("Columns are ISO weeks, labelled with the week number."),
    )


def _heatmap(data: DashboardData) -> Chart:
    heatmap = data.heatmap
    hours = [f"{h:02d}" for h in heatmap.hours]
    return Chart(
        key="heatmap",
        title=_("Contacts per weekday and hour of arrival"),
        table=Table(
            [Column(_("Weekday")), *(Column(h, "int") for h in hours)],
            [[row.label, *row.cells] for row in heatmap.rows],
        ),
        heat=[
            (
                row.label,
                [(_int_text(n), heat_shade(n, heatmap.maximum)) for n in row.cells],
            )
            for row in heatmap.rows
        ],
        note=_(
            "Hours are local time; a column is the hour a contact arrived in (08 is 08:00–08:59). "
            "Self-service completions are left out: they take no staff, and daily totals have "
            "no hour."
        ),
    )


def _self_service(data: DashboardData) -> Chart:
    report = data.self_service
    title = _("Self-service rate per service")
    target = percent_text(report.target)
    rows = report.rows
    return Chart(
        key="self_service",
        title=title,
        svg=bar_chart(
            chart_id="svg-self-service",
            title=title,
            bars=[(r.label, r.rate or 0.0, _rate_text(r.rate)) for r in rows[:MAX_BARS]],
            maximum=1.0,
            target=report.target,
            target_text=_("Target %(target)s") % {"target": target},
        ),
        table=Table(
            [
                Column(_("Service")),
                Column(_("Self-service"), "int"),
                Column(_("Assisted"), "int"),
                Column(_("Self-service rate"), "percent"),
                Column(_("Meets the target"), "text"),
            ],
            [
                [r.label, r.self_service, r.assisted, r.rate, _yes_no(r.meets_target)]
                for r in [*rows, report.total]
            ]
            if rows
            else [],
        ),
        note=_notes(
            _(
                "Self-service completions divided by completions plus assisted contacts, against "
                "a target of %(target)s, for the services citizens can do online; the busiest "
                "first. Counts every channel and service point, whatever the filter."
            )
            % {"target": target},
            _drawn_note(len(rows)),
        ),
    )


def _rate_text(rate: float | None) -> str:
    return percent_text(rate) if rate is not None else "–"


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _avoidable(data: DashboardData) -> Chart:
    report = data.avoidable
    chart = _volume_chart(
        "avoidable",
        _("Avoidable contacts per service"),
        _("Service"),
        report.by_service,
    )
    chart.note = _notes(
        _(
            "Assisted contacts about services that citizens can do online: %(total)s of "
            "%(assisted)s assisted contacts (%(share)s)."
        )
        % {
            "total": _int_text(report.total),
            "assisted": _int_text(report.assisted),
            "share": _rate_text(report.share),
        },
        chart.note,
    )
    return chart


def _avoidable_reasons(data: DashboardData) -> Chart:
    return _volume_chart(
        "avoidable_reasons",
        _("Why avoidable contacts were not done online"),
        _("Reason"),
        data.avoidable.reasons,
    )


def _waiting(data: DashboardData) -> Chart:
    rows = data.waiting
    title = _("Service level per service point and queue")
    return Chart(
        key="waiting",
        title=title,
        svg=bar_chart(
            chart_id="svg-waiting",
            title=title,
            bars=[
                (r.label, r.service_level or 0.0, _rate_text(r.service_level))
                for r in sorted(rows, key=lambda r: -(r.served + r.abandoned))[:MAX_BARS]
            ],
            maximum=1.0,
        ),
        table=Table(
            [
                Column(_("Service point")),
                Column(_("Queue")),
                Column(_("Channel")),
                Column(_("Served"), "int"),
                Column(_("Gave up"), "int"),
                Column(_("Mean wait (min:s)"), "duration", _("Mean wait (seconds)")),
                Column(
                    _("80 % waited at most (min:s)"), "duration", _("80th percentile (seconds)")
                ),
                Column(
                    _("95 % waited at most (min:s)"), "duration", _("95th percentile (seconds)")
                ),
                Column(_("Target wait (min:s)"), "duration", _("Target wait (seconds)")),
                Column(_("Service level"), "percent"),
            ],
            [
                [
                    r.service_point or None,
                    r.queue_code or None,
                    r.channel_label,
                    r.served,
                    r.abandoned,
                    r.mean_seconds,
                    r.p80_seconds,
                    r.p95_seconds,
                    r.target_seconds,
                    r.service_level,
                ]
                for r in rows
            ],
        ),
        table_open=True,
        note=_notes(
            _(
                "Service level: the share of citizens served within the target wait; those who "
                "gave up count as not served in time. Waiting times are those of the citizens "
                "served."
            ),
            _drawn_note(len(rows), busiest=True),
        ),
    )


def _share_chart(key: str, title: str, first_header: str, part: str, whole: str, rate: str, report):
    rows = report.rows
    return Chart(
        key=key,
        title=title,
        svg=bar_chart(
            chart_id=f"svg-{key.replace('_', '-')}",
            title=title,
            bars=[(s.label, s.rate or 0.0, _rate_text(s.rate)) for s in rows[:MAX_BARS]],
            maximum=1.0,
        ),
        table=Table(
            [
                Column(first_header),
                Column(part, "int"),
                Column(whole, "int"),
                Column(rate, "percent"),
            ],
            [[s.label, s.part, s.whole, s.rate] for s in [*rows, report.total]] if rows else [],
        ),
        note=_drawn_note(len(rows)),
    )


def _deadlines(data: DashboardData) -> Chart:
    chart = _share_chart(
        "deadlines",
        _("Inquiries answered by the promised date"),
        _("Service"),
        _("On time"),
        _("With a promised date"),
        _("Share on time"),
        data.deadlines,
    )
    chart.note = _notes(_("Inquiries not yet answered are not counted."), chart.note)
    return chart


def _no_shows(data: DashboardData) -> Chart:
    return _share_chart(
        "no_shows",
        _("Appointments the citizen did not come to"),
        _("Service point"),
        _("Did not come"),
        _("Appointments"),
        _("No-show rate"),
        data.no_shows,
    )


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    charts: tuple[tuple[str, Callable[[DashboardData], Chart]], ...]


def _sections() -> list[Section]:
    return [
        Section(
            "channels",
            _("Channels"),
            (
                ("channels", _channels),
                ("weeks", _weeks),
                ("services", _services),
                ("points", _points),
            ),
        ),
        Section(
            "self-service",
            _("Self-service and avoidable contacts"),
            (
                ("self_service", _self_service),
                ("avoidable", _avoidable),
                ("avoidable_reasons", _avoidable_reasons),
            ),
        ),
        Section("waiting", _("Waiting and service level"), (("waiting", _waiting),)),
        Section(
            "deadlines",
            _("Deadlines and no-shows"),
            (("deadlines", _deadlines), ("no_shows", _no_shows)),
        ),
        Section("heatmap", _("When citizens come"), (("heatmap", _heatmap),)),
    ]


def _builders() -> dict[str, Callable[[DashboardData], Chart]]:
    return {key: build for section in _sections() for key, build in section.charts}


def _key_figures(data: DashboardData) -> list[tuple[str, str]]:
    return [
        (_("Contacts"), _int_text(sum(v.count for v in data.channels))),
        (_("Self-service rate"), _rate_text(data.self_service.total.rate)),
        (_("Avoidable contacts"), _int_text(data.avoidable.total)),
        (_("Inquiries answered on time"), _rate_text(data.deadlines.total.rate)),
        (_("No-show rate for appointments"), _rate_text(data.no_shows.total.rate)),
    ]


def _csv_response(chart: Chart, filters: ContactFilter) -> HttpResponse:
    name = f"indsigt-{chart.key.replace('_', '-')}-{filters.date_from}-{filters.date_to}.csv"
    response = HttpResponse(
        table_csv(chart.table).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
@insight_required
def dashboard(request: HttpRequest) -> HttpResponse:
    builders = _builders()
    form = DashboardFilterForm(request.GET, charts=[(key, key) for key in builders])
    context = {
        "form": form,
        "breadcrumbs": [
            (_("Staff"), reverse("inquiries-staff:inbox")),
            (_("Insight"), None),
        ],
        "staff_section": "insight",
    }
    if not form.is_valid():
        return render(request, "insight/dashboard.html", context)
    filters = form.contact_filter()
    data = DashboardData(filters)
    export = form.cleaned_data["export"]
    if export:
        return _csv_response(builders[export](data), filters)
    context.update(
        {
            "filters": filters,
            "query": urlencode(form.query_pairs()),
            "figures": _key_figures(data),
            "sections": [
                {
                    "key": section.key,
                    "title": section.title,
                    "charts": [build(data) for _key, build in section.charts],
                }
                for section in _sections()
            ],
        }
    )
    return render(request, "insight/dashboard.html", context)
