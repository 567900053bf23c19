from django.urls import path

from . import api

app_name = "wayfinder_api"
urlpatterns = [
    path("wayfinder", api.WayfinderView.as_view(), name="search"),
]
