from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "terugkeer.imports"
    verbose_name = _("Import uit HR")
