"""API-key authentication, scopes, the per-key rate limit and the audit row of every call."""

from __future__ import annotations

import hmac
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from terugkeer.api.models import TOKEN_PREFIX, ApiActor, ApiKey, hash_token
from terugkeer.audit.middleware import current_request_context
from terugkeer.audit.models import AuditEntry


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after


def rate_limit() -> int:
    return int(settings.TERUGKEER.get("API_RATE_PER_MINUTE", 600))


def find_key(token: str) -> ApiKey | None:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    key = ApiKey.objects.select_related("organisation").filter(prefix=parts[1], active=True).first()
    if key is None or not hmac.compare_digest(key.hashed, hash_token(token)):
        return None
    return key


def _count_call(key: ApiKey) -> None:
    """A fixed one-minute window per key, counted in Django's cache (see docs/api.md)."""
    window = int(time.time() // 60)
    name = f"terugkeer:api-rate:{key.pk}:{window}"
    cache.add(name, 0, timeout=120)
    try:
        calls = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=120)
        calls = 1
    if calls > rate_limit():
        raise RateLimited(retry_after=60 - int(time.time()) % 60)


def _clean(text: str, length: int) -> str:
    return "".join(c if c.isprintable() else "?" for c in text[:length])


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer tk_<prefix>_<secret>`."""

    def authenticate(self, request, token: str) -> ApiKey | None:
        key = find_key(token)
        if key is None:
            return None
        _count_call(key)
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        request.api_key = key
        request.api_actor = ApiActor(key)
        # Written here rather than through audit_record: the path and query come from the
        # caller and may hold control characters that the database refuses.
        context = current_request_context()
        AuditEntry.objects.create(
            user=None,
            username=request.api_actor.get_username(),
            action=AuditEntry.Action.VIEW if request.method == "GET" else AuditEntry.Action.UPDATE,
            object_type="api",
            object_id=key.prefix,
            organisation_id=key.organisation_id,
            ip_address=context.get("ip_address") or None,
            path=_clean(request.path, 300),
            changes={
                "method": request.method,
                "path": _clean(request.path, 200),
                "query": _clean(request.META.get("QUERY_STRING", ""), 200),
            },
        )
        return key


def require_scope(request, scope: str) -> ApiKey:
    key: ApiKey = request.auth
    if not key.has_scope(scope):
        raise HttpError(403, f"Deze API-sleutel heeft het recht “{scope}” niet.")
    return key
