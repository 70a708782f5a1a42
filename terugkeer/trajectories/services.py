"""Writes to absences, trajectories, events and plans.

Every write: checks the actor's right in accounts.access, runs in one transaction, refreshes the
trajectory's next obligation from the rules engine, and writes the audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from terugkeer.accounts.access import SYSTEM, can_write, user_or_none
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.bulk import bulk_insert_rows, bulk_update_rows
from terugkeer.organisations.models import Employee, Organisation
from terugkeer.rules import Absence as RuleAbsence
from terugkeer.rules import (
    ContactWishes,
    Facts,
    Policy,
    attention_roles,
    evaluate,
    law_code,
    next_obligation,
)
from terugkeer.rules import Event as RuleEvent
from terugkeer.rules.calendar import add_months
from terugkeer.toolbox.models import Handelingskader
from terugkeer.trajectories.attention_cache import attention_changed
from terugkeer.trajectories.dates import check_dates
from terugkeer.trajectories.medical import matcher_for
from terugkeer.trajectories.models import Absence, Event, Plan, PlanStep, Trajectory, placed_in

EVENT_FIELDS = (
    "outcome",
    "by",
    "decision",
    "accepted",
    "reason",
    "percentage",
    "next_date",
    "attended",
    "result",
    "granted",
    "channel",
    "return_type",
    "frequency_days",
    "pause",
)
# Text columns store "" for no value; the others store NULL.
TEXT_FIELDS = frozenset(("outcome", "by", "decision", "reason", "result", "channel", "return_type"))


class ConflictError(Exception):
    """Someone else saved the trajectory since this form was opened."""


def check_text_lengths(model, **texts: str) -> None:
    """Every free text within its column's limit (max_length or MaxLengthValidator): the
    database does not limit a TextField, and create() runs no validators."""
    errors = {}
    for name, value in texts.items():
        field_name = name.split(".")[-1]
        try:
            model._meta.get_field(field_name).run_validators(value or "")
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def _kept(organisation, texts: dict[str, str]) -> dict[str, list[str]]:
    if not any(texts.values()):
        return {}  # nothing typed: no need to read the organisation's words
    kept = medical_texts_kept(organisation, **texts)
    return {"medical_warning_kept": kept} if kept else {}


def medical_texts_kept(organisation, **texts: str) -> list[str]:
    """The names of the texts that look medical (trajectories.medical). Saving them means the
    writer chose to keep them after the warning: the caller puts the names, never the text,
    in the audit row."""
    return list(matcher_for(organisation).fields(texts))


def today() -> date:
    return timezone.localdate()


# --- policy and facts -------------------------------------------------------------------------


def policy_for(organisation: Organisation) -> Policy:
    framework = (
        Handelingskader.objects.filter(organisation=organisation).order_by("-number").first()
    )
    if framework and framework.terms:
        return Policy.from_dict(framework.terms, organisation.kind)
    return Policy.default(organisation.kind)


def _without_repeated_returns(events, absences) -> list:
    """The events without a return to work that repeats an earlier one: no absence or relapse
    started in between, so the employee was already back (a planned return overtaken by an
    earlier actual one, or the same return registered twice). Each would start its own round
    of follow-up conversations."""
    restarts = sorted(
        [a.first_day for a in absences] + [e.date for e in events if e.type == "relapse"]
    )
    repeated = set()
    previous = None
    for event in sorted(
        (e for e in events if e.type == "return_to_work"), key=lambda e: (e.date, e.pk or 0)
    ):
        if previous is not None and not any(previous < day <= event.date for day in restarts):
            repeated.add(id(event))
        else:
            previous = event.date
    return [e for e in events if id(e) not in repeated]


def facts_for(trajectory: Trajectory, *, events=None, absences=None) -> Facts:
    """The rules engine's facts of a trajectory, built directly from the rows (no dicts and ISO
    strings through Facts.from_dict, the slow path meant for the API and the CLI; the rows were
    validated when they were written). Equal to what Facts.from_dict made of the same rows
    (tests/trajectories/test_daily_refresh.py)."""
    employee = trajectory.employee
    if events is None:
        events = list(trajectory.events.all())
    if absences is None:
        absences = list(
            Absence.objects.filter(employee_id=trajectory.employee_id).order_by("first_day")
        )
    rule_events = []
    for event in _without_repeated_returns(events, absences):
        extra = {}
        for name in EVENT_FIELDS:
            value = getattr(event, name)
            if value is not None and value != "":
                extra[name] = value
        rule_events.append(RuleEvent(event.type, event.date, **extra))
    wishes = None
    if trajectory.contact_frequency_days or trajectory.contact_pause:
        wishes = ContactWishes(trajectory.contact_frequency_days, bool(trajectory.contact_pause))
    organisation = trajectory.organisation
    return Facts(
        absence_start=trajectory.absence_start,
        trajectory_start=trajectory.started_on,
        kind=trajectory.kind,
        statute=employee.statute,
        organisation_kind=organisation.kind,
        employer_size=organisation.employer_size,
        absences=[
            RuleAbsence(a.first_day, a.end_day) for a in sorted(absences, key=lambda a: a.first_day)
        ],
        contact_wishes=wishes,
        events=rule_events,
    )


def obligations_for(
    trajectory: Trajectory,
    *,
    on: date | None = None,
    events=None,
    absences=None,
    policy=None,
    in_user_language: bool = False,
    texts: bool = True,
):
    """The rules engine's obligations for this trajectory. Their texts are Dutch (what the
    trajectory stores and the API returns) unless ``in_user_language``: for a page, in the
    language the user chose (trajectories.labels). ``texts=False``: codes, due dates and
    statuses only, empty titles and "why" (the engine's text-free path, about twice as fast),
    for a caller that shows no text."""
    policy = policy or policy_for(trajectory.organisation)
    facts = facts_for(trajectory, events=events, absences=absences)
    if in_user_language and texts:
        from terugkeer.trajectories.labels import in_active_language

        with in_active_language():
            return evaluate(facts, policy, on or today())
    return evaluate(facts, policy, on or today(), texts=texts)


def _phase(trajectory: Trajectory, events: list[Event], on: date) -> str:
    # A return planned ahead counts from its own day, as in the rules engine.
    events = [e for e in events if e.date <= on]
    types = {e.type for e in events}
    if trajectory.closed_on:
        return Trajectory.Phase.CLOSED
    if "return_to_work" in types:
        return Trajectory.Phase.FOLLOW_UP
    if trajectory.is_formal:
        return Trajectory.Phase.FORMAL
    outcomes = {e.outcome for e in events if e.type == "conversation"}
    if outcomes & {"possible", "attention"}:
        return Trajectory.Phase.PLAN
    if outcomes:
        return Trajectory.Phase.CONVERSATION
    return Trajectory.Phase.CONTACT


MILESTONE_FIELDS = (
    "first_contact_on",
    "first_conversation_on",
    "first_attention_on",
    "step_plan_on",
    "returned_on",
    "formal_requested_on",
)
_MILESTONE_TYPES = (
    "contact",
    "conversation",
    "step_plan",
    "return_to_work",
    "formal_request",
    "relapse",
)


def milestones_refresh(*, employee_ids) -> None:
    """Recompute the report milestones of every trajectory of these employees (docs/reports.md).

    On the trajectory: the first contact, conversation, conversation with specific attention
    points, step plan, return to work and formal request. On each return to work: whether a
    relapse in the trajectory or a new absence of the employee followed within 3 and 6 months
    (a new absence changes the returns of the employee's earlier trajectories, hence per
    employee). Only changed rows are written. Every writer of events or absences ends here:
    trajectory_refresh for the services, and the bulk writers (imports, bench/generate.py)
    directly.
    """
    ids = sorted(set(employee_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        current = {
            row[0]: row[1:]
            for row in Trajectory.objects.filter(employee_id__in=chunk).values_list(
                "pk", *MILESTONE_FIELDS
            )
        }
        found: dict[int, list] = {pk: [None] * len(MILESTONE_FIELDS) for pk in current}
        relapses: dict[int, list[date]] = {}
        returns = []
        for pk, tid, emp, type_, day, outcome, s3, s6 in (
            Event.objects.filter(trajectory__employee_id__in=chunk, type__in=_MILESTONE_TYPES)
            .order_by("date", "pk")
            .values_list(
                "pk",
                "trajectory_id",
                "trajectory__employee_id",
                "type",
                "date",
                "outcome",
                "setback_3m",
                "setback_6m",
            )
        ):
            if type_ == "relapse":
                relapses.setdefault(tid, []).append(day)
                continue
            m = found[tid]
            slots = {
                "contact": (0,),
                "conversation": (1, 2) if outcome == "attention" else (1,),
                "step_plan": (3,),
                "return_to_work": (4,),
                "formal_request": (5,),
            }[type_]
            for k in slots:
                if m[k] is None:
                    m[k] = day
            if type_ == "return_to_work":
                returns.append((pk, tid, emp, day, s3, s6))
        absences: dict[int, list[date]] = {}
        for emp, day in (
            Absence.objects.filter(employee_id__in=chunk)
            .order_by("first_day")
            .values_list("employee_id", "first_day")
        ):
            absences.setdefault(emp, []).append(day)
        changed = [
            Trajectory(pk=pk, **dict(zip(MILESTONE_FIELDS, m, strict=True)))
            for pk, m in found.items()
            if tuple(m) != current[pk]
        ]
        if changed:
            bulk_update_rows(Trajectory, changed, MILESTONE_FIELDS)
        events = []
        for pk, tid, emp, day, s3, s6 in returns:
            after = [
                x
                for x in (
                    next((r for r in relapses.get(tid, ()) if r > day), None),
                    next((a for a in absences.get(emp, ()) if a > day), None),
                )
                if x is not None
            ]
            nxt = min(after, default=None)
            n3 = nxt is not None and nxt <= add_months(day, 3)
            n6 = nxt is not None and nxt <= add_months(day, 6)
            if (n3, n6) != (s3, s6):
                events.append(Event(pk=pk, setback_3m=n3, setback_6m=n6))
        if events:
            bulk_update_rows(Event, events, ["setback_3m", "setback_6m"])


def trajectory_refresh(
    trajectory: Trajectory,
    *,
    on: date | None = None,
    milestones: bool = True,
    events=None,
    absences=None,
    policy: Policy | None = None,
    save: bool = True,
) -> list:
    """Recompute the trajectory's phase and next obligation from the rules engine; save them.

    Also the report milestones of the employee's trajectories (milestones_refresh), unless the
    caller does that in bulk afterwards (milestones=False). A batch caller (trajectories_refresh)
    passes the events, absences and policy it read for many trajectories at once and saves the
    changed columns itself (save=False).
    """
    on = on or today()
    if milestones:
        milestones_refresh(employee_ids=[trajectory.employee_id])
    if events is None:
        events = list(trajectory.events.all())
    obligations = obligations_for(
        trajectory, on=on, events=events, absences=absences, policy=policy
    )
    nxt = next_obligation(obligations)
    trajectory.phase = _phase(trajectory, events, on)
    trajectory.law_version = law_code(trajectory.started_on)
    trajectory.next_code = nxt.code if nxt else ""
    trajectory.next_title = nxt.title[:200] if nxt else ""
    trajectory.next_due = nxt.due if nxt else None
    trajectory.next_why = nxt.why[:300] if nxt else ""
    trajectory.next_status = nxt.status if nxt else ""
    trajectory.overdue_count = sum(1 for o in obligations if o.status == "overdue")
    trajectory.attention_roles = attention_roles_field(obligations)
    trajectory.refreshed_on = on
    if save:
        Trajectory.objects.filter(pk=trajectory.pk).update(
            **{name: getattr(trajectory, name) for name in REFRESHED_FIELDS}
        )
        attention_changed([trajectory.organisation_id])
    return obligations


# The columns trajectory_refresh keeps.
REFRESHED_FIELDS = (
    "phase",
    "law_version",
    "next_code",
    "next_title",
    "next_due",
    "next_why",
    "next_status",
    "overdue_count",
    "attention_roles",
    "refreshed_on",
)


def trajectories_refresh(trajectory_ids, *, on: date | None = None) -> None:
    """trajectory_refresh for many trajectories: per batch of 500, the milestones, events,
    absences and policies are read in a handful of queries and the changed columns written
    with one bulk update, instead of about 7 queries per trajectory. Same results."""
    on = on or today()
    ids = list(trajectory_ids)
    policies: dict[int, Policy] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        batch = list(
            Trajectory.objects.filter(pk__in=chunk)
            .select_related("organisation", "employee")
            .prefetch_related("events")
            .order_by("pk")
        )
        milestones_refresh(employee_ids=[t.employee_id for t in batch])
        absences: dict[int, list[Absence]] = {}
        for absence in Absence.objects.filter(
            employee_id__in={t.employee_id for t in batch}
        ).order_by("first_day"):
            absences.setdefault(absence.employee_id, []).append(absence)
        for trajectory in batch:
            if trajectory.organisation_id not in policies:
                policies[trajectory.organisation_id] = policy_for(trajectory.organisation)
            trajectory_refresh(
                trajectory,
                on=on,
                milestones=False,
                events=list(trajectory.events.all()),
                absences=absences.get(trajectory.employee_id, []),
                policy=policies[trajectory.organisation_id],
                save=False,
            )
        bulk_update_rows(Trajectory, batch, REFRESHED_FIELDS)
        attention_changed({t.organisation_id for t in batch})


def attention_roles_field(obligations) -> str:
    """``,role,role,`` (sorted) for Trajectory.attention_roles; '' when nobody must act now."""
    found = sorted(attention_roles(obligations))
    return f",{','.join(found)}," if found else ""


# --- absences and opening trajectories ------------------------------------------------------


def _require(actor, employee: Employee, event_type: str | None = None) -> None:
    if not can_write(actor, employee=employee, event_type=event_type):
        raise PermissionDenied(_("U mag dit niet registreren voor deze medewerker."))


def _last_return(employee: Employee) -> Event | None:
    return (
        Event.objects.filter(trajectory__employee=employee, type="return_to_work")
        .select_related("trajectory")
        .order_by("-date", "-pk")  # the same day twice: the later registered one
        .first()
    )


@transaction.atomic
def absence_register(
    *,
    actor,
    employee: Employee,
    first_day: date,
    expected_end: date | None = None,
    end_day: date | None = None,
    on: date | None = None,
) -> Absence:
    """Register a sickness absence (never its reason) and open or link the trajectory."""
    _require(actor, employee)
    check_dates(first_day=first_day, expected_end=expected_end, end_day=end_day, on=on)
    if end_day and end_day < first_day:
        raise ValidationError({"end_day": _("De laatste dag ligt voor de eerste dag.")})
    if Absence.objects.filter(employee=employee, first_day=first_day).exists():
        raise ValidationError({"first_day": _("Er is al een afwezigheid met deze eerste dag.")})
    # Two absences over the same days would restart the count (the contact term, the 4 weeks)
    # at the second one's first day while the first still runs.
    overlapping = (
        Absence.objects.filter(employee=employee)
        .filter(Q(end_day__isnull=True) | Q(end_day__gte=first_day))
        .filter(first_day__lte=end_day or date.max)
        .order_by("first_day")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "first_day": _(
                    "Deze afwezigheid overlapt met de afwezigheid vanaf %(start)s (%(end)s). "
                    "Is de medewerker intussen hervat? Registreer dan eerst de werkhervatting "
                    "in het traject."
                )
                % {
                    "start": overlapping.first_day.strftime("%d/%m/%Y"),
                    "end": _("tot %(day)s") % {"day": overlapping.end_day.strftime("%d/%m/%Y")}
                    if overlapping.end_day
                    else _("loopt nog"),
                }
            }
        )
    absence = Absence.objects.create(
        employee=employee,
        entity_id=employee.entity_id,
        first_day=first_day,
        expected_end=expected_end,
        end_day=end_day,
        created_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=absence,
        employee_id=employee.pk,
        organisation_id=employee.organisation_id,
        changes={
            "first_day": first_day.isoformat(),
            "end_day": end_day.isoformat() if end_day else None,
        },
    )
    absence_attach(absence, actor=actor, on=on)
    return absence


def absence_attach(absence: Absence, *, actor, on: date | None = None) -> Trajectory | None:
    """Link an absence to the open trajectory, mark a relapse, or open a trajectory when the
    absence reaches the policy's threshold."""
    on = on or today()
    employee = absence.employee
    policy = policy_for(employee.organisation)
    open_trajectory = (
        Trajectory.objects.filter(employee=employee, closed_on__isnull=True)
        .select_related("organisation", "employee")
        .first()
    )
    last_return = _last_return(employee)
    is_relapse = bool(
        last_return
        and last_return.date <= absence.first_day
        and (absence.first_day - last_return.date).days <= policy.relapse_window_days
    )
    if open_trajectory:
        Absence.objects.filter(pk=absence.pk).update(trajectory=open_trajectory)
        if open_trajectory.absence_start is None:
            Trajectory.objects.filter(pk=open_trajectory.pk).update(absence_start=absence.first_day)
            open_trajectory.absence_start = absence.first_day
        if is_relapse and last_return.trajectory_id == open_trajectory.pk:
            Event.objects.create(
                **placed_in(open_trajectory),
                type="relapse",
                date=absence.first_day,
                created_by=user_or_none(actor),
            )
        trajectory_refresh(open_trajectory, on=on)
        return open_trajectory
    lasted = ((absence.end_day or on) - absence.first_day).days + 1
    if lasted < policy.trajectory_threshold_days and not is_relapse:
        # No trajectory, but the absence may follow a return of an earlier one.
        milestones_refresh(employee_ids=[employee.pk])
        return None
    return trajectory_open(
        actor=actor,
        employee=employee,
        started_on=absence.first_day,
        absence=absence,
        relapse_of=last_return.trajectory if is_relapse else None,
        on=on,
        check=False,
    )


# A closed absence's length is fixed when it is registered (or imported), and absence_attach
# runs then; only these absences without a trajectory can still open or join one later:
# - open-ended ones: they grow every day and reach the threshold one day;
# - absences of an employee with an open trajectory: they are linked to it (this is what the
#   daily run has always done, e.g. after a preventive trajectory was opened);
# - long enough ones that ended recently, for a daily run that was missed for a few days.
# After a bulk load that bypassed absence_attach (bench/generate.py), a lowered threshold in a
# new handelingskader or a deleted trajectory, run refresh_trajectories --all once.
ATTACH_LOOKBACK_DAYS = 14


def attach_candidate_ids(*, on: date) -> list[int]:
    """The absences without a trajectory that absence_attach may still change something for
    (see above), newest first as the daily run has always taken them. Indexed: the partial
    index absence_waiting_end and the open trajectories' index."""
    shortest = min(
        (policy_for(org).trajectory_threshold_days for org in Organisation.objects.all()),
        default=Policy().trajectory_threshold_days,
    )
    waiting = Absence.objects.filter(trajectory__isnull=True)
    found: set[tuple[date, int]] = set()
    for candidates in (
        waiting.filter(end_day__isnull=True),
        waiting.filter(end_day__gte=on - timedelta(days=ATTACH_LOOKBACK_DAYS)).filter(
            end_day__gte=F("first_day") + timedelta(days=shortest - 1)
        ),
        waiting.filter(
            employee_id__in=Trajectory.objects.filter(closed_on__isnull=True).values("employee_id")
        ),
    ):
        found.update(candidates.order_by().values_list("first_day", "pk"))
    return [pk for _day, pk in sorted(found, reverse=True)]


def waiting_absences_attach(
    *, on: date, everything: bool = False, progress=None, refresh: bool = True
) -> dict:
    """The daily run's first half: what absence_attach does for the absences without a
    trajectory that can still get one (attach_candidate_ids), or for all of them
    (everything=True), newest first as the daily run has always taken them.

    Set-based per batch of 500 (absences_attach_batch): absence_attach's decision is made in
    Python from rows read in a few queries; only an absence that opens a trajectory (the
    threshold reached, or a relapse) goes through absence_attach itself. An employee's
    trajectory opened here takes their older absences without a trajectory too, so those are
    linked afterwards (what the old loop over every absence did).

    The trajectories that got absences are refreshed once at the end (trajectories_refresh),
    unless the caller refreshes every open trajectory anyway (refresh=False: the daily
    command). Returns the counts (see absences_attach_batch) and the touched trajectory ids.
    """
    if everything:
        ids = list(
            Absence.objects.filter(trajectory__isnull=True)
            .order_by("-first_day", "-pk")
            .values_list("pk", flat=True)
        )
    else:
        ids = attach_candidate_ids(on=on)
    counts = {
        "candidates": len(ids),
        "linked": 0,
        "opened": 0,
        "relapses": 0,
        "unchanged": 0,
        "one_by_one": 0,
        "touched": set(),
    }
    opened_at: dict[int, date] = {}  # employee -> first day of the absence that opened it
    for i in range(0, len(ids), 500):
        absences_attach_batch(ids[i : i + 500], on=on, counts=counts, opened_at=opened_at)
        if progress:
            progress(min(i + 500, len(ids)), len(ids))
    if opened_at and not everything:
        done = set(ids)
        later = [
            pk
            for day, pk, employee_id in sorted(
                Absence.objects.filter(trajectory__isnull=True, employee_id__in=list(opened_at))
                .order_by()
                .values_list("first_day", "pk", "employee_id"),
                reverse=True,
            )
            if pk not in done and day < opened_at[employee_id]
        ]
        for i in range(0, len(later), 500):
            absences_attach_batch(later[i : i + 500], on=on, counts=counts, opened_at=opened_at)
    if refresh and counts["touched"]:
        trajectories_refresh(sorted(counts["touched"]), on=on)
    return counts


@transaction.atomic
def absences_attach_batch(absence_ids, *, on: date, counts: dict, opened_at: dict) -> None:
    """absence_attach for each of these absences (without a trajectory), in this order, with
    the same result, set-based:

    - an employee with an open trajectory: the absence is linked to it, its start becomes the
      trajectory's absence start if it had none (a preventive trajectory), and it is a relapse
      (an event) when it starts within the policy's window after the employee's last return to
      work and that return belongs to this trajectory. One UPDATE for the links, one for the
      absence starts, one INSERT for the relapses;
    - otherwise, shorter than the threshold and no relapse: nothing but the employee's
      milestones (milestones_refresh, once for the batch);
    - otherwise absence_attach itself opens the trajectory (few: a handful a day), and the
      employee's next absences in the batch are linked to it.

    The linked trajectories are not refreshed here: they are added to counts["touched"] (their
    refresh also moves the organisation's generation, so cached reports and attention counts
    see the links and relapses). absence_attach decides per employee from that employee's rows
    only, so the employees can be taken together; within an employee the order is kept.
    Adds to counts: linked (to an open trajectory, also one opened in this run), relapses
    (events written), unchanged (nothing but the milestones), one_by_one (through
    absence_attach) and opened (trajectories it opened); opened_at gets each employee whose
    trajectory was opened, with the first day of the absence that opened it.
    """
    rows = {
        row[0]: row
        for row in Absence.objects.filter(pk__in=absence_ids)
        .order_by()
        .values_list("pk", "employee_id", "first_day", "end_day", "employee__organisation_id")
    }
    employee_ids = {row[1] for row in rows.values()}
    open_trajectories: dict[int, Trajectory] = {}
    for trajectory in (
        Trajectory.objects.filter(employee_id__in=employee_ids, closed_on__isnull=True)
        .order_by("-started_on", "-pk")
        .only("pk", "employee_id", "organisation_id", "entity_id", "absence_start")
    ):
        # absence_attach takes .first() in the model's order (the latest started).
        open_trajectories.setdefault(trajectory.employee_id, trajectory)
    last_returns: dict[int, tuple[date, int]] = {}
    for employee_id, day, trajectory_id in (
        Event.objects.filter(trajectory__employee_id__in=employee_ids, type="return_to_work")
        .order_by("trajectory__employee_id", "-date", "-pk")
        .values_list("trajectory__employee_id", "date", "trajectory_id")
    ):
        last_returns.setdefault(employee_id, (day, trajectory_id))  # as _last_return
    organisations = {row[4] for row in rows.values()}
    policies = {
        organisation.pk: policy_for(organisation)
        for organisation in Organisation.objects.filter(pk__in=organisations)
    }
    links: list[Absence] = []
    starts: dict[int, Trajectory] = {}
    relapses: list[Event] = []
    unchanged: set[int] = set()
    for pk in absence_ids:
        _pk, employee_id, first_day, end_day, organisation_id = rows[pk]
        policy = policies[organisation_id]
        last_return = last_returns.get(employee_id)
        is_relapse = bool(
            last_return
            and last_return[0] <= first_day
            and (first_day - last_return[0]).days <= policy.relapse_window_days
        )
        trajectory = open_trajectories.get(employee_id)
        if trajectory is not None:
            links.append(Absence(pk=pk, trajectory_id=trajectory.pk))
            counts["linked"] += 1
            counts["touched"].add(trajectory.pk)
            if trajectory.absence_start is None:
                trajectory.absence_start = first_day
                starts[trajectory.pk] = trajectory
            if is_relapse and last_return[1] == trajectory.pk:
                relapses.append(
                    Event(**placed_in(trajectory), type="relapse", date=first_day, created_by=None)
                )
            continue
        lasted = ((end_day or on) - first_day).days + 1
        if lasted < policy.trajectory_threshold_days and not is_relapse:
            unchanged.add(employee_id)
            counts["unchanged"] += 1
            continue
        absence = Absence.objects.select_related("employee", "employee__organisation").get(pk=pk)
        counts["one_by_one"] += 1
        opened = absence_attach(absence, actor=SYSTEM, on=on)
        if opened is not None:
            open_trajectories[employee_id] = opened
            counts["opened"] += 1
            opened_at[employee_id] = first_day
    bulk_update_rows(Absence, links, ["trajectory"])
    bulk_update_rows(Trajectory, list(starts.values()), ["absence_start"])
    bulk_insert_rows(Event, relapses)
    counts["relapses"] += len(relapses)
    if unchanged:
        # What absence_attach does for them (an absence may follow a return of an earlier
        # trajectory); usually nothing changes and nothing is written.
        milestones_refresh(employee_ids=unchanged)


@transaction.atomic
def trajectory_open(
    *,
    actor,
    employee: Employee,
    started_on: date,
    kind: str = Trajectory.Kind.REACTIVE,
    absence: Absence | None = None,
    relapse_of: Trajectory | None = None,
    preventive_request_on: date | None = None,
    on: date | None = None,
    check: bool = True,
) -> Trajectory:
    if check:
        _require(actor, employee, "preventive_request")
        check_dates(started_on=started_on, request_date=preventive_request_on, on=on)
    if Trajectory.objects.filter(employee=employee, closed_on__isnull=True).exists():
        raise ValidationError(_("Deze medewerker heeft al een lopend traject."))
    trajectory = Trajectory.objects.create(
        employee=employee,
        organisation_id=employee.organisation_id,
        entity_id=employee.entity_id,
        kind=kind,
        absence_start=absence.first_day if absence else None,
        started_on=started_on,
        relapse_of=relapse_of,
        lead=Trajectory.Lead.MANAGER if employee.manager_id else Trajectory.Lead.COACH,
    )
    if absence:
        Absence.objects.filter(pk=absence.pk).update(trajectory=trajectory)
    creator = user_or_none(actor)
    if relapse_of:
        Event.objects.create(
            **placed_in(trajectory), type="relapse", date=started_on, created_by=creator
        )
    if kind == Trajectory.Kind.PREVENTIVE:
        Event.objects.create(
            **placed_in(trajectory),
            type="preventive_request",
            date=preventive_request_on or started_on,
            created_by=creator,
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=trajectory,
        employee_id=employee.pk,
        organisation_id=employee.organisation_id,
        changes={"kind": kind, "started_on": started_on.isoformat()},
    )
    trajectory = Trajectory.objects.select_related("organisation", "employee").get(pk=trajectory.pk)
    trajectory_refresh(trajectory, on=on)
    return trajectory


# --- events -----------------------------------------------------------------------------------


def _bump_version(trajectory: Trajectory, expected_version: int | None) -> None:
    """Optimistic lock: the write only goes through if nobody saved in between."""
    if expected_version is None:
        updated = Trajectory.objects.filter(pk=trajectory.pk).update(version=F("version") + 1)
    else:
        updated = Trajectory.objects.filter(pk=trajectory.pk, version=expected_version).update(
            version=F("version") + 1
        )
    if not updated:
        raise ConflictError(
            _(
                "Iemand anders heeft dit traject intussen gewijzigd. Uw invoer is niet verloren: "
                "controleer de tijdlijn en bewaar opnieuw."
            )
        )
    trajectory.refresh_from_db(fields=["version"])


def _side_effects(trajectory: Trajectory, event: Event) -> dict[str, Any]:
    """What an event changes on the trajectory itself (lead, formal, closure, wishes)."""
    changes: dict[str, Any] = {}
    if event.type == "conversation" and event.outcome in ("possible", "attention"):
        # The lead follows the conversation's outcome (omzendbrief step 3).
        changes["lead"] = (
            Trajectory.Lead.COACH if event.outcome == "attention" else Trajectory.Lead.MANAGER
        )
    elif event.type == "formal_request":
        changes["is_formal"] = True
        changes["formal_requested_by"] = event.by
        changes["lead"] = Trajectory.Lead.COACH
    elif event.type == "closure":
        changes["closed_on"] = event.date
        changes["closure_outcome"] = event.outcome
    return changes


def return_horizon_days() -> int:
    return settings.TERUGKEER.get("RETURN_HORIZON_DAYS", 90)


def latest_event_date(event_type: str, *, on: date | None = None) -> date | None:
    """The latest date an event of this type may carry: tomorrow, a planned return within the
    horizon (settings.TERUGKEER["RETURN_HORIZON_DAYS"]), a closure unbounded here (None)."""
    day = on or today()
    if event_type == "closure":
        return None
    if event_type == "return_to_work":
        return day + timedelta(days=return_horizon_days())
    return day + timedelta(days=1)


@dataclass
class EventInput:
    type: str
    date: date
    note: str = ""
    internal: bool = False
    participants: str = ""
    fields: dict[str, Any] | None = None


@transaction.atomic
def event_record(
    *,
    actor,
    trajectory: Trajectory,
    expected_version: int | None,
    data: EventInput,
    on: date | None = None,
) -> Event:
    """Record one event of the trajectory."""
    trajectory = Trajectory.objects.select_related("employee", "organisation").get(pk=trajectory.pk)
    _require(actor, trajectory.employee, data.type)
    if trajectory.closed_on and data.type != "follow_up":
        raise ValidationError(_("Dit traject is afgesloten."))
    check_dates(date=data.date, next_date=(data.fields or {}).get("next_date"), on=on)
    free_texts = {
        "note": data.note,
        "participants": data.participants,
        "by": str((data.fields or {}).get("by") or ""),
    }
    check_text_lengths(Event, **free_texts)
    latest_allowed = latest_event_date(data.type, on=on)
    if latest_allowed is not None and data.date > latest_allowed:
        if data.type == "return_to_work":
            raise ValidationError(
                {
                    "date": _(
                        "Een geplande werkhervatting ligt ten laatste %(days)s dagen in de "
                        "toekomst (tot %(day)s)."
                    )
                    % {"days": return_horizon_days(), "day": latest_allowed.strftime("%d/%m/%Y")}
                }
            )
        raise ValidationError({"date": _("De datum ligt in de toekomst.")})
    _bump_version(trajectory, expected_version)
    fields = {k: v for k, v in (data.fields or {}).items() if k in EVENT_FIELDS}
    event = Event.objects.create(
        **placed_in(trajectory),
        type=data.type,
        date=data.date,
        note=data.note,
        internal=data.internal,
        participants=data.participants,
        created_by=user_or_none(actor),
        **{k: ("" if v is None and k in TEXT_FIELDS else v) for k, v in fields.items()},
    )
    if event.type == "return_to_work":
        # The return ends the running absence the day before, as HR's registration would;
        # also one that a later planned return had ended: back earlier than planned, the
        # absence's obligations stop on the actual day.
        Absence.objects.filter(
            Q(end_day__isnull=True) | Q(end_day__gte=event.date),
            employee_id=trajectory.employee_id,
            first_day__lt=event.date,
        ).update(end_day=event.date - timedelta(days=1))
    changes = _side_effects(trajectory, event)
    if changes:
        Trajectory.objects.filter(pk=trajectory.pk).update(**changes)
        for key, value in changes.items():
            setattr(trajectory, key, value)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=event,
        employee_id=trajectory.employee_id,
        organisation_id=trajectory.organisation_id,
        changes={
            "type": data.type,
            "date": data.date.isoformat(),
            **{k: str(v) for k, v in fields.items()},
            **{k: str(v) for k, v in changes.items()},
            **_kept(trajectory.organisation, free_texts),
        },
    )
    trajectory_refresh(trajectory, on=on)
    return event


