from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..lifecycle import AppointmentStatus


class BookingPolicy(models.Model):
    """How far ahead a service point takes bookings, and the pause between appointments."""

    service_point = models.OneToOneField(
        "places.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="booking_policy",
    )
    min_days_ahead = models.PositiveSmallIntegerField(_("earliest, days ahead"), default=1)
    max_days_ahead = models.PositiveSmallIntegerField(_("latest, days ahead"), default=60)
    buffer_minutes = models.PositiveSmallIntegerField(
        _("pause after each appointment (minutes)"), default=0
    )

    class Meta:
        verbose_name = _("booking policy")
        verbose_name_plural = _("booking policies")

    def __str__(self) -> str:
        return str(self.service_point)


class BlockedDate(models.Model):
    """A day a service point takes no bookings (training, moving), though it may be open."""

    service_point = models.ForeignKey(
        "places.ServicePoint", on_delete=models.CASCADE, related_name="blocked_dates"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("why"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("day without bookings")
        verbose_name_plural = _("days without bookings")
        constraints = [
            models.UniqueConstraint(fields=["service_point", "date"], name="blocked_date_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service_point}: {self.date}"


class Appointment(models.Model):
    """A booked time (tidsbestilling). Holds one of the slot's seats: a slot with capacity N has
    seats 1..N, and a unique index on (point, service, start, seat) among live bookings lets the
    database, not a check in Python, refuse a booking beyond capacity."""

    reference = models.CharField(_("reference"), max_length=11, unique=True, editable=False)
    service = models.ForeignKey(
        "catalogue.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    service_point = models.ForeignKey(
        "places.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    seat = models.PositiveSmallIntegerField(_("seat"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("mobile"), max_length=40, blank=True)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    manage_token = models.CharField(max_length=43, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=10, default="da")
    created_at = models.DateTimeField(_("booked"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["service_point", "service", "start", "seat"],
                condition=~Q(status="cancelled"),
                name="appointment_seat_unique",
            )
        ]
        indexes = [models.Index(fields=["service_point", "start"], name="appointment_point_start")]

    def __str__(self) -> str:
        return self.reference


class AppointmentEvent(models.Model):
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.appointment}: {self.from_status} → {self.to_status}"
