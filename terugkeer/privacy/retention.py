"""Retention: anonymise closed dossiers and purge old audit rows, as settings.TERUGKEER says.

Anonymising keeps every structured figure (dates, codes, percentages, outcomes) so that the
yearly reports of past years still add up; it removes names and free text.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.organisations.models import Employee
from terugkeer.trajectories.models import Event, Plan, PlanStep, Trajectory


@dataclass
class RetentionResult:
    trajectories: int = 0
    employees: int = 0
    audit_rows: int = 0


@transaction.atomic
def trajectories_anonymise(*, actor, today: date | None = None) -> RetentionResult:
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.TERUGKEER["RETENTION_DAYS"])
    ids = list(
        Trajectory.objects.filter(closed_on__lt=cutoff)
        .filter(Q(events__note__gt="") | Q(events__participants__gt="") | Q(plans__isnull=False))
        .values_list("pk", flat=True)
        .distinct()
    )
    result = RetentionResult(trajectories=len(ids))
    Event.objects.filter(trajectory_id__in=ids).update(note="", participants="")
    Event.objects.filter(trajectory_id__in=ids, type="contact_wishes").update(by="")
    Plan.objects.filter(trajectory_id__in=ids).update(
        workplace_adaptations="", adapted_work="", other_work="", training=""
    )
    PlanStep.objects.filter(plan__trajectory_id__in=ids).update(
        description="(geanonimiseerd)", owner=""
    )
    Trajectory.objects.filter(pk__in=ids).update(contact_by="")
    # The person: only when inactive and every trajectory is closed before the cutoff.
    recent = Trajectory.objects.filter(employee=OuterRef("pk")).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=cutoff)
    )
    people = Employee.objects.filter(active=False, anonymised=False, trajectories__isnull=False)
    people = people.exclude(Exists(recent)).distinct()
    for employee in people:
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
        result.employees += 1
    for pk in ids:
        audit_record(
            actor=actor, action=AuditEntry.Action.ANONYMISE, object_type="trajectory", object_id=pk
        )
    return result


@transaction.atomic
def audit_purge(*, today: date | None = None) -> int:
    """Delete audit rows older than the audit retention period (the trigger allows only that)."""
    today = today or timezone.localdate()
    before = timezone.make_aware(
        timezone.datetime.combine(
            today - timedelta(days=settings.TERUGKEER["AUDIT_RETENTION_DAYS"]),
            timezone.datetime.min.time(),
        )
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('terugkeer.audit_purge_before', %s, true)", [before.isoformat()]
            )
    deleted, _ = AuditEntry.objects.filter(at__lt=before).delete()
    return deleted
