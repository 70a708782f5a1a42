"""The OpenID Connect relying party: one authlib client per configured provider.

authlib does the protocol and the cryptography: the authorization code flow with PKCE (S256),
`state` kept in the session and popped on return (a replayed state finds nothing), the `nonce`,
the ID token's signature against the provider's JWKS, `iss`, `aud`, `exp` and `iat`. The
discovery document and the JWKS are fetched once per process and kept on the client; a token
signed with a key id not in the cached JWKS makes authlib fetch the JWKS again once (key
rotation at the provider), and the discovery document is fetched again after METADATA_TTL.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings

from terugkeer.sso.models import IdentityProvider

METADATA_TTL_SECONDS = 24 * 60 * 60
# ID token signatures Terugkeer accepts, whatever the discovery document lists ("none" and the
# HMAC family, keyed with the client secret, never).
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
HTTP_TIMEOUT_SECONDS = 10


class ProviderMisconfigured(Exception):
    pass


@dataclass
class _Cached:
    fingerprint: tuple
    client: object
    created: float


_clients: dict[str, _Cached] = {}


def client_secret(provider: IdentityProvider) -> str:
    return os.environ.get(provider.secret_variable, "")


def _fingerprint(provider: IdentityProvider) -> tuple:
    return (provider.issuer, provider.client_id, client_secret(provider), provider.scopes)


def discovery_url(provider: IdentityProvider) -> str:
    return provider.issuer.rstrip("/") + "/.well-known/openid-configuration"


def client_for(provider: IdentityProvider):
    """The provider's authlib client, built on first use and kept (with its cached discovery
    document and JWKS) until the configuration changes or METADATA_TTL_SECONDS have passed."""
    cached = _clients.get(provider.slug)
    fingerprint = _fingerprint(provider)
    if (
        cached is None
        or cached.fingerprint != fingerprint
        or time.time() - cached.created > METADATA_TTL_SECONDS
    ):
        oauth = OAuth()
        client = oauth.register(
            name=f"oidc-{provider.slug}",
            client_id=provider.client_id,
            client_secret=client_secret(provider),
            server_metadata_url=discovery_url(provider),
            client_kwargs={
                "scope": " ".join(provider.scope_list),
                "code_challenge_method": "S256",
                "default_timeout": HTTP_TIMEOUT_SECONDS,
            },
        )
        cached = _Cached(fingerprint, client, time.time())
        _clients[provider.slug] = cached
    return cached.client


def metadata(provider: IdentityProvider) -> dict:
    """The discovery document; its issuer must be the configured one (OpenID Discovery 1.0 §4.3),
    else every token from it would be checked against an issuer nobody chose."""
    data = client_for(provider).load_server_metadata()
    if data.get("issuer") != provider.issuer:
        forget(provider)
        raise ProviderMisconfigured(
            f"discovery issuer {data.get('issuer')!r} is not the configured {provider.issuer!r}"
        )
    # authlib verifies with the algorithms of this (cached) document: keep only ours.
    offered = data.get("id_token_signing_alg_values_supported") or ["RS256"]
    data["id_token_signing_alg_values_supported"] = [
        alg for alg in offered if alg in SIGNING_ALGORITHMS
    ]
    return data


def verified_sign_in(provider: IdentityProvider, request) -> tuple[dict, dict]:
    """The provider's answer on the callback: state popped, code exchanged (with the PKCE
    verifier), ID token verified; returns (token response, claims).

    Raises MismatchingStateError (unknown or used state), OAuthError (the provider's error, no
    ID token), joserfc's JoseError or ValueError (a token that fails a check) and requests'
    RequestException (provider unreachable).
    """
    # The checked discovery document first (issuer, algorithms): this process may not have seen
    # the start of this sign-in.
    metadata(provider)
    client = client_for(provider)
    token = client.authorize_access_token(request, leeway=leeway_seconds())
    if "userinfo" not in token:
        raise OAuthError(error="no_id_token", description="token response without id_token")
    return token, _with_userinfo(provider, client, token)


def _with_userinfo(provider: IdentityProvider, client, token) -> dict:
    """The verified ID token's claims, completed from the userinfo endpoint when the claims
    Terugkeer needs are not in the ID token (providers that keep them there). The ID token's own
    claims win; userinfo counts only for the same `sub` (OpenID Connect Core 5.3.2)."""
    claims = dict(token["userinfo"])
    needed = (provider.subject_claim, provider.organisation_claim, provider.roles_claim)
    if all(name in claims for name in needed):
        return claims
    if not metadata(provider).get("userinfo_endpoint"):
        return claims
    info = client.userinfo(token=token)
    if info.get("sub") != claims.get("sub"):
        raise ValueError("userinfo is about another subject than the ID token")
    return {**info, **claims}


def forget(provider: IdentityProvider | None = None) -> None:
    """Drop the cached client(s): the next sign-in fetches discovery and JWKS again."""
    if provider is None:
        _clients.clear()
    else:
        _clients.pop(provider.slug, None)


def leeway_seconds() -> int:
    return settings.TERUGKEER.get("OIDC_LEEWAY_SECONDS", 60)
