"""Checking in for a booked time with its reference: at the kiosk and on the point's web page.

Both forms work without JavaScript. A successful check-in puts the citizen in the queue with
appointment priority; the kiosk then shows the ticket like a number taken there (a signed,
short-lived address, nothing kept on the shared device), the web goes to the citizen's own
ticket page. From the citizen's own booking page the check-in is one button (booking_views).
"""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .booking_forms import CheckInForm
from .check_in import (
    CHECK_IN_CLOSES_AFTER,
    CHECK_IN_OPENS_BEFORE,
    CheckInFailed,
    check_in_blocked,
    check_in_by_reference,
    check_in_failure_record,
    failure_window_minutes,
)
from .citizen import queue_point_get, ticket_page_url
from .kiosk_views import KIOSK_SALT


def _check_in(request: HttpRequest, point, *, place: str):
    """(ticket, form, status): the ticket when checked in, else the form with why not."""
    form = CheckInForm(request.POST)
    if check_in_blocked(request, place=place):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Too many references did not fit. Wait %(minutes)d minutes and try again, or "
                "ask at the counter."
            )
            % {"minutes": failure_window_minutes()},
        )
        return None, form, 429
    if not form.is_valid():
        return None, form, 400
    try:
        ticket = check_in_by_reference(
            reference=form.cleaned_data["reference"], service_point=point
        )
    except CheckInFailed as exc:
        if exc.unknown:
            check_in_failure_record(request, place=place)
        form.add_error("reference", exc.message)
        return None, form, 400
    return ticket, form, 200


def _window_context() -> dict:
    return {
        "opens_minutes": int(CHECK_IN_OPENS_BEFORE.total_seconds() // 60),
        "closes_minutes": int(CHECK_IN_CLOSES_AFTER.total_seconds() // 60),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def kiosk_check_in(request: HttpRequest, slug: str) -> HttpResponse:
    point = queue_point_get(slug=slug)
    form, status = CheckInForm(), 200
    if request.method == "POST":
        ticket, form, status = _check_in(request, point, place="kiosk")
        if ticket is not None:
            shown = signing.dumps(ticket.pk, salt=KIOSK_SALT)
            return HttpResponseRedirect(
                reverse("visits:kiosk_ticket", kwargs={"slug": point.slug, "signed": shown})
            )
    context = {
        "point": point,
        "form": form,
        "start_url": reverse("visits:kiosk", kwargs={"slug": point.slug}),
    }
    return render(request, "visits/kiosk/check_in.html", context | _window_context(), status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def web_check_in(request: HttpRequest, slug: str) -> HttpResponse:
    point = queue_point_get(slug=slug)
    form, status = CheckInForm(), 200
    if request.method == "POST":
        ticket, form, status = _check_in(request, point, place="web")
        if ticket is not None:
            return HttpResponseRedirect(ticket_page_url(ticket))
    context = {
        "point": point,
        "form": form,
        "breadcrumbs": [
            (_("Front page"), reverse("core:front")),
            (_("Where to find us"), reverse("places:service_point_index")),
            (point.name, point.get_absolute_url()),
            (_("Check in"), None),
        ],
    }
    response = render(
        request, "visits/check_in/page.html", context | _window_context(), status=status
    )
    response["Cache-Control"] = "no-store"
    return response
