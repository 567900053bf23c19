"""Writes for contact statistics: one Contact row per inquiry, ended ticket or missed appointment.

The rows are filled from the inquiries and visits apps as things happen (see receivers.py) and
by `indgang insight sync` for what already exists. Each source object has one row, found by
(source, source_key), so recording again updates it instead of counting twice. Nothing personal
is copied: no names, addresses, CPR numbers or texts, only channel, service, times and outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TextIO

from django.db import connection, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from indgang.inquiries.lifecycle import Channel as InquiryChannel
from indgang.inquiries.lifecycle import EventKind
from indgang.inquiries.lifecycle import Status as InquiryStatus
from indgang.inquiries.models import Inquiry, InquiryEvent
from indgang.lib.progress import Progress
from indgang.visits.lifecycle import AppointmentStatus, DeskKind, TicketSource, TicketStatus
from indgang.visits.models import Appointment, Ticket

from .models import Contact, ContactChannel, ContactOutcome, ContactSource

INQUIRY_CHANNELS = {
    InquiryChannel.WEB: ContactChannel.WEB,
    InquiryChannel.EMAIL: ContactChannel.EMAIL,
    InquiryChannel.PHONE: ContactChannel.PHONE,
    InquiryChannel.COUNTER: ContactChannel.COUNTER,
    InquiryChannel.LETTER: ContactChannel.LETTER,
    InquiryChannel.SOCIAL: ContactChannel.SOCIAL,
}
# A ticket is a contact once it has ended; a cancelled ticket is a citizen who left the queue.
TICKET_OUTCOMES = {
    TicketStatus.SERVED: ContactOutcome.SERVED,
    TicketStatus.NO_SHOW: ContactOutcome.NO_SHOW,
    TicketStatus.CANCELLED: ContactOutcome.ABANDONED,
}
ANSWERED_STATUSES = (InquiryStatus.ANSWERED, InquiryStatus.CLOSED)


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


def _kle(service) -> str:
    return service.kle.number if service is not None and service.kle_id else ""


def _upsert(source: str, key: object, values: dict) -> Contact:
    # The durations are given, never left to Contact.save(): it only fills them when empty, so an
    # update (a ticket recalled and served later) would otherwise keep stale ones.
    contact, _created = Contact.objects.update_or_create(
        source=source, source_key=str(key), defaults=values
    )
    return contact


def _forget(source: str, key: object) -> None:
    Contact.objects.filter(source=source, source_key=str(key)).delete()


@transaction.atomic
def contact_record_from_ticket(*, ticket: Ticket) -> Contact | None:
    """Record an ended ticket (served, did not come, or left the queue); None while it is open.

    The channel is the appointment when the ticket came from a check-in, assisted self-service
    when it was served at a station, else a walk-in at the counter. Waiting runs from taking the
    number to being served (or, for a no-show, to being called; for one who left, to leaving).
    """
    ticket = Ticket.objects.select_related("queue", "desk", "service__kle").get(pk=ticket.pk)
    outcome = TICKET_OUTCOMES.get(ticket.status)
    if outcome is None:
        _forget(ContactSource.TICKET, ticket.pk)
        return None
    if ticket.source == TicketSource.CHECK_IN or ticket.appointment_id:
        channel = ContactChannel.APPOINTMENT
    elif ticket.desk_id and ticket.desk.kind == DeskKind.STATION:
        channel = ContactChannel.ASSISTED
    else:
        channel = ContactChannel.COUNTER
    started = None
    if outcome == ContactOutcome.SERVED:
        started = ticket.started_at or ticket.called_at or ticket.ended_at
        wait_until = started
    elif outcome == ContactOutcome.NO_SHOW:
        wait_until = ticket.called_at or ticket.ended_at
    else:
        wait_until = ticket.ended_at
    served = outcome == ContactOutcome.SERVED
    return _upsert(
        ContactSource.TICKET,
        ticket.pk,
        {
            "channel": channel,
            "service": ticket.service,
            "kle_number": _kle(ticket.service),
            "service_point_id": ticket.queue.service_point_id,
            "queue_code": ticket.queue.code,
            "arrived_at": ticket.issued_at,
            "started_at": started,
            "ended_at": ticket.ended_at,
            "wait_seconds": _seconds(ticket.issued_at, wait_until),
            "handle_seconds": _seconds(started, ticket.ended_at),
            "outcome": outcome,
            "count": 1,
            "resolved_on_first_contact": ticket.resolved_on_first_contact if served else None,
            "self_service_possible": ticket.self_service_possible if served else None,
            "self_service_obstacle": ticket.self_service_obstacle if served else "",
            "deadline_met": None,
        },
    )


@transaction.atomic
def contact_record_from_appointment(*, appointment: Appointment) -> Contact | None:
    """Record an appointment that is over. None while it is booked, and for a cancelled one:
    a booking given back is no contact.

    A checked-in appointment is counted once, through its ticket (which has the real times);
    one that nobody came to is a no-show at its booked time.
    """
    appointment = Appointment.objects.select_related("service__kle").get(pk=appointment.pk)
    ticket = Ticket.objects.filter(appointment_id=appointment.pk).first()
    if ticket is not None:
        _forget(ContactSource.APPOINTMENT, appointment.pk)
        return contact_record_from_ticket(ticket=ticket)
    if appointment.status == AppointmentStatus.NO_SHOW:
        timing = {"started_at": None, "ended_at": None, "outcome": ContactOutcome.NO_SHOW}
    elif appointment.status == AppointmentStatus.DONE:
        # Done without a check-in ticket (marked by hand): the booked time is the best we know.
        timing = {
            "started_at": appointment.start,
            "ended_at": appointment.end,
            "outcome": ContactOutcome.SERVED,
        }
    else:
        _forget(ContactSource.APPOINTMENT, appointment.pk)
        return None
    return _upsert(
        ContactSource.APPOINTMENT,
        appointment.pk,
        {
            "channel": ContactChannel.APPOINTMENT,
            "service": appointment.service,
            "kle_number": _kle(appointment.service),
            "service_point_id": appointment.service_point_id,
            "queue_code": "",
            "arrived_at": appointment.start,
            "wait_seconds": 0 if timing["started_at"] else None,
            "handle_seconds": _seconds(timing["started_at"], timing["ended_at"]),
            "count": 1,
            "resolved_on_first_contact": None,
            "self_service_possible": None,
            "self_service_obstacle": "",
            "deadline_met": None,
            **timing,
        },
    )


@transaction.atomic
def contact_record_from_inquiry(*, inquiry: Inquiry) -> Contact:
    """Record an inquiry: open until first answered (or closed), then served at that moment.

    Whether the promised date was met is decided by the first answer; a later reopening does not
    change when the citizen got it. Inquiries have no waiting or handling time.
    """
    inquiry = Inquiry.objects.select_related("service__kle").get(pk=inquiry.pk)
    answered = (
        InquiryEvent.objects.filter(
            inquiry=inquiry, kind=EventKind.STATUS, to_value__in=ANSWERED_STATUSES
        )
        .order_by("at", "pk")
        .values_list("at", flat=True)
        .first()
    )
    if answered is None and inquiry.status in ANSWERED_STATUSES:
        answered = inquiry.closed_at or inquiry.updated_at  # an inquiry older than its events
    deadline_met = None
    if answered is not None and inquiry.due_on is not None:
        deadline_met = timezone.localdate(answered) <= inquiry.due_on
    return _upsert(
        ContactSource.INQUIRY,
        inquiry.pk,
        {
            "channel": INQUIRY_CHANNELS.get(inquiry.channel, ContactChannel.WEB),
            "service": inquiry.service,
            "kle_number": _kle(inquiry.service),
            "service_point": None,
            "queue_code": "",
            "arrived_at": inquiry.received_at,
            "started_at": None,
            "ended_at": answered,
            "wait_seconds": None,
            "handle_seconds": None,
            "outcome": ContactOutcome.SERVED if answered else ContactOutcome.OPEN,
            "count": 1,
            "resolved_on_first_contact": inquiry.resolved_on_first_contact,
            "self_service_possible": inquiry.self_service_possible,
            "self_service_obstacle": inquiry.self_service_obstacle,
            "deadline_met": deadline_met,
        },
    )


@dataclass(frozen=True)
class SyncResult:
    inquiries: int
    tickets: int
    appointments: int

    @property
    def total(self) -> int:
        return self.inquiries + self.tickets + self.appointments


def contacts_sync(*, progress_stream: TextIO | None = None) -> SyncResult:
    """Record every existing inquiry, ended ticket and finished appointment. Safe to run again:
    each source object has one row, which is brought up to date."""
    inquiry_ids = list(Inquiry.objects.order_by("pk").values_list("pk", flat=True))
    ticket_ids = list(
        Ticket.objects.filter(status__in=list(TICKET_OUTCOMES))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Checked-in appointments are counted through their tickets above.
    appointment_ids = list(
        Appointment.objects.filter(status__in=[AppointmentStatus.NO_SHOW, AppointmentStatus.DONE])
        .filter(ticket__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    total = len(inquiry_ids) + len(ticket_ids) + len(appointment_ids)
    with Progress(total, stream=progress_stream, label="Contacts") as bar:
        for pk in inquiry_ids:
            contact_record_from_inquiry(inquiry=Inquiry(pk=pk))
            bar.advance()
        for pk in ticket_ids:
            contact_record_from_ticket(ticket=Ticket(pk=pk))
            bar.advance()
        for pk in appointment_ids:
            contact_record_from_appointment(appointment=Appointment(pk=pk))
            bar.advance()
    return SyncResult(
        inquiries=len(inquiry_ids), tickets=len(ticket_ids), appointments=len(appointment_ids)
    )


# -- many rows at once (imports, demo history) --------------------------------------------------

INSERT_COLUMNS = (
    "channel",
    "service_id",
    "kle_number",
    "service_point_id",
    "queue_code",
    "arrived_at",
    "started_at",
    "ended_at",
    "wait_seconds",
    "handle_seconds",
    "outcome",
    "count",
    "resolved_on_first_contact",
    "self_service_possible",
    "self_service_obstacle",
    "deadline_met",
    "source",
    "source_key",
    "created_at",
)
_DATETIMES = frozenset({"arrived_at", "started_at", "ended_at", "created_at"})
_DEFAULTS = {
    "service_id": None,
    "kle_number": "",
    "service_point_id": None,
    "queue_code": "",
    "started_at": None,
    "ended_at": None,
    "wait_seconds": None,
    "handle_seconds": None,
    "outcome": ContactOutcome.SERVED,
    "count": 1,
    "resolved_on_first_contact": None,
    "self_service_possible": None,
    "self_service_obstacle": "",
    "deadline_met": None,
}


def _datetime_adapter():
    if connection.vendor == "sqlite":
        # What Django's adapter does for SQLite (naive UTC text), without its per-value checks:
        # it is a third of the time of a large import.
        zone = connection.timezone
        return lambda value: str(value.astimezone(zone).replace(tzinfo=None))
    return connection.ops.adapt_datetimefield_value


def contacts_insert_many(*, rows: Iterable[Mapping[str, object]]) -> None:
    """Insert plain rows (dicts of Contact columns; `channel`, `arrived_at`, `source` and
    `source_key` required), skipping any whose (source, source_key) is already there.

    A raw INSERT … ON CONFLICT DO NOTHING through executemany: for hundreds of thousands of rows
    the ORM's bulk_create spends most of its time building model instances and SQL. Values are
    written as given, so the caller fills wait/handle seconds. Count the rows before and after to
    know how many were new.
    """
    ops = connection.ops
    table = ops.quote_name(Contact._meta.db_table)
    names = ", ".join(ops.quote_name(c) for c in INSERT_COLUMNS)
    marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
    fields = [Contact._meta.get_field("source")]
    suffix = ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
    sql = (
        f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} ({names}) "
        f"VALUES ({marks}) {suffix}"
    )
    adapt = _datetime_adapter()
    defaults = {**_DEFAULTS, "created_at": timezone.now()}
    positions = [i for i, c in enumerate(INSERT_COLUMNS) if c in _DATETIMES]
    params = []
    for row in rows:
        values = [row[c] if c not in defaults else row.get(c, defaults[c]) for c in INSERT_COLUMNS]
        for i in positions:
            if values[i] is not None:
                values[i] = adapt(values[i])
        params.append(values)
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
