"""Public appointment endpoints under /api/v1/."""

from django.urls import path

from . import booking_api

app_name = "booking-api"
urlpatterns = [
    path("appointments/slots", booking_api.SlotListView.as_view(), name="slots"),
    path("appointments/", booking_api.AppointmentCreateView.as_view(), name="create"),
]
