from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "terugkeer.onboarding"
    verbose_name = _("Inrichting van een organisatie")
