"""Admin for scenarios and placement data; the staff pages are the everyday way to edit them."""

from django.contrib import admin
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from .models import CandidateSite, Placement, PopulationCell, PopulationGrid, Scenario


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "updated_at", "ran_at", "replications"]
    search_fields = ["name", "description"]
    readonly_fields = ["created_by", "created_at", "updated_at", "replications", "seed", "ran_at"]
    fields = ["name", "description", "yaml_text", *readonly_fields]


@admin.register(PopulationGrid)
class PopulationGridAdmin(admin.ModelAdmin):
    list_display = ["name", "source", "synthetic", "cell_count", "population", "created_at"]
    list_filter = ["synthetic"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_cells=Count("cells"), _population=Sum("cells__population"))
        )

    @admin.display(description=_("cells"), ordering="_cells")
    def cell_count(self, obj) -> int:
        return obj._cells

    @admin.display(description=_("population"), ordering="_population")
    def population(self, obj) -> int:
        return obj._population or 0


@admin.register(PopulationCell)
class PopulationCellAdmin(admin.ModelAdmin):
    list_display = ["__str__", "grid", "latitude", "longitude", "population"]
    list_filter = ["grid"]
    list_select_related = ["grid"]


@admin.register(CandidateSite)
class CandidateSiteAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "latitude",
        "longitude",
        "public_transport",
        "parking",
        "step_free_access",
        "hours_per_week",
        "desks",
        "self_service_pcs",
    ]
    search_fields = ["name"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["name", "updated_at"]
    search_fields = ["name"]
    filter_horizontal = ["service_points", "bus_stops", "candidate_sites"]
    readonly_fields = ["created_by", "updated_at"]
