"""Helpers for the browser tests; the `chromium` and `page` fixtures are in tests/conftest.py."""

from axe_playwright_python.sync_playwright import Axe


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()


def assert_accessible(page):
    """axe finds no serious or critical violation on the page."""
    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, "\n".join(bad)
