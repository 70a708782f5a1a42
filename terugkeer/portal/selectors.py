"""Reads for the employee's own portal: only the signed-in employee's own records.

Every selector takes the employee's user and filters on ``user.employee_id``; anything else is
a 404. Internal notes of the coach (``Event.internal``) never leave these selectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terugkeer.accounts.models import Role, RoleAssignment
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.organisations.models import Employee
from terugkeer.trajectories.models import Event, Plan, Trajectory

# Event types worth showing to the employee in their timeline (the rest is the employer's
# bookkeeping, e.g. the 4-week list).
PORTAL_EVENT_TYPES = frozenset(
    {
        "contact",
        "conversation",
        "agreements",
        "follow_up",
        "contact_wishes",
        "step_plan",
        "formal_request",
        "invitation",
        "assessment",
        "appeal",
        "appeal_outcome",
        "plan",
        "motivated_report",
        "employee_answer",
        "visit_before_return_requested",
        "visit_before_return_held",
        "return_to_work",
        "closure",
    }
)


def own_employee(user) -> Employee:
    """The signed-in employee, or 404 for an account that is not linked to one."""
    if not getattr(user, "is_authenticated", False) or user.employee_id is None:
        raise Http404
    return Employee.objects.select_related("organisation", "unit", "manager").get(
        pk=user.employee_id
    )


def own_trajectories(user) -> QuerySet[Trajectory]:
    """The employee's trajectories, the open one first, then the latest."""
    if not getattr(user, "is_authenticated", False) or user.employee_id is None:
        return Trajectory.objects.none()
    return Trajectory.objects.filter(employee_id=user.employee_id).order_by(
        F("closed_on").asc(nulls_first=True), "-started_on", "-pk"
    )


def _public_events() -> QuerySet[Event]:
    return Event.objects.filter(internal=False, type__in=PORTAL_EVENT_TYPES)


def own_trajectory(user, *, log: bool = True) -> Trajectory | None:
    """The employee's current trajectory (the open one, else the latest), with its public
    events and plans; the read is logged (and left out of the 'who opened' list)."""
    trajectory = (
        own_trajectories(user)
        .select_related("organisation", "employee", "entity")
        .prefetch_related(
            Prefetch("events", queryset=_public_events(), to_attr="public_events"),
            Prefetch("plans", queryset=Plan.objects.prefetch_related("steps")),
        )
        .first()
    )
    if trajectory is not None and log:
        audit_record(
            actor=user,
            action=AuditEntry.Action.VIEW,
            obj=trajectory,
            employee_id=trajectory.employee_id,
            organisation_id=trajectory.organisation_id,
            changes={"via": "portal"},
        )
    return trajectory


def own_plan(user, number: int) -> Plan:
    """A version of the plan of the employee's own trajectory, or 404."""
    current = own_trajectories(user).values_list("pk", flat=True).first()
    try:
        return (
            Plan.objects.select_related(
                "trajectory", "trajectory__employee", "trajectory__organisation"
            )
            .prefetch_related("steps", "support_measures", "welfare_actors")
            .get(trajectory_id=current, trajectory__employee_id=user.employee_id, number=number)
        )
    except Plan.DoesNotExist:
        raise Http404 from None


def plan_answers(trajectory: Trajectory) -> list[Event]:
    return [e for e in trajectory.public_events if e.type == "employee_answer"]


def plan_delivered_on(trajectory: Trajectory) -> date | None:
    """The day the formal re-integration plan was delivered (the event the term counts from)."""
    days = [e.date for e in trajectory.public_events if e.type == "plan"]
    return max(days) if days else None


@dataclass(frozen=True)
class Upcoming:
    day: date
    sentence: str


def upcoming(trajectory: Trajectory, today: date, plan: Plan | None = None) -> list[Upcoming]:
    """Every date still to come, as a plain sentence: the next conversations and contacts
    agreed, the plan's review dates and the dates of its steps."""
    items = []
    for e in trajectory.public_events:
        if e.next_date and e.next_date >= today:
            items.append(
                Upcoming(
                    e.next_date,
                    _("U hebt een volgend gesprek (afgesproken bij: %(what)s van %(day)s).")
                    % {"what": e.get_type_display().lower(), "day": e.date.strftime("%d/%m/%Y")},
                )
            )
    if plan is not None:
        for raw in plan.review_dates or ():
            day = date.fromisoformat(raw)
            if day >= today:
                items.append(Upcoming(day, _("Uw plan wordt samen geëvalueerd.")))
        for step in plan.steps.all():
            if step.due and step.due >= today:
                sentence = _("Stap uit uw plan: %(step)s.") % {"step": step.description}
                if step.owner:
                    sentence = _("Stap uit uw plan: %(step)s (door %(who)s).") % {
                        "step": step.description,
                        "who": step.owner,
                    }
                items.append(Upcoming(step.due, sentence))
    return sorted(items, key=lambda u: u.day)


def plan_answer_given(plan: Plan) -> Event | None:
    """The employee's answer to this version of the plan, if given."""
    return (
        Event.objects.filter(
            trajectory_id=plan.trajectory_id,
            type="employee_answer",
            internal=False,
            date__gte=plan.created_at.date(),
        )
        .order_by("-date", "-pk")
        .first()
    )


# Audit object types as the employee reads them in "Wie opende mijn dossier".
OPENED_WHAT = {
    "employee": gettext_lazy("uw medewerkersfiche"),
    "trajectory": gettext_lazy("uw traject"),
    "plan": gettext_lazy("uw plan"),
    "event": gettext_lazy("een registratie in uw traject"),
    "absence": gettext_lazy("uw afwezigheden"),
    "agendaitem": gettext_lazy("uw naam op de agenda van het Sociaal Medisch Team"),
}
# Reads by the same person within this many minutes count as one visit.
VISIT_MINUTES = 10


@dataclass(frozen=True)
class Opening:
    at: datetime
    name: str
    roles: str
    action: str


def dossier_openings(user, *, limit: int = 50) -> list[Opening]:
    """Who opened or exported the employee's dossier (never the employee's own reads)."""
    entries = list(
        AuditEntry.objects.filter(
            employee_id=user.employee_id,
            action__in=[AuditEntry.Action.VIEW, AuditEntry.Action.EXPORT],
        )
        .exclude(user_id=user.pk)
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )
    user_ids = {e.user_id for e in entries if e.user_id}
    role_names: dict[int, set[str]] = {}
    for user_id, role in RoleAssignment.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "role"
    ):
        role_names.setdefault(user_id, set()).add(str(Role(role).label))
    visits: list[tuple[AuditEntry, list[str], bool]] = []  # (newest entry, what, exported)
    for e in entries:
        what = str(OPENED_WHAT.get(e.object_type, _("uw dossier")))
        exported = e.action == AuditEntry.Action.EXPORT
        if visits:
            last, last_what, last_exported = visits[-1]
            same_person = (last.user_id, last.username) == (e.user_id, e.username)
            if (
                same_person
                and last_exported == exported
                and last.at - e.at <= timedelta(minutes=VISIT_MINUTES)
            ):
                if what not in last_what:
                    last_what.append(what)
                continue
        visits.append((e, [what], exported))
    return [
        Opening(
            at=e.at,
            name=(str(e.user) if e.user else e.username) or "systeem",
            roles=", ".join(sorted(role_names.get(e.user_id, ()))),
            action=(_("downloadde %(what)s") if exported else _("opende %(what)s"))
            % {"what": _(" en ").join(reversed(what))},
        )
        for e, what, exported in visits
    ]
