import pytest
from django.core.cache import cache

from terugkeer.api.models import ApiKey


def make_key(organisation, scopes, name="loonpakket"):
    key = ApiKey(organisation=organisation, name=name, scopes=scopes)
    token = key.set_new_token()
    key.save()
    return key, token


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token(world):
    return make_key(world.vo, ["read", "write_absences", "read_reports"])[1]


@pytest.fixture
def api(client, token):
    """A client that sends the key of organisation VO with every scope."""

    class Api:
        def get(self, path, **kw):
            return client.get(f"/api{path}", HTTP_AUTHORIZATION=f"Bearer {token}", **kw)

        def post(self, path, data):
            return client.post(
                f"/api{path}",
                data,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )

        def patch(self, path, data):
            return client.patch(
                f"/api{path}",
                data,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )

    return Api()
