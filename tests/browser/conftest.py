"""Helpers for the browser tests; the `chromium` and `page` fixtures are in tests/conftest.py."""

from axe_playwright_python.sync_playwright import Axe


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's violations on the page with one of these impacts, one line each (also used
    by `make axe`, scripts/axe.py)."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in impacts
    ]


def assert_accessible(page):
    """axe finds no serious or critical violation on the page."""
    bad = axe_violations(page)
    assert not bad, "\n".join(bad)
