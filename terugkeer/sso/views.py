"""Sign-in and sign-out through an organisation's OpenID Connect provider (docs/sso.md)."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from joserfc.errors import JoseError

from terugkeer.sso import clients
from terugkeer.sso.models import IdentityProvider
from terugkeer.sso.services import (
    SignInRefused,
    audit_sign_in_refused,
    provider_second_factor,
    sign_in_with_claims,
)

log = logging.getLogger(__name__)

SESSION_KEY = "_terugkeer_sso"
NEXT_KEY = "_terugkeer_sso_next"
BACKEND = "terugkeer.sso.backends.ProviderBackend"


def _absolute(path: str) -> str:
    # Built on the configured address, never on the request's Host header.
    return settings.TERUGKEER["BASE_URL"].rstrip("/") + path


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("https", "http") else ""


def _safe_next(request, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


def _refused_page(request, provider, message: str, status: int = 403):
    return render(
        request,
        "sso/refused.html",
        {"message": message, "provider": provider},
        status=status,
    )


def start(request, slug: str):
    """Send the browser to the provider (code flow, PKCE S256, state and nonce in the session)."""
    provider = get_object_or_404(IdentityProvider, slug=slug, active=True)
    try:
        clients.metadata(provider)
        client = clients.client_for(provider)
        request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
        return client.authorize_redirect(
            request, _absolute(reverse("sso_callback", args=[provider.slug]))
        )
    except (requests.RequestException, ValueError, clients.ProviderMisconfigured) as error:
        log.warning("OIDC provider %s unreachable or misconfigured: %s", provider.slug, error)
        audit_sign_in_refused(provider, "provider onbereikbaar", fout=type(error).__name__)
        return _refused_page(
            request,
            provider,
            _("De aanmeldingsdienst %(name)s is nu niet bereikbaar. Probeer het later opnieuw.")
            % {"name": provider.name},
            status=502,
        )


def callback(request, slug: str):
    """The provider's answer: exchange the code, verify the ID token, then who is who."""
    provider = get_object_or_404(IdentityProvider, slug=slug, active=True)
    returned_issuer = request.GET.get("iss")
    if returned_issuer is not None and returned_issuer != provider.issuer:
        # RFC 9207: the answer comes from another provider than this sign-in went to (mix-up).
        audit_sign_in_refused(provider, "antwoord van een andere provider", iss=returned_issuer)
        return _refused_page(
            request, provider, _("De aanmeldingsdienst weigerde de aanmelding."), status=400
        )
    try:
        token, claims = clients.verified_sign_in(provider, request)
    except MismatchingStateError:
        audit_sign_in_refused(provider, "state onbekend of al gebruikt")
        return _refused_page(
            request,
            provider,
            _(
                "Deze aanmelding is verlopen of werd al gebruikt. Begin opnieuw vanaf de "
                "aanmeldpagina."
            ),
            status=400,
        )
    except OAuthError as error:
        audit_sign_in_refused(
            provider, "fout van de provider", fout=error.error, detail=error.description
        )
        return _refused_page(
            request, provider, _("De aanmeldingsdienst weigerde de aanmelding."), status=400
        )
    except (JoseError, ValueError) as error:
        # A bad signature, an unknown key, a wrong iss/aud, an expired token, a wrong nonce.
        audit_sign_in_refused(
            provider, "ID-token ongeldig", fout=type(error).__name__, detail=str(error)
        )
        return _refused_page(
            request,
            provider,
            _(
                "Het bewijs van aanmelding van %(name)s kon niet worden gecontroleerd. U bent niet "
                "aangemeld. Probeer het opnieuw; lukt het niet, meld het aan uw functioneel "
                "beheerder."
            )
            % {"name": provider.name},
            status=400,
        )
    except (requests.RequestException, clients.ProviderMisconfigured) as error:
        audit_sign_in_refused(provider, "provider onbereikbaar", fout=type(error).__name__)
        return _refused_page(
            request,
            provider,
            _("De aanmeldingsdienst %(name)s is nu niet bereikbaar. Probeer het later opnieuw.")
            % {"name": provider.name},
            status=502,
        )
    end_session = clients.metadata(provider).get("end_session_endpoint") or ""
    try:
        outcome = sign_in_with_claims(provider, claims)
    except SignInRefused as refusal:
        return _refused_page(request, provider, refusal.message)
    next_url = request.session.pop(NEXT_KEY, None)
    login(request, outcome.user, backend=BACKEND)  # a new session key
    request.session[SESSION_KEY] = {
        "provider": provider.slug,
        "user_id": outcome.user.pk,
        "id_token": token["id_token"],
        # The session ends with the ID token (and earlier when idle: SESSION_COOKIE_AGE).
        "expires_at": int(claims["exp"]),
        "second_factor": provider_second_factor(provider, claims),
        "logout_origin": _origin(end_session),
    }
    return HttpResponseRedirect(_safe_next(request, next_url))


@require_POST
def sign_out(request):
    """Sign out here, and at the provider too when the session came from one (RP-initiated)."""
    sso = request.session.get(SESSION_KEY) or {}
    logout(request)
    provider = IdentityProvider.objects.filter(slug=sso.get("provider") or "").first()
    if provider is not None:
        try:
            end_session = clients.metadata(provider).get("end_session_endpoint")
            if end_session:
                url = clients.client_for(provider).create_logout_url(
                    id_token_hint=sso.get("id_token"),
                    post_logout_redirect_uri=_absolute(reverse("login")),
                    client_id=provider.client_id,
                )["url"]
                return HttpResponseRedirect(url)
        except (requests.RequestException, ValueError, clients.ProviderMisconfigured):
            log.warning("OIDC provider %s: sign-out at the provider skipped", provider.slug)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def session_expired(sso: dict) -> bool:
    return int(sso.get("expires_at", 0)) <= time.time()


class SignInView(auth_views.LoginView):
    """Django's sign-in page, with a button per active provider above the password form."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = IdentityProvider.objects.filter(active=True)
        return context
