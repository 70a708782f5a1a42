from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "terugkeer.reports"
    verbose_name = _("Rapporten")

    def ready(self) -> None:
        from terugkeer.reports import cache

        cache.connect()
