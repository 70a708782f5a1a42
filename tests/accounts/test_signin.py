"""Sign-in hardening: lockout, two-factor per role, session expiry, headers, deploy checks."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from terugkeer.accounts.access import DOSSIER_ROLES
from terugkeer.accounts.mfa import MFA_ROLES
from terugkeer.accounts.models import Role
from tests.factories import PASSWORD


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_lockout_after_repeated_failures(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "alice", "wrong-password")
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()


def test_good_password_signs_in(world, client):
    response = login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.mfa
@pytest.mark.parametrize(
    "persona", ["alice", "bob", "carl", "hannah", "adam", "dora", "sam", "bert"]
)
def test_two_factor_required_for_every_role_that_sees_a_dossier(world, client, persona):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa"))


@pytest.mark.mfa
def test_no_two_factor_for_the_rapporteur(world, client):
    client.force_login(world.rita)  # suppressed aggregates only, no person
    assert client.get(reverse("home")).status_code == 200


def test_every_dossier_role_needs_the_second_factor():
    assert DOSSIER_ROLES <= MFA_ROLES
    assert Role.MANAGER in MFA_ROLES and Role.COACH in MFA_ROLES


@pytest.mark.mfa
def test_the_demo_may_switch_the_second_factor_off(world, client, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "MFA_REQUIRED": False}
    client.force_login(world.bob)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.mfa
def test_enrolment_verification_and_recovery_code(world, client):
    client.force_login(world.hannah)
    page = client.get(reverse("mfa")).content.decode()
    assert "Tweestapsverificatie instellen" in page
    device = TOTPDevice.objects.get(user=world.hannah)
    token = totp(device.bin_key, device.step, device.t0, device.digits)
    response = client.post(reverse("mfa"), {"token": f"{token:06d}"})
    codes = response.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("home")).status_code == 200
    # A new session must verify again; a recovery code works once.
    client.logout()
    client.force_login(world.hannah)
    assert client.get(reverse("home")).status_code == 302
    assert client.post(reverse("mfa"), {"token": codes[0], "next": "/"}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    client.force_login(world.hannah)
    assert client.post(reverse("mfa"), {"token": codes[0]}).status_code == 200  # used up


def test_session_expires_after_30_minutes_of_inactivity(world, client):
    client.force_login(world.alice)
    client.get(reverse("home"))
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert 0 < client.session.get_expiry_age() <= 30 * 60


def test_session_expiry_moves_at_most_once_a_minute(world, client):
    """Activity keeps the session alive without a session write on every request."""
    from django.contrib.sessions.models import Session

    from terugkeer.accounts.session_refresh import KEY

    assert not settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(world.alice)
    client.get(reverse("home"))
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    client.get(reverse("home"))  # refreshed less than a minute ago: no write
    assert Session.objects.get(pk=key).expire_date < timezone.now() + timedelta(minutes=6)

    session = client.session
    session[KEY] = int(time.time()) - 61  # the last refresh was over a minute ago
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    client.get(reverse("home"))
    assert Session.objects.get(pk=key).expire_date > timezone.now() + timedelta(minutes=29)


def test_security_headers_on_a_page(world, client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_every_form_has_csrf(world, client):
    page = client.get(reverse("login")).content.decode()
    assert "csrfmiddlewaretoken" in page


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = {
        **os.environ,
        "TERUGKEER_PRODUCTION": "1",
        "SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "terugkeer.example.be",
        "DEBUG": "0",
        "TERUGKEER_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_are_dutch_even_for_an_english_browser(world, client):
    client.force_login(world.bert)
    world.bert.is_staff = True
    world.bert.save()
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Welkom" in page and 'lang="nl"' in page
    admin = client.get("/beheer/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "Site administration" not in admin
