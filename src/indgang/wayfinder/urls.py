from django.urls import path

from . import views

app_name = "wayfinder"
urlpatterns = [
    path("vejviser/", views.search, name="search"),
    path("vejviser/forslag/", views.suggest, name="suggest"),
    path("vejviser/hjalp-det/", views.feedback, name="feedback"),
]
