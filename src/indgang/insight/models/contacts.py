from django.db import models
from django.utils.translation import gettext_lazy as _

from indgang.inquiries.lifecycle import SelfServiceObstacle


class ContactChannel(models.TextChoices):
    """Every way a citizen's need reaches the municipality, assisted or not."""

    COUNTER = "counter", _("Counter, walk-in")
    APPOINTMENT = "appointment", _("Appointment")
    ASSISTED = "assisted", _("Assisted self-service")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web form")
    LETTER = "letter", _("Letter")
    SOCIAL = "social", _("Social media")
    SELF_SERVICE = "self_service", _("Self-service")


# Channels where a member of staff spends time on the citizen (the "assisted" contacts).
ASSISTED_CHANNELS = tuple(c for c in ContactChannel if c != ContactChannel.SELF_SERVICE)
# Channels that are answered while the citizen waits, so waiting time and service level apply.
WAITING_CHANNELS = (
    ContactChannel.COUNTER,
    ContactChannel.APPOINTMENT,
    ContactChannel.ASSISTED,
    ContactChannel.PHONE,
    ContactChannel.CHAT,
)


class ContactOutcome(models.TextChoices):
    SERVED = "served", _("Served")
    ABANDONED = "abandoned", _("Gave up waiting")
    NO_SHOW = "no_show", _("Did not come")
    COMPLETED = "completed", _("Completed by self-service")
    OPEN = "open", _("Still open")


class ContactSource(models.TextChoices):
    """Where the row came from; (source, source_key) is unique so syncs and imports can re-run."""

    INQUIRY = "inquiry", _("Inquiry")
    TICKET = "ticket", _("Queue ticket")
    APPOINTMENT = "appointment", _("Appointment")
    SELF_SERVICE_IMPORT = "self_service_import", _("Self-service statistics import")
    PHONE_IMPORT = "phone_import", _("Phone system import")
    DEMO = "demo", _("Demo history")


class Contact(models.Model):
    """One contact (or, for imported self-service completions, `count` of them) in any channel.

    Holds no personal data: it is the statistics row behind the dashboard, forecast and staffing,
    so it can be kept after the inquiry or ticket it came from has been deleted.
    """

    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices)
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    kle_number = models.CharField(_("KLE number"), max_length=8, blank=True)
    service_point = models.ForeignKey(
        "places.ServicePoint",
        verbose_name=_("service point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )
    # A visits queue letter (A, B …), or the queue name a phone system exports ("Borgerservice").
    queue_code = models.CharField(_("queue"), max_length=40, blank=True)
    arrived_at = models.DateTimeField(_("arrived"))
    started_at = models.DateTimeField(_("service started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # Stored, not derived, so averages and service levels are computed by the database.
    wait_seconds = models.PositiveIntegerField(_("waiting time (s)"), null=True, blank=True)
    handle_seconds = models.PositiveIntegerField(_("handling time (s)"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ContactOutcome.choices, default=ContactOutcome.SERVED
    )
    count = models.PositiveIntegerField(
        _("number of contacts"),
        default=1,
        help_text=_("More than 1 only for imported daily totals of self-service completions."),
    )
    resolved_on_first_contact = models.BooleanField(
        _("resolved on first contact"), null=True, blank=True
    )
    self_service_possible = models.BooleanField(
        _("could have been done by self-service"), null=True, blank=True
    )
    self_service_obstacle = models.CharField(
        _("why not by self-service"), max_length=30, blank=True, choices=SelfServiceObstacle.choices
    )
    deadline_met = models.BooleanField(_("answered by the promised date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=30, choices=ContactSource.choices)
    source_key = models.CharField(_("source key"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-arrived_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key"], name="contact_source_unique")
        ]
        indexes = [
            models.Index(fields=["arrived_at"], name="contact_arrived"),
            models.Index(fields=["channel", "arrived_at"], name="contact_channel_arrived"),
            models.Index(fields=["service", "arrived_at"], name="contact_service_arrived"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.arrived_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.started_at and self.wait_seconds is None:
            self.wait_seconds = max(0, int((self.started_at - self.arrived_at).total_seconds()))
        if self.started_at and self.ended_at and self.handle_seconds is None:
            self.handle_seconds = max(0, int((self.ended_at - self.started_at).total_seconds()))
        super().save(*args, **kwargs)
