"""The admin in Terugkeer's look and in Dutch (issue 15): the beheerder sees Terugkeer's name,
stylesheet and Dutch headings, and no English sentence on the pages he/she uses."""

import re

import pytest
from django.urls import reverse

ENGLISH = re.compile(
    r"\b(After you|First, enter|Django|Welcome|View site|Log out|Change password|"
    r"Select \w+ to change|Recent actions|Add \w+|Save and)\b"
)


def _visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    "url",
    [
        "admin:index",
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
        "admin:accounts_roleassignment_changelist",
        "admin:organisations_employee_changelist",
        "admin:organisations_employee_add",
        "admin:organisations_unit_add",
        "admin:toolbox_welfareactor_add",
    ],
)
def test_admin_pages_are_terugkeer_and_dutch(world, client, url):
    client.force_login(world.bert)
    response = client.get(reverse(url))
    assert response.status_code == 200
    html = response.content.decode()
    assert "css/admin.css" in html and "Terugkeer" in html
    assert reverse("home") in html  # the way back to the application
    found = ENGLISH.findall(_visible_text(html))
    assert found == [], found


def test_the_add_user_page_explains_itself_in_dutch(world, client):
    client.force_login(world.bert)
    html = client.get(reverse("admin:accounts_user_add")).content.decode()
    assert "Kies eerst een gebruikersnaam, de organisatie en een wachtwoord." in html
    assert "edit more user options" not in html
