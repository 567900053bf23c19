from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..lifecycle import DeskKind


class Queue(models.Model):
    """A line at a service point, with a letter prefix: A for passports and driving licences …"""

    service_point = models.ForeignKey(
        "places.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="queues",
    )
    code = models.CharField(
        _("letter"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{1,2}$", _("One or two capital letters."))],
        help_text=_("Printed before the number: A012."),
    )
    name = models.CharField(_("name"), max_length=100)
    services = models.ManyToManyField(
        "catalogue.Service", verbose_name=_("services"), blank=True, related_name="queues"
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[services])

    class Meta:
        ordering = ["service_point", "sort_order", "code"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        constraints = [
            models.UniqueConstraint(fields=["service_point", "code"], name="queue_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Desk(models.Model):
    """Where a member of staff serves: a counter, an assisted self-service station, a private room."""

    service_point = models.ForeignKey(
        "places.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="desks",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Shown on the screen: 'Skranke 3'.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeskKind.choices)
    queues = models.ManyToManyField(
        Queue,
        verbose_name=_("usually serves"),
        blank=True,
        related_name="desks",
        help_text=_("Used to count desks for booking capacity and wait estimates."),
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[queues])

    class Meta:
        ordering = ["service_point", "name"]
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        constraints = [
            models.UniqueConstraint(fields=["service_point", "name"], name="desk_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_private(self) -> bool:
        return self.kind == DeskKind.PRIVATE_ROOM


class DeskSession(models.Model):
    """A member of staff at a desk, serving some queues, from when to when."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="sessions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_sessions"
    )
    queues = models.ManyToManyField(Queue, related_name="desk_sessions")
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("desk session")
        verbose_name_plural = _("desk sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["desk"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_session_per_desk",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.desk}"
