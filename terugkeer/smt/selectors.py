"""Reads of the SMT, the second line, intervision and the alignment, through accounts.access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from terugkeer.accounts import access
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record, audit_refused
from terugkeer.organisations.models import Employee
from terugkeer.smt.models import AgendaItem, Alignment, IntervisionCase, Meeting, Referral, Smt
from terugkeer.trajectories.models import Absence, Event, Trajectory


def smts_of_member(user):
    return Smt.objects.filter(access.smt_scope(user), active=True).select_related(
        "organisation", "policy_domain"
    )


def meetings_of_member(user, *, since: date):
    return (
        Meeting.objects.filter(smt__in=smts_of_member(user), date__gte=since)
        .select_related("smt")
        .prefetch_related("items")
        .order_by("date")
    )


def past_meetings_of_member(user, *, before: date, limit: int = 10):
    return (
        Meeting.objects.filter(smt__in=smts_of_member(user), date__lt=before)
        .select_related("smt")
        .order_by("-date")[:limit]
    )


def smt_for_member(user, pk: int) -> Smt:
    try:
        return smts_of_member(user).get(pk=pk)
    except Smt.DoesNotExist:
        raise Http404 from None


def meeting_for_member(user, pk: int) -> Meeting:
    """A meeting of an SMT the user is a member of, or 404 (logged as refused)."""
    try:
        return (
            Meeting.objects.filter(smt__in=smts_of_member(user))
            .select_related("smt", "smt__organisation")
            .prefetch_related(
                "attendees",
                Prefetch(
                    "items",
                    queryset=AgendaItem.objects.select_related(
                        "trajectory__employee", "advice_by"
                    ).prefetch_related("actions"),
                ),
            )
            .get(pk=pk)
        )
    except Meeting.DoesNotExist:
        audit_refused(
            actor=user,
            reason="SMT-vergadering buiten de eigen toegang of onbestaand",
            object_type="meeting",
            object_id=pk,
            organisation_id=getattr(user, "organisation_id", None),
        )
        raise Http404 from None


@dataclass
class AgendaRow:
    item: AgendaItem
    readable: bool  # a named case whose dossier this user may open now
    employee_name: str  # only for a readable named case


def meeting_agenda(user, meeting: Meeting, *, on: date) -> list[AgendaRow]:
    """The agenda as this member sees it: anonymous cases by code and summary, named cases by
    name only within the read window for an attendee (each such name shown is logged)."""
    readable = access.smt_readable_item_ids(user, on=on)
    rows = []
    for item in meeting.items.all():
        can_read = item.pk in readable
        name = ""
        if can_read:
            name = item.trajectory.employee.full_name
            audit_record(
                actor=user,
                action=AuditEntry.Action.VIEW,
                obj=item,
                employee_id=item.trajectory.employee_id,
                organisation_id=item.trajectory.organisation_id,
                changes={"via": "SMT-agenda"},
            )
        rows.append(AgendaRow(item, can_read, name))
    return rows


def smt_item_for_member(user, pk: int) -> AgendaItem:
    try:
        return (
            AgendaItem.objects.filter(meeting__smt__in=smts_of_member(user))
            .select_related("meeting__smt", "trajectory__employee", "trajectory__organisation")
            .get(pk=pk)
        )
    except AgendaItem.DoesNotExist:
        raise Http404 from None


def smt_case_dossier(user, item_pk: int, *, on: date) -> tuple[AgendaItem, Trajectory]:
    """A named case's trajectory, read-only, for an attending member within the meeting's read
    window; else 404, logged as refused. Every read is logged with the employee, so it shows in
    the employee's "Wie opende mijn dossier"."""
    item = (
        AgendaItem.objects.filter(pk=item_pk)
        .select_related("meeting__smt", "trajectory__employee")
        .first()
    )
    if item is None or item.pk not in access.smt_readable_item_ids(user, on=on):
        audit_refused(
            actor=user,
            reason="SMT: dossier buiten een lopend agendapunt op naam",
            object_type="trajectory",
            object_id=item.trajectory_id if item and item.trajectory_id else "",
            employee_id=item.trajectory.employee_id if item and item.trajectory_id else None,
            organisation_id=item.meeting.smt.organisation_id if item else None,
        )
        raise Http404
    trajectory = (
        Trajectory.objects.select_related("employee", "employee__unit", "entity")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.filter(internal=False).select_related("created_by"),
            ),
            "plans",
        )
        .get(pk=item.trajectory_id)
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.VIEW,
        obj=trajectory,
        employee_id=trajectory.employee_id,
        organisation_id=trajectory.organisation_id,
        changes={"via": "SMT", "agendapunt": item.case_code},
    )
    return item, trajectory


