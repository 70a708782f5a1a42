"""The access matrix (tests/test_access_matrix.py) with its ten single-role personas replaced by
users created by signing in through the real providers: their roles come from claims."""

from django.test import Client

from terugkeer.accounts.models import RoleAssignment
from terugkeer.organisations.models import Employee
from terugkeer.sso.models import ClaimRoleMapping, ExternalIdentity
from tests import test_access_matrix as matrix
from tests.sso.conftest import acmidm_claims, entra_claims, sign_in


def _replace_by_sso_user(world, persona, process, link):
    old = getattr(world, persona)
    values = []
    for assignment in RoleAssignment.objects.filter(user=old).select_related("unit"):
        value = f"Terugkeer-{assignment.role}:{assignment.unit.code if assignment.unit else 'ORG'}"
        ClaimRoleMapping.objects.get_or_create(
            link=link, claim_value=value, role=assignment.role, unit=assignment.unit
        )
        values.append(value)
    if link.provider.kind == "entra":
        process.set_accounts({persona: entra_claims(*values)})
    else:
        process.set_accounts({persona: acmidm_claims(f"vo-{persona}", *values)})
    response, _ = sign_in(Client(), process, persona)
    assert response.status_code == 302, response.content.decode()
    subject = persona if link.provider.kind == "entra" else f"vo-{persona}"
    new = ExternalIdentity.objects.get(provider=link.provider, subject=subject).user
    assert set(new.roles.values_list("role", "organisation", "unit")) == set(
        old.roles.values_list("role", "organisation", "unit")
    )
    Employee.objects.filter(manager=old).update(manager=new)
    old.delete()
    setattr(world, persona, new)


def test_the_access_matrix_with_users_created_through_sso(acmidm, entra, world, client, capsys):
    for persona in matrix.PERSONAS:
        stad = getattr(world, persona).organisation_id == world.stad.pk
        process = entra if stad else acmidm
        _replace_by_sso_user(world, persona, process, process.link)
    assert ExternalIdentity.objects.count() == len(matrix.PERSONAS)
    for name in ("emp_a", "emp_b", "emp_stad"):
        getattr(world, name).refresh_from_db()

    matrix.test_every_role_against_every_personal_data_page(world, client, capsys)