@transaction.atomic
def contact_wishes_set(
    *,
    actor,
    trajectory: Trajectory,
    expected_version: int | None,
    frequency_days: int | None,
    pause: bool,
    channel: str = "",
    by: str = "",
    on: date | None = None,
) -> Trajectory:
    """Record the employee's contact wishes: how, how often, by whom, or a pause."""
    trajectory = Trajectory.objects.select_related("employee", "organisation").get(pk=trajectory.pk)
    _require(actor, trajectory.employee, "contact_wishes")
    check_text_lengths(Trajectory, contact_by=by)
    _bump_version(trajectory, expected_version)
    changes = {
        "contact_frequency_days": frequency_days,
        "contact_pause": pause,
        "contact_channel": channel,
        "contact_by": by,
    }
    Trajectory.objects.filter(pk=trajectory.pk).update(**changes)
    for key, value in changes.items():
        setattr(trajectory, key, value)
    Event.objects.create(
        **placed_in(trajectory),
        type="contact_wishes",
        date=on or today(),
        channel=channel,
        by=by,
        frequency_days=frequency_days,
        pause=pause,
        created_by=user_or_none(actor),
        note=_("Pauze: geen contact gewenst.")
        if pause
        else (
            _("Contact om de %(days)s dagen.") % {"days": frequency_days} if frequency_days else ""
        ),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=trajectory,
        employee_id=trajectory.employee_id,
        organisation_id=trajectory.organisation_id,
        changes={
            **{k: str(v) for k, v in changes.items()},
            **_kept(trajectory.organisation, {"contact_by": by}),
        },
    )
    trajectory_refresh(trajectory, on=on)
    return trajectory


