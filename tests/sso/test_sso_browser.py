"""The main flow in chromium: Terugkeer's button, the provider's own sign-in page, back signed in,
and signed out at the provider too; a person of an unknown organisation sees the Dutch page."""

import pytest

from terugkeer.accounts.models import Role
from terugkeer.sso import clients
from terugkeer.sso.models import (
    ClaimRoleMapping,
    ExternalIdentity,
    IdentityProvider,
    ProviderOrganisation,
)
from tests.browser.conftest import assert_accessible
from tests.sso.conftest import VO_CODE, acmidm_claims
from tests.sso.provider_process import CLIENT_ID, CLIENT_SECRET, OpenIDProvider

pytestmark = [pytest.mark.browser, pytest.mark.mfa]


@pytest.fixture
def provider_for_live_server(transactional_db, world, live_server, settings, monkeypatch, tmp_path):
    settings.TERUGKEER = {**settings.TERUGKEER, "BASE_URL": live_server.url}
    monkeypatch.setenv("TERUGKEER_OIDC_SECRET_ACMIDM", CLIENT_SECRET)
    clients.forget()
    process = OpenIDProvider(
        tmp_path,
        redirect_uris=[f"{live_server.url}/aanmelden/via/acmidm/terug/"],
        post_logout_uris=[f"{live_server.url}/aanmelden/"],
    )
    process.start()
    provider = IdentityProvider.objects.create(
        slug="acmidm",
        name="ACM/IDM",
        kind=IdentityProvider.Kind.ACMIDM,
        issuer=process.issuer,
        client_id=CLIENT_ID,
        scopes="openid profile vo",
        subject_claim="vo_id",
        organisation_claim="vo_orgcode",
        roles_claim="iv_terugkeer_rol_3d",
        email_claim="vo_email",
        mfa_acr_values="urn:test:loa:substantial",
    )
    link = ProviderOrganisation.objects.create(
        provider=provider, organisation=world.vo, external_id=VO_CODE
    )
    ClaimRoleMapping.objects.create(
        link=link, claim_value=f"TerugkeerCoach:{VO_CODE}", role=Role.COACH, unit=world.entity_a
    )
    yield process
    process.stop()
    clients.forget()


@pytest.fixture
def page(chromium):
    """A page under Terugkeer's real Content-Security-Policy (the shared fixture bypasses it):
    the sign-out's redirect to the provider must pass form-action."""
    context = chromium.new_context(locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _sign_in_at_provider(page, live_server, login):
    page.goto(f"{live_server.url}/aanmelden/")
    page.get_by_role("link", name="Aanmelden via ACM/IDM").click()
    page.get_by_label("Gebruiker").fill(login)
    page.get_by_label("met tweede factor").check()
    page.get_by_role("button", name="Aanmelden bij de provider").click()
    page.wait_for_load_state()


def test_coach_signs_in_and_out_through_acmidm(provider_for_live_server, live_server, page, world):
    provider_for_live_server.set_accounts(
        {"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")}
    )

    _sign_in_at_provider(page, live_server, "ann")

    # Home of a coach, without Terugkeer's own TOTP: the provider's acr counts.
    assert page.url == f"{live_server.url}/"
    assert "Terugkeercoach" in page.content()
    assert ExternalIdentity.objects.get(subject="vo-ann-1").user.roles.get().role == Role.COACH
    assert_accessible(page)

    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_load_state()
    # The provider asks to confirm its own sign-out, then sends the browser back.
    assert page.url.startswith(provider_for_live_server.issuer)
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/aanmelden/**")
    page.goto(f"{live_server.url}/")
    assert "/aanmelden/" in page.url


def test_unknown_organisation_sees_the_dutch_page(provider_for_live_server, live_server, page):
    provider_for_live_server.set_accounts(
        {"eve": acmidm_claims("vo-eve", "TerugkeerCoach:OVO999999", orgcode="OVO999999")}
    )

    _sign_in_at_provider(page, live_server, "eve")

    assert "/aanmelden/via/acmidm/terug/" in page.url
    text = page.get_by_role("alert").inner_text()
    assert "vraag het aan uw functioneel beheerder" in text
    assert_accessible(page)
