"""What the citizen side of the queue shares: the point and its queues, taking a number, and a
ticket's status in plain words (for the kiosk, the web, the citizen's page and the API)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import segno
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indgang.catalogue.models import Service
from indgang.places.hours import Status
from indgang.places.models import ServicePoint
from indgang.places.models.points import PHYSICAL_KINDS
from indgang.places.presentation import status_text as point_status_text
from indgang.places.selectors import service_point_status

from .lifecycle import TicketPriority, TicketStatus
from .models import Queue, Ticket
from .services import ticket_issue
from .waiting import WaitEstimate, ticket_wait


def queue_point_get(*, slug: str) -> ServicePoint:
    """A published physical service point (town hall, library) that has a queue; else 404."""
    point = (
        ServicePoint.objects.published()
        .filter(slug=slug, kind__in=PHYSICAL_KINDS, queues__active=True)
        .prefetch_related("weekly_hours", "hours_exceptions__periods")
        .distinct()
        .first()
    )
    if point is None:
        raise Http404("No queue at this service point")
    return point


def point_queues(point: ServicePoint) -> list[Queue]:
    """The point's active queues in their order, each with its published services."""
    return list(
        Queue.objects.filter(service_point=point, active=True).prefetch_related(
            Prefetch(
                "services",
                queryset=Service.objects.published().order_by("title"),
                to_attr="published_services",
            )
        )
    )


@dataclass(frozen=True)
class Opening:
    is_open: bool
    text: str


def point_opening(point: ServicePoint, *, now: dt.datetime | None = None) -> Opening:
    now = now or timezone.now()
    status: Status = service_point_status(point=point, now=now)
    return Opening(is_open=status.is_open, text=point_status_text(status, now=now))


class ChoiceError(Exception):
    """The queue or service chosen does not belong to the point (a stale page or a made-up POST)."""


def choose(
    queues: list[Queue], *, code: str, service_slug: str = ""
) -> tuple[Queue, Service | None]:
    queue = next((q for q in queues if q.code == (code or "").strip().upper()), None)
    if queue is None:
        raise ChoiceError(_("Choose one of the errands on the list."))
    service = None
    if service_slug:
        service = next((s for s in queue.published_services if s.slug == service_slug), None)
        if service is None:
            raise ChoiceError(_("Choose one of the errands on the list."))
    return queue, service


def take_number(*, queue: Queue, service: Service | None, source: str, language: str) -> Ticket:
    return ticket_issue(
        queue=queue,
        service=service,
        source=source,
        priority=TicketPriority.NORMAL,
        language=language,
    )


# --- A ticket in plain words -----------------------------------------------------------------


@dataclass(frozen=True)
class TicketState:
    status: str
    text: str
    wait: WaitEstimate | None
    desk: str
    expired: bool

    @property
    def is_open(self) -> bool:
        return self.status in (
            TicketStatus.WAITING,
            TicketStatus.CALLED,
            TicketStatus.SERVING,
        ) and (not self.expired)

    @property
    def can_cancel(self) -> bool:
        return self.status == TicketStatus.WAITING and not self.expired


def wait_text(wait: WaitEstimate) -> str:
    if wait.ahead == 0:
        return _("You are next in line.")
    people = ngettext(
        "%(count)d person is ahead of you.", "%(count)d people are ahead of you.", wait.ahead
    ) % {"count": wait.ahead}
    minutes = ngettext(
        "Expected wait: about %(minutes)d minute.",
        "Expected wait: about %(minutes)d minutes.",
        wait.minutes,
    ) % {"minutes": wait.minutes}
    return f"{people} {minutes}"


def ticket_state(ticket: Ticket, *, now: dt.datetime | None = None) -> TicketState:
    now = now or timezone.now()
    desk = ticket.desk.name if ticket.desk_id else ""
    expired = ticket.day < timezone.localdate(now)
    wait = None
    if ticket.status == TicketStatus.WAITING and not expired:
        wait = ticket_wait(ticket=ticket, now=now)
        text = wait_text(wait)
    elif ticket.status == TicketStatus.WAITING:
        text = _("This number was for %(date)s and is no longer valid. Take a new number.") % {
            "date": formats.date_format(ticket.day, "DATE_FORMAT")
        }
    elif ticket.status == TicketStatus.CALLED:
        text = _("Go to %(desk)s now.") % {"desk": desk} if desk else _("It is your turn now.")
    elif ticket.status == TicketStatus.SERVING:
        text = (
            _("You are being served at %(desk)s.") % {"desk": desk}
            if desk
            else _("You are being served.")
        )
    elif ticket.status == TicketStatus.SERVED:
        text = _("You have been served. Thank you for your visit.")
    elif ticket.status == TicketStatus.NO_SHOW:
        text = _("You were called but did not come. Take a new number if you still need help.")
    else:
        text = _("This number is cancelled.")
    return TicketState(status=ticket.status, text=text, wait=wait, desk=desk, expired=expired)


def ticket_page_url(ticket: Ticket) -> str:
    return reverse("visits:ticket", kwargs={"token": ticket.token})


def qr_svg(url: str) -> SafeString:
    """A QR code for `url` as inline SVG, drawn on the server (no request to anyone else)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=True)
    return mark_safe(svg)  # noqa: S308 - segno writes the SVG; the URL is ours
