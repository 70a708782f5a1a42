"""The SSO configuration in the admin: the platform administrator's, never the beheerder's."""

import pytest

from terugkeer.audit.models import AuditEntry
from terugkeer.sso.models import IdentityProvider
from tests.factories import UserFactory


@pytest.fixture
def platform_admin(db):
    return UserFactory(username="platform", is_superuser=True, is_staff=True)


def test_the_beheerder_cannot_reach_the_provider_configuration(world, client):
    client.force_login(world.bert)
    assert client.get("/beheer/").status_code == 200
    for url in ("/beheer/sso/identityprovider/", "/beheer/sso/providerorganisation/add/"):
        assert client.get(url).status_code in (403, 404)
    assert "identityprovider" not in client.get("/beheer/").content.decode()


def test_the_platform_administrator_configures_a_provider_audited(
    platform_admin, client, monkeypatch
):
    client.force_login(platform_admin)
    monkeypatch.setenv("TERUGKEER_OIDC_SECRET_ENTRA_STAD", "x")
    form = {
        "slug": "entra-stad",
        "name": "Stad (Microsoft)",
        "kind": "entra",
        "issuer": "https://login.microsoftonline.com/tenant/v2.0",
        "client_id": "abc",
        "scopes": "openid profile rrn",
        "subject_claim": "sub",
        "organisation_claim": "tid",
        "roles_claim": "roles",
        "first_name_claim": "given_name",
        "last_name_claim": "family_name",
        "email_claim": "email",
        "active": "on",
        "organisations-TOTAL_FORMS": "0",
        "organisations-INITIAL_FORMS": "0",
    }
    response = client.post("/beheer/sso/identityprovider/add/", form)
    assert response.status_code == 200  # refused: the rrn scope
    assert "rijksregisternummer" in response.content.decode()
    assert not IdentityProvider.objects.exists()

    response = client.post("/beheer/sso/identityprovider/add/", {**form, "scopes": "openid"})
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(slug="entra-stad")
    assert AuditEntry.objects.filter(
        object_type="identityprovider", object_id=str(provider.pk), action="create"
    ).exists()
    assert (
        "TERUGKEER_OIDC_SECRET_ENTRA_STAD"
        in client.get(f"/beheer/sso/identityprovider/{provider.pk}/change/").content.decode()
    )
