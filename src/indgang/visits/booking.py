"""Booking a time: the database refuses a booking beyond the slot's capacity."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from indgang.catalogue.models import Service
from indgang.inquiries.references import reference_generate
from indgang.places.models import ServicePoint

from .lifecycle import APPOINTMENT_ALLOWED, AppointmentStatus, InvalidTransition
from .models import Appointment, AppointmentEvent

REFERENCE_PREFIX = "T"


class SlotFull(Exception):
    """Every seat of the slot is taken."""


class AlreadyBooked(Exception):
    """The booking form with this reference was sent before: `appointment` is what it booked."""

    def __init__(self, appointment: Appointment):
        super().__init__(appointment.reference)
        self.appointment = appointment


def appointment_for_reference(reference: str | None) -> Appointment | None:
    if not reference:
        return None
    return (
        Appointment.objects.select_related("service", "service_point")
        .filter(reference=reference)
        .first()
    )


def appointment_book(
    *,
    service: Service,
    service_point: ServicePoint,
    start: dt.datetime,
    capacity: int,
    name: str,
    email: str = "",
    phone: str = "",
    note: str = "",
    needs: list[str] | None = None,
    language: str = "da",
    reference: str | None = None,
) -> Appointment:
    """Book seat 1, 2, … of the slot until one is free; SlotFull when all `capacity` are taken.

    `capacity` comes from the slot derivation (desks serving the service at that time). Each
    attempt is its own savepoint: the partial unique index on (point, service, start, seat)
    among live bookings decides, so two citizens can never hold the same seat.

    `reference`, when given, was issued in advance (the web form's signed token) and works as
    an idempotency key: AlreadyBooked when a booking with it exists, also when the same form
    arrives twice at once (the reference's unique index lets only one of them save).
    """
    existing = appointment_for_reference(reference)
    if existing is not None:
        raise AlreadyBooked(existing)
    end = start + dt.timedelta(minutes=service.appointment_minutes)
    taken = set(
        Appointment.objects.filter(service_point=service_point, service=service, start=start)
        .exclude(status=AppointmentStatus.CANCELLED)
        .values_list("seat", flat=True)
    )
    for seat in range(1, capacity + 1):
        if seat in taken:
            continue
        appointment = Appointment(
            reference=reference or reference_generate(REFERENCE_PREFIX),
            service=service,
            service_point=service_point,
            start=start,
            end=end,
            seat=seat,
            name=name,
            email=email,
            phone=phone,
            note=note,
            needs=list(needs or []),
            manage_token=secrets.token_urlsafe(32),
            language=language,
        )
        appointment.full_clean(
            exclude=["reference", "seat", "manage_token"], validate_constraints=False
        )
        try:
            with transaction.atomic():
                appointment.save()
                AppointmentEvent.objects.create(
                    appointment=appointment, to_status=AppointmentStatus.BOOKED, at=timezone.now()
                )
        except IntegrityError:
            existing = appointment_for_reference(reference)
            if existing is not None:
                raise AlreadyBooked(existing) from None
            continue  # someone took this seat (or, very rarely, this reference) a moment ago
        return appointment
    raise SlotFull(start)


@transaction.atomic
def appointment_set_status(*, appointment: Appointment, status: str, note: str = "") -> Appointment:
    current = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
    if status not in APPOINTMENT_ALLOWED[current.status]:
        raise InvalidTransition(current.status, status)
    previous, current.status = current.status, status
    current.save(update_fields=["status"])
    AppointmentEvent.objects.create(
        appointment=current, from_status=previous, to_status=status, at=timezone.now(), note=note
    )
    appointment.status = status
    return appointment
