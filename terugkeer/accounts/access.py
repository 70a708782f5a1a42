"""The one place that decides who may see and do what with personal data (docs/access.md).

Every selector of personal data filters with `employee_scope(user)`; every service that writes
checks `can_write(user, trajectory, event_type)`. Views never decide access themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from terugkeer.accounts.models import Role

if TYPE_CHECKING:
    from terugkeer.accounts.models import User

# Roles that see dossiers of persons (each on its own scope).
DOSSIER_ROLES = frozenset({Role.MANAGER, Role.COACH, Role.HR, Role.ADVISER, Role.PHYSICIAN})
# Roles that see aggregated reports only.
REPORT_ROLES = frozenset({Role.COACH, Role.HR, Role.ADVISER, Role.REPORTER, Role.SMT})
# Event types the occupational physician may record (the formal steps that are theirs).
PHYSICIAN_EVENTS = frozenset(
    {
        "physician_information",
        "invitation",
        "assessment",
        "work_potential_result",
        "visit_before_return_held",
    }
)
# Event types that only the coach, HR or an adviser record (not the line manager).
EMPLOYER_EVENTS = frozenset(
    {
        "formal_request",
        "assessment",
        "appeal",
        "appeal_outcome",
        "plan",
        "motivated_report",
        "employee_answer",
        "invitation",
        "definitive_unfitness_certificate",
        "four_week_list",
        "work_potential_request",
        "work_potential_not_needed",
        "closure",
        "preventive_request",
        "preventive_answer",
    }
)
# What an employee records in their own dossier through the portal, and nothing else.
EMPLOYEE_SELF_EVENTS = frozenset({"contact_wishes", "employee_answer"})


class SystemActor:
    """The actor of scheduled imports, the daily refresh and the demo generator."""

    is_authenticated = False
    pk = None

    def get_username(self) -> str:
        return "systeem"

    def __str__(self) -> str:
        return "systeem"


SYSTEM = SystemActor()


def user_or_none(actor):
    """The actor as a user to store in a `created_by` column; None for the system actor."""
    return actor if getattr(actor, "is_authenticated", False) else None


@dataclass(frozen=True)
class Grant:
    role: str
    organisation_id: int
    unit_id: int | None
    unit_kind: str | None
    unit_is_entity: bool


def grants(user: User) -> list[Grant]:
    """The user's role assignments, read once per request and cached on the user object."""
    if not user.is_authenticated or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, "_terugkeer_grants", None)
    if cached is None:
        cached = [
            Grant(
                ra.role,
                ra.organisation_id,
                ra.unit_id,
                ra.unit.kind if ra.unit else None,
                bool(ra.unit and ra.unit.is_entity),
            )
            # An assignment waiting for a second beheerder's confirmation gives nothing yet.
            for ra in user.roles.filter(confirmed_at__isnull=False).select_related("unit")
        ]
        user._terugkeer_grants = cached
    return cached


def roles(user: User) -> set[str]:
    return {g.role for g in grants(user)}


def has_role(user: User, *wanted: str) -> bool:
    return bool(roles(user) & set(wanted))


def _scopes_entity(grant: Grant) -> bool:
    """Does _unit_q filter this assignment on the employee's entity?"""
    return grant.unit_id is not None and grant.unit_kind != "policy_domain" and grant.unit_is_entity


def _unit_q(grant: Grant, prefix: str) -> Q:
    if grant.unit_id is None:
        return Q(**{f"{prefix}organisation_id": grant.organisation_id})
    if grant.unit_kind == "policy_domain":
        return Q(**{f"{prefix}unit__policy_domain_id": grant.unit_id})
    if grant.unit_is_entity:
        return Q(**{f"{prefix}entity_id": grant.unit_id})
    return Q(**{f"{prefix}unit_id": grant.unit_id})


def employee_scope(user: User, prefix: str = "") -> Q:
    """A filter on Employee (or, with prefix "employee__", on anything that has an employee)."""
    q = Q(pk__in=[])
    for grant in grants(user):
        q |= employee_scope_of_grant(user, grant, prefix)
    return q


