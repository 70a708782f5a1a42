"""The accessibility statement and the guides in a real browser: axe, the keyboard, reflow."""

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_statement_and_guides_pass_axe_reflow_and_keyboard(
    transactional_db, world, live_server, page
):
    # Signed out: the statement is reachable, and from the login page's footer by keyboard.
    page.goto(f"{live_server.url}/toegankelijkheid/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.goto(f"{live_server.url}/aanmelden/")
    page.get_by_role("link", name="Toegankelijkheid").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/toegankelijkheid/")
    assert page.get_by_role("heading", level=1).inner_text() == "Toegankelijkheidsverklaring"
    assert_accessible(page)

    sign_in(page, live_server, "alice", PASSWORD)
    page.get_by_role("link", name="Hoe werkt dit?").click()
    assert_accessible(page)
    page.get_by_role("link", name="Terugkeercoach").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Terugkeercoach"
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/toegankelijkheid/", "/hulp/", "/hulp/beheerder/", "/inrichten/"):
        if path == "/inrichten/":
            page.context.clear_cookies()
            sign_in(page, live_server, "bert", PASSWORD)
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
