"""Citizen pages for service points: where, when and how citizens are served."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from indgang.catalogue.selectors import offerings_at_point

from .export import opening_hours_ical, opening_hours_jsonld
from .models import ServicePoint, ServicePointKind
from .presentation import summarise, summarise_points
from .selectors import (
    service_point_get,
    service_point_list,
    service_point_schedule,
    service_point_special_days,
    service_point_week,
    service_point_weekly_rules,
)

SPECIAL_DAYS_AHEAD = 60

# The sections of the list page, in the order a citizen looks for them.
SECTIONS = (
    ("visit", gettext_lazy("Visit us"), {ServicePointKind.TOWN_HALL, ServicePointKind.LIBRARY}),
    ("bus", gettext_lazy("The citizen bus"), {ServicePointKind.CITIZEN_BUS}),
    ("remote", gettext_lazy("Call or chat"), {ServicePointKind.PHONE, ServicePointKind.CHAT}),
)


@require_safe
def service_point_index(request: HttpRequest) -> HttpResponse:
    summaries = summarise_points(service_point_list())
    sections = [
        {"id": key, "title": title, "summaries": [s for s in summaries if s.point.kind in kinds]}
        for key, title, kinds in SECTIONS
    ]
    return render(
        request,
        "places/service_point_index.html",
        {
            "sections": [s for s in sections if s["summaries"]],
            "nav_section": "places",
            "breadcrumbs": [
                (_("Front page"), reverse("core:front")),
                (_("Where to find us"), None),
            ],
        },
    )


def _get_point(slug: str) -> ServicePoint:
    try:
        return service_point_get(slug=slug)
    except ServicePoint.DoesNotExist:
        raise Http404("No published service point with that address.") from None


def _bus_timetable(point: ServicePoint) -> list[dict]:
    """Each stop of the citizen bus with the weekly times it stands there."""
    rules = service_point_weekly_rules(point=point)
    return [
        {"stop": stop, "rules": [r for r in rules if r.stop_id == stop.pk]}
        for stop in point.stops.all()
    ]


@require_safe
def service_point_detail(request: HttpRequest, slug: str) -> HttpResponse:
    point = _get_point(slug)
    now = timezone.now()
    schedule = service_point_schedule(point=point)
    summary = summarise(point, now=now, schedule=schedule)
    today = timezone.localtime(now).date()
    return render(
        request,
        "places/service_point_detail.html",
        {
            "point": point,
            "summary": summary,
            "week": service_point_week(point=point, start=today, schedule=schedule),
            "special_days": service_point_special_days(
                point=point, start=today, days=SPECIAL_DAYS_AHEAD, schedule=schedule
            ),
            "special_days_ahead": SPECIAL_DAYS_AHEAD,
            "stops": list(point.stops.all()),
            "timetable": _bus_timetable(point) if point.is_bus else [],
            "offerings": offerings_at_point(point=point),
            "jsonld": opening_hours_jsonld(point=point, today=today, schedule=schedule),
            "nav_section": "places",
            "breadcrumbs": [
                (_("Front page"), reverse("core:front")),
                (_("Where to find us"), reverse("places:service_point_index")),
                (point.name, None),
            ],
        },
    )


@require_safe
def service_point_ical(request: HttpRequest, slug: str) -> HttpResponse:
    point = _get_point(slug)
    response = HttpResponse(
        opening_hours_ical(point=point), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="aabningstider-{point.slug}.ics"'
    return response
