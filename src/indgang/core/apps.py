from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "indgang.core"
    verbose_name = _("Indgang")

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib import admin

        from . import checks  # noqa: F401  (registers the system checks)

        admin.site.site_header = _("Indgang – staff pages for %(name)s") % {
            "name": settings.MUNICIPALITY_NAME
        }
        admin.site.site_title = _("Indgang staff")
        admin.site.index_title = _("Catalogue, service points and opening hours")
