from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from terugkeer.accounts.access import grants
from terugkeer.accounts.models import Role
from terugkeer.audit.models import AuditEntry


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
        from terugkeer.organisations.models import Employee

        people = Employee.objects.filter(personnel_number__iexact=employee_id)
        if not user.is_superuser:
            people = people.filter(organisation_id__in=org_ids)
        qs = qs.filter(employee_id__in=list(people.values_list("pk", flat=True)))
    if (start := _date(date_from)) is not None:
        qs = qs.filter(at__date__gte=start)
    if (end := _date(date_to)) is not None:
        qs = qs.filter(at__date__lte=end)
    return qs


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
