from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ServicePointKind(models.TextChoices):
    TOWN_HALL = "town_hall", _("Town hall counter")
    LIBRARY = "library", _("Library branch")
    CITIZEN_BUS = "citizen_bus", _("Citizen bus")
    PHONE = "phone", _("Phone line")
    CHAT = "chat", _("Chat")


PHYSICAL_KINDS = {ServicePointKind.TOWN_HALL, ServicePointKind.LIBRARY}
REMOTE_KINDS = {ServicePointKind.PHONE, ServicePointKind.CHAT}


class ServicePointQuerySet(models.QuerySet):
    def published(self) -> "ServicePointQuerySet":
        return self.filter(published=True)


class ServicePoint(models.Model):
    """Where and how citizens are served (betjeningssted): a counter, a library, the bus, a line."""

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("The last part of the public address, as in /betjeningssteder/raadhuset/."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ServicePointKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    directions = models.TextField(
        _("directions"), blank=True, help_text=_("How to find the entrance.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    chat_url = models.URLField(_("chat address"), blank=True)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    parking = models.BooleanField(_("parking"), default=False)
    disabled_parking = models.BooleanField(_("disabled parking"), default=False)
    public_transport = models.CharField(
        _("public transport nearby"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 'Bus 12 and 14 stop 50 m from the entrance'. Empty when none."),
    )
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    private_room = models.BooleanField(
        _("private room for sensitive matters"),
        default=False,
    )
    self_service_pcs = models.PositiveSmallIntegerField(_("self-service PCs"), default=0)
    accessibility_note = models.TextField(_("more about accessibility"), blank=True)
    follows_public_holidays = models.BooleanField(
        _("closed on public holidays"),
        default=True,
        help_text=_("Closed on Danish public holidays and the municipality's closing days."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    published = models.BooleanField(_("published"), default=True)
    services = models.ManyToManyField(
        "catalogue.Service",
        through="places.ServiceOffering",
        related_name="service_points",
        verbose_name=_("services"),
    )
    history = HistoricalRecords()

    objects = ServicePointQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:service_point_detail", kwargs={"slug": self.slug})

    @property
    def is_physical(self) -> bool:
        return self.kind in PHYSICAL_KINDS

    @property
    def is_remote(self) -> bool:
        return self.kind in REMOTE_KINDS

    @property
    def is_bus(self) -> bool:
        return self.kind == ServicePointKind.CITIZEN_BUS


class ServiceOffering(models.Model):
    """A service offered at a service point, by walk-in and/or appointment."""

    service_point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="offerings",
    )
    service = models.ForeignKey(
        "catalogue.Service",
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="offerings",
    )
    walk_in = models.BooleanField(_("walk-in"), default=True)
    by_appointment = models.BooleanField(_("by appointment"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service__title"]
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        constraints = [
            models.UniqueConstraint(fields=["service_point", "service"], name="offering_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.service_point}"

    def clean(self) -> None:
        if not (self.walk_in or self.by_appointment):
            raise ValidationError(_("Choose walk-in, appointment or both."))


class BusStop(models.Model):
    """A place the citizen bus stops at; its times are weekly hours bound to the stop."""

    service_point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("citizen bus"),
        on_delete=models.CASCADE,
        related_name="stops",
        limit_choices_to={"kind": ServicePointKind.CITIZEN_BUS},
    )
    name = models.CharField(_("name"), max_length=200)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    city = models.CharField(_("town"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service_point", "sort_order", "name"]
        verbose_name = _("bus stop")
        verbose_name_plural = _("bus stops")

    def __str__(self) -> str:
        return self.name
