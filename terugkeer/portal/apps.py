from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "terugkeer.portal"
    verbose_name = "Portaal medewerker"
