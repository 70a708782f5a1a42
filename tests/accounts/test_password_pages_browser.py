"""The password pages in a real browser: reachable from the account menu, accessible, and the
rules' errors shown in Dutch."""

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_change_password_from_the_account_menu(transactional_db, world, live_server, page):
    sign_in(page, live_server, "alice", PASSWORD)
    page.get_by_role("link", name="Wachtwoord wijzigen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Wachtwoord wijzigen"
    assert_accessible(page)
    page.get_by_label("Oud wachtwoord").fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("Terugkeer2026!")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("Terugkeer2026!")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    page.wait_for_load_state()
    assert "naam van de toepassing" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Oud wachtwoord").fill(PASSWORD)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("Zonnebloem-Kapstok-17")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("Zonnebloem-Kapstok-17")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    page.wait_for_load_state()
    assert "Uw wachtwoord is gewijzigd." in page.locator(".messages").inner_text()


def test_forgotten_password_page_from_the_sign_in_page(transactional_db, live_server, page):
    page.goto(f"{live_server.url}/aanmelden/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Wachtwoord vergeten"
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill("niemand@example.be")
    page.get_by_role("button", name="Link versturen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Kijk in uw mailbox"
    assert_accessible(page)
