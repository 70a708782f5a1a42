from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "terugkeer.accounts"

    def ready(self):
        from terugkeer.accounts import signals  # noqa: F401  (connects the receivers)
