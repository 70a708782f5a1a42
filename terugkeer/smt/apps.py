from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SmtConfig(AppConfig):
    name = "terugkeer.smt"
    verbose_name = _("Samenwerking: SMT, tweede lijn en afstemming")
