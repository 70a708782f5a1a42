"""The unit tree keeps its denormalised entity and policy domain right."""

from terugkeer.organisations.models import Employee, Unit
from terugkeer.organisations.services import unit_rescope
from tests.factories import make_unit


def test_new_units_know_their_entity_and_policy_domain(world):
    assert world.entity_a.entity_id == world.entity_a.pk
    assert world.team_a.entity_id == world.entity_a.pk
    assert world.team_a.policy_domain_id == world.domain.pk
    assert world.emp_a.entity_id == world.entity_a.pk


def test_moving_a_team_to_another_entity_moves_its_employees(world):
    sub_team = make_unit(world.vo, "Cel A1a", "A1a", parent=world.team_a)
    team = Unit.objects.get(pk=world.team_a.pk)
    team.parent = world.entity_b
    team.save()
    assert unit_rescope(team) == 2
    assert Unit.objects.get(pk=sub_team.pk).entity_id == world.entity_b.pk
    assert Employee.objects.get(pk=world.emp_a.pk).entity_id == world.entity_b.pk


def test_admin_saves_a_new_entity_pointing_at_itself(world, client):
    world.bert.is_superuser = True
    world.bert.is_staff = True
    world.bert.save()
    client.force_login(world.bert)
    response = client.post(
        "/beheer/organisations/unit/add/",
        {
            "organisation": world.vo.pk,
            "parent": world.domain.pk,
            "name": "Agentschap C",
            "code": "C",
            "kind": "agency",
            "is_entity": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(code="C")
    assert unit.entity_id == unit.pk and unit.policy_domain_id == world.domain.pk
