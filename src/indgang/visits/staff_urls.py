"""Staff pages at the desks under /personale/skranke/."""

from django.urls import path

from . import staff_views as views

app_name = "visits-staff"
urlpatterns = [
    path("", views.pick, name="pick"),
    path("start/", views.start, name="start"),
    path("forlad/", views.end, name="end"),
    path("betjening/", views.desk, name="desk"),
    path("betjening/kald-naeste/", views.call_next, name="call_next"),
    path("betjening/<int:pk>/kald-igen/", views.recall, name="recall"),
    path("betjening/<int:pk>/begynd/", views.begin, name="begin"),
    path("betjening/<int:pk>/udeblevet/", views.no_show, name="no_show"),
    path("betjening/<int:pk>/flyt/", views.transfer, name="transfer"),
    path("betjening/<int:pk>/faerdig/", views.served, name="served"),
    path("dag/", views.day, name="day"),
    path("dag/tider/<int:pk>/tjek-ind/", views.check_in, name="check_in"),
    path("dag/tider/<int:pk>/udeblevet/", views.appointment_no_show, name="appointment_no_show"),
]
