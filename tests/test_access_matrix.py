"""Every role against every page that shows or changes personal data, for an object in its own
scope, in another entity and in another organisation; allow or deny as docs/access.md says.

The API has its own matrix of keys x organisations in tests/api/.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from terugkeer.accounts.access import SYSTEM
from terugkeer.accounts.models import Role, RoleAssignment, User
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory
from tests.factories import UserFactory, grant

PERSONAS = ["alice", "bob", "hannah", "adam", "dora", "sam", "rita", "bert", "carl", "zoe"]
# Persons with several assignments (issue 12): a right follows from the assignment that puts
# the employee in scope, never from another assignment of the same person.
MIXED = {
    # coach of entity A, and line manager of emp_b (entity B) by the manager link
    "mia": [(Role.COACH, "vo", "entity_a"), (Role.MANAGER, "vo", None)],
    # HR of entity B, and a line manager whose assignment names team A1 (not emp_a's manager)
    "pia": [(Role.HR, "vo", "entity_b"), (Role.MANAGER, "vo", "team_a")],
    # coach in two organisations
    "max": [(Role.COACH, "vo", "entity_a"), (Role.COACH, "stad", "stad_team")],
    # coach of entity A and functioneel beheerder of the other organisation
    "kim": [(Role.COACH, "vo", "entity_a"), (Role.ADMIN, "stad", None)],
    # physician of entity B and reporter of the whole organisation
    "fay": [(Role.PHYSICIAN, "vo", "entity_b"), (Role.REPORTER, "vo", None)],
    # beheerder and rapporteur of the organisation
    "ben": [(Role.ADMIN, "vo", None), (Role.REPORTER, "vo", None)],
    # an SMT member of the organisation who does not attend the meeting (issue 16)
    "sven": [(Role.SMT, "vo", None)],
    # a second-line adviser re-integratie for entity B only
    "ada": [(Role.ADVISER, "vo", "entity_b")],
}
TARGETS = {"own": "emp_a", "other_entity": "emp_b", "other_organisation": "emp_stad"}

# Who may read each employee's dossier (docs/access.md). All three have a formal trajectory,
# so the occupational physician reads those of her organisation.
READERS = {
    "emp_a": {"alice", "bob", "hannah", "adam", "dora", "mia", "pia", "max", "kim"},
    "emp_b": {"adam", "dora", "carl", "mia", "pia", "fay", "ada"},
    "emp_stad": {"zoe", "max"},
}
# Who may read a dossier as an SMT member (issue 16): only sam, who attends the meeting where
# emp_a is a named case with her agreement; emp_b is an anonymous case, emp_stad a named case
# of a meeting nobody here attends.
SMT_READERS = {"emp_a": {"sam"}, "emp_b": set(), "emp_stad": set()}
# Who may put the trajectory on the SMT's agenda: a coach or adviser covering the employee.
SMT_PROPOSERS = {
    "emp_a": {"alice", "adam", "mia", "max", "kim"},
    "emp_b": {"adam", "carl", "ada"},
    "emp_stad": {"zoe", "max"},
}
# Who may record a contact moment or the contact wishes (not the physician: not hers). pia reads
# emp_a through a manager's assignment on the team but is not emp_a's manager: no writing.
CONTACT_WRITERS = {
    "emp_a": {"alice", "bob", "hannah", "adam", "mia", "max", "kim"},
    "emp_b": {"adam", "carl", "mia", "pia", "ada"},
    "emp_stad": {"zoe", "max"},
}
# The formal re-integration plan is the employer's: not the line manager's, not the physician's.
# mia is coach elsewhere, but only emp_b's line manager: no plan for emp_b.
PLAN_WRITERS = {
    "emp_a": {"alice", "hannah", "adam", "mia", "max", "kim"},
    "emp_b": {"adam", "carl", "pia", "ada"},
    "emp_stad": {"zoe", "max"},
}
# The GDPR access export and "who opened this dossier": HR on its scope, the beheerder (DPO).
SUBJECT_ACCESS = {
    "emp_a": {"hannah", "bert", "ben"},
    "emp_b": {"bert", "pia", "ben"},
    "emp_stad": {"kim"},
}
# The admin: the beheerders of the employee's organisation, nobody else.
ADMINS = {"emp_a": {"bert", "ben"}, "emp_b": {"bert", "ben"}, "emp_stad": {"kim"}}
NOBODY = {"emp_a": set(), "emp_b": set(), "emp_stad": set()}


def _formal_trajectory(employee):
    today = timezone.localdate()
    services.absence_register(actor=SYSTEM, employee=employee, first_day=today - timedelta(100))
    trajectory = Trajectory.objects.get(employee=employee)
    for type_, fields in (
        ("formal_request", {"by": "employer"}),
        ("assessment", {"decision": "A"}),
    ):
        trajectory.refresh_from_db()
        services.event_record(
            actor=SYSTEM,
            trajectory=trajectory,
            expected_version=trajectory.version,
            data=services.EventInput(type=type_, date=today, fields=fields),
        )
    services.plan_save(
        actor=SYSTEM,
        trajectory=trajectory,
        expected_version=None,
        data=services.PlanInput(work_percentage=50, steps=[{"description": "Start"}]),
    )
    return trajectory


def _smt_items(world, trajectories):
    """The SMT agenda items of the matrix (SMT_READERS): one meeting per organisation, next
    week; sam attends VO's."""
    from terugkeer.smt.models import AgendaItem, Meeting, Smt

    today = timezone.localdate()
    meetings = {}
    for org in (world.vo, world.stad):
        smt = Smt.objects.create(organisation=org, name=f"SMT {org.name}")
        meetings[org.pk] = Meeting.objects.create(smt=smt, date=today + timedelta(days=7))
    meetings[world.vo.pk].attendees.add(world.sam)
    items = {}
    for target, trajectory in trajectories.items():
        form = "anonymous" if target == "emp_b" else "named"
        items[target] = AgendaItem.objects.create(
            meeting=meetings[trajectory.organisation_id],
            kind="case",
            trajectory=trajectory,
            form=form,
            case_code=f"SMT-{target}",
            question="Vraag",
            consent_on=today if form == "named" else None,
            consent_how="signed" if form == "named" else "",
        )
    return items


