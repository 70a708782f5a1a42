"""Two-factor sign-in (TOTP, django-otp) for the roles that see many dossiers or configure.

The middleware sends a signed-in user of such a role to enrolment (no device yet) or to
verification (device, but this session is not verified) before any other page.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from terugkeer.accounts.access import roles
from terugkeer.accounts.models import MFA_ROLES

EXEMPT_PREFIXES = ("/tweestapsverificatie/", "/afmelden/", "/static/", "/i18n/", "/api/")


def mfa_required(user) -> bool:
    return settings.TERUGKEER["MFA_REQUIRED"] and bool(roles(user) & MFA_ROLES)


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
            and mfa_required(user)
        ):
            return redirect(f"{reverse('mfa')}?next={request.path}")
        return self.get_response(request)
