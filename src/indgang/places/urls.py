from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("betjeningssteder/", views.service_point_index, name="service_point_index"),
    path("betjeningssteder/<slug:slug>/", views.service_point_detail, name="service_point_detail"),
    path(
        "betjeningssteder/<slug:slug>/aabningstider.ics",
        views.service_point_ical,
        name="service_point_ical",
    ),
]
