from django.urls import path  # noqa: F401  (views are added per page)

from . import staffing_views, views

app_name = "insight"

urlpatterns: list = [
    path("", views.dashboard, name="dashboard"),
    path("bemanding/", staffing_views.staffing, name="staffing"),
]
