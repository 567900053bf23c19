"""Writes at the desks: transfer a ticket, complete it with the outcome, check in an appointment.

Status changes still go through `services.ticket_set_status` and `booking.appointment_set_status`;
these functions add what the desk needs around them, in one transaction each.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indgang.catalogue.models import Service
from indgang.inquiries.lifecycle import SelfServiceObstacle
from indgang.places.models import ServicePoint

from .booking import appointment_set_status
from .lifecycle import (
    TICKET_ALLOWED,
    AppointmentStatus,
    InvalidTransition,
    TicketPriority,
    TicketSource,
    TicketStatus,
)
from .models import Appointment, Queue, Ticket
from .services import _event, _next_number, ticket_issue, ticket_set_status

# When citizens may check themselves in (at the kiosk or on the web): from half an hour before
# the start, so nobody waits in the queue long before their time, until ten minutes after it,
# after which the desk may have given the time to walk-ins. Staff may check in at any time of day.
CHECK_IN_OPENS_BEFORE = dt.timedelta(minutes=30)
CHECK_IN_CLOSES_AFTER = dt.timedelta(minutes=10)


class CheckInRefused(Exception):
    """The appointment cannot be checked in now; `reason` is one of the constants below."""

    NOT_TODAY = "not_today"
    NO_QUEUE = "no_queue"
    WRONG_POINT = "wrong_point"  # the citizen is checking in at another service point
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def check_in_window(appointment: Appointment) -> tuple[dt.datetime, dt.datetime]:
    """From when until when the citizen may check in themselves."""
    return (
        appointment.start - CHECK_IN_OPENS_BEFORE,
        appointment.start + CHECK_IN_CLOSES_AFTER,
    )


@transaction.atomic
def ticket_transfer(*, ticket: Ticket, queue: Queue, by=None) -> Ticket:
    """Send the ticket back to waiting in another queue of the same service point.

    It keeps its original issue time, so it is not put behind those who came later. Ticket
    numbers are unique per queue and day, so it gets the next number of the new queue; the
    event's note keeps the old number. Raises InvalidTransition when the ticket is closed and
    ValueError for a queue elsewhere or the queue it is already in.
    """
    current = (
        Ticket.objects.select_for_update(of=("self",)).select_related("queue").get(pk=ticket.pk)
    )
    if TicketStatus.WAITING not in TICKET_ALLOWED[current.status]:
        raise InvalidTransition(current.status, TicketStatus.WAITING)
    if queue.service_point_id != current.queue.service_point_id or queue.pk == current.queue_id:
        raise ValueError("transfer to a queue of the same service point, not the same queue")
    previous_status, old_display = current.status, current.display
    current.queue = queue
    current.number = _next_number(queue, current.day)
    current.status = TicketStatus.WAITING
    current.desk = None
    current.started_at = None
    current.save()
    _event(
        current,
        previous_status,
        TicketStatus.WAITING,
        by=by,
        note=f"transferred from {old_display} to {current.display}",
    )
    for field in ("queue", "number", "status", "desk", "started_at"):
        setattr(ticket, field, getattr(current, field))
    return ticket


@transaction.atomic
def ticket_complete(
    *,
    ticket: Ticket,
    by,
    service: Service | None,
    resolved_on_first_contact: bool,
    self_service_possible: bool,
    self_service_obstacle: str = "",
) -> Ticket:
    """Served, with the contact registration: the errand and the outcome.

    Raises ValidationError when self-service was not possible and no reason is given, and
    InvalidTransition unless the ticket is being served. A checked-in appointment becomes done.
    """
    if self_service_possible:
        self_service_obstacle = ""
    elif self_service_obstacle not in SelfServiceObstacle.values:
        raise ValidationError(_("Say why it could not be done by self-service."))
    ticket_set_status(ticket=ticket, status=TicketStatus.SERVED, by=by, desk=ticket.desk)
    Ticket.objects.filter(pk=ticket.pk).update(
        service=service,
        sensitive=ticket.sensitive or bool(service and service.sensitive),
        resolved_on_first_contact=resolved_on_first_contact,
        self_service_possible=self_service_possible,
        self_service_obstacle=self_service_obstacle,
    )
    ticket.refresh_from_db()
    if ticket.appointment_id:
        appointment = Appointment.objects.get(pk=ticket.appointment_id)
        if appointment.status == AppointmentStatus.CHECKED_IN:
            appointment_set_status(appointment=appointment, status=AppointmentStatus.DONE)
    return ticket


def ticket_no_show(*, ticket: Ticket, by, desk=None) -> Ticket:
    """The called citizen did not come; a checked-in appointment is marked as not come too."""
    with transaction.atomic():
        ticket_set_status(ticket=ticket, status=TicketStatus.NO_SHOW, by=by, desk=desk)
        if ticket.appointment_id:
            appointment = Appointment.objects.get(pk=ticket.appointment_id)
            if appointment.status == AppointmentStatus.CHECKED_IN:
                appointment_set_status(appointment=appointment, status=AppointmentStatus.NO_SHOW)
    return ticket


def check_in_queue_for(appointment: Appointment) -> Queue | None:
    """The queue at the appointment's service point that serves its service (first in order)."""
    return (
        Queue.objects.filter(
            service_point_id=appointment.service_point_id,
            active=True,
            services=appointment.service_id,
        )
        .order_by("sort_order", "code")
        .first()
    )


@transaction.atomic
def appointment_check_in(
    *,
    appointment: Appointment,
    by_citizen: bool = False,
    service_point: ServicePoint | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """The citizen has come: a ticket with appointment priority, and the appointment checked in.

    Raises InvalidTransition unless the appointment is booked, and CheckInRefused when it is not
    today or no queue at the service point serves its service. When the citizen checks in
    themselves (`by_citizen`, at the kiosk or on the web) it must also be at the appointment's
    own `service_point` (checked first, so nothing else is told about someone else's booking)
    and inside `check_in_window`; checking in twice gives back the ticket they already have.
    """
    now = now or timezone.now()
    current = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
    if by_citizen and (service_point is None or current.service_point_id != service_point.pk):
        raise CheckInRefused(CheckInRefused.WRONG_POINT)
    if by_citizen and current.status == AppointmentStatus.CHECKED_IN:
        existing = (
            Ticket.objects.filter(appointment=current, day=timezone.localdate(now))
            .select_related("queue")
            .first()
        )
        if existing is not None:
            appointment.status = current.status
            return existing
    if current.status != AppointmentStatus.BOOKED:
        raise InvalidTransition(current.status, AppointmentStatus.CHECKED_IN)
    if timezone.localdate(current.start) != timezone.localdate(now):
        raise CheckInRefused(CheckInRefused.NOT_TODAY)
    if by_citizen:
        opens, closes = check_in_window(current)
        if now < opens:
            raise CheckInRefused(CheckInRefused.TOO_EARLY)
        if now > closes:
            raise CheckInRefused(CheckInRefused.TOO_LATE)
    queue = check_in_queue_for(current)
    if queue is None:
        raise CheckInRefused(CheckInRefused.NO_QUEUE)
    appointment_set_status(appointment=current, status=AppointmentStatus.CHECKED_IN)
    ticket = ticket_issue(
        queue=queue,
        service=current.service,
        source=TicketSource.CHECK_IN,
        priority=TicketPriority.APPOINTMENT,
        appointment=current,
        language=current.language,
    )
    appointment.status = current.status
    return ticket