def _smt_pages(trajectory, item):
    propose = {"smt-meeting": item.meeting_id, "smt-form": "anonymous", "smt-question": "Vraag"}
    return [
        ("collaboration", "get", reverse("smt:trajectory", args=[trajectory.pk]), None, "read"),
        ("smt dossier", "get", reverse("smt:dossier", args=[item.pk]), None, "smt"),
        ("smt propose", "post", reverse("smt:propose", args=[trajectory.pk]), propose, "propose"),
    ]


def _pages(employee, trajectory):
    """(name, method, url, data, who is allowed) for every personal-data page."""
    t, e = trajectory.pk, employee.pk
    today = timezone.localdate().strftime("%d/%m/%Y")
    contact = {"version": 999, "date": today, "channel": "call", "contact_by": "coach"}
    return [
        ("employee", "get", reverse("employees:detail", args=[e]), None, "read"),
        (
            "absence",
            "post",
            reverse("employees:detail", args=[e]),
            {"absence-first_day": today},
            "contact",
        ),
        ("trajectory", "get", reverse("trajectories:detail", args=[t]), None, "read"),
        (
            "contact form",
            "get",
            reverse("trajectories:event", args=[t, "contact"]),
            None,
            "contact",
        ),
        (
            "contact save",
            "post",
            reverse("trajectories:event", args=[t, "contact"]),
            contact,
            "contact",
        ),
        ("wishes form", "get", reverse("trajectories:contact_wishes", args=[t]), None, "contact"),
        ("plan form", "get", reverse("trajectories:plan", args=[t]), None, "plan"),
        ("plan pdf", "get", reverse("trajectories:plan_pdf", args=[t, 1]), None, "read"),
        ("plan docx", "get", reverse("trajectories:plan_docx", args=[t, 1]), None, "read"),
        ("openings", "get", reverse("audit:openings", args=[e]), None, "subject"),
        ("export", "get", reverse("audit:export", args=[e, "json"]), None, "subject"),
    ]


