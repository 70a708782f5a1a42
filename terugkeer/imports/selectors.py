"""Reads of import runs, through the one access module."""

from django.db.models import QuerySet

from terugkeer.accounts.access import grants
from terugkeer.accounts.models import Role
from terugkeer.imports.models import ImportRun


def import_runs_visible_to(user) -> QuerySet[ImportRun]:
    """HR sees its own runs; the functioneel beheerder the runs of its organisations."""
    runs = ImportRun.objects.select_related("organisation")
    if user.is_superuser:
        return runs
    admin_orgs = [g.organisation_id for g in grants(user) if g.role == Role.ADMIN]
    if admin_orgs:
        return runs.filter(organisation_id__in=admin_orgs) | runs.filter(user=user)
    return runs.filter(user=user)
