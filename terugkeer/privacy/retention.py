"""Retention: what settings.TERUGKEER says is kept, and for how long (docs/privacy.md).

Three things go once a trajectory has been closed for longer than the retention period:

- its free text (notes, participants, contact preferences; plan texts and steps become
  "(geanonimiseerd)", so that the report still sees which kinds of step a plan held);
- the person: a person who left, all of whose trajectories are past retention, is anonymised in
  place; otherwise (still employed, or a recent trajectory) the old part of their history —
  trajectories, with their absences, events and the physician's decisions — is moved to a new
  anonymous placeholder employee with no link back to the person;
- the audit rows older than the audit retention period, and import files never confirmed.

Every structured figure (dates, codes, percentages, outcomes, entity) stays, so the yearly
reports of past years add up exactly as before. The one report figure that counts persons
(distinct employees with a long absence, per report year) stays the same because a person's
history is cut only at the start of a report year (first day + 28 days, docs/reports.md): all
of one person's absences of one report year end up on the same side, in one placeholder.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from terugkeer.audit.models import AuditEntry
from terugkeer.audit.partitions import partitions_before, partitions_drop_before, partitions_ensure
from terugkeer.audit.services import audit_record
from terugkeer.imports.models import ImportRun
from terugkeer.organisations.models import Employee
from terugkeer.reports import cache as report_cache
from terugkeer.trajectories.models import Absence, Event, Plan, PlanStep, Trajectory

ANONYMISED = "(geanonimiseerd)"
# A plan's texts: the report counts which kinds of step a plan holds (Plan.has_… are generated
# from "is the text filled in"), so a filled-in text becomes ANONYMISED, an empty one stays "".
PLAN_TEXT_FIELDS = ("workplace_adaptations", "adapted_work", "other_work", "training")
# The yearly report counts an absence in the year its 29th day falls (docs/reports.md).
REPORT_YEAR_OFFSET = timedelta(days=28)

Progress = Callable[[str], None]


@dataclass
class RetentionResult:
    trajectories: int = 0  # trajectories whose free text was removed
    employees: int = 0  # persons who left, anonymised in place
    detached: int = 0  # trajectories moved from a person to an anonymous placeholder
    absences: int = 0  # absences moved with them
    audit_rows: int = 0
    uploads: int = 0


@dataclass
class Detachment:
    """The old part of one person's history, to be moved to an anonymous placeholder."""

    employee: Employee
    trajectory_ids: list[int]
    absence_ids: list[int]
    split: date  # everything that starts before this day moves


@dataclass
class RetentionPlan:
    cutoff: date
    text_trajectories: list[Trajectory] = field(default_factory=list)
    employees: list[Employee] = field(default_factory=list)
    detachments: list[Detachment] = field(default_factory=list)
    audit_before: datetime | None = None  # None: the audit log is left alone
    audit_rows: int = 0  # all of them, whether in a partition that goes whole or not
    # PostgreSQL: the monthly partitions entirely older than audit_before, dropped whole
    # (their rows are part of audit_rows; the rest of the boundary month is deleted row by row).
    audit_partitions: list[str] = field(default_factory=list)
    uploads: list[ImportRun] = field(default_factory=list)
    upload_files: list[Path] = field(default_factory=list)


def retention_cutoff(today: date) -> date:
    """Trajectories closed before this day are past retention."""
    return today - timedelta(days=settings.TERUGKEER["RETENTION_DAYS"])


# --- what would go --------------------------------------------------------------------------


def _any_text(fields) -> Q:
    """Any of these fields holds text that is not yet anonymised."""
    q = Q(pk__in=[])
    for name in fields:
        q |= Q(**{f"{name}__gt": ""}) & ~Q(**{name: ANONYMISED})
    return q


