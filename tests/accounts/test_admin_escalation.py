"""The functioneel beheerder attacks the admin over HTTP and fails (issue 12, point 1).

bert is the beheerder of "VO"; Stad is another tenant. Every attempt is in Terugkeer's audit log.
"""

import pytest
from django.urls import reverse

from terugkeer.accounts.access import grants
from terugkeer.accounts.models import Role, RoleAssignment, User
from terugkeer.audit.models import AuditEntry
from terugkeer.organisations.models import Employee
from tests.factories import UserFactory, grant


def _user_form(user, roles=(), new_roles=(), **changes):
    """The beheerder's change form of `user`, as the browser posts it."""
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": user.organisation_id or "",
        "employee": user.employee_id or "",
        "wants_digest": "on",
        "is_active": "on",
        "roles-TOTAL_FORMS": str(len(roles) + len(new_roles)),
        "roles-INITIAL_FORMS": str(len(roles)),
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    for i, ra in enumerate(list(roles) + list(new_roles)):
        if isinstance(ra, RoleAssignment):
            data |= {
                f"roles-{i}-id": ra.pk,
                f"roles-{i}-user": user.pk,
                f"roles-{i}-role": ra.role,
                f"roles-{i}-organisation": ra.organisation_id,
                f"roles-{i}-unit": ra.unit_id or "",
            }
        else:
            role, organisation, unit = ra
            data |= {
                f"roles-{i}-user": user.pk,
                f"roles-{i}-role": role,
                f"roles-{i}-organisation": organisation.pk,
                f"roles-{i}-unit": unit.pk if unit else "",
            }
    data.update(changes)
    return data


def _sees_no_dossier(client):
    response = client.get(reverse("trajectories:caseload"))
    assert response.status_code in (403, 404) or response.context["page"].paginator.count == 0


def _url(model, obj=None, action="change"):
    app = model._meta.app_label
    name = model._meta.model_name
    if obj is None:
        return reverse(f"admin:{app}_{name}_{action}")
    return reverse(f"admin:{app}_{name}_{action}", args=[obj.pk])


@pytest.fixture
def beheerder(world, client):
    client.force_login(world.bert)
    return world.bert


def test_no_superuser_staff_group_or_permission_field(world, client, beheerder):
    page = client.get(_url(User, beheerder)).content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in page
    own = list(RoleAssignment.objects.filter(user=beheerder))
    response = client.post(
        _url(User, beheerder),
        _user_form(beheerder, own, is_superuser="on", is_staff="on"),
    )
    assert response.status_code == 302
    beheerder.refresh_from_db()
    assert not beheerder.is_superuser and not beheerder.is_staff
    # Django's own models stay closed to him.
    assert client.get("/beheer/auth/group/").status_code == 403
    assert client.get("/beheer/axes/accessattempt/").status_code in (403, 404)


def test_own_role_assignment_is_refused_and_logged(world, client, beheerder):
    own = list(RoleAssignment.objects.filter(user=beheerder))
    response = client.post(
        _url(User, beheerder), _user_form(beheerder, own, [(Role.ADVISER, world.vo, None)])
    )
    assert response.status_code == 200  # the form again, with the error
    assert "eigen rollen" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=beheerder, role=Role.ADVISER).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.REFUSED, user=beheerder, object_type="roleassignment"
    ).exists()
    client.force_login(User.objects.get(pk=beheerder.pk))
    _sees_no_dossier(client)


def test_removing_own_admin_role_is_refused(world, client, beheerder):
    own = RoleAssignment.objects.get(user=beheerder)
    data = _user_form(beheerder, [own])
    data["roles-0-DELETE"] = "on"
    response = client.post(_url(User, beheerder), data)
    assert response.status_code == 200
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_other_organisation_is_404_everywhere_and_logged(world, client, beheerder):
    stad_user = world.zoe
    stad_employee = world.emp_stad
    for url in (
        _url(User, stad_user),
        _url(Employee, stad_employee),
        _url(type(world.stad), world.stad),
        _url(type(world.stad), world.stad, "delete"),
        _url(Employee, stad_employee, "history"),
        _url(type(world.stad_team), world.stad_team),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(_url(type(world.stad), world.stad, "delete"), {"post": "yes"}).status_code
        == 404
    )
    assert type(world.stad).objects.filter(pk=world.stad.pk).exists()
    lists = {
        _url(User, action="changelist"): stad_user.username,
        _url(Employee, action="changelist"): stad_employee.last_name,
        _url(type(world.stad), action="changelist"): world.stad.name,
    }
    for url, hidden in lists.items():
        page = client.get(url).content.decode()
        assert client.get(url).status_code == 200
        assert hidden not in page, url
    refused = AuditEntry.objects.filter(action=AuditEntry.Action.REFUSED, user=beheerder)
    assert refused.count() >= 5