def upcoming_meetings_for_proposal(user, trajectory: Trajectory, *, on: date):
    """The coming meetings of the SMTs on whose agenda this user may put this trajectory."""
    smts = [
        smt
        for smt in Smt.objects.filter(access.smt_proposal_scope(user), active=True)
        if access.can_propose_smt_case(user, trajectory, smt)
    ]
    # Not sliced: the form's choice field filters this queryset again to validate the choice.
    return Meeting.objects.filter(smt__in=smts, date__gte=on).select_related("smt").order_by("date")


def policy_items(user, *, year: int):
    smts = Smt.objects.filter(access.policy_item_smt_scope(user))
    return (
        AgendaItem.objects.filter(
            kind=AgendaItem.Kind.POLICY, meeting__smt__in=smts, meeting__date__year=year
        )
        .select_related("meeting__smt")
        .order_by("meeting__date", "id")
    )


def referrals_for_adviser(user):
    return (
        Referral.objects.filter(access.referral_scope(user))
        .select_related("trajectory__employee", "trajectory__entity", "referred_by", "taken_up_by")
        .order_by("answered_on", "-referred_on")
    )


def referral_for_adviser(user, pk: int) -> Referral:
    try:
        return referrals_for_adviser(user).get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404 from None


def intervision_cases(user):
    return IntervisionCase.objects.filter(access.intervision_scope(user))


def intervision_case(user, pk: int) -> IntervisionCase:
    try:
        return intervision_cases(user).get(pk=pk)
    except IntervisionCase.DoesNotExist:
        raise Http404 from None


def alignment_managers(user):
    """The managers whose team this user may go through: him/herself (a line manager), or
    the managers of the employees in HR's scope."""
    from terugkeer.accounts.models import Role, User

    ids = set()
    if access.has_role(user, Role.MANAGER):
        ids.add(user.pk)
    if access.has_role(user, Role.HR):
        ids |= set(
            Employee.objects.filter(access.employee_scope(user), manager__isnull=False)
            .values_list("manager_id", flat=True)
            .distinct()
        )
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name")


def alignment_agenda(user, manager, *, on: date):
    """The manager's team members with a running absence or an open trajectory, each with the
    open trajectory's next obligation and overdue count (the engine's stored columns)."""
    team = Employee.objects.filter(access.alignment_team_scope(user, manager))
    running = Absence.objects.filter(employee_id=OuterRef("pk"), first_day__lte=on).filter(
        Q(end_day__isnull=True) | Q(end_day__gte=on)
    )
    open_trajectory = Trajectory.objects.filter(employee_id=OuterRef("pk"), closed_on__isnull=True)
    employees = (
        team.annotate(absent=Exists(running), has_open=Exists(open_trajectory))
        .filter(Q(absent=True) | Q(has_open=True))
        .select_related("unit")
        .order_by("last_name", "first_name")
    )
    trajectories = {
        t.employee_id: t
        for t in Trajectory.objects.filter(employee__in=employees, closed_on__isnull=True)
    }
    return [(e, trajectories.get(e.pk)) for e in employees]


def alignments_of(user, manager):
    return Alignment.objects.filter(manager=manager).filter(
        Q(manager=user) | Q(organisation_id__in=[g.organisation_id for g in access.grants(user)])
    )
