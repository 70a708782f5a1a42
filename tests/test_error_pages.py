"""The error pages a user can meet are Terugkeer's, in Dutch, with a way back (Django's own
are English and bare)."""

import pytest

pytestmark = pytest.mark.django_db


def test_refused_page_is_dutch_with_a_main_landmark(client, world):
    client.force_login(world.hannah)  # HR has no audit log of its own
    response = client.get("/audit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Geen toegang" in html
    assert '<main id="main"' in html
    assert "Forbidden" not in html
    assert 'href="/"' in html


def test_not_found_page_is_dutch(client, world):
    client.force_login(world.alice)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html
    assert "Not Found" not in html
    assert '<main id="main"' in html


def test_server_error_page_needs_no_context():
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "Er ging iets mis" in html
    assert "<main>" in html
