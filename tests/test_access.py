"""The scoping of personal data, proved per persona (see docs/access.md)."""

import pytest
from django.urls import reverse

from terugkeer.trajectories.selectors import employees_visible_to


def visible(user):
    return set(employees_visible_to(user).values_list("last_name", flat=True))


def test_coach_sees_own_entity_only(world):
    assert visible(world.alice) == {"Aerts", "Andries"}


def test_hr_sees_own_entity_only(world):
    assert visible(world.hannah) == {"Aerts", "Andries"}


def test_manager_sees_own_team_only(world):
    assert visible(world.bob) == {"Aerts"}


def test_adviser_sees_whole_organisation_only(world):
    assert visible(world.adam) == {"Aerts", "Andries", "Baert"}


@pytest.mark.parametrize("persona", ["rita", "bert", "sam"])
def test_reporter_admin_and_smt_see_no_person(world, persona):
    assert visible(getattr(world, persona)) == set()


def test_physician_sees_only_formal_trajectories(world):
    assert visible(world.dora) == set()


def test_coach_of_other_entity_gets_404(world, client):
    client.force_login(world.carl)
    response = client.get(reverse("employees:detail", args=[world.emp_a.pk]))
    assert response.status_code == 404


def test_coach_of_other_organisation_gets_404(world, client):
    client.force_login(world.zoe)
    response = client.get(reverse("employees:detail", args=[world.emp_a.pk]))
    assert response.status_code == 404


def test_coach_opens_employee_of_own_entity(world, client):
    client.force_login(world.alice)
    response = client.get(reverse("employees:detail", args=[world.emp_a.pk]))
    assert response.status_code == 200
    assert world.emp_a.last_name in response.content.decode()


def test_employee_list_shows_only_scope(world, client):
    client.force_login(world.alice)
    page = client.get(reverse("employees:list")).content.decode()
    assert "Aerts" in page and "Andries" in page
    assert "Baert" not in page and "Stevens" not in page
