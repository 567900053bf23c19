from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "indgang.insight"
    verbose_name = _("Insight")

    def ready(self) -> None:
        # Contacts are recorded from the inquiries' and visits' events, which know nothing of us.
        from .receivers import receivers_connect

        receivers_connect()
