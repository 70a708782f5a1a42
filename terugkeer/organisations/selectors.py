"""Reads of the organisation tree (not personal data)."""

from django.db.models import QuerySet

from terugkeer.accounts.access import grants
from terugkeer.organisations.models import Organisation, Unit


def organisations_of(user) -> QuerySet[Organisation]:
    ids = {g.organisation_id for g in grants(user)}
    if user.organisation_id:
        ids.add(user.organisation_id)
    return Organisation.objects.filter(pk__in=ids)


def entities_of(organisation_ids) -> QuerySet[Unit]:
    return Unit.objects.filter(organisation_id__in=organisation_ids, is_entity=True).order_by(
        "name"
    )


def policy_domains_of(organisation_ids) -> QuerySet[Unit]:
    return Unit.objects.filter(
        organisation_id__in=organisation_ids, kind=Unit.Kind.POLICY_DOMAIN
    ).order_by("name")
