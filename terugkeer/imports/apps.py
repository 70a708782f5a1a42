from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "terugkeer.imports"
    verbose_name = "Import"
