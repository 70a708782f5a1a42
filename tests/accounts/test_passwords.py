"""Password rules, the password-change page and the reset by e-mail."""

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from terugkeer.accounts.passwords import breached_passwords
from terugkeer.audit.models import AuditEntry
from tests.factories import PASSWORD

GOOD = "Zonnebloem-Kapstok-17"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def signs_in(username, password) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def refused(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",  # one character
        "abcabcabcabc",  # a repeated piece
        "Terugkeer2026!",  # the product's name
        "T3rugk33r-2026",  # ... in look-alike characters
        "abcdefghijkl",  # the alphabet
        "Qwerty123456",  # a keyboard row and digits
        "P@ssw0rd2024!",  # breached, dressed up
        "Welkom12345!",  # breached word with digits
    ],
)
def test_weak_passwords_are_refused(password):
    assert refused(password)


def test_the_two_passwords_of_the_issue_are_refused_in_dutch():
    assert "herhaalt te veel dezelfde tekens" in " ".join(refused("aaaaaaaaaaaa"))
    assert "naam van de toepassing" in " ".join(refused("Terugkeer2026!"))


def test_too_short_and_similar_to_the_user_are_refused(world):
    assert refused("Zb-17-kapst", world.alice)  # 11 characters
    world.alice.first_name = "Alexandrina"
    assert refused("Alexandrina-17!", world.alice)


def test_the_organisation_name_is_refused(world):
    assert world.alice.organisation.name.startswith("Vlaamse overheid")
    assert "overheid" in " ".join(refused("Mijn-Overheid-Tuin-8", world.alice))
    assert not refused("Mijn-Overheid-Tuin-8")  # no user, no organisation to compare with


@pytest.mark.parametrize(
    "password", [GOOD, "vlinder tafel regen", "Mijn fiets is blauw 42", "Hx7#kP2$mQ9!"]
)
def test_good_passwords_pass(password, world):
    assert refused(password, world.alice) == []


def test_the_breached_list_is_shipped_as_data():
    passwords = breached_passwords()
    assert len(passwords) == 30000
    assert {"123456", "password", "wachtwoord", "welkom", "azertyuiop"} <= passwords


# --- changing one's password ------------------------------------------------------------


def test_the_account_menu_links_to_the_password_change(world, client):
    client.force_login(world.alice)
    assert reverse("password_change") in client.get(reverse("home")).content.decode()


def test_password_change(world, client):
    other_session = Client()
    other_session.force_login(world.alice)
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    page = client.get(reverse("password_change")).content.decode()
    assert "Wachtwoord wijzigen" in page and "gelekte wachtwoorden" in page
    weak = {"old_password": PASSWORD, "new_password1": "aaaaaaaaaaaa"}
    weak["new_password2"] = weak["new_password1"]
    response = client.post(reverse("password_change"), weak)
    assert response.status_code == 200
    assert "herhaalt te veel dezelfde tekens" in response.content.decode()
    wrong_old = {"old_password": "not-it", "new_password1": GOOD, "new_password2": GOOD}
    assert client.post(reverse("password_change"), wrong_old).status_code == 200
    good = {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD}
    response = client.post(reverse("password_change"), good, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Uw wachtwoord is gewijzigd." in response.content.decode()
    # This session goes on, the other one is over, and the new password signs in.
    assert client.get(reverse("home")).status_code == 200
    assert other_session.get(reverse("home")).status_code == 302
    assert signs_in("alice", GOOD)
    entry = AuditEntry.objects.get(object_type="password")
    assert entry.username == "alice" and entry.changes == {"password": "gewijzigd"}


def test_password_change_needs_a_sign_in(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.mfa
def test_password_change_comes_after_the_second_factor(world, client):
    client.force_login(world.alice)
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa"))


# --- resetting a forgotten password by e-mail -----------------------------------------------


def _with_email(user):
    user.email = f"{user.username}@example.be"
    user.save()
    return user


def _link_in(message) -> str:
    link = re.search(r"https?://\S+", message.body).group(0)
    base = settings.TERUGKEER["BASE_URL"].rstrip("/")
    assert link.startswith(base)
    return link.removeprefix(base)


def test_reset_by_email_works_once(world, client):
    _with_email(world.alice)
    assert "Wachtwoord vergeten?" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": "alice@example.be"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.be"] and "nieuw wachtwoord" in message.subject
    assert "één keer en één uur lang" in message.body
    link = _link_in(message)
    form_url = client.get(link)["Location"]  # Django moves the token into the session
    page = client.get(form_url).content.decode()
    assert "Nieuw wachtwoord kiezen" in page and "Wachtwoord opslaan" in page
    weak = client.post(form_url, {"new_password1": "Terugkeer2026!", "new_password2": "x"})
    assert weak.status_code == 200
    response = client.post(form_url, {"new_password1": GOOD, "new_password2": GOOD})
    assert response["Location"] == reverse("password_reset_complete")
    assert signs_in("alice", GOOD)
    # The same link a second time: refused.
    page = Client().get(link, follow=True).content.decode()
    assert "al gebruikt of verlopen" in page
    entries = AuditEntry.objects.filter(object_type="password", object_id=str(world.alice.pk))
    assert list(entries.values_list("username", "changes")) == [
        ("alice", {"password": "hersteld via e-mail"}),
        ("anoniem", {"password": "herstellink verstuurd"}),
    ]


def test_reset_never_reveals_whether_an_address_exists(world, client):
    _with_email(world.alice)
    known = client.post(reverse("password_reset"), {"email": "alice@example.be"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.be"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    done = client.get(reverse("password_reset_done")).content.decode()
    assert "Als dit adres bij een account hoort" in done


def _token_made_ago(user, minutes: int) -> str:
    class Earlier(PasswordResetTokenGenerator):
        def _now(self):  # the hook Django's own tests use to move the clock
            return datetime.now() - timedelta(minutes=minutes)

    return Earlier().make_token(user)


def test_reset_link_expires_after_an_hour(world, client):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    user = _with_email(world.alice)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    fresh = reverse("password_reset_confirm", args=[uid, _token_made_ago(user, 50)])
    assert "Wachtwoord opslaan" in client.get(fresh, follow=True).content.decode()
    stale = reverse("password_reset_confirm", args=[uid, _token_made_ago(user, 70)])
    assert "al gebruikt of verlopen" in client.get(stale, follow=True).content.decode()


def test_reset_mails_to_one_address_are_limited(world, client):
    _with_email(world.alice)
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": "ALICE@example.be"})
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 3
