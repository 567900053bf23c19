"""Public inquiry endpoints under /api/v1/ (the citizen's submission and tracking)."""

app_name = "inquiries-api"
urlpatterns: list = []
