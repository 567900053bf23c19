"""Citizen pages for booking a time: /tidsbestilling/ (Danish addresses, stable)."""

from django.urls import path

from . import booking_views as views

app_name = "booking"
urlpatterns = [
    path("", views.choose, name="choose"),
    path("min/<slug:token>/", views.manage, name="manage"),
    path("min/<slug:token>/bekraeftelse/", views.confirmation, name="confirmation"),
    path("min/<slug:token>/kalender.ics", views.ics, name="ics"),
    path("min/<slug:token>/aflys/", views.cancel, name="cancel"),
    path("min/<slug:token>/flyt/", views.move, name="move"),
    path("min/<slug:token>/tjek-ind/", views.check_in, name="check_in"),
    # After min/…: a service could be called "min".
    path("<slug:service>/<slug:point>/<str:when>/", views.contact, name="contact"),
]
