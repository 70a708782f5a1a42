"""Writing the audit log. Called inside the same transaction as the write it records."""

from typing import Any

from terugkeer.audit.middleware import current_request_context
from terugkeer.audit.models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    employee_id: int | None = None,
    organisation_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
    context = current_request_context()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        user=actor if is_user else None,
        username=actor.get_username() if is_user else str(actor or "systeem"),
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        employee_id=employee_id,
        organisation_id=organisation_id,
        ip_address=context.get("ip_address") or None,
        path=context.get("path", ""),
        changes=changes or {},
    )


def audit_refused(*, actor: Any, reason: str, changes: dict[str, Any] | None = None, **fields):
    """A refused attempt (another scope's dossier, an escalation in the admin), with its reason:
    listed for HR and the DPO on "Rollen en toegang"."""
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.REFUSED,
        changes={**(changes or {}), "reden": reason},
        **fields,
    )