def _with_free_text(cutoff: date):
    """Trajectories past retention that still hold free text (each is scrubbed only once)."""
    on_trajectory = OuterRef("pk")
    events = Event.objects.filter(trajectory=on_trajectory).filter(
        Q(note__gt="") | Q(participants__gt="") | Q(type="contact_wishes", by__gt="")
    )
    plans = Plan.objects.filter(trajectory=on_trajectory).filter(_any_text(PLAN_TEXT_FIELDS))
    steps = PlanStep.objects.filter(plan__trajectory=on_trajectory).filter(
        Q(owner__gt="") | (Q(description__gt="") & ~Q(description=ANONYMISED))
    )
    return (
        Trajectory.objects.filter(closed_on__lt=cutoff)
        .filter(Q(contact_by__gt="") | Exists(events) | Exists(plans) | Exists(steps))
        .order_by("pk")
    )


def _leavers(cutoff: date):
    """Persons who left and whose every trajectory closed before the cutoff."""
    recent = Trajectory.objects.filter(employee=OuterRef("pk")).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=cutoff)
    )
    with_trajectory = Trajectory.objects.filter(employee=OuterRef("pk"))
    return (
        Employee.objects.filter(active=False, anonymised=False)
        .filter(Exists(with_trajectory))
        .exclude(Exists(recent))
        .order_by("pk")
    )


def _split_allowed(split: date, cutoff: date, trajectories, absences) -> bool:
    """May everything of this person that starts before `split` go? Only when all of it is
    past retention and nothing that stays is tied to it (an absence of a moved trajectory, a
    relapse of a moved trajectory)."""
    before = {t["pk"]: (t["absence_start"] or t["started_on"]) < split for t in trajectories}
    if not any(before.values()):
        return False
    for t in trajectories:
        if before[t["pk"]] and not (t["closed_on"] and t["closed_on"] < cutoff):
            return False
        relapse_of = t["relapse_of_id"]
        if relapse_of is not None and before.get(relapse_of, False) != before[t["pk"]]:
            return False
    for a in absences:
        moves = a["first_day"] < split
        if a["trajectory_id"] is not None and before.get(a["trajectory_id"]) != moves:
            return False
        if moves and not (a["end_day"] and a["end_day"] < cutoff):
            return False
    return True


def _detachment(employee: Employee, cutoff: date) -> Detachment | None:
    """The largest old part of a person's history that may go, cut at a report year's start."""
    trajectories = list(
        Trajectory.objects.filter(employee=employee).values(
            "pk", "absence_start", "started_on", "closed_on", "relapse_of_id"
        )
    )
    absences = list(
        Absence.objects.filter(employee=employee).values(
            "pk", "first_day", "end_day", "trajectory_id"
        )
    )
    starts = [t["absence_start"] or t["started_on"] for t in trajectories]
    starts += [a["first_day"] for a in absences]
    first_year = (min(starts) + REPORT_YEAR_OFFSET).year
    for year in range(cutoff.year + 1, first_year, -1):
        split = date(year, 1, 1) - REPORT_YEAR_OFFSET
        if _split_allowed(split, cutoff, trajectories, absences):
            return Detachment(
                employee=employee,
                trajectory_ids=sorted(
                    t["pk"] for t in trajectories if (t["absence_start"] or t["started_on"]) < split
                ),
                absence_ids=sorted(a["pk"] for a in absences if a["first_day"] < split),
                split=split,
            )
    return None


def _audit_before(today: date):
    return timezone.make_aware(
        datetime.combine(
            today - timedelta(days=settings.TERUGKEER["AUDIT_RETENTION_DAYS"]),
            datetime.min.time(),
        )
    )


def _stale_uploads(now):
    before = now - timedelta(days=settings.TERUGKEER["IMPORT_UPLOAD_DAYS"])
    runs = list(ImportRun.objects.exclude(upload="").filter(created_at__lt=before).order_by("pk"))
    # Files under the import folder that no run refers to (an upload cut off half-way).
    kept = set(ImportRun.objects.exclude(upload="").values_list("upload", flat=True))
    folder = Path(settings.MEDIA_ROOT) / "imports"
    orphans = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(settings.MEDIA_ROOT).as_posix()
            modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            if path.is_file() and name not in kept and modified < before:
                orphans.append(path)
    return runs, orphans


