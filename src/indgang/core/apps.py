from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "indgang.core"
    verbose_name = _("Indgang")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
