"""Public inquiry endpoints under /api/v1/ (the citizen's submission and tracking)."""

from django.urls import path

from . import api

app_name = "inquiries-api"
urlpatterns = [
    path("inquiries/", api.InquiryCreateView.as_view(), name="create"),
    path("inquiries/<str:reference>/", api.InquiryDetailView.as_view(), name="detail"),
]
