"""Taking a number: the kiosk in the waiting room, and the web before arriving.

The kiosk is a shared device: it keeps no citizen data. After issuing it shows the ticket for a
short while under a signed, short-lived address (so the browser history of the kiosk leads nobody
to someone else's ticket page) and then returns to the start by itself.
"""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .citizen import (
    ChoiceError,
    choose,
    point_opening,
    point_queues,
    qr_svg,
    queue_point_get,
    take_number,
    ticket_page_url,
    ticket_state,
)
from .lifecycle import TicketSource
from .models import Ticket
from .slots import point_takes_bookings

KIOSK_SALT = "visits.kiosk-ticket"
# How long the kiosk shows a ticket before it returns to the start, and how long its address works.
KIOSK_TICKET_SECONDS = 20
KIOSK_TICKET_MAX_AGE = 120


def _choice_context(request: HttpRequest, point, queues, *, error: str = "") -> dict:
    return {
        "point": point,
        "queues": queues,
        "opening": point_opening(point),
        "error": error,
        "takes_appointments": point_takes_bookings(point),
    }


def _issue(request: HttpRequest, point, queues, *, source: str):
    """Issue from the POSTed choice; (ticket, "") or (None, error message)."""
    try:
        queue, service = choose(
            queues,
            code=request.POST.get("queue", "")[:5],
            service_slug=request.POST.get("service", "")[:100],
        )
    except ChoiceError as exc:
        return None, str(exc)
    ticket = take_number(queue=queue, service=service, source=source, language=get_language() or "")
    return ticket, ""


@require_http_methods(["GET", "HEAD", "POST"])
def kiosk(request: HttpRequest, slug: str) -> HttpResponse:
    point = queue_point_get(slug=slug)
    queues = point_queues(point)
    context = _choice_context(request, point, queues)
    if request.method == "POST" and context["opening"].is_open:
        ticket, error = _issue(request, point, queues, source=TicketSource.KIOSK)
        if ticket is not None:
            shown = signing.dumps(ticket.pk, salt=KIOSK_SALT)
            return HttpResponseRedirect(
                reverse("visits:kiosk_ticket", kwargs={"slug": point.slug, "signed": shown})
            )
        context["error"] = error
        return render(request, "visits/kiosk/start.html", context, status=400)
    status = 200 if request.method != "POST" else 409
    return render(request, "visits/kiosk/start.html", context, status=status)


@require_safe
def kiosk_ticket(request: HttpRequest, slug: str, signed: str) -> HttpResponse:
    point = queue_point_get(slug=slug)
    start = reverse("visits:kiosk", kwargs={"slug": point.slug})
    try:
        pk = signing.loads(signed, salt=KIOSK_SALT, max_age=KIOSK_TICKET_MAX_AGE)
        ticket = Ticket.objects.select_related("queue", "service", "desk").get(
            pk=pk, queue__service_point=point
        )
    except (signing.BadSignature, Ticket.DoesNotExist, TypeError, ValueError):
        return HttpResponseRedirect(start)
    url = request.build_absolute_uri(ticket_page_url(ticket))
    return render(
        request,
        "visits/kiosk/ticket.html",
        {
            "point": point,
            "ticket": ticket,
            "state": ticket_state(ticket),
            "qr": qr_svg(url),
            "start_url": start,
            "return_seconds": KIOSK_TICKET_SECONDS,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def web_queue(request: HttpRequest, slug: str) -> HttpResponse:
    """Take a number before arriving: only while the point is open."""
    point = queue_point_get(slug=slug)
    queues = point_queues(point)
    context = _choice_context(request, point, queues)
    context["breadcrumbs"] = [
        (_("Front page"), reverse("core:front")),
        (_("Where to find us"), reverse("places:service_point_index")),
        (point.name, point.get_absolute_url()),
        (_("Take a number"), None),
    ]
    if request.method == "POST":
        if not context["opening"].is_open:
            return render(request, "visits/ticket/take.html", context, status=409)
        ticket, error = _issue(request, point, queues, source=TicketSource.WEB)
        if ticket is None:
            context["error"] = error
            return render(request, "visits/ticket/take.html", context, status=400)
        return HttpResponseRedirect(ticket_page_url(ticket))
    return render(request, "visits/ticket/take.html", context)
