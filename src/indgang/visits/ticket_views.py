"""The citizen's own ticket page /koe/<token>/: status, place in line, estimated wait; cancel.

The token is 32 random bytes: the address is the only key, so it is never guessable and the page
shows no personal data anyway (a number, a queue, a desk).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from .citizen import ticket_page_url, ticket_state
from .lifecycle import InvalidTransition, TicketStatus
from .models import Ticket
from .services import ticket_set_status

# Tokens are 43 URL-safe characters; anything else cannot be a ticket.
TOKEN_LENGTH = 43
REFRESH_SECONDS = 30


def _ticket(token: str) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related("queue__service_point", "service", "desk"),
        token=token[: TOKEN_LENGTH + 1],
    )


def status_data(ticket: Ticket) -> dict:
    state = ticket_state(ticket)
    return {
        "number": ticket.display,
        "status": state.status,
        "status_text": state.text,
        "position": state.wait.position if state.wait else None,
        "estimated_wait_minutes": state.wait.minutes if state.wait else None,
        "desk": state.desk or None,
        "open": state.is_open,
    }


@never_cache
@require_safe
def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    ticket = _ticket(token)
    point = ticket.queue.service_point
    return render(
        request,
        "visits/ticket/page.html",
        {
            "ticket": ticket,
            "point": point,
            "state": ticket_state(ticket),
            "refresh_seconds": REFRESH_SECONDS,
            "cancelled": request.GET.get("annulleret") == "1",
            "breadcrumbs": [
                (_("Front page"), reverse("core:front")),
                (point.name, point.get_absolute_url()),
                (_("Your number %(number)s") % {"number": ticket.display}, None),
            ],
        },
    )


@never_cache
@require_safe
def ticket_status(request: HttpRequest, token: str) -> JsonResponse:
    return JsonResponse(status_data(_ticket(token)))


@require_POST
def ticket_cancel(request: HttpRequest, token: str) -> HttpResponse:
    ticket = _ticket(token)
    if ticket.status == TicketStatus.WAITING:
        try:
            ticket_set_status(ticket=ticket, status=TicketStatus.CANCELLED, note="citizen")
        except InvalidTransition:  # called in the same moment: the page shows the new status
            pass
        else:
            return HttpResponseRedirect(ticket_page_url(ticket) + "?annulleret=1")
    return HttpResponseRedirect(ticket_page_url(ticket))
