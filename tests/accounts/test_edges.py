"""Edges of the sign-in: nothing with personal data is cached, the API's documentation only
after a full sign-in (second factor included)."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.test_access_matrix import _formal_trajectory


def assert_not_stored(response):
    assert response.status_code == 200, response.status_code
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
    assert response["Pragma"] == "no-cache"


def test_no_store_on_pages_documents_and_exports(world, client):
    trajectory = _formal_trajectory(world.emp_a)
    employee = world.emp_a.pk
    client.force_login(world.alice)
    for url in (
        reverse("home"),
        reverse("trajectories:caseload"),
        reverse("trajectories:detail", args=[trajectory.pk]),
        reverse("employees:detail", args=[employee]),
        reverse("trajectories:plan_pdf", args=[trajectory.pk, 1]),
        reverse("trajectories:plan_docx", args=[trajectory.pk, 1]),
    ):
        assert_not_stored(client.get(url))
    client.force_login(world.hannah)
    four_weeks = reverse("reports:four_weeks")
    for url in (
        reverse("audit:export", args=[employee, "json"]),
        reverse("audit:export", args=[employee, "pdf"]),
        four_weeks,
        f"{four_weeks}?formaat=csv",
        f"{four_weeks}?formaat=xlsx",
    ):
        assert_not_stored(client.get(url))
    client.force_login(world.adam)
    for fmt in ("csv", "xlsx"):
        url = reverse("reports:export", args=[fmt]) + f"?scope=organisation-{world.vo.pk}"
        assert_not_stored(client.get(url))


def test_no_store_on_the_sign_in_page_too(db, client):  # it lists the identity providers
    assert_not_stored(client.get(reverse("login")))


def test_api_docs_need_a_sign_in(world, client):
    response = client.get("/api/docs")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get("/api/openapi.json").status_code == 302
    client.force_login(world.rita)  # a rapporteur: no second factor needed
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200


@pytest.mark.mfa
def test_api_docs_need_the_second_factor(world, client):
    client.force_login(world.bert)
    for url in ("/api/docs", "/api/openapi.json"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa"))
    device = TOTPDevice.objects.create(user=world.bert, name="app", confirmed=True)
    token = totp(device.bin_key, device.step, device.t0, device.digits)
    assert client.post(reverse("mfa"), {"token": f"{token:06d}"}).status_code == 302
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200
