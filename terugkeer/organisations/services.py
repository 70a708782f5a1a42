"""Writes to the organisation tree and the employees."""

from django.db import transaction

from terugkeer.organisations.models import Employee, Organisation, Unit


def unit_create(
    *,
    organisation: Organisation,
    name: str,
    code: str,
    kind: str,
    parent: Unit | None = None,
    is_entity: bool = False,
) -> Unit:
    """Create a unit, keeping its denormalised entity and policy domain right."""
    unit = Unit(
        organisation=organisation,
        parent=parent,
        name=name,
        code=code,
        kind=kind,
        is_entity=is_entity,
    )
    unit_derive_scope(unit)
    unit.save()
    if is_entity and unit.entity_id is None:
        Unit.objects.filter(pk=unit.pk).update(entity=unit)
        unit.entity = unit
    if kind == Unit.Kind.POLICY_DOMAIN:
        Unit.objects.filter(pk=unit.pk).update(policy_domain=unit)
        unit.policy_domain = unit
    return unit


def unit_derive_scope(unit: Unit) -> None:
    """Set unit.entity and unit.policy_domain from its parent (before save)."""
    parent = unit.parent
    if unit.is_entity:
        unit.entity = unit if unit.pk else None
    else:
        unit.entity = parent.entity if parent else None
    if unit.kind == Unit.Kind.POLICY_DOMAIN:
        unit.policy_domain = unit if unit.pk else None
    else:
        unit.policy_domain = parent.policy_domain if parent else None


@transaction.atomic
def unit_rescope(unit: Unit) -> int:
    """After a unit is saved or moved: recompute its own scope, its subtree's and the entity of
    the employees below it. Returns how many units were updated. (Trajectories and absences
    keep the entity they had when they happened, for the reports of past years.)"""
    unit_derive_scope(unit)
    Unit.objects.filter(pk=unit.pk).update(entity=unit.entity, policy_domain=unit.policy_domain)
    Employee.objects.filter(unit=unit).update(entity=unit.entity)
    count = 1
    for child in Unit.objects.filter(parent=unit):
        child.parent = unit
        count += unit_rescope(child)
    return count


@transaction.atomic
def employee_upsert(*, organisation: Organisation, personnel_number: str, **fields) -> Employee:
    unit: Unit = fields["unit"]
    fields["entity_id"] = unit.entity_id
    employee, _created = Employee.objects.update_or_create(
        organisation=organisation, personnel_number=personnel_number, defaults=fields
    )
    return employee
