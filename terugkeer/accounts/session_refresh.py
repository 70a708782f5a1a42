"""The idle timeout without a session write on every request.

SESSION_SAVE_EVERY_REQUEST would rewrite the session row on every page, image and API call to
move its expiry. Here a signed-in session is saved (and its expiry moved) at most once a minute:
the session still ends after SESSION_IDLE_MINUTES of inactivity, give or take that minute.
"""

import time

REFRESH_EVERY_SECONDS = 60
KEY = "_terugkeer_refreshed"


class SessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(KEY, 0)) >= REFRESH_EVERY_SECONDS:
                session[KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)
