"""Two real OpenID Connect providers on 127.0.0.1 (tests/sso/provider, panva's oidc-provider):
one with ACM/IDM's claims for the Vlaamse overheid, one with Entra ID's for a city.

Both processes live for the module; each test gets an empty directory of accounts, no
tampering, and Terugkeer's cached discovery documents and JWKS forgotten.
"""

import pytest

from terugkeer.accounts.models import Role
from terugkeer.sso import clients
from terugkeer.sso.models import ClaimRoleMapping, IdentityProvider, ProviderOrganisation
from tests.sso.provider_process import CLIENT_ID, CLIENT_SECRET, OpenIDProvider

TEST_SERVER = "http://testserver"
VO_CODE = "OVO000001"
STAD_TENANT = "7c1b2f0e-0000-4000-8000-0000000051ad"


def _start(tmp_path_factory, slug: str, base: str) -> OpenIDProvider:
    process = OpenIDProvider(
        tmp_path_factory.mktemp(slug),
        redirect_uris=[f"{base}/aanmelden/via/{slug}/terug/"],
        post_logout_uris=[f"{base}/aanmelden/"],
    )
    process.start()
    return process


@pytest.fixture(scope="module")
def acmidm_process(tmp_path_factory):
    process = _start(tmp_path_factory, "acmidm", TEST_SERVER)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def entra_process(tmp_path_factory):
    process = _start(tmp_path_factory, "stad-entra", TEST_SERVER)
    yield process
    process.stop()


@pytest.fixture
def sso_settings(settings, monkeypatch):
    settings.TERUGKEER = {**settings.TERUGKEER, "BASE_URL": TEST_SERVER}
    monkeypatch.setenv("TERUGKEER_OIDC_SECRET_ACMIDM", CLIENT_SECRET)
    monkeypatch.setenv("TERUGKEER_OIDC_SECRET_STAD_ENTRA", CLIENT_SECRET)
    clients.forget()
    yield settings
    clients.forget()


def acmidm_claims(vo_id: str, *roles: str, orgcode: str = VO_CODE, **extra) -> dict:
    """Claims as ACM/IDM gives them (vo_id stable, vo_orgcode an OVO code, roles with a code)."""
    return {
        "vo_id": vo_id,
        "vo_orgcode": orgcode,
        "vo_orgnaam": "Vlaamse overheid (test)",
        "vo_doelgroepcode": "GID",
        "vo_email": f"{vo_id[:8]}@vlaanderen.test",
        "given_name": "Ann",
        "family_name": "Peeters",
        "iv_terugkeer_rol_3d": list(roles),
        **extra,
    }


def entra_claims(*roles: str, tid: str = STAD_TENANT, **extra) -> dict:
    return {
        "tid": tid,
        "oid": "00000000-0000-0000-0000-0000000000aa",
        "given_name": "Bart",
        "family_name": "Claes",
        "email": "bart.claes@stad.test",
        "roles": list(roles),
        **extra,
    }


@pytest.fixture
def acmidm(db, world, acmidm_process, sso_settings):
    """ACM/IDM for the Vlaamse overheid: coach of entity A, HR of entity A, adviser, beheerder."""
    acmidm_process.set_accounts({})
    acmidm_process.tamper(None)
    provider = IdentityProvider.objects.create(
        slug="acmidm",
        name="ACM/IDM",
        kind=IdentityProvider.Kind.ACMIDM,
        issuer=acmidm_process.issuer,
        client_id=CLIENT_ID,
        scopes="openid profile vo",
        subject_claim="vo_id",
        organisation_claim="vo_orgcode",
        roles_claim="iv_terugkeer_rol_3d",
        personnel_number_claim="vo_personeelsnummer",
        email_claim="vo_email",
        mfa_acr_values="urn:test:loa:substantial",
    )
    link = ProviderOrganisation.objects.create(
        provider=provider, organisation=world.vo, external_id=VO_CODE
    )
    for value, role, unit in [
        (f"TerugkeerCoach:{VO_CODE}", Role.COACH, world.entity_a),
        (f"TerugkeerHR:{VO_CODE}", Role.HR, world.entity_a),
        (f"TerugkeerAdviseur:{VO_CODE}", Role.ADVISER, None),
        (f"TerugkeerBeheerder:{VO_CODE}", Role.ADMIN, None),
    ]:
        ClaimRoleMapping.objects.create(link=link, claim_value=value, role=role, unit=unit)
    acmidm_process.model = provider
    acmidm_process.link = link
    return acmidm_process


def entra_provider(world, issuer: str):
    """The city's Entra ID in Terugkeer: its tenant id as organisation, app roles
    Terugkeer.Coach (whole city) and Terugkeer.Manager, the second factor read from amr."""
    provider = IdentityProvider.objects.create(
        slug="stad-entra",
        name="Stad Test (Microsoft)",
        kind=IdentityProvider.Kind.ENTRA,
        issuer=issuer,
        client_id=CLIENT_ID,
        scopes="openid profile email entra",
        subject_claim="sub",
        organisation_claim="tid",
        roles_claim="roles",
        personnel_number_claim="employeeid",
        mfa_amr_values="mfa otp",
    )
    link = ProviderOrganisation.objects.create(
        provider=provider, organisation=world.stad, external_id=STAD_TENANT
    )
    ClaimRoleMapping.objects.create(link=link, claim_value="Terugkeer.Coach", role=Role.COACH)
    ClaimRoleMapping.objects.create(link=link, claim_value="Terugkeer.Manager", role=Role.MANAGER)
    return provider, link


@pytest.fixture
def entra(db, world, entra_process, sso_settings):
    """Entra ID of the city: app roles Terugkeer.Coach (whole city), Terugkeer.Manager."""
    entra_process.set_accounts({})
    entra_process.tamper(None)
    provider, link = entra_provider(world, entra_process.issuer)
    entra_process.model = provider
    entra_process.link = link
    return entra_process


def sign_in(client, process, login: str, *, second_factor: bool = False, next_url: str = ""):
    """Terugkeer's button, the provider's sign-in page, back to Terugkeer's callback."""
    start = f"/aanmelden/via/{process.model.slug}/"
    response = client.get(start + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content.decode()[:500]
    back = process.sign_in_at_provider(
        response["Location"], login, second_factor=second_factor, back_to=TEST_SERVER + "/"
    )
    return client.get(back.removeprefix(TEST_SERVER)), back.removeprefix(TEST_SERVER)
