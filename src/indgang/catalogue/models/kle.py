import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class KleLevel(models.TextChoices):
    MAIN_GROUP = "main_group", _("Main group")
    GROUP = "group", _("Group")
    TOPIC = "topic", _("Topic")


class KleArchiveRetention(models.TextChoices):
    """KL's advice under the Archives Act: B = bevares (preserve), K = kasseres (discard)."""

    PRESERVE = "B", _("Preserve")
    DISCARD = "K", _("Discard")


_DAYS_DURATION = re.compile(r"^P(\d+)D$")


class KleEntry(models.Model):
    """One entry of KL's classification of municipal tasks (KLE): 23 / 23.09 / 23.09.02."""

    number = models.CharField(_("number"), max_length=8, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=KleLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    title = models.CharField(_("title"), max_length=300)
    guidance = models.TextField(
        _("guidance"), blank=True, help_text=_("KL's guidance text, as HTML.")
    )
    stikord = models.JSONField(
        _("index words"),
        default=list,
        blank=True,
        help_text=_("KL's index words (stikord)."),
    )
    legal_references = models.JSONField(_("legal references"), default=list, blank=True)
    retention_archive = models.CharField(
        _("archive retention"),
        max_length=20,
        blank=True,
        choices=KleArchiveRetention.choices,
        help_text=_("Kept or destroyed under the Archives Act (BevaringJaevnfoerArkivloven)."),
    )
    retention_deletion = models.TextField(
        _("deletion under data protection"),
        blank=True,
        help_text=_(
            "KL's deletion hint (SletningJaevnfoerPersondataloven), an ISO 8601 duration "
            "such as P1825D."
        ),
    )
    created_on = models.DateField(_("created on"), null=True, blank=True)
    changed_on = models.DateField(_("changed on"), null=True, blank=True)
    retired_on = models.DateField(
        _("retired on"),
        null=True,
        blank=True,
        help_text=_(
            "Set when KL has retired or moved the entry; retired entries are kept, not deleted. "
            "When a newer publication no longer lists the entry and gives no date, this is that "
            "publication's date."
        ),
    )
    replaced_by = models.CharField(
        _("replaced by"),
        max_length=8,
        blank=True,
        help_text=_("The number of the entry KL moved this one to, if any."),
    )
    source_publication = models.DateField(
        _("publication"),
        help_text=_("Publication date of the KLE file this entry was read from."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("KLE entry")
        verbose_name_plural = _("KLE entries")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

    @property
    def retention_deletion_days(self) -> int | None:
        """KL writes the deletion hint as a number of days (P1825D); None when absent or other."""
        match = _DAYS_DURATION.match(self.retention_deletion)
        return int(match.group(1)) if match else None
