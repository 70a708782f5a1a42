"""Reads of absences and trajectories, always through the user's scope (accounts.access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from terugkeer.accounts.access import employee_scope, trajectory_scope
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record, audit_refused
from terugkeer.organisations.models import Employee
from terugkeer.trajectories.models import Absence, Event, Plan, Trajectory


def employees_visible_to(user) -> QuerySet[Employee]:
    return Employee.objects.filter(employee_scope(user)).select_related("unit", "entity")


def employees_with_case_status(user, *, on: date) -> QuerySet[Employee]:
    """The employee list with, per row, the running absence's first day and the open
    trajectory's id and phase: annotated in the one query, so nobody opens dossiers to find
    who is absent."""
    running = Absence.objects.filter(employee_id=OuterRef("pk"), first_day__lte=on).filter(
        Q(end_day__isnull=True) | Q(end_day__gte=on)
    )
    open_trajectory = Trajectory.objects.filter(
        employee_id=OuterRef("pk"), closed_on__isnull=True
    ).order_by("-started_on")
    return (
        employees_visible_to(user)
        .select_related("manager")
        .annotate(
            absent_since=Subquery(running.order_by("-first_day").values("first_day")[:1]),
            open_trajectory_id=Subquery(open_trajectory.values("pk")[:1]),
            open_trajectory_phase=Subquery(open_trajectory.values("phase")[:1]),
        )
    )


def trajectories_visible_to(user) -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(trajectory_scope(user))


def dossier_refused(user, *, model, pk) -> Http404:
    """Log a refused attempt to open a dossier (listed for HR and the DPO) and return the 404
    to raise. The log names the dossier's employee and organisation when it exists."""
    found = model.objects.filter(pk=pk).values(
        *(("pk", "organisation_id") if model is Employee else ("employee_id", "organisation_id"))
    )
    row = found.first() if str(pk).isdigit() else None
    audit_refused(
        actor=user,
        reason="buiten de eigen toegang of onbestaand",
        object_type=model._meta.model_name,
        object_id=pk,
        employee_id=(row.get("pk") or row.get("employee_id")) if row else None,
        organisation_id=row["organisation_id"] if row else getattr(user, "organisation_id", None),
    )
    return Http404()


def employee_open_dossier(user, pk: int) -> Employee:
    """The employee's dossier for this user, or 404; the read is logged."""
    try:
        employee = employees_visible_to(user).select_related("manager").get(pk=pk)
    except Employee.DoesNotExist:
        raise dossier_refused(user, model=Employee, pk=pk) from None
    audit_record(
        actor=user,
        action=AuditEntry.Action.VIEW,
        obj=employee,
        employee_id=employee.pk,
        organisation_id=employee.organisation_id,
    )
    return employee


def trajectory_open_dossier(user, pk: int) -> Trajectory:
    """The trajectory with everything its page shows, or 404; the read is logged."""
    queryset = (
        trajectories_visible_to(user)
        .select_related(
            "employee",
            "employee__unit",
            "employee__manager",
            "entity",
            "relapse_of",
            "organisation",
        )
        .prefetch_related(
            Prefetch("events", queryset=Event.objects.select_related("created_by")),
            Prefetch(
                "plans",
                queryset=Plan.objects.prefetch_related(
                    "steps", "support_measures", "welfare_actors"
                ),
            ),
            # All of the employee's absences, in order: the rules engine reads them all and
            # the page shows this trajectory's (one query for both).
            Prefetch(
                "employee__absences",
                queryset=Absence.objects.order_by("first_day"),
                to_attr="absences_in_order",
            ),
        )
    )
    try:
        trajectory = queryset.get(pk=pk)
    except Trajectory.DoesNotExist:
        raise dossier_refused(user, model=Trajectory, pk=pk) from None
    audit_record(
        actor=user,
        action=AuditEntry.Action.VIEW,
        obj=trajectory,
        employee_id=trajectory.employee_id,
        organisation_id=trajectory.organisation_id,
    )
    return trajectory


def trajectory_for_write(user, pk: int) -> Trajectory:
    """The trajectory a form writes to, or 404 (the service checks the kind of write)."""
    try:
        return trajectories_visible_to(user).select_related("employee").get(pk=pk)
    except Trajectory.DoesNotExist:
        raise dossier_refused(user, model=Trajectory, pk=pk) from None


def plan_latest_read(user, trajectory: Trajectory) -> Plan | None:
    """The newest plan version, for the plan form; showing it is a read of the dossier."""
    latest = trajectory.plans.prefetch_related(
        "steps", "support_measures", "welfare_actors"
    ).first()
    if latest is not None:
        audit_record(
            actor=user,
            action=AuditEntry.Action.VIEW,
            obj=latest,
            employee_id=trajectory.employee_id,
            organisation_id=trajectory.organisation_id,
        )
    return latest


