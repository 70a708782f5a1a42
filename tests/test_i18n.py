"""The English catalogue: chosen only through the language cookie, complete, placeholders intact."""

import ast
import gettext
import re

from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalogue_entries():
    """(msgid, msgid_plural, [msgstr, ...]) for every entry of the .po, header excluded."""
    entries, current, key = [], None, None
    for line in (CATALOGUE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and current["msgid"]:
                entries.append(current)
            current = None
            continue
        if line.startswith("#"):
            continue
        current = current or {"msgid": "", "msgid_plural": None, "msgstr": {}}
        match = re.match(r"(msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if match:
            key, line = match.group(1), match.group(2)
        text = ast.literal_eval(line)
        if key.startswith("msgstr"):
            current["msgstr"][key] = current["msgstr"].get(key, "") + text
        else:
            current[key] = (current[key] or "") + text
    return [(e["msgid"], e["msgid_plural"], list(e["msgstr"].values())) for e in entries]


def test_sign_in_page_is_dutch_by_default_and_english_through_the_cookie(world, client):
    dutch = client.get("/aanmelden/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Aanmelden bij Terugkeer" in dutch
    assert "Sign in to Terugkeer" not in dutch

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/aanmelden/")
    english = response.content.decode()
    assert "Sign in to Terugkeer" in english
    assert "Aanmelden bij Terugkeer" not in english
    assert 'lang="en"' in english
    assert response.headers["Content-Language"] == "en"


def test_every_page_offers_the_other_language_and_comes_back_to_it(world, client):
    # Without a switch on the page nobody could reach the English catalogue.
    client.force_login(world.alice)
    dutch = client.get("/").content.decode()
    assert 'name="language" value="en"' in dutch
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/trajecten/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/trajecten/"
    english = client.get("/").content.decode()
    assert "Sign out" in english
    assert 'name="language" value="nl-be"' in english
    client.post("/i18n/setlang/", {"language": "nl-be", "next": "/"})
    assert "Afmelden" in client.get("/").content.decode()


def test_every_translation_keeps_the_placeholders_of_its_source():
    entries = catalogue_entries()
    assert len(entries) > 700
    for msgid, msgid_plural, msgstrs in entries:
        expected = set(PLACEHOLDER.findall(msgid_plural or msgid))
        assert msgstrs and all(msgstrs), f"untranslated: {msgid!r}"
        for msgstr in msgstrs:
            assert set(PLACEHOLDER.findall(msgstr)) == expected, f"{msgid!r} -> {msgstr!r}"


def test_committed_mo_is_compiled_from_the_po():
    """CI does not compile messages: the .mo in the repository must match the .po."""
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, msgid_plural, msgstrs in catalogue_entries():
        if msgid_plural is None:
            assert compiled.gettext(msgid) == msgstrs[0], msgid
        else:
            assert compiled.ngettext(msgid, msgid_plural, 1) == msgstrs[0], msgid
            assert compiled.ngettext(msgid, msgid_plural, 2) == msgstrs[1], msgid
