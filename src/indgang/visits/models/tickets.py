from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.inquiries.lifecycle import SelfServiceObstacle

from ..lifecycle import TicketPriority, TicketSource, TicketStatus


class QueueDayCounter(models.Model):
    """The last number issued in a queue on a local day. Incremented under the row's lock, in the
    same transaction as the ticket, so numbers are unique and without gaps per queue and day."""

    queue = models.ForeignKey("visits.Queue", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["queue", "day"], name="queue_day_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.queue} {self.day}: {self.last_number}"


class Ticket(models.Model):
    """A queue number (kønummer) taken at the kiosk, on the web or by checking in an appointment."""

    queue = models.ForeignKey(
        "visits.Queue", verbose_name=_("queue"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    token = models.CharField(max_length=43, unique=True, editable=False)
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("errand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=TicketPriority.choices, default=TicketPriority.NORMAL
    )
    source = models.CharField(_("taken"), max_length=10, choices=TicketSource.choices)
    sensitive = models.BooleanField(_("sensitive errand"), default=False)
    appointment = models.OneToOneField(
        "visits.Appointment",
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticket",
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    issued_at = models.DateTimeField(_("taken"))
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    started_at = models.DateTimeField(_("service started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    desk = models.ForeignKey(
        "visits.Desk",
        verbose_name=_("desk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("served by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    call_count = models.PositiveSmallIntegerField(_("times called"), default=0)
    resolved_on_first_contact = models.BooleanField(
        _("resolved on first contact"), null=True, blank=True
    )
    self_service_possible = models.BooleanField(
        _("could have been done by self-service"), null=True, blank=True
    )
    self_service_obstacle = models.CharField(
        _("why not by self-service"), max_length=30, blank=True, choices=SelfServiceObstacle.choices
    )

    class Meta:
        ordering = ["day", "queue", "number"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            models.UniqueConstraint(fields=["queue", "day", "number"], name="ticket_number_unique")
        ]
        indexes = [models.Index(fields=["queue", "status", "day"], name="ticket_queue_status")]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return f"{self.queue.code}{self.number:03d}"


class TicketEvent(models.Model):
    """Every status change of a ticket (for statistics and staffing). Append-only."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    at = models.DateTimeField()
    desk = models.ForeignKey(
        "visits.Desk", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queue = models.ForeignKey("visits.Queue", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")

    def __str__(self) -> str:
        return f"{self.ticket}: {self.from_status} → {self.to_status}"
