"""Writes to the toolbox: catalogue entries and new versions of the handelingskader."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from terugkeer.accounts.access import can_manage_organisation, user_or_none
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.organisations.models import Organisation
from terugkeer.rules import Policy
from terugkeer.toolbox.models import CatalogueEntry, Handelingskader


def _require(actor, organisation_id: int) -> None:
    if not can_manage_organisation(actor, organisation_id):
        raise PermissionDenied(_("Alleen de functioneel beheerder van deze organisatie mag dit."))


@transaction.atomic
def entry_save(*, actor, entry: CatalogueEntry) -> CatalogueEntry:
    """Create or update a welfare actor or support measure of the organisation's catalogue."""
    _require(actor, entry.organisation_id)
    created = entry.pk is None
    entry.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=entry,
        organisation_id=entry.organisation_id,
        changes={"name": entry.name, "active": entry.active},
    )
    return entry


@transaction.atomic
def framework_save(
    *,
    actor,
    organisation: Organisation,
    effective_from: date,
    text: str,
    terms: dict[str, Any],
    physician_contact: str = "",
    welfare_contacts: str = "",
    documents_location: str = "",
) -> Handelingskader:
    """Save a new version of the handelingskader; its terms feed the rules engine.

    The terms are validated by the rules engine (Policy.from_dict raises PolicyError for a
    term that is invalid or looser than the law or the omzendbrief allows).
    """
    _require(actor, organisation.pk)
    policy = Policy.from_dict(terms, organisation_kind=organisation.kind)
    last = (
        Handelingskader.objects.select_for_update()
        .filter(organisation=organisation)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    framework = Handelingskader.objects.create(
        organisation=organisation,
        number=(last or 0) + 1,
        effective_from=effective_from,
        text=text,
        terms=policy.to_dict(),
        physician_contact=physician_contact,
        welfare_contacts=welfare_contacts,
        documents_location=documents_location,
        created_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=framework,
        organisation_id=organisation.pk,
        changes={"number": framework.number, "terms": framework.terms},
    )
    return framework
