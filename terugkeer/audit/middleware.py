"""Keeps the current request's address and path at hand for the audit log."""

from contextvars import ContextVar

_request_context: ContextVar[dict[str, str] | None] = ContextVar("audit_request", default=None)


def current_request_context() -> dict[str, str]:
    return _request_context.get() or {}


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_context.set(
            {"ip_address": request.META.get("REMOTE_ADDR", ""), "path": request.path[:300]}
        )
        try:
            return self.get_response(request)
        finally:
            _request_context.reset(token)
