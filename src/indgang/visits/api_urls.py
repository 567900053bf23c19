"""Public queue endpoints under /api/v1/ (service points with their queues; taking a number)."""

from django.urls import path

from . import api

app_name = "visits-api"
urlpatterns = [
    path("service-points/", api.ServicePointListView.as_view(), name="service_points"),
    path(
        "service-points/<slug:slug>/tickets/",
        api.TicketCreateView.as_view(),
        name="ticket_create",
    ),
]
