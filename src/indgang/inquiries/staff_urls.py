"""Staff pages for inquiries under /personale/."""

app_name = "inquiries-staff"
urlpatterns: list = []
