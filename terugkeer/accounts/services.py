"""Writes to role assignments: who may grant what, and the four-eyes rule (docs/access.md)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terugkeer.accounts.access import (
    DOSSIER_ROLES,
    SYSTEM,
    administered_organisation_ids,
    user_or_none,
)
from terugkeer.accounts.models import Role, RoleAssignment
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record, audit_refused

# Assignments that open named dossiers or the admin itself: a functioneel beheerder's grant of
# one of these takes effect only when a second beheerder (or the platform administrator)
# confirms it.
FOUR_EYES_ROLES = DOSSIER_ROLES | {Role.ADMIN}


def _is_platform(actor) -> bool:
    return actor is SYSTEM or administered_organisation_ids(actor) is None


def _may_administer(actor, organisation_id: int) -> bool:
    orgs = administered_organisation_ids(actor) if actor is not SYSTEM else None
    return orgs is None or organisation_id in orgs


def other_beheerders(organisation_id: int, *, besides: set[int]):
    """Active, confirmed functioneel beheerders of the organisation other than these users."""
    return (
        RoleAssignment.objects.filter(
            organisation_id=organisation_id,
            role=Role.ADMIN,
            confirmed_at__isnull=False,
            user__is_active=True,
        )
        .exclude(user_id__in=besides)
        .values_list("user_id", flat=True)
        .distinct()
    )


def needs_confirmation(actor, assignment: RoleAssignment) -> bool:
    """Four eyes: a beheerder's grant of dossier or admin access waits for a second one.

    An organisation with a single beheerder cannot wait for a second: a dossier role then takes
    effect at once and is listed for HR and the DPO ("Recente rolwijzigingen"). A beheerder role
    always waits (another beheerder or the platform administrator): otherwise a lone beheerder
    would create a second account of his own and confirm his own grants with it.
    """
    if _is_platform(actor) or assignment.role not in FOUR_EYES_ROLES:
        return False
    if assignment.role == Role.ADMIN:
        return True
    besides = {actor.pk, assignment.user_id}
    return other_beheerders(assignment.organisation_id, besides=besides).exists()


def _describe(assignment: RoleAssignment) -> dict:
    return {
        "gebruiker": f"{assignment.user.get_username()} (#{assignment.user_id})",
        "rol": assignment.role,
        # The name for the reader of "Rollen en toegang", the id for an exact reference.
        "organisatie": f"{assignment.organisation} (#{assignment.organisation_id})",
        "eenheid": str(assignment.unit) if assignment.unit_id else "",
    }


def _refuse(actor, assignment: RoleAssignment, reason: str):
    audit_refused(
        actor=actor,
        reason=reason,
        object_type="roleassignment",
        object_id=assignment.pk or "",
        organisation_id=assignment.organisation_id,
        changes=_describe(assignment),
    )
    raise PermissionDenied(reason)


@transaction.atomic
def role_assignment_save(*, actor, assignment: RoleAssignment, before: dict | None = None):
    """Grant a role, or change one (a change is a new grant: it may wait for confirmation)."""
    if not _is_platform(actor):
        if assignment.user_id == actor.pk:
            _refuse(actor, assignment, _("U kunt uw eigen rollen niet toekennen of wijzigen."))
        if not _may_administer(actor, assignment.organisation_id):
            _refuse(actor, assignment, _("Deze organisatie beheert u niet."))
    assignment.granted_by = user_or_none(actor)
    assignment.granted_at = timezone.now()
    pending = needs_confirmation(actor, assignment)
    assignment.confirmed_at = None if pending else timezone.now()
    assignment.confirmed_by = None if pending else user_or_none(actor)
    created = assignment.pk is None
    assignment.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=assignment,
        organisation_id=assignment.organisation_id,
        changes={
            **_describe(assignment),
            "voordien": before or {},
            "status": "wacht op bevestiging" if pending else "actief",
        },
    )
    return assignment


@transaction.atomic
def role_assignment_confirm(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """The second pair of eyes: another beheerder than the one who granted, not the grantee."""
    if not assignment.is_pending:
        return assignment
    if not _is_platform(actor):
        if not _may_administer(actor, assignment.organisation_id):
            _refuse(actor, assignment, _("Deze organisatie beheert u niet."))
        if actor.pk in (assignment.granted_by_id, assignment.user_id):
            _refuse(
                actor,
                assignment,
                _("Een tweede functioneel beheerder moet deze toewijzing bevestigen."),
            )
    assignment.confirmed_at = timezone.now()
    assignment.confirmed_by = user_or_none(actor)
    assignment.save(update_fields=["confirmed_at", "confirmed_by"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=assignment,
        organisation_id=assignment.organisation_id,
        changes={**_describe(assignment), "status": "bevestigd"},
    )
    return assignment


@transaction.atomic
def role_assignment_revoke(*, actor, assignment: RoleAssignment) -> None:
    if not _is_platform(actor):
        if assignment.user_id == actor.pk:
            _refuse(actor, assignment, _("U kunt uw eigen rollen niet intrekken."))
        if not _may_administer(actor, assignment.organisation_id):
            _refuse(actor, assignment, _("Deze organisatie beheert u niet."))
    description = _describe(assignment)
    pk, organisation_id = assignment.pk, assignment.organisation_id
    assignment.delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="roleassignment",
        object_id=pk,
        organisation_id=organisation_id,
        changes=description,
    )