def retention_plan(*, today: date | None = None, progress: Progress | None = None) -> RetentionPlan:
    """Everything that retention would remove today; nothing is changed."""
    today = today or timezone.localdate()
    cutoff = retention_cutoff(today)
    plan = RetentionPlan(cutoff=cutoff)
    plan.text_trajectories = list(_with_free_text(cutoff))
    plan.employees = list(_leavers(cutoff))
    old = Trajectory.objects.filter(employee=OuterRef("pk"), closed_on__lt=cutoff)
    candidates = (
        Employee.objects.filter(anonymised=False)
        .filter(Exists(old))
        .exclude(pk__in=_leavers(cutoff).values("pk"))
    )
    total = candidates.count()
    for number, employee in enumerate(candidates.order_by("pk").iterator(), start=1):
        if (detachment := _detachment(employee, cutoff)) is not None:
            plan.detachments.append(detachment)
        if progress and number % 500 == 0:
            progress(f"… {number}/{total} medewerkers nagekeken")
    plan.audit_before = _audit_before(today)
    plan.audit_rows = AuditEntry.objects.filter(at__lt=plan.audit_before).count()
    plan.audit_partitions = [month.name for month in partitions_before(plan.audit_before)]
    plan.uploads, plan.upload_files = _stale_uploads(timezone.now())
    return plan


# --- letting it go --------------------------------------------------------------------------


def _scrub(ids: list[int]) -> None:
    Event.objects.filter(trajectory_id__in=ids).update(note="", participants="")
    Event.objects.filter(trajectory_id__in=ids, type="contact_wishes").update(by="")
    Plan.objects.filter(trajectory_id__in=ids).update(
        **{
            name: Case(When(**{name: ""}, then=Value("")), default=Value(ANONYMISED))
            for name in PLAN_TEXT_FIELDS
        }
    )
    PlanStep.objects.filter(plan__trajectory_id__in=ids).update(description=ANONYMISED, owner="")
    Trajectory.objects.filter(pk__in=ids).update(contact_by="")
    _scrub_collaboration(ids)


def _scrub_collaboration(ids: list[int]) -> None:
    """The SMT's and the second line's texts about these trajectories (docs/smt.md)."""
    from terugkeer.smt.models import Action, AgendaItem, Referral
    from terugkeer.trajectories.models import COLLABORATION_EVENTS

    Event.objects.filter(trajectory_id__in=ids, type__in=COLLABORATION_EVENTS).update(by="")
    AgendaItem.objects.filter(trajectory_id__in=ids).update(
        question=ANONYMISED, summary="", advice="", guests=""
    )
    Action.objects.filter(item__trajectory_id__in=ids).update(description=ANONYMISED, owner="")
    Referral.objects.filter(trajectory_id__in=ids).update(question=ANONYMISED, answer="")


def _anonymise_in_place(actor, employee: Employee) -> None:
    employee.first_name = "Geanonimiseerd"
    employee.last_name = f"#{employee.pk}"
    employee.email = ""
    employee.personnel_number = f"ANON-{employee.pk}"
    employee.manager = None
    employee.anonymised = True
    employee.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.ANONYMISE,
        obj=employee,
        employee_id=employee.pk,
        organisation_id=employee.organisation_id,
    )


