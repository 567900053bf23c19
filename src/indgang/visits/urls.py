"""Citizen pages of visits: the kiosk, taking a number or checking in on the web, the ticket
page, the screen."""

from django.urls import path

from . import check_in_views, display_views, kiosk_views, ticket_views

app_name = "visits"
urlpatterns = [
    path("betjeningssteder/<slug:slug>/kiosk/", kiosk_views.kiosk, name="kiosk"),
    path(
        "betjeningssteder/<slug:slug>/kiosk/nummer/<str:signed>/",
        kiosk_views.kiosk_ticket,
        name="kiosk_ticket",
    ),
    path(
        "betjeningssteder/<slug:slug>/kiosk/tjek-ind/",
        check_in_views.kiosk_check_in,
        name="kiosk_check_in",
    ),
    path("betjeningssteder/<slug:slug>/koe/", kiosk_views.web_queue, name="web_queue"),
    path("betjeningssteder/<slug:slug>/tjek-ind/", check_in_views.web_check_in, name="check_in"),
    path("betjeningssteder/<slug:slug>/skaerm/", display_views.display, name="display"),
    path(
        "betjeningssteder/<slug:slug>/skaerm/calls.json",
        display_views.display_calls,
        name="display_calls",
    ),
    path("koe/<slug:token>/", ticket_views.ticket_page, name="ticket"),
    path("koe/<slug:token>/status.json", ticket_views.ticket_status, name="ticket_status"),
    path("koe/<slug:token>/annuller/", ticket_views.ticket_cancel, name="ticket_cancel"),
]
