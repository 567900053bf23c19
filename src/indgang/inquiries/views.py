"""Citizen pages for inquiries (being built: the form and the tracking page)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def track(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError("the tracking page is being written")