def _detach(actor, detachment: Detachment) -> Employee:
    """Move the old history to a new anonymous employee. The person's id is written nowhere
    (not in the audit row either): nothing leads from the placeholder back to the person."""
    person = detachment.employee
    last = (
        Trajectory.objects.filter(pk__in=detachment.trajectory_ids)
        .order_by("-closed_on", "-pk")
        .first()
    )
    placeholder = Employee.objects.create(
        organisation_id=person.organisation_id,
        # The entity of the moved trajectories, not the person's present unit.
        unit_id=last.entity_id,
        entity_id=last.entity_id,
        personnel_number=f"ANON-{timezone.now():%Y%m%d%H%M%S%f}",
        first_name="Geanonimiseerd",
        last_name="#",
        statute=person.statute,
        work_regime=person.work_regime,
        active=False,
        anonymised=True,
    )
    Employee.objects.filter(pk=placeholder.pk).update(
        personnel_number=f"ANON-{placeholder.pk}", last_name=f"#{placeholder.pk}"
    )
    Trajectory.objects.filter(pk__in=detachment.trajectory_ids).update(employee=placeholder)
    Absence.objects.filter(pk__in=detachment.absence_ids).update(employee=placeholder)
    report_cache.organisation_changed([placeholder.organisation_id])  # bulk: no model signals
    audit_record(
        actor=actor,
        action=AuditEntry.Action.ANONYMISE,
        obj=placeholder,
        employee_id=placeholder.pk,
        organisation_id=placeholder.organisation_id,
        changes={
            "losgemaakt": {
                "trajecten": len(detachment.trajectory_ids),
                "afwezigheden": len(detachment.absence_ids),
            }
        },
    )
    return placeholder


def audit_purge(*, today: date | None = None) -> int:
    """Delete audit rows older than the audit retention period (the trigger allows only that)."""
    return _audit_purge(_audit_before(today or timezone.localdate()))


def _audit_purge(before) -> int:
    """On PostgreSQL, first the partitions ahead (and the rows the default partition caught,
    moved to their month); then every month entirely older than `before` dropped whole, each in
    a short transaction of its own (audit.partitions); then the older rows that remain (the
    boundary month, any in the default partition) deleted in one transaction, which needs no
    lock on the whole table. Each step only removes rows older than `before`, so a run stopped
    in between leaves nothing wrong; the count is the same set of rows the plan counted."""
    partitions_ensure()
    dropped = partitions_drop_before(before)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('terugkeer.audit_purge_before', %s, true)",
                    [before.isoformat()],
                )
        deleted, _ = AuditEntry.objects.filter(at__lt=before).delete()
    return dropped + deleted


def uploads_purge(runs: list[ImportRun], orphans: list[Path]) -> int:
    for run in runs:
        run.upload.delete(save=False)
        run.save(update_fields=["upload"])
    for path in orphans:
        path.unlink(missing_ok=True)
    return len(runs) + len(orphans)


def retention_apply(
    *, actor, plan: RetentionPlan, progress: Progress | None = None
) -> RetentionResult:
    """Carry out a plan of retention_plan(). Each person is one transaction, so a run that is
    stopped half-way leaves every dossier either untouched or fully anonymised."""
    result = RetentionResult()
    ids = [t.pk for t in plan.text_trajectories]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with transaction.atomic():
            _scrub(chunk)
            for pk in chunk:
                audit_record(
                    actor=actor,
                    action=AuditEntry.Action.ANONYMISE,
                    object_type="trajectory",
                    object_id=pk,
                )
        result.trajectories += len(chunk)
        if progress and len(ids) > 500:
            progress(f"… vrije tekst van {result.trajectories}/{len(ids)} trajecten gewist")
    for employee in plan.employees:
        with transaction.atomic():
            _anonymise_in_place(actor, employee)
        result.employees += 1
    for number, detachment in enumerate(plan.detachments, start=1):
        with transaction.atomic():
            _detach(actor, detachment)
        result.detached += len(detachment.trajectory_ids)
        result.absences += len(detachment.absence_ids)
        if progress and number % 500 == 0:
            progress(f"… {number}/{len(plan.detachments)} personen losgemaakt")
    if plan.audit_before is not None:
        result.audit_rows = _audit_purge(plan.audit_before)
    result.uploads = uploads_purge(plan.uploads, plan.upload_files)
    return result


def trajectories_anonymise(*, actor, today: date | None = None) -> RetentionResult:
    """Closed trajectories past retention only: free text removed, persons anonymised or
    detached (the audit log and the import files are left alone)."""
    plan = retention_plan(today=today)
    plan.audit_before, plan.uploads, plan.upload_files = None, [], []
    return retention_apply(actor=actor, plan=plan)
