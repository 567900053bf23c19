"""Scenarios put before the council, and the data for placing service points.

- `Scenario`: a what-if simulation of the service model, kept as YAML (see `scenario.py`), with
  the result of its last run.
- `PopulationGrid` / `PopulationCell`: where citizens live, imported from CSV or synthetic.
- `CandidateSite`: a place a service point could open that is not one yet.
- `Placement`: a set of points (existing, bus stops, candidates) to compare with others.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scenario(models.Model):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    yaml_text = models.TextField(
        _("scenario (YAML)"),
        help_text=_("Service points, channels, opening hours, demand and staff; see the example."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The last run: the engine's `ScenarioResult.as_dict()`, and how it was made.
    result = models.JSONField(_("last result"), null=True, blank=True, editable=False)
    replications = models.PositiveIntegerField(_("replications"), null=True, blank=True)
    seed = models.PositiveIntegerField(_("seed"), null=True, blank=True)
    ran_at = models.DateTimeField(_("last run"), null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.name

    @property
    def result_is_stale(self) -> bool:
        """The YAML changed after the last run, so the result no longer describes it."""
        return bool(self.ran_at and self.updated_at and self.updated_at > self.ran_at)


class PopulationGrid(models.Model):
    """Where citizens live: cells (grid squares or address points) with a population each."""

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 'Danmarks Statistik, 1 km grid, 2024' or 'Synthetic demo grid'."),
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)
    cell_km = models.FloatField(
        _("cell size (km)"),
        default=1.0,
        validators=[MinValueValidator(0.05), MaxValueValidator(50)],
        help_text=_("Side of a grid square, used to draw the map."),
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("population grid")
        verbose_name_plural = _("population grids")

    def __str__(self) -> str:
        return self.name


class PopulationCell(models.Model):
    grid = models.ForeignKey(
        PopulationGrid, verbose_name=_("grid"), on_delete=models.CASCADE, related_name="cells"
    )
    label = models.CharField(_("label"), max_length=60, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveIntegerField(_("population"))

    class Meta:
        ordering = ["grid", "pk"]
        verbose_name = _("population cell")
        verbose_name_plural = _("population cells")

    def __str__(self) -> str:
        return self.label or f"{self.latitude:.4f}, {self.longitude:.4f}"


class CandidateSite(models.Model):
    """A place that could become a service point, with the criteria municipalities weigh."""

    name = models.CharField(_("name"), max_length=200)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    public_transport = models.BooleanField(_("public transport nearby"), default=False)
    parking = models.BooleanField(_("parking"), default=False)
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    hours_per_week = models.FloatField(
        _("opening hours per week"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    desks = models.PositiveSmallIntegerField(_("staffed desks"), default=0)
    self_service_pcs = models.PositiveSmallIntegerField(_("self-service PCs"), default=0)
    guidance = models.BooleanField(
        _("guidance at the PCs"),
        default=False,
        help_text=_("Staff help citizens at the self-service PCs (assisted self-service)."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("candidate site")
        verbose_name_plural = _("candidate sites")

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """A set of service points to compare: which existing points stay, which sites open."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service_points = models.ManyToManyField(
        "places.ServicePoint",
        verbose_name=_("service points"),
        blank=True,
        related_name="+",
    )
    bus_stops = models.ManyToManyField(
        "places.BusStop", verbose_name=_("bus stops"), blank=True, related_name="+"
    )
    candidate_sites = models.ManyToManyField(
        CandidateSite, verbose_name=_("candidate sites"), blank=True, related_name="placements"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return self.name
