from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("ydelser/", views.service_index, name="service_index"),
    path("ydelser/<slug:slug>/", views.service_detail, name="service_detail"),
    path("livssituationer/", views.life_event_index, name="life_event_index"),
    path("livssituationer/<slug:slug>/", views.life_event_detail, name="life_event_detail"),
]
