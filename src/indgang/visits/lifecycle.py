"""Lifecycles of a queue ticket and an appointment: allowed status changes, one place to change.

Ticket:       waiting → called → serving → served
                 ↑  │      │  └→ no_show        (recall: called → called)
                 └──┴──────┘ transferred back to waiting in another queue; waiting → cancelled
Appointment:  booked → checked_in → done;  booked → cancelled | no_show
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    SERVED = "served", _("Served")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


TICKET_ALLOWED: dict[str, frozenset[str]] = {
    TicketStatus.WAITING: frozenset(
        {TicketStatus.CALLED, TicketStatus.CANCELLED, TicketStatus.WAITING}
    ),
    TicketStatus.CALLED: frozenset(
        {TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.NO_SHOW, TicketStatus.WAITING}
    ),
    TicketStatus.SERVING: frozenset({TicketStatus.SERVED, TicketStatus.WAITING}),
    TicketStatus.SERVED: frozenset(),
    TicketStatus.NO_SHOW: frozenset(),
    TicketStatus.CANCELLED: frozenset(),
}
OPEN_TICKET_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


class TicketPriority(models.IntegerChoices):
    """Higher is called first: due appointments, then priority needs, then first come."""

    NORMAL = 0, _("First come, first served")
    PRIORITY_NEED = 1, _("Priority need")
    APPOINTMENT = 2, _("Appointment")


class TicketSource(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    WEB = "web", _("Web, before arriving")
    CHECK_IN = "check_in", _("Appointment check-in")
    STAFF = "staff", _("Issued by staff")


class DeskKind(models.TextChoices):
    COUNTER = "counter", _("Counter")
    STATION = "station", _("Assisted self-service station")
    PRIVATE_ROOM = "private_room", _("Private room")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")


APPOINTMENT_ALLOWED: dict[str, frozenset[str]] = {
    AppointmentStatus.BOOKED: frozenset(
        {AppointmentStatus.CHECKED_IN, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW}
    ),
    AppointmentStatus.CHECKED_IN: frozenset({AppointmentStatus.DONE, AppointmentStatus.NO_SHOW}),
    AppointmentStatus.DONE: frozenset(),
    AppointmentStatus.CANCELLED: frozenset(),
    AppointmentStatus.NO_SHOW: frozenset(),
}


class Need(models.TextChoices):
    INTERPRETER = "interpreter", _("Interpreter")
    SIGN_LANGUAGE = "sign_language", _("Sign language interpreter")
    EXTRA_TIME = "extra_time", _("Extra time")
    STEP_FREE = "step_free", _("Step-free room")


class InvalidTransition(Exception):
    def __init__(self, current: str, wanted: str):
        super().__init__(f"Cannot go from {current} to {wanted}")
        self.current, self.wanted = current, wanted
