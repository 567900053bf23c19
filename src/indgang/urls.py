from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
# Danish pages have no language prefix; English pages live under /en/.
urlpatterns += i18n_patterns(
    path("", include("indgang.core.urls")),
    path("", include("indgang.catalogue.urls")),
    path("", include("indgang.places.urls")),
    prefix_default_language=False,
)
