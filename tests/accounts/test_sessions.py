"""The session key is new at every sign-in, and a change of roles ends the user's sessions."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from terugkeer.accounts.models import Role, RoleAssignment
from tests.factories import PASSWORD


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    return client


def still_signed_in(client) -> bool:
    response = client.get(reverse("home"))
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
        return False
    return response.status_code == 200


def test_sign_in_gives_a_new_session_key(world, client):
    session = client.session
    session["seen_the_sign_in_page"] = True
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert still_signed_in(client)


def test_a_new_role_ends_every_session_of_that_user_only(world):
    laptop, phone, bob = signed_in(world.alice), signed_in(world.alice), signed_in(world.bob)
    RoleAssignment.objects.create(
        user=world.alice, role=Role.HR, organisation=world.vo, unit=world.entity_a
    )
    assert not still_signed_in(laptop)
    assert not still_signed_in(phone)
    assert still_signed_in(bob)


def test_a_changed_role_ends_the_sessions(world):
    alice = signed_in(world.alice)
    assignment = world.alice.roles.get()
    assignment.unit = world.entity_b
    assignment.save()
    assert not still_signed_in(alice)
    # Signing in again works, with the rights of the new assignment.
    alice.force_login(world.alice)
    assert still_signed_in(alice)


def test_a_removed_role_ends_the_sessions(world):
    hannah, alice = signed_in(world.hannah), signed_in(world.alice)
    world.hannah.roles.get().delete()
    assert not still_signed_in(hannah)
    assert still_signed_in(alice)


@pytest.mark.mfa
def test_passing_the_second_factor_gives_a_new_session_key(world, client):
    client.force_login(world.alice)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    device = TOTPDevice.objects.create(user=world.alice, name="app", confirmed=True)
    token = totp(device.bin_key, device.step, device.t0, device.digits)
    assert client.post(reverse("mfa"), {"token": f"{token:06d}"}).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert still_signed_in(client)
