from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "indgang.accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from .services import staff_groups_sync

        # Groups need the permissions, which Django creates after each migrate.
        post_migrate.connect(
            lambda sender, **kwargs: staff_groups_sync() if sender.name == self.name else None,
            weak=False,
            dispatch_uid="indgang.accounts.staff_groups_sync",
        )
