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


def forget(provider: IdentityProvider | None = None) -> None:
    """Drop the cached client(s): the next sign-in fetches discovery and JWKS again."""
    if provider is None:
        _clients.clear()
    else:
        _clients.pop(provider.slug, None)


def leeway_seconds() -> int:
    return settings.TERUGKEER.get("OIDC_LEEWAY_SECONDS", 60)