def plan_work_percentage(trajectory: Trajectory) -> int | None:
    """The work percentage of the newest plan version (proposed on the return form)."""
    return (
        Plan.objects.filter(trajectory=trajectory)
        .order_by("-number")
        .values_list("work_percentage", flat=True)
        .first()
    )


def caseload(
    user,
    *,
    search: str = "",
    phase: str = "",
    formal: str = "",
    status: str = "",
    unit_id: int | None = None,
    entity_id: int | None = None,
    policy_domain_id: int | None = None,
    include_closed: bool = False,
    attention_of=(),
) -> QuerySet[Trajectory]:
    """Open trajectories in the user's scope: overdue first, then by due date. `attention_of`:
    only those where one of these roles has a task overdue or due soon (the count in the menu,
    accounts.context_processors)."""
    # (Not the trajectory's entity: no list shows it, and it is a join and ten columns a row.)
    qs = trajectories_visible_to(user).select_related(
        "employee", "employee__unit", "employee__manager"
    )
    if not include_closed:
        qs = qs.filter(closed_on__isnull=True)
    if search:
        qs = qs.filter(
            Q(employee__last_name__icontains=search)
            | Q(employee__first_name__icontains=search)
            | Q(employee__personnel_number__iexact=search)
        )
    if phase:
        qs = qs.filter(phase=phase)
    if formal in ("1", "0"):
        qs = qs.filter(is_formal=formal == "1")
    if status:
        qs = qs.filter(next_status=status)
    if unit_id:
        qs = qs.filter(employee__unit_id=unit_id)
    if entity_id:
        qs = qs.filter(entity_id=entity_id)
    if policy_domain_id:
        qs = qs.filter(entity__policy_domain_id=policy_domain_id)
    if attention_of:
        mine = Q()
        for role in attention_of:
            mine |= Q(attention_roles__contains=f",{role},")
        qs = qs.filter(mine)
    # next_rank: overdue, due soon, open, the rest (a stored column, so that the partial
    # indexes on open trajectories give the list in this order and a page stops early).
    return qs.order_by("next_rank", "next_due", "employee__last_name", "pk")


def absences_of(employee: Employee) -> QuerySet[Absence]:
    """Absences of an employee already fetched through a scoped selector."""
    return employee.absences.select_related("trajectory").order_by("-first_day")


def absent_for_weeks(user, *, entity_id: int | None, today: date, days: int = 28):
    """Employees in scope whose current absence has lasted `days` or more (the 4-week list)."""
    qs = Absence.objects.filter(employee_scope(user, prefix="employee__")).filter(
        Q(end_day__isnull=True) | Q(end_day__gte=today),
        first_day__lte=today.fromordinal(today.toordinal() - days),
    )
    if entity_id:
        qs = qs.filter(entity_id=entity_id)
    return qs.select_related("employee", "employee__unit", "entity").order_by(
        "entity__name", "employee__last_name"
    )


# The columns of the case table, read as plain values where nothing else is needed (a Dutch
# page): 25 rows as model instances with their employee, unit and manager cost about 1.4 ms of
# CPU more than as values (docs/performance.md, "Pages at full scale").
CASE_TABLE_VALUES = (
    "pk",
    "phase",
    "lead",
    "is_formal",
    "kind",
    "next_title",
    "next_why",
    "next_due",
    "next_status",
    "employee__last_name",
    "employee__first_name",
    "employee__personnel_number",
    "employee__unit__name",
    "employee__manager_id",
    "employee__manager__first_name",
    "employee__manager__last_name",
    "employee__manager__username",
)


@dataclass(slots=True)
class CaseRow:
    """One row of the case table (trajectories/templatetags/case_table.py)."""

    url: str
    last_name: str
    first_name: str
    personnel_number: str
    unit_name: str | None
    phase_label: str
    is_formal: bool
    kind: str
    lead: str
    lead_label: str
    manager: str | None  # the manager as User.__str__ names them, when there is one
    next_title: str  # stored, Dutch
    shown_next_title: str  # in the active language (next_steps_in_active_language), or ""
    next_why: str
    shown_next_why: str
    next_due: date | None
    next_status: str
    status_label: str


def case_table_source(cases: QuerySet[Trajectory]) -> QuerySet:
    """The caseload as the case table reads it: values on a Dutch page, the trajectories
    themselves in another language (their next step is evaluated again in it)."""
    from django.utils.translation import get_language

    if (get_language() or "nl").startswith("nl"):
        return cases.values(*CASE_TABLE_VALUES)
    return cases


