"""Property-based tests of the API against its own OpenAPI schema (schemathesis, in-process
through the WSGI app, bounded examples), with every check schemathesis has (no 5xx, responses
and status codes as documented, invalid input refused, valid input accepted, ...), on valid
(positive) and invalid (negative) input.

schemathesis' pytest plugin (from_fixture) does not work with pytest 9 yet, so the test walks
the operations itself and runs a bounded hypothesis search per operation inside one test that
has the database and an API key.
"""

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from terugkeer.audit.models import AuditEntry

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.core.parameters import ParameterLocation  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import negative_data_rejection  # noqa: E402

EXAMPLES = 20


@pytest.fixture
def keep_connection():
    """Calling the WSGI app directly fires request_started/finished, which would close the test's
    database connection (PostgreSQL); Django's test client disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_server_errors_and_responses_match_the_schema(world, token, keep_connection, client):
    # The schema is served only after a sign-in (docs/api.md): fetched signed in, then the
    # calls go to the WSGI app as from_wsgi would set them up.
    client.force_login(world.bert)
    schema = schemathesis.openapi.from_dict(client.get("/api/openapi.json").json())
    # The test client reconnects close_old_connections when its request ends: undo that.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    schema.app = get_wsgi_application()
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation, mode in [
        (operation, mode)
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            response = case.call(headers=headers)
            # All of schemathesis' checks, but one: the test sends a valid key with every call,
            # which undoes a negative case's broken Authorization header; such a case is no
            # longer invalid, so "invalid data rejected" does not apply to it (401 is tested in
            # test_api.py).
            header = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
            auth_undone = header is not None and header.mode == GenerationMode.NEGATIVE
            case.validate_response(
                response,
                headers=headers,
                excluded_checks=[negative_data_rejection] if auth_undone else None,
            )

        check()
    # The calls were authenticated and reached the endpoints (each one is in the audit log).
    assert AuditEntry.objects.filter(object_type="api").count() >= len(operations) * 5
