from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..lifecycle import Channel, EventKind, MessageKind, SelfServiceObstacle, Status


class InquiryQuerySet(models.QuerySet):
    def open(self) -> "InquiryQuerySet":
        return self.filter(
            status__in=[Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_CITIZEN]
        )


class Inquiry(models.Model):
    """One citizen's inquiry (henvendelse): one thread, one reference, whatever the channel."""

    reference = models.CharField(_("reference"), max_length=11, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, editable=False
    )
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )
    team = models.ForeignKey(
        "inquiries.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_inquiries",
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=10_000)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "About a service with sensitive personal data: only the handling team sees it."
        ),
    )
    citizen_name = models.CharField(_("name"), max_length=200, blank=True)
    citizen_email = models.EmailField(_("e-mail"), blank=True)
    citizen_phone = models.CharField(_("phone"), max_length=40, blank=True)
    citizen_cpr = models.CharField(_("CPR number"), max_length=10, blank=True)
    citizen_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged-in citizen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_inquiries",
    )
    received_at = models.DateTimeField(_("received"))
    due_on = models.DateField(_("answer promised by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    delete_after = models.DateField(
        _("delete after"), null=True, blank=True, help_text=_("Set when the inquiry is closed.")
    )
    # Contact registration: what the front office notes about a contact (feeds statistics).
    resolved_on_first_contact = models.BooleanField(
        _("resolved on first contact"), null=True, blank=True
    )
    self_service_possible = models.BooleanField(
        _("could have been done by self-service"), null=True, blank=True
    )
    self_service_obstacle = models.CharField(
        _("why not by self-service"), max_length=30, blank=True, choices=SelfServiceObstacle.choices
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_inquiries",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["team", "status", "due_on"], name="inquiry_team_status_due"),
            models.Index(fields=["citizen_email"], name="inquiry_citizen_email"),
        ]
        permissions = [
            ("view_access_log", _("Can see who read inquiries")),
            ("export_citizen_data", _("Can export everything held about a citizen")),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in (Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_CITIZEN)

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


class InquiryEvent(models.Model):
    """Something that happened to an inquiry: status, team, assignee, messages. Append-only."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_value = models.CharField(_("from"), max_length=100, blank=True)
    to_value = models.CharField(_("to"), max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    citizen_visible = models.BooleanField(_("shown to the citizen"), default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("inquiry event")
        verbose_name_plural = _("inquiry events")

    def __str__(self) -> str:
        return f"{self.inquiry}: {self.kind} {self.from_value} → {self.to_value}"


class InquiryMessage(models.Model):
    """A message in the thread: from the citizen, an answer to the citizen, or an internal note."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    body = models.TextField(_("text"), max_length=50_000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    email_message_id = models.CharField(
        _("e-mail Message-ID"),
        max_length=998,
        null=True,
        blank=True,
        unique=True,
        help_text=_("For e-mail: the same message is never taken in twice."),
    )
    created_at = models.DateTimeField(_("written"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.inquiry}: {self.get_kind_display()}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never the citizen's file name on disk: it may hold personal data or path tricks.
    return f"inquiries/{instance.inquiry.received_at:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        InquiryMessage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename
