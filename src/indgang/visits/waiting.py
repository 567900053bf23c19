"""Estimated waits: where a ticket is in line and about how long until it is called.

The core is a pure function of three numbers: how many wait ahead, the usual handling time in the
queue (the median of recent served tickets, from service start to end), and how many desks serve
the queue now. The selectors below read those numbers from the database.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .lifecycle import TicketStatus
from .models import DeskSession, Queue, Ticket

# When a queue has no history yet: a typical counter errand.
DEFAULT_SERVICE_MINUTES = 8.0
HISTORY_DAYS = 14
# The newest served tickets are enough for a stable median, and keep the query small.
HISTORY_TICKETS = 200
# A handling time above this is a clerk who forgot to press "served", not a real errand.
LONGEST_PLAUSIBLE_MINUTES = 120.0


@dataclass(frozen=True)
class WaitEstimate:
    """`position` 1 is next in line; `ahead` tickets will be called first."""

    position: int
    ahead: int
    minutes: int
    desks: int
    service_minutes: float


def median_minutes(
    durations: Iterable[dt.timedelta], *, default: float = DEFAULT_SERVICE_MINUTES
) -> float:
    """The median handling time in minutes; `default` when there are no plausible durations."""
    minutes = [
        d.total_seconds() / 60
        for d in durations
        if dt.timedelta(0) < d <= dt.timedelta(minutes=LONGEST_PLAUSIBLE_MINUTES)
    ]
    return float(statistics.median(minutes)) if minutes else default


def estimate_wait(*, ahead: int, service_minutes: float, desks: int) -> WaitEstimate:
    """The wait for someone with `ahead` tickets before them: each desk takes one at a time."""
    ahead = max(0, ahead)
    desks = max(1, desks)
    minutes = math.ceil(ahead * service_minutes / desks) if ahead else 0
    return WaitEstimate(
        position=ahead + 1,
        ahead=ahead,
        minutes=minutes,
        desks=desks,
        service_minutes=service_minutes,
    )


# --- Selectors -------------------------------------------------------------------------------


def queue_service_minutes(*, queue: Queue, now: dt.datetime | None = None) -> float:
    """The median handling time of tickets served in `queue` in the last HISTORY_DAYS days."""
    now = now or timezone.now()
    rows = (
        Ticket.objects.filter(
            queue=queue,
            status=TicketStatus.SERVED,
            ended_at__gte=now - dt.timedelta(days=HISTORY_DAYS),
            started_at__isnull=False,
        )
        .order_by("-ended_at")
        .values_list("started_at", "ended_at")[:HISTORY_TICKETS]
    )
    return median_minutes(end - start for start, end in rows)


def queue_desks_serving(*, queue: Queue) -> int:
    """Desks with an open session that includes `queue` (at least 1: someone will come)."""
    return max(1, DeskSession.objects.filter(ended_at__isnull=True, queues=queue).count())


def _waiting(queue: Queue, day: dt.date):
    return Ticket.objects.filter(queue=queue, day=day, status=TicketStatus.WAITING)


def tickets_ahead(*, ticket: Ticket) -> int:
    """Waiting tickets called before `ticket`, in call order: priority first, then first come."""
    return (
        _waiting(ticket.queue, ticket.day)
        .filter(
            Q(priority__gt=ticket.priority)
            | Q(priority=ticket.priority, issued_at__lt=ticket.issued_at)
            | Q(priority=ticket.priority, issued_at=ticket.issued_at, pk__lt=ticket.pk)
        )
        .exclude(pk=ticket.pk)
        .count()
    )


def ticket_wait(*, ticket: Ticket, now: dt.datetime | None = None) -> WaitEstimate:
    """Where a waiting ticket is in line and its estimated wait."""
    return estimate_wait(
        ahead=tickets_ahead(ticket=ticket),
        service_minutes=queue_service_minutes(queue=ticket.queue, now=now),
        desks=queue_desks_serving(queue=ticket.queue),
    )


def queue_wait(*, queue: Queue, now: dt.datetime | None = None) -> WaitEstimate:
    """The wait for a number taken in `queue` now (behind everyone waiting today)."""
    day = timezone.localdate(now or timezone.now())
    return estimate_wait(
        ahead=_waiting(queue, day).count(),
        service_minutes=queue_service_minutes(queue=queue, now=now),
        desks=queue_desks_serving(queue=queue),
    )
