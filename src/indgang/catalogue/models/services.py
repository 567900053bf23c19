from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ServiceQuerySet(models.QuerySet):
    def published(self) -> "ServiceQuerySet":
        return self.filter(status=PublicationStatus.PUBLISHED)


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class Service(models.Model):
    """Something the municipality or another authority provides (ydelse)."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_(
            "The last part of the public address, as in /ydelser/pas/. "
            "Never change it once published."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("One or two sentences in plain Danish."),
    )
    about = models.TextField(_("what it is"), blank=True)
    eligibility = models.TextField(_("who can get it"), blank=True)
    how_to = models.TextField(_("how to get it"), blank=True)
    kle = models.ForeignKey(
        "catalogue.KleEntry",
        verbose_name=_("KLE topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
    )
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("handled by department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
    )
    authority = models.ForeignKey(
        "catalogue.Authority",
        verbose_name=_("handled by other authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
    )
    self_service_url = models.URLField(
        _("self-service link"),
        blank=True,
        help_text=_("Where the citizen does it online."),
    )
    by_phone = models.BooleanField(_("by phone"), default=False)
    walk_in = models.BooleanField(_("at the counter without appointment"), default=False)
    by_appointment = models.BooleanField(_("at the counter by appointment"), default=False)
    by_post = models.BooleanField(_("by letter or e-mail"), default=False)
    what_to_bring = models.TextField(
        _("what to bring"), blank=True, help_text=_("One item per line.")
    )
    fee = models.CharField(_("fee"), max_length=200, blank=True, help_text=_("Empty when free."))
    processing_days = models.PositiveSmallIntegerField(
        _("promised processing time (days)"),
        null=True,
        blank=True,
    )
    processing_note = models.CharField(
        _("processing time, as told to citizens"),
        max_length=200,
        blank=True,
    )
    sensitive = models.BooleanField(
        _("involves sensitive personal data"),
        default=False,
        help_text=_("Handled in a private room, never at an open counter."),
    )
    appointment_minutes = models.PositiveSmallIntegerField(
        _("length of an appointment (minutes)"),
        default=15,
        help_text=_("How long a booked time at the counter lasts."),
    )
    retention_days = models.PositiveIntegerField(
        _("keep inquiries for (days after close)"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: KLE's deletion hint for the service's topic, or five years when KLE gives none."
        ),
    )
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("Words citizens use for this service, one per line or separated by commas."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                name="service_handled_by_one",
                condition=Q(department__isnull=True) | Q(authority__isnull=True),
                violation_error_message=_(
                    "A service is handled by a department or by another authority, not both."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:service_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.status == PublicationStatus.PUBLISHED and not (
            self.department_id or self.authority_id
        ):
            raise ValidationError(_("A published service must say who handles it."))
        if self.kle_id and self.kle.level != "topic":
            raise ValidationError(
                {"kle": _("Choose a KLE topic (three-part number such as 23.09.02).")}
            )

    @property
    def handler(self):
        return self.department or self.authority

    @property
    def handled_by_municipality(self) -> bool:
        return self.department_id is not None

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    def keyword_list(self) -> list[str]:
        return [
            w.strip() for line in self.keywords.splitlines() for w in line.split(",") if w.strip()
        ]

    def what_to_bring_list(self) -> list[str]:
        return _lines(self.what_to_bring)
