"""Citizen pages of the catalogue: services A–Z, one service, life events."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indgang.places.presentation import summarise_points
from indgang.places.selectors import service_offerings_for_service

from .models import LifeEvent, Service
from .selectors import (
    DANISH_ALPHABET,
    life_event_get,
    life_event_list,
    life_events_for_service,
    normalise_query,
    service_get,
    service_list,
    services_by_letter,
    services_matching,
)


def _front() -> tuple[str, str]:
    return (_("Front page"), reverse("core:front"))


@require_safe
def service_index(request: HttpRequest) -> HttpResponse:
    q = normalise_query(request.GET.get("q"))
    every_service = service_list()
    services = services_matching(every_service, q=q)
    # When nothing matched, the whole A–Z stays on the page so the citizen can browse on.
    listed = services if services or not q else every_service
    groups = services_by_letter(listed)
    present = {g.letter: g for g in groups}
    return render(
        request,
        "catalogue/service_index.html",
        {
            "q": q,
            "services": services,
            "groups": groups,
            "letters": [(letter, present.get(letter)) for letter in DANISH_ALPHABET],
            "nav_section": "services",
            "breadcrumbs": [_front(), (_("Services A–Z"), None)],
        },
    )


def _can_preview(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.has_perm("catalogue.view_service")


@require_safe
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        service = service_get(slug=slug, include_drafts=_can_preview(request))
    except Service.DoesNotExist:
        raise Http404("No published service with that address.") from None
    offerings = service_offerings_for_service(service=service)
    summaries = {s.point.pk: s for s in summarise_points(o.service_point for o in offerings)}
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "service": service,
            "handler": service.handler,
            "places": [(o, summaries[o.service_point_id]) for o in offerings],
            "life_events": life_events_for_service(service=service),
            "nav_section": "services",
            "breadcrumbs": [
                _front(),
                (_("Services A–Z"), reverse("catalogue:service_index")),
                (service.title, None),
            ],
        },
    )


@require_safe
def life_event_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/life_event_index.html",
        {
            "life_events": life_event_list(),
            "nav_section": "life_events",
            "breadcrumbs": [_front(), (_("Life events"), None)],
        },
    )


@require_safe
def life_event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        life_event = life_event_get(slug=slug)
    except LifeEvent.DoesNotExist:
        raise Http404("No published life event with that address.") from None
    return render(
        request,
        "catalogue/life_event_detail.html",
        {
            "life_event": life_event,
            "steps": list(life_event.steps.all()),
            "nav_section": "life_events",
            "breadcrumbs": [
                _front(),
                (_("Life events"), reverse("catalogue:life_event_index")),
                (life_event.title, None),
            ],
        },
    )
