"""The same flow in chromium for a city on Microsoft Entra ID: its own tenant id as organisation,
app roles as claims, the provider's second factor read from ``amr``; and a role taken away at
the provider is gone at the next sign-in through the browser."""

import pytest

from terugkeer.accounts.models import Role, RoleAssignment
from terugkeer.sso import clients
from terugkeer.sso.models import (
    ExternalIdentity,
)
from tests.browser.conftest import assert_accessible
from tests.sso.conftest import entra_claims, entra_provider
from tests.sso.provider_process import CLIENT_SECRET, OpenIDProvider

pytestmark = [pytest.mark.browser, pytest.mark.mfa]

SLUG = "stad-entra"


@pytest.fixture
def entra_for_live_server(transactional_db, world, live_server, settings, monkeypatch, tmp_path):
    settings.TERUGKEER = {**settings.TERUGKEER, "BASE_URL": live_server.url}
    monkeypatch.setenv("TERUGKEER_OIDC_SECRET_STAD_ENTRA", CLIENT_SECRET)
    clients.forget()
    process = OpenIDProvider(
        tmp_path,
        redirect_uris=[f"{live_server.url}/aanmelden/via/{SLUG}/terug/"],
        post_logout_uris=[f"{live_server.url}/aanmelden/"],
    )
    process.start()
    entra_provider(world, process.issuer)
    yield process
    process.stop()
    clients.forget()


@pytest.fixture
def page(chromium):
    """Under Terugkeer's real Content-Security-Policy, as in test_sso_browser.py."""
    context = chromium.new_context(locale="nl-BE")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _sign_in(page, live_server, login):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/aanmelden/")
    page.get_by_role("link", name="Aanmelden via Stad Test (Microsoft)").click()
    page.get_by_label("Gebruiker").fill(login)
    page.get_by_label("met tweede factor").check()
    page.get_by_role("button", name="Aanmelden bij de provider").click()
    page.wait_for_load_state()


def test_city_coach_signs_in_through_entra_and_loses_a_role_removed_there(
    entra_for_live_server, live_server, page, world
):
    entra_for_live_server.set_accounts(
        {"bart": entra_claims("Terugkeer.Coach", "Terugkeer.Manager")}
    )

    _sign_in(page, live_server, "bart")

    # Home without Terugkeer's own TOTP: the provider's amr says "otp".
    assert page.url == f"{live_server.url}/"
    assert "Terugkeercoach" in page.content()
    user = ExternalIdentity.objects.get(provider__slug=SLUG).user
    assert user.organisation_id == world.stad.pk
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == {
        Role.COACH,
        Role.MANAGER,
    }
    assert_accessible(page)

    # The city takes the coach role away in Entra; the next sign-in removes it here.
    entra_for_live_server.set_accounts({"bart": entra_claims("Terugkeer.Manager")})
    _sign_in(page, live_server, "bart")
    assert page.url == f"{live_server.url}/"
    assert "Terugkeercoach" not in page.content()
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == {
        Role.MANAGER
    }
