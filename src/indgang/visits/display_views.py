"""The display screen in the waiting room: numbers being called and to which desk.

All state is in the database: every call is a TicketEvent to 'called', so a screen asks for the
events after the last one it saw (`since`), whichever app process answers. One query on the
primary key range, filtered to this point's queues. No login, and nothing personal: a number and
a desk.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from indgang.places.models import ServicePoint
from indgang.places.models.points import PHYSICAL_KINDS

from .lifecycle import TicketStatus
from .models import TicketEvent

# The calls a screen shows: the newest large, the ones before it in a list.
RECENT_CALLS = 6
# At most this many new calls in one answer (a screen that was away catches up in steps).
MAX_CALLS = 50
NO_JS_REFRESH_SECONDS = 5


def _point_id(slug: str) -> int:
    pk = (
        ServicePoint.objects.published()
        .filter(slug=slug, kind__in=PHYSICAL_KINDS)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        raise Http404("No such service point")
    return pk


def _calls(point_id: int):
    return (
        TicketEvent.objects.filter(queue__service_point_id=point_id, to_status=TicketStatus.CALLED)
        .select_related("ticket", "queue", "desk")
        .only("id", "at", "ticket__number", "queue__code", "desk__name", "queue__service_point_id")
    )


def spoken(code: str, number: int, desk: str) -> str:
    """What the screen says aloud: "Nummer A 12, skranke 3" (letters apart, no leading zeros)."""
    letters = " ".join(code)
    if desk:
        return _("Number %(letters)s %(number)d, %(desk)s") % {
            "letters": letters,
            "number": number,
            "desk": desk.lower(),
        }
    return _("Number %(letters)s %(number)d") % {"letters": letters, "number": number}


def call_data(event: TicketEvent) -> dict:
    desk = event.desk.name if event.desk_id else ""
    return {
        "id": event.pk,
        "number": f"{event.queue.code}{event.ticket.number:03d}",
        "desk": desk,
        "at": event.at.isoformat(),
        "spoken": spoken(event.queue.code, event.ticket.number, desk),
    }


def recent_calls(point_id: int, *, now: dt.datetime | None = None) -> list[dict]:
    """Today's last few calls, newest first."""
    today = timezone.localdate(now or timezone.now())
    start = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    events = _calls(point_id).filter(at__gte=start).order_by("-id")[:RECENT_CALLS]
    return [call_data(e) for e in events]


def calls_since(point_id: int, since: int) -> list[dict]:
    """Calls after event `since`, oldest first."""
    events = _calls(point_id).filter(id__gt=since).order_by("id")[:MAX_CALLS]
    return [call_data(e) for e in events]


@never_cache
@require_safe
def display(request: HttpRequest, slug: str) -> HttpResponse:
    point_id = _point_id(slug)
    point = ServicePoint.objects.only("name", "slug").get(pk=point_id)
    calls = recent_calls(point_id)
    # A fresh screen starts after the newest call of any day, so it never announces old calls.
    last = (
        TicketEvent.objects.filter(queue__service_point_id=point_id, to_status=TicketStatus.CALLED)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return render(
        request,
        "visits/display/screen.html",
        {
            "point": point,
            "current": calls[0] if calls else None,
            "earlier": calls[1:],
            "since": last or 0,
            "refresh_seconds": NO_JS_REFRESH_SECONDS,
        },
    )


@never_cache
@require_safe
def display_calls(request: HttpRequest, slug: str) -> JsonResponse:
    """`?since=<event id>`: the calls after it. Without `since`: today's last few, newest first."""
    raw = request.GET.get("since", "")
    point_id = _point_id(slug)
    if raw == "":
        calls = recent_calls(point_id)
        since = max((c["id"] for c in calls), default=0)
        return JsonResponse({"since": since, "calls": list(reversed(calls))})
    if not raw.isdigit() or len(raw) > 18:
        return JsonResponse({"detail": _("since must be a whole number, 0 or more.")}, status=400)
    since = int(raw)
    calls = calls_since(point_id, since)
    return JsonResponse({"since": calls[-1]["id"] if calls else since, "calls": calls})
