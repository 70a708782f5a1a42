from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "terugkeer.api"
    verbose_name = "API"
