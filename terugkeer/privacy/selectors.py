from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from terugkeer.accounts.access import grants, subject_access_employees
from terugkeer.accounts.models import Role
from terugkeer.audit.models import AuditEntry
from terugkeer.organisations.models import Employee


def _date(value: str):
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def audit_search(user, *, username="", employee_id="", date_from="", date_to="") -> QuerySet:
    """The audit log of the organisations the user administers."""
    org_ids = {g.organisation_id for g in grants(user)}
    qs = (
        AuditEntry.objects.all()
        if user.is_superuser
        else AuditEntry.objects.filter(organisation_id__in=org_ids)
    )
    if username:
        qs = qs.filter(username__iexact=username)
    if employee_id.isdigit():
        qs = qs.filter(employee_id=int(employee_id))
    elif employee_id:
        # A personnel number: the person, looked up within the administered organisations.
        people = Employee.objects.filter(personnel_number__iexact=employee_id)
        if not user.is_superuser:
            people = people.filter(organisation_id__in=org_ids)
        qs = qs.filter(employee_id__in=list(people.values_list("pk", flat=True)))
    # Bounds on `at` itself, not on its date (`at__date` casts every row's `at`): the index on
    # (organisation_id, at) then bounds the scan, and on PostgreSQL only the months searched
    # are read (the table is partitioned by month, audit.partitions).
    if (start := _date(date_from)) is not None:
        qs = qs.filter(at__gte=_midnight(max(start, EARLIEST)))
    if (end := _date(date_to)) is not None:
        qs = qs.filter(at__lt=_midnight(min(end, LATEST) + timedelta(days=1)))
    return qs


# A typed year 1 or 9999 would overflow when the bounds are converted to UTC: no audit row is
# older or newer than these, so they are searched as these.
EARLIEST, LATEST = date(1900, 1, 1), date(9998, 12, 31)


def _midnight(day: date) -> datetime:
    """The start of a calendar day in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


# How far back the HR officer and the DPO's hand see role changes and refused attempts.
ACCESS_WATCH_DAYS = 90


def access_watch_organisations(user) -> set[int] | None:
    """Organisations whose role changes and refused attempts this user watches: HR (any scope)
    and the functioneel beheerder acting for the DPO; None for the platform administrator."""
    if user.is_superuser:
        return None
    return {g.organisation_id for g in grants(user) if g.role in (Role.HR, Role.ADMIN)}


def access_watch(user) -> QuerySet:
    """Recent grants, changes and removals of roles, portal links, and refused attempts."""
    orgs = access_watch_organisations(user)
    since = timezone.now() - timedelta(days=ACCESS_WATCH_DAYS)
    qs = AuditEntry.objects.filter(at__gte=since).filter(
        Q(action=AuditEntry.Action.REFUSED)
        | Q(object_type="roleassignment")
        | Q(object_type="user", changes__has_key="employee")
    )
    return qs if orgs is None else qs.filter(organisation_id__in=orgs)


def audit_people(user, employee_ids) -> dict[int, str]:
    """How the audit pages name the employees in their rows, two queries at most for any page.

    By name and personnel number ("An Aerts (P01234)") for whoever may read that employee's
    dossier log anyway: HR on its scope and the functioneel beheerder acting for the DPO
    (accounts.access.subject_access_employees). Anyone else who reads the log (the platform
    administrator) gets the personnel number only; an employee since anonymised or moved out
    of reach keeps the bare "#id" so rows never lose their link.
    """
    ids = {int(pk) for pk in employee_ids if pk}
    if not ids:
        return {}
    labels = {
        pk: f"{first} {last} ({number})"
        for pk, first, last, number in subject_access_employees(user)
        .filter(pk__in=ids)
        .values_list("pk", "first_name", "last_name", "personnel_number")
    }
    rest = ids - labels.keys()
    if rest:
        people = Employee.objects.filter(pk__in=rest)
        if not user.is_superuser:
            people = people.filter(organisation_id__in={g.organisation_id for g in grants(user)})
        labels.update(people.values_list("pk", "personnel_number"))
    return {pk: labels.get(pk, f"#{pk}") for pk in ids}
