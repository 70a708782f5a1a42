"""The providers, their organisations and claim mappings from a JSON file (docs/sso.md), for
installations that keep their configuration with the deployment rather than in the admin.

Declarative: each provider in the file is created or updated by its code; each organisation
link by (provider, code at the provider); the mappings of a link become exactly the file's.
Providers and links not in the file are left alone. All of it in one transaction, audited.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from terugkeer.accounts.access import SYSTEM
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.organisations.models import Organisation, Unit
from terugkeer.sso import clients
from terugkeer.sso.models import ClaimRoleMapping, IdentityProvider, ProviderOrganisation

PROVIDER_FIELDS = (
    "name",
    "kind",
    "issuer",
    "client_id",
    "scopes",
    "subject_claim",
    "organisation_claim",
    "roles_claim",
    "personnel_number_claim",
    "first_name_claim",
    "last_name_claim",
    "email_claim",
    "mfa_acr_values",
    "mfa_amr_values",
    "active",
)


def _organisation(name: str) -> Organisation:
    try:
        return Organisation.objects.get(name=name)
    except Organisation.DoesNotExist:
        raise ValidationError(f"organisation {name!r} does not exist") from None


def _unit(organisation: Organisation, code: str | None) -> Unit | None:
    if not code:
        return None
    try:
        return Unit.objects.get(organisation=organisation, code=code)
    except Unit.DoesNotExist:
        raise ValidationError(f"unit {code!r} not in {organisation.name!r}") from None


@transaction.atomic
def sso_configure(data: dict, *, actor=SYSTEM) -> list[str]:
    """Apply the file's configuration; returns one line per provider for the operator."""
    report = []
    for item in data.get("providers", []):
        slug = item["slug"]
        provider = IdentityProvider.objects.filter(slug=slug).first() or IdentityProvider(slug=slug)
        created = provider.pk is None
        for field in PROVIDER_FIELDS:
            if field in item:
                setattr(provider, field, item[field])
        provider.full_clean()  # refuses the rrn scope and an e-mail address as subject
        provider.save()
        clients.forget(provider)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            obj=provider,
            changes={f: str(getattr(provider, f)) for f in PROVIDER_FIELDS if f in item},
        )
        mappings = 0
        for org_item in item.get("organisations", []):
            organisation = _organisation(org_item["organisation"])
            link, _ = ProviderOrganisation.objects.update_or_create(
                provider=provider,
                external_id=org_item["code"],
                defaults={
                    "organisation": organisation,
                    "local_passwords": org_item.get("local_passwords", True),
                },
            )
            wanted = set()
            for role_item in org_item.get("roles", []):
                mapping = ClaimRoleMapping(
                    link=link,
                    claim_value=role_item["value"],
                    role=role_item["role"],
                    unit=_unit(organisation, role_item.get("unit")),
                )
                mapping.full_clean(validate_unique=False, validate_constraints=False)
                key = (mapping.claim_value, mapping.role, mapping.unit_id)
                wanted.add(key)
                ClaimRoleMapping.objects.get_or_create(
                    link=link,
                    claim_value=mapping.claim_value,
                    role=mapping.role,
                    unit=mapping.unit,
                )
            for existing in link.role_mappings.all():
                if (existing.claim_value, existing.role, existing.unit_id) not in wanted:
                    existing.delete()
            mappings += len(wanted)
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=link,
                organisation_id=organisation.pk,
                changes={
                    "provider": slug,
                    "code": link.external_id,
                    "wachtwoorden": link.local_passwords,
                    "rollen": sorted(f"{v} → {r} ({u or 'organisatie'})" for v, r, u in wanted),
                },
            )
        secret = "set" if clients.client_secret(provider) else "NOT SET"
        report.append(
            f"{slug}: {'created' if created else 'updated'}, "
            f"{len(item.get('organisations', []))} organisation code(s), {mappings} mapping(s); "
            f"{provider.secret_variable} {secret}"
        )
    return report
