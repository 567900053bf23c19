from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .services import PublicationStatus


class LifeEventQuerySet(models.QuerySet):
    def published(self) -> "LifeEventQuerySet":
        return self.filter(status=PublicationStatus.PUBLISHED)


class LifeEvent(models.Model):
    """A situation in life (livssituation) that involves several services in a known order."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=400)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    history = HistoricalRecords()

    objects = LifeEventQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "title"]
        verbose_name = _("life event")
        verbose_name_plural = _("life events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:life_event_detail", kwargs={"slug": self.slug})


class LifeEventStep(models.Model):
    """One step of a life event, pointing to the service that covers it."""

    life_event = models.ForeignKey(
        LifeEvent,
        verbose_name=_("life event"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="life_event_steps",
    )
    title = models.CharField(_("what to do"), max_length=200)
    text = models.TextField(_("explanation"), blank=True)
    automatic_note = models.TextField(
        _("what happens automatically"),
        blank=True,
        help_text=_(
            "What the citizen does not need to do, e.g. 'Your doctor is kept when you move within the municipality'."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["life_event", "position"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.life_event}: {self.title}"