def employee_scope_of_grant(user: User, grant: Grant, prefix: str = "") -> Q:
    """The employees one assignment brings into the user's scope (see employee_scope)."""
    from terugkeer.trajectories.models import Trajectory

    if grant.role == Role.MANAGER:
        q = Q(**{f"{prefix}manager_id": user.pk})
        if grant.unit_id is not None:
            q |= _unit_q(grant, prefix)
        return q
    if grant.role in (Role.COACH, Role.HR, Role.ADVISER):
        return _unit_q(grant, prefix)
    if grant.role == Role.PHYSICIAN:
        # The physician takes part in formal trajectories only.
        formal = Trajectory.objects.filter(
            employee_id=OuterRef(f"{prefix}pk" if prefix else "pk"), is_formal=True
        )
        return _unit_q(grant, prefix) & Exists(formal)
    return Q(pk__in=[])


def trajectory_scope(user: User) -> Q:
    """employee_scope on Trajectory: the same trajectories, filtered on the trajectory's own
    columns where that is possible, so that lists use the partial indexes on open trajectories
    instead of a join through every employee of the scope.

    - A coach, HR or adviser of the whole organisation: the trajectory's organisation (an
      employee never changes organisation).
    - A coach, HR or adviser of an entity: the trajectory's `employee_entity`, the database's
      copy of the entity the employee works in *now* (Employee.entity, what employee_scope
      filters on), kept equal to it by triggers on every write of either table
      (trajectories/employee_entity.py; tests/trajectories/test_employee_entity.py). Not the
      trajectory's `entity`: that is the entity it happened in, kept for the reports.
    - The other assignments (a line manager's team, a unit, a policy domain, the physician's
      formal trajectories) go through the employee as employee_scope does."""
    wide = (Role.COACH, Role.HR, Role.ADVISER)
    q = Q(pk__in=[])
    for grant in grants(user):
        if grant.role in wide and grant.unit_id is None:
            q |= Q(organisation_id=grant.organisation_id)
        elif grant.role in wide and _scopes_entity(grant):
            q |= Q(employee_entity_id=grant.unit_id)
        else:
            q |= employee_scope_of_grant(user, grant, "employee__")
    return q


def can_write(user: User, *, employee, event_type: str | None = None) -> bool:
    """May this user record this kind of event (or an absence, when None) for this employee?"""
    from terugkeer.organisations.models import Employee

    if user is SYSTEM:
        return True
    if getattr(user, "employee_id", None) is not None and user.employee_id == employee.pk:
        # One's own dossier: only the employee's own contact wishes and answer to the plan,
        # whatever staff roles the user also holds elsewhere.
        return event_type in EMPLOYEE_SELF_EVENTS
    in_scope = Employee.objects.filter(employee_scope(user), pk=employee.pk).exists()
    return in_scope and _role_may(user, employee, event_type)


def writable_event_types(user: User, *, employee, event_types) -> set[str]:
    """Which of these event types may the user record for the employee (one scope query)."""
    return _writable(user, employee, tuple(event_types))


def _writable(user: User, employee, event_types: tuple) -> set[str]:
    from terugkeer.organisations.models import Employee

    if user is SYSTEM:
        return set(event_types)
    if is_self(user, employee):
        return set(event_types) & EMPLOYEE_SELF_EVENTS
    if not Employee.objects.filter(employee_scope(user), pk=employee.pk).exists():
        return set()
    return {t for t in event_types if _role_may(user, employee, t)}


def _role_may(user: User, employee, event_type: str | None) -> bool:
    """The role part of can_write, once the employee is known to be in the user's scope.

    Only the assignments that bring this employee into scope count: a coach of entity A who
    also manages a team in entity B has the manager's rights in B, not the coach's.
    """
    covering = covering_roles(user, employee)
    if covering & {Role.COACH, Role.HR, Role.ADVISER}:
        return True
    if Role.PHYSICIAN in covering and event_type in PHYSICIAN_EVENTS:
        return True
    if Role.MANAGER in covering and employee.manager_id == user.pk:
        return event_type is None or event_type not in EMPLOYER_EVENTS
    return False


def _grant_covers(grant: Grant, user: User, employee) -> bool:
    """Does this one assignment put the employee in the user's scope? (_unit_q, in Python.)"""
    if grant.organisation_id != employee.organisation_id:
        return False
    if grant.role == Role.MANAGER and employee.manager_id == user.pk:
        return True
    if grant.unit_id is None:
        return grant.role != Role.MANAGER
    if grant.unit_kind == "policy_domain":
        return employee.unit.policy_domain_id == grant.unit_id
    if grant.unit_is_entity:
        return employee.entity_id == grant.unit_id
    return employee.unit_id == grant.unit_id


