from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "indgang.places"
    verbose_name = _("Service points and opening hours")
