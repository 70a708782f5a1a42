"""Reads of the toolbox (organisation data, not personal data), scoped to the user's
organisations: their role assignments, their account's organisation, or their employee's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from terugkeer.organisations.models import Organisation
from terugkeer.organisations.selectors import organisations_of
from terugkeer.toolbox.models import Handelingskader, SupportMeasure, WelfareActor


def organisations_for(user) -> QuerySet[Organisation]:
    ids = set(organisations_of(user).values_list("pk", flat=True))
    if getattr(user, "employee_id", None):
        ids.add(user.employee.organisation_id)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def organisation_for(user, organisation_id: int | None = None) -> Organisation:
    """The organisation whose toolbox the user asks for (their first one by default), or 404."""
    qs = organisations_for(user)
    if organisation_id:
        qs = qs.filter(pk=organisation_id)
    organisation = qs.first()
    if organisation is None:
        raise Http404
    return organisation


def catalogue_of(organisation: Organisation, *, include_inactive: bool = False):
    actors = WelfareActor.objects.filter(organisation=organisation)
    measures = SupportMeasure.objects.filter(organisation=organisation)
    if not include_inactive:
        actors = actors.filter(active=True)
        measures = measures.filter(active=True)
    return actors.order_by("name"), measures.order_by("category", "name")


def frameworks_of(organisation: Organisation) -> QuerySet[Handelingskader]:
    return Handelingskader.objects.filter(organisation=organisation).select_related("created_by")
