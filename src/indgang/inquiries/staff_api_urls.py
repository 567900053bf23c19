"""Staff inquiry endpoints under /api/v1/staff/ (token authentication)."""

from django.urls import path

from . import staff_api

app_name = "inquiries-staff-api"
urlpatterns = [
    path("inquiries/", staff_api.StaffInquiryListView.as_view(), name="list"),
    path("inquiries/<str:reference>/", staff_api.StaffInquiryDetailView.as_view(), name="detail"),
    path(
        "inquiries/<str:reference>/status/",
        staff_api.StaffInquiryStatusView.as_view(),
        name="status",
    ),
]
