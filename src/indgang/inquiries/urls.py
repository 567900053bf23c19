from django.urls import path

from . import views

app_name = "inquiries"
urlpatterns = [
    path("henvendelse/", views.write, name="form"),
    path("henvendelse/kvittering/", views.receipt, name="receipt"),
    path("henvendelse/status/", views.track, name="track"),
    path("henvendelse/status/kode/", views.track_code, name="track_code"),
    path("henvendelse/status/luk/", views.track_forget, name="track_forget"),
]