def covering_roles(user: User, employee) -> set[str]:
    """The roles of the user's assignments that cover this employee (one per assignment)."""
    from terugkeer.trajectories.models import Trajectory

    found = set()
    for grant in grants(user):
        if grant.role not in DOSSIER_ROLES or not _grant_covers(grant, user, employee):
            continue
        if grant.role == Role.PHYSICIAN and not (
            Trajectory.objects.filter(employee_id=employee.pk, is_formal=True).exists()
        ):
            continue
        found.add(grant.role)
    return found


def is_self(user: User, employee) -> bool:
    """Is this the employee's own account (the portal's only access rule)?"""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "employee_id", None) is not None
        and user.employee_id == employee.pk
    )


def can_see_reports(user: User) -> bool:
    return has_role(user, *REPORT_ROLES)


def is_admin(user: User) -> bool:
    return user.is_superuser or has_role(user, Role.ADMIN)


def administered_organisation_ids(user: User) -> set[int] | None:
    """The organisations this user administers as functioneel beheerder; None means every
    organisation (the installation's platform administrator, a superuser)."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return None
    return {g.organisation_id for g in grants(user) if g.role == Role.ADMIN}


def can_manage_organisation(user: User, organisation_id: int) -> bool:
    """May this user edit the organisation's toolbox and handelingskader (functioneel beheer)?"""
    if getattr(user, "is_superuser", False):
        return True
    return any(g.role == Role.ADMIN and g.organisation_id == organisation_id for g in grants(user))


def subject_access_employees(user: User):
    """Employees whose whole record this user may export (GDPR access request) and whose
    "who opened this dossier" list he/she may read: HR on its scope, and the functioneel
    beheerder acting as the DPO's hand on its organisation. Both are logged."""
    from terugkeer.organisations.models import Employee

    q = Q(pk__in=[])
    for grant in grants(user):
        if grant.role == Role.HR:
            q |= _unit_q(grant, "")
        elif grant.role == Role.ADMIN:
            q |= Q(organisation_id=grant.organisation_id)
    return Employee.objects.filter(q)


def set_up_organisation_ids(user: User) -> set[int] | None:
    """The organisations whose guided set-up (onboarding) this user may run: those he/she
    administers as functioneel beheerder; None means every one (the platform administrator)."""
    return administered_organisation_ids(user)


def can_set_up_organisation(user: User, organisation_id: int) -> bool:
    """May this user run the organisation's guided set-up (details, units, handelingskader,
    catalogue, first users and roles, alignment rhythm)? Its functioneel beheerder only; the
    grants it makes still pass the four-eyes services (accounts.services)."""
    return can_manage_organisation(user, organisation_id)


def own_guide_slugs(user: User) -> list[str]:
    """The user guides (docs/guide/) of the roles this user holds, "medewerker" for an
    employee's own account. Every guide is readable by every signed-in user: it describes the
    application, not anyone's data."""
    slugs = sorted(roles(user))
    if getattr(user, "employee_id", None):
        slugs.append("medewerker")
    return slugs


# --- Working together on trajectories (terugkeer.smt, docs/smt.md) --------------------------

# Who puts a case on the SMT's agenda, refers to the second line or builds an intervision case.
SMT_PROPOSER_ROLES = frozenset({Role.COACH, Role.ADVISER})
REFERRER_ROLES = frozenset({Role.COACH, Role.HR})


def smt_scope(user: User) -> Q:
    """A filter on Smt: the teams this user is a member of (an SMT role on the organisation is
    every SMT of it; an SMT role on a policy domain is that domain's SMT)."""
    q = Q(pk__in=[])
    for grant in grants(user):
        if grant.role != Role.SMT:
            continue
        if grant.unit_id is None:
            q |= Q(organisation_id=grant.organisation_id)
        elif grant.unit_kind == "policy_domain":
            q |= Q(organisation_id=grant.organisation_id, policy_domain_id=grant.unit_id)
    return q


def is_smt_member(user: User, smt) -> bool:
    from terugkeer.smt.models import Smt

    return Smt.objects.filter(smt_scope(user), pk=smt.pk).exists()


