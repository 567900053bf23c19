"""Reminders the day before: one per booked appointment, by e-mail (outbox) and/or SMS.

Each appointment is claimed with a conditional UPDATE (reminded_at is still empty) before its
reminder is written, so two workers running at once never remind the same citizen twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .booking_manage import appointment_reminder_send
from .lifecycle import AppointmentStatus
from .models import Appointment

logger = logging.getLogger(__name__)

REMIND_BEFORE = dt.timedelta(hours=24)


@dataclass
class RemindersSent:
    sent: int = 0
    failed: int = 0

    @property
    def idle(self) -> bool:
        return not (self.sent or self.failed)

    def summary(self) -> str:
        parts = [f"{self.sent} appointment reminders sent"] if self.sent else []
        if self.failed:
            parts.append(f"{self.failed} failed")
        return ", ".join(parts)


def appointment_reminders_send(
    *, now: dt.datetime | None = None, before: dt.timedelta = REMIND_BEFORE
) -> RemindersSent:
    now = now or timezone.now()
    due = list(
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED,
            reminded_at__isnull=True,
            start__gt=now,
            start__lte=now + before,
        )
        .order_by("start")
        .values_list("pk", flat=True)
    )
    outcome = RemindersSent()
    for pk in due:
        try:
            with transaction.atomic():
                claimed = Appointment.objects.filter(
                    pk=pk, reminded_at__isnull=True, status=AppointmentStatus.BOOKED
                ).update(reminded_at=now)
                if not claimed:
                    continue  # another worker has it, or it was cancelled meanwhile
                appointment = Appointment.objects.select_related("service", "service_point").get(
                    pk=pk
                )
                appointment_reminder_send(appointment=appointment)
        except Exception:  # noqa: BLE001 - one bad appointment must not stop the others
            logger.exception("visits: the reminder for appointment %s failed", pk)
            outcome.failed += 1
            continue
        outcome.sent += 1
    return outcome