def test_autocomplete_and_posted_choices_stay_in_the_organisation(world, client, beheerder):
    response = client.get(
        "/beheer/autocomplete/",
        {
            "term": "",
            "app_label": "organisations",
            "model_name": "employee",
            "field_name": "manager",
        },
    )
    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert world.zoe.pk not in ids and world.alice.pk in ids
    # The manager field posted with another organisation's user is refused.
    employee = world.emp_a
    response = client.post(
        _url(Employee, employee),
        {
            "organisation": world.vo.pk,
            "personnel_number": employee.personnel_number,
            "first_name": employee.first_name,
            "last_name": employee.last_name,
            "unit": employee.unit_id,
            "manager": world.zoe.pk,
            "statute": employee.statute,
            "work_regime": 100,
            "active": "on",
        },
    )
    assert response.status_code == 200
    employee.refresh_from_db()
    assert employee.manager_id == world.bob.pk


def test_password_of_another_user_cannot_be_set(world, client, beheerder):
    url = reverse("admin:auth_user_password_change", args=[world.alice.pk])
    assert client.get(url).status_code == 404


def test_four_eyes_grant_waits_for_a_second_beheerder(world, client, beheerder):
    bea = grant(UserFactory(username="bea", organisation=world.vo), Role.ADMIN, world.vo)
    # bert creates an account of his own and gives it the adviser role.
    response = client.post(
        _url(User, action="add"),
        {
            "username": "bert2",
            "organisation": world.vo.pk,
            "usable_password": "true",
            "password1": "Een-Lang-Wachtwoord-2026!x",
            "password2": "Een-Lang-Wachtwoord-2026!x",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    second = User.objects.get(username="bert2")
    response = client.post(
        _url(User, second), _user_form(second, [], [(Role.ADVISER, world.vo, None)])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = RoleAssignment.objects.get(user=second)
    assert assignment.is_pending and assignment.granted_by == beheerder
    assert grants(User.objects.get(pk=second.pk)) == []
    client.force_login(User.objects.get(pk=second.pk))
    _sees_no_dossier(client)
    # bert cannot confirm his own grant.
    client.force_login(User.objects.get(pk=beheerder.pk))
    client.post(
        _url(RoleAssignment, action="changelist"),
        {"action": "confirm", "_selected_action": [assignment.pk]},
    )
    assignment.refresh_from_db()
    assert assignment.is_pending
    # bea can.
    client.force_login(bea)
    client.post(
        _url(RoleAssignment, action="changelist"),
        {"action": "confirm", "_selected_action": [assignment.pk]},
    )
    assignment.refresh_from_db()
    assert not assignment.is_pending and assignment.confirmed_by == bea
    logged = AuditEntry.objects.filter(object_type="roleassignment", object_id=str(assignment.pk))
    assert {e.changes.get("status") for e in logged} == {"wacht op bevestiging", "bevestigd"}


def test_single_beheerder_grants_at_once_but_not_a_second_beheerder(world, client, beheerder):
    newcomer = UserFactory(username="nieuw", organisation=world.vo)
    client.post(
        _url(User, newcomer), _user_form(newcomer, [], [(Role.COACH, world.vo, world.entity_a)])
    )
    assert not RoleAssignment.objects.get(user=newcomer).is_pending
    other = UserFactory(username="nieuw2", organisation=world.vo)
    client.post(_url(User, other), _user_form(other, [], [(Role.ADMIN, world.vo, None)]))
    assert RoleAssignment.objects.get(user=other).is_pending


def test_admin_changes_are_in_the_audit_log_with_before_and_after(world, client, beheerder):
    alice = world.alice
    own = list(RoleAssignment.objects.filter(user=alice))
    response = client.post(_url(User, alice), _user_form(alice, own, last_name="Nieuwenaam"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="user", object_id=str(alice.pk), action="update")
    assert entry.changes["last_name"][1] == "Nieuwenaam"
    assert entry.organisation_id == world.vo.pk


def test_portal_link_of_own_account_is_refused(world, client, beheerder):
    own = list(RoleAssignment.objects.filter(user=beheerder))
    response = client.post(
        _url(User, beheerder), _user_form(beheerder, own, employee=world.emp_a.pk)
    )
    assert response.status_code == 200
    beheerder.refresh_from_db()
    assert beheerder.employee_id is None


def test_refused_dossier_is_logged_and_shown_to_hr(world, client):
    from terugkeer.trajectories.models import Trajectory

    client.force_login(world.alice)  # coach of entity A
    assert client.get(reverse("employees:detail", args=[world.emp_b.pk])).status_code == 404
    refused = AuditEntry.objects.get(action=AuditEntry.Action.REFUSED, user=world.alice)
    assert refused.employee_id == world.emp_b.pk and refused.organisation_id == world.vo.pk
    assert not Trajectory.objects.filter(employee=world.emp_b).exists()
    client.force_login(world.hannah)  # HR
    page = client.get(reverse("audit:access_watch"))
    assert page.status_code == 200 and "alice" in page.content.decode()
    client.force_login(world.alice)
    assert client.get(reverse("audit:access_watch")).status_code == 403
