"""The front page: one entrance to everything the municipality's Citizen Service does."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from indgang.catalogue.selectors import life_event_list
from indgang.places.presentation import summarise_points
from indgang.places.selectors import service_point_list


@require_safe
def front(request: HttpRequest) -> HttpResponse:
    summaries = summarise_points(service_point_list())
    return render(
        request,
        "core/front.html",
        {
            "life_events": life_event_list(),
            "visit_points": [s for s in summaries if not s.point.is_remote],
            "remote_points": [s for s in summaries if s.point.is_remote],
        },
    )
