from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "terugkeer.accounts"
    verbose_name = _("Gebruikers en rollen")

    def ready(self):
        from terugkeer.accounts import signals  # noqa: F401  (connects the receivers)
