from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ContactFields(models.Model):
    """How a citizen reaches an organisation; shared by departments and other authorities."""

    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_hours = models.CharField(
        _("phone hours"),
        max_length=200,
        blank=True,
        help_text=_("Plain text, e.g. 'Monday–Friday 9–15'."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("postal address"), blank=True)

    class Meta:
        abstract = True


class Department(ContactFields):
    """A municipal department (fagafdeling) that handles services behind the front office."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Authority(ContactFields):
    """Another public authority that handles some services (Udbetaling Danmark, Skattestyrelsen …)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("other authority")
        verbose_name_plural = _("other authorities")

    def __str__(self) -> str:
        return self.name
