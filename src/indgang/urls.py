from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # The JSON API has no language prefix: its addresses are stable for other systems.
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("indgang.wayfinder.api_urls")),
    path("api/v1/", include("indgang.inquiries.api_urls")),
    path("api/v1/", include("indgang.visits.api_urls")),
    path("api/v1/", include("indgang.visits.booking_api_urls")),
    path("api/v1/staff/", include("indgang.inquiries.staff_api_urls")),
]
# Danish pages have no language prefix; English pages live under /en/.
urlpatterns += i18n_patterns(
    path("", include("indgang.core.urls")),
    path("", include("indgang.catalogue.urls")),
    path("", include("indgang.places.urls")),
    path("", include("indgang.wayfinder.urls")),
    path("", include("indgang.inquiries.urls")),
    path("", include("indgang.visits.urls")),
    path("tidsbestilling/", include("indgang.visits.booking_urls")),
    path("personale/", include("indgang.inquiries.staff_urls")),
    path("personale/skranke/", include("indgang.visits.staff_urls")),
    path("personale/indsigt/", include("indgang.insight.urls")),
    path("personale/scenarier/", include("indgang.scenarios.urls")),
    prefix_default_language=False,
)
