"""Who signs in through a provider: matching, first sign-in, roles from claims (docs/sso.md).

Called with claims whose ID token authlib has already verified (clients.py). Every write is
audited; every refusal too, with its reason, and raises SignInRefused for the view to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terugkeer.accounts.models import RoleAssignment, User
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record, audit_refused
from terugkeer.organisations.models import Employee
from terugkeer.sso.models import (
    ClaimedRole,
    ClaimRoleMapping,
    ExternalIdentity,
    IdentityProvider,
    ProviderOrganisation,
)

AUDIT_OBJECT_TYPE = "aanmelding"


class SignInRefused(Exception):
    """A sign-in that must not go on; `message` is the Dutch text for the page."""

    def __init__(self, reason: str, message: str):
        super().__init__(reason)
        self.reason = reason
        self.message = message


def no_access_message() -> str:
    return _("U hebt geen toegang tot Terugkeer; vraag het aan uw functioneel beheerder.")


def refuse(provider: IdentityProvider, reason: str, message: str, **details) -> SignInRefused:
    """Audit a refused sign-in and return the exception to raise."""
    audit_sign_in_refused(provider, reason, **details)
    return SignInRefused(reason, message)


def audit_sign_in_refused(provider: IdentityProvider, reason: str, **details) -> None:
    """The audit row of a refused sign-in: the provider, the reason, a few details (no claims
    beyond the subject and the organisation code)."""
    audit_refused(
        actor=provider_actor(provider),
        reason=reason,
        object_type=AUDIT_OBJECT_TYPE,
        object_id=provider.slug,
        organisation_id=details.pop("organisation_id", None),
        changes={"provider": provider.slug, **{k: str(v)[:200] for k, v in details.items()}},
    )


def provider_actor(provider: IdentityProvider) -> str:
    # The audit log's "who" for what a provider's claims decide (no user acts).
    return f"identiteitsprovider {provider.slug}"


def claim_text(claims: dict, name: str) -> str:
    value = claims.get(name) if name else None
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value not in (None, "") else ""


def claim_values(claims: dict, name: str) -> set[str]:
    """A roles claim as a set of strings: a JSON list (ACM/IDM, Entra) or one string."""
    value = claims.get(name)
    if value is None:
        return set()
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {str(v) for v in value if isinstance(v, str | int)}
    return set()


def provider_second_factor(provider: IdentityProvider, claims: dict) -> bool:
    """True when the ID token's acr or amr is one the provider's configuration accepts."""
    acr_ok = set(provider.mfa_acr_values.split())
    amr_ok = set(provider.mfa_amr_values.split())
    acr = claims.get("acr")
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return (isinstance(acr, str) and acr in acr_ok) or bool(amr_ok.intersection(map(str, amr)))


@dataclass(frozen=True)
class Outcome:
    user: User
    created: bool
    added: tuple[str, ...]
    removed: tuple[str, ...]


Key = tuple[str, int, int | None]  # role, organisation, unit


def _desired(provider: IdentityProvider, link: ProviderOrganisation, claims) -> dict[Key, str]:
    """The assignments the claims give: mappings of this provider for the user's organisation
    (over every code of that organisation at the provider)."""
    values = claim_values(claims, provider.roles_claim)
    if not values:
        return {}
    mappings = ClaimRoleMapping.objects.filter(
        link__provider=provider,
        link__organisation_id=link.organisation_id,
        claim_value__in=values,
    ).order_by("pk")
    return {(m.role, link.organisation_id, m.unit_id): m.claim_value for m in mappings}


def _describe(assignment: RoleAssignment, claim_value: str, provider) -> dict:
    return {
        "gebruiker": f"{assignment.user.get_username()} (#{assignment.user_id})",
        "rol": assignment.role,
        "organisatie": assignment.organisation_id,
        "eenheid": str(assignment.unit) if assignment.unit_id else "",
        "bron": f"claim {provider.roles_claim} = {claim_value}",
    }


def sync_claimed_roles(
    provider: IdentityProvider, link: ProviderOrganisation, user: User, claims: dict
) -> tuple[list[str], list[str]]:
    """Make the user's claim-given assignments equal to what the claims give now.

    Only assignments marked as claimed by this provider are added or removed; one granted in
    Terugkeer by the beheerder is left alone (and not duplicated) whatever the claims say.
    """
    desired = _desired(provider, link, claims)
    actor = provider_actor(provider)
    added, removed = [], []
    claimed = ClaimedRole.objects.filter(provider=provider, assignment__user=user).select_related(
        "assignment", "assignment__unit", "assignment__user"
    )
    held: set[Key] = set()
    for mark in claimed:
        assignment = mark.assignment
        key = (assignment.role, assignment.organisation_id, assignment.unit_id)
        if key in desired:
            held.add(key)
            continue
        description = _describe(assignment, mark.claim_value, provider)
        pk = assignment.pk
        assignment.delete()  # the mark goes with it (cascade); the user's sessions end (signal)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            object_type="roleassignment",
            object_id=pk,
            organisation_id=key[1],
            changes={**description, "reden": "niet meer in de claims van de provider"},
        )
        removed.append(key[0])
    for key, claim_value in desired.items():
        if key in held:
            continue
        role, organisation_id, unit_id = key
        if RoleAssignment.objects.filter(
            user=user, role=role, organisation_id=organisation_id, unit_id=unit_id
        ).exists():
            continue  # granted in Terugkeer already: the beheerder's, not ours to manage
        now = timezone.now()
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            organisation_id=organisation_id,
            unit_id=unit_id,
            granted_at=now,
            confirmed_at=now,  # the organisation's own provider is the authority: no four eyes
        )
        ClaimedRole.objects.create(
            assignment=assignment, provider=provider, claim_value=claim_value
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=assignment,
            organisation_id=organisation_id,
            changes={**_describe(assignment, claim_value, provider), "status": "actief"},
        )
        added.append(role)
    return added, removed


def _username(provider: IdentityProvider, subject: str) -> str:
    base = f"{provider.slug}.{re.sub(r'[^A-Za-z0-9.@+_-]', '_', subject)}"[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _link_employee(provider, link, user: User, claims: dict) -> None:
    """The portal: an employee of the organisation with the claimed personnel number."""
    number = claim_text(claims, provider.personnel_number_claim)
    if not number or user.employee_id:
        return
    employee = (
        Employee.objects.filter(
            organisation_id=link.organisation_id,
            personnel_number=number,
            active=True,
            anonymised=False,
            user__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if employee is None:
        return
    user.employee = employee
    user.save(update_fields=["employee"])
    audit_record(
        actor=provider_actor(provider),
        action=AuditEntry.Action.UPDATE,
        obj=user,
        organisation_id=link.organisation_id,
        employee_id=employee.pk,
        changes={"employee": employee.pk, "bron": f"claim {provider.personnel_number_claim}"},
    )


@dataclass(frozen=True)
class _Refusal:
    reason: str
    message: str
    details: dict


def sign_in_with_claims(provider: IdentityProvider, claims: dict) -> Outcome:
    """The user these verified claims belong to, created on a first sign-in, roles brought in
    line with the claims. Raises SignInRefused (audited) when the person may not come in.

    A refusal is audited after the transaction: a role removed at the provider stays removed
    (with its audit row) even when that refusal is the consequence.
    """
    try:
        with transaction.atomic():
            result = _sign_in(provider, claims)
    except IntegrityError:
        # The same person's first sign-in finished in another tab at the same moment: the
        # identity exists now, and this one signs in to it.
        with transaction.atomic():
            result = _sign_in(provider, claims)
    if isinstance(result, _Refusal):
        raise refuse(provider, result.reason, result.message, **result.details)
    return result


def _sign_in(provider: IdentityProvider, claims: dict) -> Outcome | _Refusal:
    subject = claim_text(claims, provider.subject_claim)
    if not subject:
        return _Refusal(
            "vaste identiteit ontbreekt",
            _(
                "De aanmeldingsdienst gaf geen vaste identiteit door. Vraag het aan uw "
                "functioneel beheerder."
            ),
            {"claim": provider.subject_claim},
        )
    org_code = claim_text(claims, provider.organisation_claim)
    link = (
        ProviderOrganisation.objects.filter(provider=provider, external_id=org_code)
        .select_related("organisation")
        .first()
        if org_code
        else None
    )
    if link is None:
        return _Refusal(
            "onbekende organisatie",
            _(
                "Uw organisatie is niet bekend in Terugkeer, dus u hebt geen toegang tot "
                "Terugkeer; vraag het aan uw functioneel beheerder."
            ),
            {"subject": subject, "organisatiecode": org_code or "(geen)"},
        )
    no_role = _Refusal(
        "geen rol",
        no_access_message(),
        {"subject": subject, "organisation_id": link.organisation_id, "organisatiecode": org_code},
    )
    identity = (
        ExternalIdentity.objects.select_for_update()
        .filter(provider=provider, subject=subject)
        .select_related("user")
        .first()
    )
    created = False
    if identity is None:
        if not _desired(provider, link, claims) and not _employee_for(provider, link, claims):
            return no_role
        user = User(
            username=_username(provider, subject),
            first_name=claim_text(claims, provider.first_name_claim)[:150],
            last_name=claim_text(claims, provider.last_name_claim)[:150],
            email=claim_text(claims, provider.email_claim)[:254],
            organisation=link.organisation,
        )
        user.set_unusable_password()  # signs in through the provider only
        user.save()
        identity = ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
        created = True
        audit_record(
            actor=provider_actor(provider),
            action=AuditEntry.Action.CREATE,
            obj=user,
            organisation_id=link.organisation_id,
            changes={"gebruiker": user.username, "provider": provider.slug},
        )
    user = identity.user
    if not user.is_active:
        return _Refusal(
            "account uitgeschakeld",
            _("Uw account in Terugkeer is uitgeschakeld; vraag het aan uw functioneel beheerder."),
            {"subject": subject, "organisation_id": link.organisation_id},
        )
    if user.organisation_id != link.organisation_id:
        return _Refusal(
            "andere organisatie",
            _(
                "Uw account in Terugkeer hoort bij een andere organisatie dan de "
                "aanmeldingsdienst doorgeeft; vraag het aan uw functioneel beheerder."
            ),
            {"subject": subject, "organisation_id": link.organisation_id},
        )
    added, removed = sync_claimed_roles(provider, link, user, claims)
    _link_employee(provider, link, user, claims)
    if not user.roles.exists() and not user.employee_id:
        return no_role
    identity.last_sign_in = timezone.now()
    identity.save(update_fields=["last_sign_in"])
    return Outcome(user=user, created=created, added=tuple(added), removed=tuple(removed))


def _employee_for(provider, link, claims) -> bool:
    number = claim_text(claims, provider.personnel_number_claim)
    return (
        bool(number)
        and Employee.objects.filter(
            organisation_id=link.organisation_id,
            personnel_number=number,
            active=True,
            anonymised=False,
            user__isnull=True,
        ).exists()
    )
