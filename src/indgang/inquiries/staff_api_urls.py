"""Staff inquiry endpoints under /api/v1/staff/ (token authentication)."""

app_name = "inquiries-staff-api"
urlpatterns: list = []
