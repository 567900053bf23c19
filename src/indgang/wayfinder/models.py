"""The wayfinder's query log: what citizens searched for, masked, so staff can add keywords.

Only masked text is ever stored (`indgang.lib.masking`): CPR numbers, e-mail addresses and phone
numbers are replaced before the row is written. Rows are kept for `QUERY_LOG_RETENTION_DAYS` and
removed by `services.wayfinder_query_log_prune`.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long a logged query (and its feedback) is kept: long enough to see a season's questions.
QUERY_LOG_RETENTION_DAYS = 180
QUERY_TEXT_MAX_LENGTH = 300


class QuerySource(models.TextChoices):
    PAGE = "page", _("Citizen page")
    API = "api", _("API")


class WayfinderQueryQuerySet(models.QuerySet):
    def without_answer(self) -> WayfinderQueryQuerySet:
        """Searches where the wayfinder was not sure (or found nothing at all)."""
        return self.filter(confident=False)

    def unhelpful(self) -> WayfinderQueryQuerySet:
        """Searches whose answer the citizen said did not help."""
        return self.filter(feedback__helpful=False)


class WayfinderQuery(models.Model):
    """One search in the wayfinder, with its text masked."""

    text = models.CharField(
        _("query"),
        max_length=QUERY_TEXT_MAX_LENGTH,
        help_text=_("As the citizen typed it, with personal data masked."),
    )
    normalised = models.CharField(
        _("normalised query"),
        max_length=QUERY_TEXT_MAX_LENGTH,
        help_text=_("Lower case with single spaces, to count the same query together."),
    )
    language = models.CharField(_("language"), max_length=10)
    source = models.CharField(
        _("source"), max_length=10, choices=QuerySource.choices, default=QuerySource.PAGE
    )
    best_slug = models.SlugField(
        _("best match"),
        max_length=80,
        blank=True,
        help_text=_("The address (slug) of the best matching service, if any."),
    )
    confident = models.BooleanField(_("confident"))
    match_count = models.PositiveSmallIntegerField(_("number of matches"))
    created_at = models.DateTimeField(_("searched at"), default=timezone.now)

    objects = WayfinderQueryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("wayfinder query")
        verbose_name_plural = _("wayfinder queries")
        indexes = [
            models.Index(fields=["created_at"], name="wayfinder_query_created"),
            models.Index(fields=["normalised", "created_at"], name="wayfinder_query_normalised"),
        ]

    def __str__(self) -> str:
        return self.text


class WayfinderFeedback(models.Model):
    """The citizen's answer to "Did this help?" for one logged query; a later answer replaces it."""

    query = models.OneToOneField(
        WayfinderQuery,
        verbose_name=_("query"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    helpful = models.BooleanField(_("helpful"))
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("wayfinder feedback")
        verbose_name_plural = _("wayfinder feedback")

    def __str__(self) -> str:
        return f"{self.query}: {_('yes') if self.helpful else _('no')}"