def smt_proposal_scope(user: User) -> Q:
    """A filter on Smt: the teams on whose agenda this user may put a case (the coach's or
    adviser's organisations); which trajectory is checked by can_propose_smt_case."""
    orgs = {g.organisation_id for g in grants(user) if g.role in SMT_PROPOSER_ROLES}
    return Q(organisation_id__in=orgs)


def can_propose_smt_case(user: User, trajectory, smt) -> bool:
    """A coach or adviser whose own assignment covers the employee, to an SMT of the
    employee's organisation (and policy domain, for a domain's SMT)."""
    employee = trajectory.employee
    if smt.organisation_id != employee.organisation_id:
        return False
    if smt.policy_domain_id and employee.unit.policy_domain_id != smt.policy_domain_id:
        return False
    return bool(covering_roles(user, employee) & SMT_PROPOSER_ROLES)


def smt_readable_item_ids(user: User, *, on) -> set[int]:
    """The named agenda items whose dossier this user may read today: a member of the SMT who
    attends the meeting, the employee's agreement recorded, within the meeting's read window.
    Nothing else ever opens a dossier to an SMT member."""
    from terugkeer.smt.models import AgendaItem, Smt

    if not has_role(user, Role.SMT):
        return set()
    candidates = AgendaItem.objects.filter(
        kind=AgendaItem.Kind.CASE,
        form=AgendaItem.Form.NAMED,
        consent_on__isnull=False,
        meeting__attendees=user,
        meeting__smt__in=Smt.objects.filter(smt_scope(user), active=True),
    ).select_related("meeting__smt")
    readable = set()
    for item in candidates:
        first, last = item.meeting.read_window()
        if first <= on <= last and item.consent_on <= on:
            readable.add(item.pk)
    return readable


def can_write_smt_advice(user: User, item, *, on) -> bool:
    """An attending member writes the advice (or a policy conclusion), from the meeting's day
    until the end of its read window."""
    meeting = item.meeting
    if not is_smt_member(user, meeting.smt):
        return False
    if not meeting.attendees.filter(pk=user.pk).exists():
        return False
    return meeting.date <= on <= meeting.read_window()[1]


def policy_item_smt_scope(user: User) -> Q:
    """A filter on Smt whose policy items (never persons) this user reads: members, and the
    advisers re-integratie of the organisation."""
    advised = {g.organisation_id for g in grants(user) if g.role == Role.ADVISER}
    return smt_scope(user) | Q(organisation_id__in=advised)


def can_refer_to_second_line(user: User, employee) -> bool:
    return bool(covering_roles(user, employee) & REFERRER_ROLES)


def is_second_line_for(user: User, employee) -> bool:
    """An adviser re-integratie whose assignment covers the employee (takes up referrals)."""
    return Role.ADVISER in covering_roles(user, employee)


def referral_scope(user: User) -> Q:
    """A filter on Referral: the referrals an adviser may take up and answer."""
    q = Q(pk__in=[])
    for grant in grants(user):
        if grant.role == Role.ADVISER:
            q |= _unit_q(grant, "trajectory__employee__")
    return q


def can_make_intervision_case(user: User, employee) -> bool:
    return bool(covering_roles(user, employee) & SMT_PROPOSER_ROLES)


def intervision_scope(user: User) -> Q:
    """A filter on IntervisionCase: anonymised, so every coach and adviser of the organisation
    reads them; nobody gets a way back to the trajectory from it."""
    orgs = {g.organisation_id for g in grants(user) if g.role in SMT_PROPOSER_ROLES}
    return Q(organisation_id__in=orgs)


def alignment_team_scope(user: User, manager) -> Q:
    """A filter on Employee: the team gone through at a periodic alignment. The manager for
    his/her own team; HR for the teams of managers within its scope. Nobody else."""
    own = manager.pk == user.pk and has_role(user, Role.MANAGER)
    hr = Q(pk__in=[])
    for grant in grants(user):
        if grant.role == Role.HR:
            hr |= _unit_q(grant, "")
    if own:
        return Q(manager_id=manager.pk)
    return hr & Q(manager_id=manager.pk)


def can_hold_alignment(user: User) -> bool:
    return has_role(user, Role.MANAGER, Role.HR)