@dataclass
class PlanInput:
    work_percentage: int | None = None
    workplace_adaptations: str = ""
    adapted_work: str = ""
    other_work: str = ""
    training: str = ""
    valid_until: date | None = None
    review_dates: list[date] | None = None
    steps: list[dict[str, Any]] | None = None
    support_measure_ids: list[int] | None = None
    welfare_actor_ids: list[int] | None = None
    delivered_on: date | None = None  # the day the plan was really delivered; today if None


def plan_delivered_on_problem(
    day: date, trajectory: Trajectory | None, on: date | None = None
) -> str | None:
    """Why a plan cannot have been delivered on `day`, or None: not in the future (after `on`,
    default today), not before the trajectory started."""
    if day > (on or today()):
        return _("Een plan kan niet in de toekomst bezorgd zijn.")
    if trajectory is not None and day < trajectory.started_on:
        return _("Het plan kan niet bezorgd zijn vóór de start van het traject (%(d)s).") % {
            "d": trajectory.started_on.strftime("%d/%m/%Y")
        }
    return None


def plan_has_content(data: PlanInput) -> bool:
    """An empty plan would count as the step plan done for the rules engine: refuse it."""
    has_step = any(str(s.get("description") or "").strip() for s in data.steps or [])
    return has_step or data.work_percentage is not None