def case_table_rows(listed: list) -> list[CaseRow]:
    """The listed trajectories (rows of case_table_source: values or instances) ready for the
    case table: the labels of their phase, lead and status, each choice translated once for the
    page rather than once a row (Django's get_FOO_display translates all of a field's choices
    at every call), the link to each, and the next step in the active language
    (next_steps_in_active_language)."""
    labels = {
        name: {value: str(label) for value, label in Trajectory._meta.get_field(name).flatchoices}
        for name in ("phase", "lead", "next_status")
    }
    # The link of each row from one reverse() (about 0.1 ms each: 3 ms for a page of 25).
    marker = str(2**31 - 1)
    detail = reverse("trajectories:detail", args=[marker])
    if listed and not isinstance(listed[0], dict):
        listed = [_case_values(t) for t in next_steps_in_active_language(listed)]
    rows = []
    for v in listed:
        manager = None
        if v["employee__manager_id"] is not None:
            # User.__str__: the full name (AbstractUser.get_full_name), else the username.
            full = f"{v['employee__manager__first_name']} {v['employee__manager__last_name']}"
            manager = full.strip() or v["employee__manager__username"]
        rows.append(
            CaseRow(
                url=detail.replace(marker, str(v["pk"])),
                last_name=v["employee__last_name"],
                first_name=v["employee__first_name"],
                personnel_number=v["employee__personnel_number"],
                unit_name=v["employee__unit__name"],
                phase_label=labels["phase"].get(v["phase"], v["phase"]),
                is_formal=v["is_formal"],
                kind=v["kind"],
                lead=v["lead"],
                lead_label=labels["lead"].get(v["lead"], v["lead"]),
                manager=manager,
                next_title=v["next_title"],
                shown_next_title=v.get("shown_next_title", ""),
                next_why=v["next_why"],
                shown_next_why=v.get("shown_next_why", ""),
                next_due=v["next_due"],
                next_status=v["next_status"],
                status_label=labels["next_status"].get(v["next_status"], v["next_status"]),
            )
        )
    return rows


def _case_values(t: Trajectory) -> dict:
    """A trajectory as its row of CASE_TABLE_VALUES, with its next step in the active
    language."""
    employee, unit, manager = t.employee, t.employee.unit, t.employee.manager
    return {
        "pk": t.pk,
        "phase": t.phase,
        "lead": t.lead,
        "is_formal": t.is_formal,
        "kind": t.kind,
        "next_title": t.next_title,
        "next_why": t.next_why,
        "next_due": t.next_due,
        "next_status": t.next_status,
        "employee__last_name": employee.last_name,
        "employee__first_name": employee.first_name,
        "employee__personnel_number": employee.personnel_number,
        "employee__unit__name": unit.name if unit is not None else None,
        "employee__manager_id": employee.manager_id,
        "employee__manager__first_name": manager.first_name if manager else "",
        "employee__manager__last_name": manager.last_name if manager else "",
        "employee__manager__username": manager.username if manager else "",
        "shown_next_title": getattr(t, "shown_next_title", ""),
        "shown_next_why": getattr(t, "shown_next_why", ""),
    }


def next_steps_in_active_language(trajectories: list[Trajectory]) -> list[Trajectory]:
    """Give each listed trajectory its next step's title and "why" in the active language
    (`shown_next_title`, `shown_next_why`), for a list page an English user reads.

    The stored `next_title` / `next_why` are Dutch (trajectories.labels). In Dutch nothing is
    read. Otherwise the page's trajectories are evaluated again on their refresh day, their
    events and absences read in two queries; a trajectory whose next step changed since its
    refresh keeps its stored text. The list is already scoped to the user (caseload) and shows
    nothing the stored columns do not.
    """
    from django.utils.translation import get_language

    from terugkeer.rules import next_obligation
    from terugkeer.trajectories.services import obligations_for, policy_for, today

    if (get_language() or "nl").startswith("nl"):
        return trajectories
    listed = [t for t in trajectories if t.next_code]
    events: dict[int, list[Event]] = {}
    for event in Event.objects.filter(trajectory_id__in=[t.pk for t in listed]):
        events.setdefault(event.trajectory_id, []).append(event)
    absences: dict[int, list[Absence]] = {}
    for absence in Absence.objects.filter(employee_id__in={t.employee_id for t in listed}).order_by(
        "first_day"
    ):
        absences.setdefault(absence.employee_id, []).append(absence)
    policies: dict = {}
    for trajectory in listed:
        if trajectory.organisation_id not in policies:
            policies[trajectory.organisation_id] = policy_for(trajectory.organisation)
        nxt = next_obligation(
            obligations_for(
                trajectory,
                on=trajectory.refreshed_on or today(),
                events=events.get(trajectory.pk, []),
                absences=absences.get(trajectory.employee_id, []),
                policy=policies[trajectory.organisation_id],
                in_user_language=True,
            )
        )
        if nxt is not None and nxt.code == trajectory.next_code:
            trajectory.shown_next_title = nxt.title
            trajectory.shown_next_why = nxt.why
    return trajectories
