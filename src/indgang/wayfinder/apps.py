from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WayfinderConfig(AppConfig):
    name = "indgang.wayfinder"
    verbose_name = _("Wayfinder")
