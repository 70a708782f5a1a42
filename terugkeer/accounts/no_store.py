"""No page or download of Terugkeer is kept by a browser or proxy cache.

Dossiers, plan documents, exports and API answers carry personal data; a shared or stolen
computer must not show them again from its cache after sign-out. Static files are served by
WhiteNoise before this middleware and keep their long cache lifetimes.
"""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private (and Expires).
        add_never_cache_headers(response)
        # For HTTP/1.0 caches that ignore Cache-Control.
        response["Pragma"] = "no-cache"
        return response
