"""Two-factor sign-in (TOTP, django-otp) for every role that sees a named dossier or configures.

The middleware sends a signed-in user of such a role to enrolment (no device yet) or to
verification (device, but this session is not verified) before any other page.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from terugkeer.accounts.access import DOSSIER_ROLES, roles
from terugkeer.accounts.models import Role

# Every role that opens a named dossier (the line manager and the coach too: they see a whole
# team or entity), plus the SMT member and the functioneel beheerder, who configure and see the
# register. Only the rapporteur, who sees suppressed aggregates, and the portal employee, who
# sees only him/herself, sign in with a password alone.
MFA_ROLES = DOSSIER_ROLES | {Role.SMT, Role.ADMIN}

EXEMPT_PREFIXES = ("/tweestapsverificatie/", "/afmelden/", "/static/", "/i18n/", "/api/")


def mfa_required(user) -> bool:
    """True when this user must pass the second factor (the demo may switch it off)."""
    # The platform administrator (a superuser) holds no role but can do the most.
    return settings.TERUGKEER["MFA_REQUIRED"] and (
        bool(roles(user) & MFA_ROLES) or getattr(user, "is_superuser", False)
    )


def fully_signed_in(user) -> bool:
    """Signed in, and past the second factor in this session when the roles require it."""
    return user.is_authenticated and (user.is_verified() or not mfa_required(user))


def _to_mfa(request):
    return redirect(f"{reverse('mfa')}?next={request.path}")


def full_sign_in_required(view):
    """For pages outside the middleware's reach (the API's documentation under /api/)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not fully_signed_in(request.user):
            return _to_mfa(request)
        return view(request, *args, **kwargs)

    return wrapped


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not fully_signed_in(user)
        ):
            return _to_mfa(request)
        return self.get_response(request)
