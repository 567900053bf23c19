from django.urls import path

from . import views

app_name = "inquiries"
urlpatterns = [
    path("henvendelse/status/", views.track, name="track"),
]
