"""A session opened through a provider: bounded by its ID token, second factor per provider.

Sits between django-otp's middleware and RequireMFAMiddleware (settings.MIDDLEWARE).
"""

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from terugkeer.sso.views import SESSION_KEY, session_expired


def _verified():
    return True


class ProviderSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            sso = request.session.get(SESSION_KEY)
            if sso and sso.get("user_id") == user.pk:
                if session_expired(sso):
                    # The ID token's lifetime is over: sign in again (at the provider, which may
                    # well still know the person and send him/her straight back).
                    logout(request)
                    return redirect_to_login(request.get_full_path())
                if sso.get("second_factor"):
                    # The provider's own second factor counts (its acr/amr, per provider);
                    # RequireMFAMiddleware asks Terugkeer's TOTP otherwise.
                    user.is_verified = _verified
                response = self.get_response(request)
                if sso.get("logout_origin"):
                    # The sign-out button's form is answered by a redirect to the provider's
                    # end-session endpoint; the browser follows it only when the page's CSP
                    # form-action allows that origin (django-csp reads this attribute).
                    response._csp_update = {"form-action": [sso["logout_origin"]]}
                return response
        return self.get_response(request)
