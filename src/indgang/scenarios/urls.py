"""Scenario and placement pages under /personale/scenarier/."""

from django.urls import path

from . import views, views_placement

app_name = "scenarios"

urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("ny/", views.scenario_create, name="create"),
    path("<int:pk>/", views.scenario_detail, name="detail"),
    path("<int:pk>/rediger/", views.scenario_edit, name="edit"),
    path("<int:pk>/koer/", views.scenario_run, name="run"),
    path("sammenlign/", views.scenario_compare, name="compare"),
    path("rapport/", views.scenario_report, name="report"),
    path("placering/", views_placement.placement_compare, name="placement"),
    path("placering/ny/", views_placement.placement_create, name="placement_create"),
    path("placering/<int:pk>/rediger/", views_placement.placement_edit, name="placement_edit"),
    path("placering/steder/ny/", views_placement.candidate_site_create, name="site_create"),
    path("placering/befolkning/", views_placement.population_import, name="population"),
]
