from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..lifecycle import Channel


class Team(models.Model):
    """A group of staff who handle inquiries together (Borgerservice, Ældre og sundhed …)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
        help_text=_("Inquiries about this department's services go to this team by default."),
    )
    email = models.EmailField(_("team e-mail"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="teams"
    )
    is_front_office = models.BooleanField(
        _("front office"),
        default=False,
        help_text=_(
            "Receives what no rule routes elsewhere, and guidance about other authorities' services."
        ),
    )
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Sends matching inquiries to a team. Rules are tried in order; the first match wins."""

    position = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    team = models.ForeignKey(
        Team, verbose_name=_("send to team"), on_delete=models.CASCADE, related_name="rules"
    )
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    kle_prefix = models.CharField(
        _("KLE number starts with"),
        max_length=8,
        blank=True,
        help_text=_("E.g. 27 (social matters) or 32.06 (housing support)."),
    )
    channel = models.CharField(_("channel"), max_length=10, blank=True, choices=Channel.choices)
    words = models.CharField(
        _("words"),
        max_length=300,
        blank=True,
        help_text=_(
            "Matches when the inquiry's text contains any of these words (comma-separated)."
        ),
    )
    note = models.CharField(_("why"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.position}: → {self.team}"

    def clean(self) -> None:
        if not (self.service_id or self.kle_prefix or self.channel or self.words.strip()):
            raise ValidationError(_("A rule needs at least one condition."))

    def word_list(self) -> list[str]:
        return [w.strip().casefold() for w in self.words.split(",") if w.strip()]
