"""Booking, moving and cancelling an appointment as the citizen does it, and telling them.

`appointment_book_slot` re-derives the slot (it must still exist, in the window, with its
capacity) before booking. Confirmations, reminders and cancel notices go by e-mail through the
inquiries outbox (sent by `indgang inquiries work`) and by SMS through the adapter once the change
is committed.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from indgang.catalogue.models import Service
from indgang.inquiries.outbox import outbox_enqueue
from indgang.places.models import ServicePoint

from .booking import (
    AlreadyBooked,
    SlotFull,
    appointment_book,
    appointment_for_reference,
    appointment_set_status,
)
from .lifecycle import AppointmentStatus
from .models import Appointment
from .slots import Slot, days_with_free_slots, free_slots_for, slot_find
from .sms import SmsError, send_sms

logger = logging.getLogger(__name__)


class SlotUnavailable(Exception):
    """The time is not (or no longer) a bookable slot: outside the window, closed, blocked."""


def appointment_book_slot(
    *,
    service: Service,
    service_point: ServicePoint,
    start: dt.datetime,
    name: str,
    email: str = "",
    phone: str = "",
    note: str = "",
    needs: list[str] | None = None,
    language: str = "da",
    now: dt.datetime | None = None,
    notify: bool = True,
    reference: str | None = None,
) -> Appointment:
    """Book the slot at `start`; SlotUnavailable if there is no such slot, SlotFull if taken.

    With a `reference` issued in advance (the web form's token), AlreadyBooked when that form
    has booked already: checked first, as its own booking may be what fills the slot now.
    """
    existing = appointment_for_reference(reference)
    if existing is not None:
        raise AlreadyBooked(existing)
    slot = slot_find(service=service, service_point=service_point, start=start, now=now)
    if slot is None:
        raise SlotUnavailable(start)
    if slot.free <= 0:
        raise SlotFull(start)
    appointment = appointment_book(
        service=service,
        service_point=service_point,
        start=slot.start,
        capacity=slot.capacity,
        name=name,
        email=email,
        phone=phone,
        note=note,
        needs=needs,
        language=language,
        reference=reference,
    )
    if notify:
        appointment_confirmation_send(appointment=appointment)
    return appointment


def appointment_cancel(
    *, appointment: Appointment, note: str = "", notify: bool = True
) -> Appointment:
    """Cancel a booked appointment (InvalidTransition when it is past booked) and tell the
    citizen by e-mail and/or SMS, unless `notify` is off (a move sends its own confirmation)."""
    with transaction.atomic():
        appointment_set_status(
            appointment=appointment, status=AppointmentStatus.CANCELLED, note=note or "citizen"
        )
        if notify:
            appointment_cancellation_send(appointment=appointment)
    return appointment


def appointment_move(
    *, appointment: Appointment, start: dt.datetime, now: dt.datetime | None = None
) -> Appointment:
    """Book the same service and point at `start`, then cancel the old one, all or nothing."""
    if appointment.status != AppointmentStatus.BOOKED:
        raise SlotUnavailable(start)
    with transaction.atomic():
        new = appointment_book_slot(
            service=appointment.service,
            service_point=appointment.service_point,
            start=start,
            name=appointment.name,
            email=appointment.email,
            phone=appointment.phone,
            note=appointment.note,
            needs=appointment.needs,
            language=appointment.language,
            now=now,
            notify=False,
        )
        appointment_cancel(appointment=appointment, note=f"moved to {new.reference}", notify=False)
    appointment_confirmation_send(appointment=new)
    return new


# --- Telling the citizen ----------------------------------------------------------------------


def manage_url(appointment: Appointment) -> str:
    with translation.override(appointment.language or "da"):
        path = reverse("booking:manage", kwargs={"token": appointment.manage_token})
    return settings.SITE_URL + path


def book_again_url(appointment: Appointment) -> str:
    with translation.override(appointment.language or "da"):
        path = reverse("booking:choose")
    query = urlencode({"ydelse": appointment.service.slug, "sted": appointment.service_point.slug})
    return f"{settings.SITE_URL}{path}?{query}"


def ics_url(appointment: Appointment) -> str:
    with translation.override(appointment.language or "da"):
        path = reverse("booking:ics", kwargs={"token": appointment.manage_token})
    return settings.SITE_URL + path


def _message_context(appointment: Appointment) -> dict:
    return {
        "appointment": appointment,
        "local_start": timezone.localtime(appointment.start),
        "local_end": timezone.localtime(appointment.end),
        "point": appointment.service_point,
        "service": appointment.service,
        "what_to_bring": appointment.service.what_to_bring_list(),
        "manage_url": manage_url(appointment),
        "ics_url": ics_url(appointment),
        "book_again_url": book_again_url(appointment),
        "municipality": settings.MUNICIPALITY_NAME,
    }


def _sms_after_commit(*, to: str, text: str) -> None:
    def send() -> None:
        try:
            send_sms(to=to, text=text)
        except SmsError:
            logger.exception("visits: SMS to the citizen could not be sent")

    transaction.on_commit(send)


def appointment_confirmation_send(*, appointment: Appointment) -> None:
    """E-mail (through the outbox) and SMS (after commit) with the reference and the time."""
    _notify(appointment, kind="confirmation")


def appointment_reminder_send(*, appointment: Appointment) -> None:
    _notify(appointment, kind="reminder")


def appointment_cancellation_send(*, appointment: Appointment) -> None:
    """The cancel notice: which time is given up, and where to book a new one."""
    _notify(appointment, kind="cancellation")


def _notify(appointment: Appointment, *, kind: str) -> None:
    with translation.override(appointment.language or "da"):
        context = _message_context(appointment)
        when = f"{context['local_start']:%d.%m.%Y %H:%M}"
        url = context["manage_url"]
        template = "visits/booking/email.txt"
        if kind == "cancellation":
            subject = _("Cancelled: your appointment %(reference)s, %(when)s") % {
                "reference": appointment.reference,
                "when": when,
            }
            sms = _(
                "Cancelled: %(service)s, %(when)s, %(place)s. Reference %(reference)s. "
                "Book a new time: %(url)s"
            )
            url = context["book_again_url"]
            template = "visits/booking/email_cancelled.txt"
        elif kind == "confirmation":
            subject = _("Your appointment %(reference)s: %(when)s") % {
                "reference": appointment.reference,
                "when": when,
            }
            sms = _(
                "Booked: %(service)s, %(when)s, %(place)s. Reference %(reference)s. "
                "Change or cancel: %(url)s"
            )
        else:
            subject = _("Reminder: your appointment %(when)s") % {"when": when}
            sms = _(
                "Reminder: %(service)s, %(when)s, %(place)s. Reference %(reference)s. "
                "Change or cancel: %(url)s"
            )
        sms = sms % {
            "service": appointment.service.title,
            "when": when,
            "place": appointment.service_point.name,
            "reference": appointment.reference,
            "url": url,
        }
        if appointment.email:
            body = render_to_string(template, context | {"reminder": kind == "reminder"})
            outbox_enqueue(to=appointment.email, subject=subject, body=body)
        if appointment.phone:
            _sms_after_commit(to=appointment.phone, text=sms)


def free_alternatives(
    *, service: Service, service_point: ServicePoint, near: dt.datetime, limit: int = 6
) -> list[Slot]:
    """Free slots on the same day, then the next days: what to offer when a slot is full."""
    day = timezone.localtime(near).date()
    found = free_slots_for(service=service, service_point=service_point, day=day)
    if len(found) < limit:
        for other, _count in days_with_free_slots(
            service=service, service_point=service_point, after=day + dt.timedelta(days=1), limit=3
        ):
            found += free_slots_for(service=service, service_point=service_point, day=other)
            if len(found) >= limit:
                break
    return found[:limit]
