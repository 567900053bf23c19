"""Staff pages for inquiries under /personale/."""

from django.urls import path

from . import staff_views as views

app_name = "inquiries-staff"
urlpatterns = [
    path("henvendelser/", views.inbox, name="inbox"),
    path("henvendelser/ny/", views.register, name="register"),
    path("henvendelser/<str:reference>/", views.detail, name="detail"),
    path("henvendelser/<str:reference>/tildel/", views.assign, name="assign"),
    path("henvendelser/<str:reference>/status/", views.change_status, name="status"),
    path("henvendelser/<str:reference>/videregiv/", views.hand_over, name="hand_over"),
    path("henvendelser/<str:reference>/notat/", views.add_note, name="note"),
    path("henvendelser/<str:reference>/svar/", views.reply, name="reply"),
    path(
        "henvendelser/<str:reference>/bilag/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "henvendelser/<str:reference>/e-mail/<int:pk>/send-igen/",
        views.retry_email,
        name="retry_email",
    ),
    path("adgangslog/", views.access_log, name="access_log"),
]
