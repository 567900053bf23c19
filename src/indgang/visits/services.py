"""Writes for queue tickets and desks. Every status change goes through `ticket_set_status`."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from indgang.catalogue.models import Service

from .lifecycle import (
    TICKET_ALLOWED,
    InvalidTransition,
    TicketPriority,
    TicketSource,
    TicketStatus,
)
from .models import Desk, DeskSession, Queue, QueueDayCounter, Ticket, TicketEvent


def _next_number(queue: Queue, day) -> int:
    """The next number in `queue` on `day`, taken under the counter row's lock.

    The counter row is created if missing (a concurrent creator makes ours a no-op), then
    incremented with one UPDATE: PostgreSQL holds that row's lock, SQLite the database's write
    lock, until the surrounding transaction ends. The ticket is written in the same transaction,
    so a rollback gives the number back: numbers stay unique and without gaps.
    """
    QueueDayCounter.objects.bulk_create(
        [QueueDayCounter(queue=queue, day=day, last_number=0)], ignore_conflicts=True
    )
    counter = QueueDayCounter.objects.filter(queue=queue, day=day)
    counter.update(last_number=F("last_number") + 1)
    return counter.values_list("last_number", flat=True).get()


def _event(ticket: Ticket, from_status: str, to_status: str, *, by=None, desk=None, note=""):
    TicketEvent.objects.create(
        ticket=ticket,
        from_status=from_status,
        to_status=to_status,
        at=timezone.now(),
        desk=desk,
        queue=ticket.queue,
        actor=by,
        note=note[:200],
    )


@transaction.atomic
def ticket_issue(
    *,
    queue: Queue,
    service: Service | None = None,
    source: str = TicketSource.KIOSK,
    priority: int = TicketPriority.NORMAL,
    appointment=None,
    language: str = "",
) -> Ticket:
    """Take a number in `queue` for today (the municipality's local day)."""
    now = timezone.now()
    day = timezone.localdate(now)
    ticket = Ticket(
        queue=queue,
        day=day,
        number=_next_number(queue, day),
        token=secrets.token_urlsafe(32),
        service=service,
        source=source,
        priority=priority,
        appointment=appointment,
        sensitive=bool(service and service.sensitive),
        language=language[:10],
        issued_at=now,
    )
    ticket.save()
    _event(ticket, "", TicketStatus.WAITING)
    return ticket


@transaction.atomic
def ticket_set_status(
    *, ticket: Ticket, status: str, by=None, desk: Desk | None = None, note: str = ""
) -> Ticket:
    """The only way a ticket's status changes; raises InvalidTransition when not allowed."""
    current = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    if status not in TICKET_ALLOWED[current.status]:
        raise InvalidTransition(current.status, status)
    now = timezone.now()
    previous = current.status
    current.status = status
    if status == TicketStatus.CALLED:
        current.called_at = now
        current.call_count += 1
        current.desk = desk or current.desk
        current.served_by = by or current.served_by
    elif status == TicketStatus.SERVING:
        current.started_at = now
    elif status in (TicketStatus.SERVED, TicketStatus.NO_SHOW, TicketStatus.CANCELLED):
        current.ended_at = now
    elif status == TicketStatus.WAITING:
        current.desk = None
    current.save()
    _event(current, previous, status, by=by, desk=desk or current.desk, note=note)
    for field in (
        "status",
        "called_at",
        "call_count",
        "desk",
        "served_by",
        "started_at",
        "ended_at",
    ):
        setattr(ticket, field, getattr(current, field))
    return ticket


def _candidates(session: DeskSession):
    """Waiting tickets the session's desk may call, best first: due appointments, then priority
    needs, then first come. Errands about sensitive services only go to a private room."""
    tickets = Ticket.objects.filter(
        queue__in=session.queues.all(),
        status=TicketStatus.WAITING,
        day=timezone.localdate(),
    )
    if not session.desk.is_private:
        tickets = tickets.filter(sensitive=False)
    return tickets.select_related("queue").order_by("-priority", "issued_at", "pk")


def ticket_call_next(*, session: DeskSession) -> Ticket | None:
    """Call the next ticket to the session's desk, or None when nobody waits.

    Two desks calling at the same moment never get the same ticket: each claims its candidate
    with a conditional UPDATE (status still 'waiting') and moves on to the next when it lost.
    """
    for candidate in _candidates(session)[:20]:
        with transaction.atomic():
            claimed = Ticket.objects.filter(pk=candidate.pk, status=TicketStatus.WAITING).update(
                status=TicketStatus.CALLED,
                called_at=timezone.now(),
                call_count=F("call_count") + 1,
                desk=session.desk,
                served_by=session.user,
            )
            if not claimed:
                continue
            ticket = Ticket.objects.select_related("queue", "desk").get(pk=candidate.pk)
            _event(
                ticket,
                TicketStatus.WAITING,
                TicketStatus.CALLED,
                by=session.user,
                desk=session.desk,
            )
            return ticket
    return None


@transaction.atomic
def desk_session_start(*, desk: Desk, user, queues) -> DeskSession:
    """Sit down at a desk; whoever sat there before is signed out of it."""
    now = timezone.now()
    DeskSession.objects.filter(desk=desk, ended_at__isnull=True).update(ended_at=now)
    DeskSession.objects.filter(user=user, ended_at__isnull=True).update(ended_at=now)
    # Another clerk sitting down at the same desk in the same instant makes this raise
    # IntegrityError (one open session per desk); the view tells the clerk to try again.
    session = DeskSession.objects.create(desk=desk, user=user)
    session.queues.set(queues)
    return session