def _admin_pages(employee, colleague):
    """The admin's pages about the employee, the organisation and a colleague's account."""
    org, unit = employee.organisation, employee.unit
    change = {
        "organisation": org.pk,
        "personnel_number": employee.personnel_number,
        "first_name": employee.first_name,
        "last_name": employee.last_name,
        "unit": unit.pk,
        "manager": employee.manager_id or "",
        "statute": employee.statute,
        "work_regime": 100,
        "active": "on",
    }
    return [
        (
            "admin employee",
            "get",
            reverse("admin:organisations_employee_change", args=[employee.pk]),
            None,
            "admin",
        ),
        (
            "admin employee history",
            "get",
            reverse("admin:organisations_employee_history", args=[employee.pk]),
            None,
            "admin",
        ),
        (
            "admin employee save",
            "post",
            reverse("admin:organisations_employee_change", args=[employee.pk]),
            change,
            "admin",
        ),
        (
            "admin employee delete",
            "get",
            reverse("admin:organisations_employee_delete", args=[employee.pk]),
            None,
            "never",
        ),
        (
            "admin organisation",
            "get",
            reverse("admin:organisations_organisation_change", args=[org.pk]),
            None,
            "admin",
        ),
        (
            "admin organisation delete",
            "post",
            reverse("admin:organisations_organisation_delete", args=[org.pk]),
            {"post": "yes"},
            "never",
        ),
        (
            "admin unit",
            "get",
            reverse("admin:organisations_unit_change", args=[unit.pk]),
            None,
            "admin",
        ),
        (
            "admin colleague",
            "get",
            reverse("admin:accounts_user_change", args=[colleague.pk]),
            None,
            "admin",
        ),
        (
            "admin colleague password",
            "get",
            reverse("admin:auth_user_password_change", args=[colleague.pk]),
            None,
            "never",
        ),
        ("admin api keys", "get", reverse("admin:api_apikey_changelist"), None, "never"),
    ]


def _mixed_personas(world):
    for username, assignments in MIXED.items():
        user = UserFactory(username=username, organisation=world.vo)
        for role, org, unit in assignments:
            grant(user, role, getattr(world, org), getattr(world, unit) if unit else None)
        setattr(world, username, user)
    world.emp_b.manager = world.mia
    world.emp_b.save()


def _admin_ok(response, allowed):
    if allowed:
        return response.status_code in (200, 302)
    if response.status_code == 302:  # not an admin at all: to the admin's sign-in page
        return response["Location"].startswith("/beheer/login/")
    return response.status_code in (403, 404)


def test_every_role_against_every_personal_data_page(world, client, capsys):
    _mixed_personas(world)
    trajectories = {name: _formal_trajectory(getattr(world, name)) for name in READERS}
    smt_items = _smt_items(world, trajectories)
    colleagues = {"emp_a": world.alice, "emp_b": world.carl, "emp_stad": world.zoe}
    rules = {
        "read": READERS,
        "contact": CONTACT_WRITERS,
        "plan": PLAN_WRITERS,
        "subject": SUBJECT_ACCESS,
        "smt": SMT_READERS,
        "propose": SMT_PROPOSERS,
        "admin": ADMINS,
        "never": NOBODY,
    }
    flags_before = set(User.objects.values_list("pk", "is_superuser", "is_staff"))
    roles_before = RoleAssignment.objects.count()
    tried, leaks = 0, []
    for persona in PERSONAS + list(MIXED):
        client.force_login(getattr(world, persona))
        for relation, target in TARGETS.items():
            employee = getattr(world, target)
            pages = _pages(employee, trajectories[target])
            pages += _admin_pages(employee, colleagues[target])
            pages += _smt_pages(trajectories[target], smt_items[target])
            for name, method, url, data, rule in pages:
                response = getattr(client, method)(url, data or {})
                allowed = persona in rules[rule][target]
                if name.startswith("admin"):
                    tried += 1
                    if not _admin_ok(response, allowed):
                        leaks.append(f"{persona} {relation} {name}: {response.status_code}")
                    continue
                # A POST that is allowed may still be refused for its content (stale version,
                # duplicate absence): what matters is that a denied one is 403/404.
                ok = (
                    response.status_code in (200, 302)
                    if allowed
                    else (response.status_code in (403, 404))
                )
                if allowed and method == "post":
                    ok = response.status_code in (200, 302)
                tried += 1
                if not ok:
                    leaks.append(
                        f"{persona} {relation} {name}: {response.status_code}, "
                        f"expected {'allow' if allowed else 'deny'}"
                    )
    with capsys.disabled():
        print(f"\naccess matrix: {tried} combinations of role x page x scope tried")
    assert tried == (len(PERSONAS) + len(MIXED)) * len(TARGETS) * 24 >= 1000
    assert not leaks, "\n".join(leaks)
    # No escalation on the way: no flag or role assignment changed, no organisation removed.
    assert set(User.objects.values_list("pk", "is_superuser", "is_staff")) == flags_before
    assert RoleAssignment.objects.count() == roles_before
    assert world.stad.__class__.objects.count() == 2
