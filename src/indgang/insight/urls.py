from django.urls import path  # noqa: F401  (views are added per page)

app_name = "insight"

urlpatterns: list = []
