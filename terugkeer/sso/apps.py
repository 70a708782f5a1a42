from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "terugkeer.sso"
    verbose_name = _("Aanmelden via de eigen identiteitsprovider")
