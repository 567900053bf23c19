"""Keep the contact statistics up to date as inquiries, tickets and appointments change.

The inquiries and visits apps do not know about statistics: every status change there writes an
event row, and these receivers record the contact once that change is committed. A rolled-back
change records nothing, and the record reads the committed rows, so it sees what the same
transaction wrote after the event (a ticket's outcome registration follows its "served" event).
A failure here is logged and never breaks the citizen's or the clerk's request (robust=True);
`indgang insight sync` repairs any row that was missed.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save

from indgang.inquiries.lifecycle import EventKind
from indgang.inquiries.models import Inquiry, InquiryEvent
from indgang.visits.lifecycle import AppointmentStatus
from indgang.visits.models import Appointment, AppointmentEvent, Ticket, TicketEvent

from .services import (
    TICKET_OUTCOMES,
    contact_record_from_appointment,
    contact_record_from_inquiry,
    contact_record_from_ticket,
)

APPOINTMENT_ENDS = (AppointmentStatus.NO_SHOW, AppointmentStatus.CANCELLED, AppointmentStatus.DONE)


# The services read the row afresh (with what they need joined), so an unsaved instance with the
# pk is enough; one deleted before the commit has nothing to record.


def _record_ticket(pk: int) -> None:
    try:
        contact_record_from_ticket(ticket=Ticket(pk=pk))
    except Ticket.DoesNotExist:
        pass


def _record_appointment(pk: int) -> None:
    try:
        contact_record_from_appointment(appointment=Appointment(pk=pk))
    except Appointment.DoesNotExist:
        pass


def _record_inquiry(pk: int) -> None:
    try:
        contact_record_from_inquiry(inquiry=Inquiry(pk=pk))
    except Inquiry.DoesNotExist:
        pass


def ticket_event_saved(sender, instance: TicketEvent, created: bool, raw: bool = False, **kwargs):
    if created and not raw and instance.to_status in TICKET_OUTCOMES:
        transaction.on_commit(partial(_record_ticket, instance.ticket_id), robust=True)


def appointment_event_saved(
    sender, instance: AppointmentEvent, created: bool, raw: bool = False, **kwargs
):
    if created and not raw and instance.to_status in APPOINTMENT_ENDS:
        transaction.on_commit(partial(_record_appointment, instance.appointment_id), robust=True)


def inquiry_event_saved(sender, instance: InquiryEvent, created: bool, raw: bool = False, **kwargs):
    # Every status change: received (a new inquiry), answered, closed, and reopened.
    if created and not raw and instance.kind == EventKind.STATUS:
        transaction.on_commit(partial(_record_inquiry, instance.inquiry_id), robust=True)


def receivers_connect() -> None:
    post_save.connect(ticket_event_saved, sender=TicketEvent, dispatch_uid="insight_ticket")
    post_save.connect(
        appointment_event_saved, sender=AppointmentEvent, dispatch_uid="insight_appointment"
    )
    post_save.connect(inquiry_event_saved, sender=InquiryEvent, dispatch_uid="insight_inquiry")