@transaction.atomic
def plan_save(
    *,
    actor,
    trajectory: Trajectory,
    expected_version: int | None,
    data: PlanInput,
    on: date | None = None,
) -> Plan:
    """Save a new version of the step plan (informal) or re-integration plan (formal)."""
    trajectory = Trajectory.objects.select_related("employee", "organisation").get(pk=trajectory.pk)
    formal = trajectory.is_formal
    _require(actor, trajectory.employee, "plan" if formal else "step_plan")
    check_dates(
        valid_until=data.valid_until,
        **{f"step_{i}_due": s.get("due") for i, s in enumerate(data.steps or [])},
        **{f"review_dates_{i}": d for i, d in enumerate(data.review_dates or [])},
        on=on,
    )
    plan_texts = {
        name: getattr(data, name)
        for name in ("workplace_adaptations", "adapted_work", "other_work", "training")
    }
    step_texts = {
        f"steps[{i}].{part}": str(s.get(part) or "")
        for i, s in enumerate(data.steps or [])
        for part in ("description", "owner")
    }
    check_text_lengths(Plan, **plan_texts)
    check_text_lengths(PlanStep, **step_texts)
    if not plan_has_content(data):
        raise ValidationError(_("Een plan heeft minstens één stap of een werkpercentage."))
    _bump_version(trajectory, expected_version)
    number = trajectory.plans.order_by("-number").values_list("number", flat=True).first() or 0
    delivered_on = data.delivered_on or on or today()
    problem = plan_delivered_on_problem(delivered_on, trajectory, on)
    if problem:
        raise ValidationError({"delivered_on": problem})
    plan = Plan.objects.create(
        **placed_in(trajectory),
        number=number + 1,
        formal=formal,
        delivered_on=delivered_on,
        work_percentage=data.work_percentage,
        workplace_adaptations=data.workplace_adaptations,
        adapted_work=data.adapted_work,
        other_work=data.other_work,
        training=data.training,
        valid_until=data.valid_until,
        review_dates=[d.isoformat() for d in (data.review_dates or [])],
        created_by=user_or_none(actor),
    )
    PlanStep.objects.bulk_create(
        PlanStep(
            plan=plan,
            order=i,
            description=s["description"],
            owner=s.get("owner", ""),
            due=s.get("due"),
        )
        for i, s in enumerate(data.steps or [])
        if s.get("description")
    )
    if data.support_measure_ids:
        plan.support_measures.set(data.support_measure_ids)
    if data.welfare_actor_ids:
        plan.welfare_actors.set(data.welfare_actor_ids)
    day = delivered_on
    if number == 0:
        # The first version of a plan is the event the rules engine waits for.
        Event.objects.create(
            **placed_in(trajectory),
            type="plan" if formal else "step_plan",
            date=day,
            percentage=data.work_percentage,
            created_by=plan.created_by,
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=plan,
        employee_id=trajectory.employee_id,
        organisation_id=trajectory.organisation_id,
        changes={
            "number": plan.number,
            "work_percentage": data.work_percentage,
            **_kept(trajectory.organisation, {**plan_texts, **step_texts}),
        },
    )
    trajectory_refresh(trajectory, on=on)
    return plan
