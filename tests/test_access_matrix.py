"""Every role against every page that shows or changes personal data, for an object in its own
scope, in another entity and in another organisation; allow or deny as docs/access.md says.

The API has its own matrix of keys x organisations in tests/api/.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from terugkeer.accounts.access import SYSTEM
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory

PERSONAS = ["alice", "bob", "hannah", "adam", "dora", "sam", "rita", "bert", "carl", "zoe"]
TARGETS = {"own": "emp_a", "other_entity": "emp_b", "other_organisation": "emp_stad"}

# Who may read each employee's dossier (docs/access.md). All three have a formal trajectory,
# so the occupational physician reads those of her organisation.
READERS = {
    "emp_a": {"alice", "bob", "hannah", "adam", "dora"},
    "emp_b": {"adam", "dora", "carl"},
    "emp_stad": {"zoe"},
}
# Who may record a contact moment or the contact wishes (not the physician: not hers).
CONTACT_WRITERS = {
    "emp_a": {"alice", "bob", "hannah", "adam"},
    "emp_b": {"adam", "carl"},
    "emp_stad": {"zoe"},
}
# The formal re-integration plan is the employer's: not the line manager's, not the physician's.
PLAN_WRITERS = {
    "emp_a": {"alice", "hannah", "adam"},
    "emp_b": {"adam", "carl"},
    "emp_stad": {"zoe"},
}
# The GDPR access export and "who opened this dossier": HR on its scope, the beheerder (DPO).
SUBJECT_ACCESS = {"emp_a": {"hannah", "bert"}, "emp_b": {"bert"}, "emp_stad": set()}


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


def _pages(employee, trajectory):
    """(name, method, url, data, who is allowed) for every personal-data page."""
    t, e = trajectory.pk, employee.pk
    today = timezone.localdate().strftime("%d/%m/%Y")
    contact = {"version": 999, "date": today, "channel": "call", "contact_by": "coach"}
    return [
        ("employee", "get", reverse("organisations:employee", args=[e]), None, "read"),
        (
            "absence",
            "post",
            reverse("organisations:employee", args=[e]),
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


def test_every_role_against_every_personal_data_page(world, client, capsys):
    trajectories = {name: _formal_trajectory(getattr(world, name)) for name in READERS}
    rules = {
        "read": READERS,
        "contact": CONTACT_WRITERS,
        "plan": PLAN_WRITERS,
        "subject": SUBJECT_ACCESS,
    }
    tried, leaks = 0, []
    for persona in PERSONAS:
        client.force_login(getattr(world, persona))
        for relation, target in TARGETS.items():
            employee = getattr(world, target)
            for name, method, url, data, rule in _pages(employee, trajectories[target]):
                response = getattr(client, method)(url, data or {})
                allowed = persona in rules[rule][target]
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
    assert tried == len(PERSONAS) * len(TARGETS) * 11
    assert not leaks, "\n".join(leaks)
