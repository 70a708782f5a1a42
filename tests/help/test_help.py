"""The accessibility statement (public, in every footer) and the user guide per role."""

import re

import pytest

from terugkeer.help.markdown import render
from terugkeer.help.views import GUIDE_DIR, GUIDES


def test_the_statement_is_public_and_says_what_the_law_asks(client, db):
    page = client.get("/toegankelijkheid/").content.decode()
    for part in (
        "Toegankelijkheidsverklaring",
        "7 december 2018",
        "II.16",
        "WCAG",
        "2.1",
        "EN 301 549",
        "gedeeltelijk conform",
        "Niet-toegankelijke inhoud",
        "Feedback en contactgegevens",
        "mailto:",
        "Vlaamse Ombudsdienst",
        "30 november 2026",
    ):
        assert part in page, part


@pytest.mark.parametrize(
    ("username", "path"),
    [
        (None, "/aanmelden/"),
        (None, "/toegankelijkheid/"),
        ("alice", "/"),
        ("alice", "/trajecten/"),
        ("alice", "/medewerkers/"),
        ("alice", "/toolbox/"),
        ("rita", "/rapporten/"),
        ("hannah", "/importeren/"),
        ("bert", "/inrichten/"),
        ("bert", "/audit/toegang/"),
        ("alice", "/hulp/"),
        ("alice", "/hulp/terugkeercoach/"),
    ],
)
def test_every_page_links_to_the_statement_in_its_footer(world, client, username, path):
    if username:
        client.force_login(getattr(world, username))
    response = client.get(path, follow=True)
    assert response.status_code == 200
    footer = re.search(r'<footer class="site-footer">.*?</footer>', response.content.decode(), re.S)
    assert footer and 'href="/toegankelijkheid/"' in footer.group(0)


def test_every_role_has_a_guide_that_renders(world, client):
    client.force_login(world.alice)
    for slug, title in GUIDES.items():
        assert (GUIDE_DIR / f"{slug}.md").exists()
        page = client.get(f"/hulp/{slug}/").content.decode()
        assert f"<h1>{title}" in page, slug
    assert client.get("/hulp/onbekend/").status_code == 404


def test_the_help_index_puts_the_users_own_roles_first(world, client):
    client.force_login(world.bob)
    page = client.get("/hulp/").content.decode()
    own = page.split("Voor uw rollen")[1].split("Andere rollen")[0]
    assert 'href="/hulp/leidinggevende/"' in own and "terugkeercoach" not in own
    assert 'href="/hulp/"' in client.get("/").content.decode()  # "Hoe werkt dit?"


def test_guides_need_a_sign_in(client, db):
    response = client.get("/hulp/terugkeercoach/")
    assert response.status_code == 302 and "/aanmelden/" in response.url


def test_the_markdown_subset_escapes_and_links_guides():
    html = render(
        "# Titel <b>\n\nTekst met **vet**, `code` en [de coach](terugkeercoach.md) en "
        "[een pad](../privacy.md).\n\n- een\n- twee\n\n1. eerst\n",
        link_for_guide=lambda slug: f"/hulp/{slug}/",
    )
    assert "<h1>Titel &lt;b&gt;</h1>" in html
    assert "<strong>vet</strong>" in html and "<code>code</code>" in html
    assert '<a href="/hulp/terugkeercoach/">de coach</a>' in html
    assert "een pad" in html and "../privacy.md" not in html
    assert "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>" in html and "<ol>" in html


def test_every_guide_has_an_english_version_served_in_english(world, client, settings):
    """docs/guide/en/: the same sections and screenshots as the Dutch guide, shown to a reader
    who chose English; the Dutch reader keeps the original."""
    from tests.test_english import dutch_words

    client.force_login(world.alice)
    for slug in GUIDES:
        dutch = (GUIDE_DIR / f"{slug}.md").read_text(encoding="utf-8")
        english = (GUIDE_DIR / "en" / f"{slug}.md").read_text(encoding="utf-8")
        headings = [line.split(" ", 1)[0] for line in dutch.splitlines() if line.startswith("#")]
        assert [
            line.split(" ", 1)[0] for line in english.splitlines() if line.startswith("#")
        ] == headings, slug
        assert re.findall(r"\(img/[^)]+\)", english) == re.findall(r"\(img/[^)]+\)", dutch)
        first_heading = next(line for line in english.splitlines() if line.startswith("# "))
        assert not dutch_words(first_heading), (slug, first_heading)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert (
            first_heading[2:].split("—")[0].strip() in client.get(f"/hulp/{slug}/").content.decode()
        )
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
        dutch_heading = next(line for line in dutch.splitlines() if line.startswith("# "))
        assert (
            dutch_heading[2:].split("—")[0].strip() in client.get(f"/hulp/{slug}/").content.decode()
        )
