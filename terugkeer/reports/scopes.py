"""Which report scopes a user may see: the one function that decides it (docs/reports.md).

A scope is the whole organisation, one policy domain or one entity. Reports are aggregated and
anonymous, so a scope is decided by the user's role assignments (accounts.access.grants) only:

- rapporteur, adviser and SMT member: the unit of their assignment (the whole organisation when
  none) and every policy domain and entity inside it;
- coach and HR: their own entity (or what their assignment covers, e.g. a whole local
  government);
- anyone else (line manager, physician, administrator): nothing.

The 4-week list names persons, so it is not a report: only coach and HR see it, for their own
entity, through the trajectories selector that applies the dossier scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from terugkeer.accounts.access import grants, has_role
from terugkeer.accounts.models import Role
from terugkeer.organisations.models import Organisation, Unit

WIDE_ROLES = frozenset({Role.REPORTER, Role.ADVISER, Role.SMT})
ENTITY_ROLES = frozenset({Role.COACH, Role.HR})
FOUR_WEEK_ROLES = (Role.COACH, Role.HR)


@dataclass(frozen=True)
class Scope:
    kind: str  # "organisation", "policy_domain" or "entity"
    pk: int
    organisation_id: int
    label: str
    local: bool = False  # a local government's scope (its committee is not the HOC/EOC)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def committee(self) -> str:
        """The consultation committee that receives the report: at the Flemish government the HOC
        for the whole organisation and an EOC per entity; at a local government the BOC
        (basisoverlegcomité) for the whole administration."""
        if self.local:
            return "BOC" if self.kind == "organisation" else ""
        return {"organisation": "HOC", "entity": "EOC"}.get(self.kind, "")

    def q(self, prefix: str = "") -> Q:
        """A filter on a model with an `entity` foreign key (Absence, Trajectory, Employee)."""
        if self.kind == "organisation":
            return Q(**{f"{prefix}entity__organisation_id": self.pk})
        if self.kind == "policy_domain":
            return Q(**{f"{prefix}entity__policy_domain_id": self.pk})
        return Q(**{f"{prefix}entity_id": self.pk})


def _unit_scope(unit: Unit, local: bool) -> Scope:
    kind = "policy_domain" if unit.kind == Unit.Kind.POLICY_DOMAIN else "entity"
    return Scope(kind, unit.pk, unit.organisation_id, unit.name, local)


def report_scopes_for(user) -> list[Scope]:
    """Every scope this user may see a report of, widest first. Empty: no reports at all."""
    organisations: set[int] = set()
    domains: set[int] = set()
    entities: set[int] = set()
    for g in grants(user):
        if g.role not in WIDE_ROLES | ENTITY_ROLES:
            continue
        if g.unit_id is None:
            organisations.add(g.organisation_id)
        elif g.unit_kind == Unit.Kind.POLICY_DOMAIN:
            domains.add(g.unit_id)
        elif g.unit_is_entity:
            entities.add(g.unit_id)
        # A grant on a team below an entity gives no report: its cells would be too small.
    if not (organisations or domains or entities):
        return []
    # Everything inside a wide grant is in scope too (an org grant covers its domains, entities).
    wide_org = {
        g.organisation_id
        for g in grants(user)
        if g.role in WIDE_ROLES and g.unit_id is None and g.organisation_id in organisations
    }
    units = (
        Unit.objects.filter(
            Q(organisation_id__in=wide_org, kind=Unit.Kind.POLICY_DOMAIN)
            | Q(organisation_id__in=wide_org, is_entity=True)
            | Q(pk__in=domains | entities)
            | Q(policy_domain_id__in=domains, is_entity=True)
        )
        .select_related("organisation")
        .order_by("kind", "name")
    )
    scopes = [
        Scope("organisation", o.pk, o.pk, o.name, o.kind == Organisation.Kind.LOCAL)
        for o in Organisation.objects.filter(pk__in=organisations).order_by("name")
    ]
    seen = set()
    for kind in ("policy_domain", "entity"):
        for unit in units:
            s = _unit_scope(unit, unit.organisation.kind == Organisation.Kind.LOCAL)
            if s.kind == kind and s.key not in seen:
                seen.add(s.key)
                scopes.append(s)
    return scopes


def scope_for(user, key: str | None) -> Scope:
    """The scope named by `key` if this user may see it (the first one when empty), else 404."""
    scopes = report_scopes_for(user)
    if not scopes:
        raise Http404
    if not key:
        return scopes[0]
    for s in scopes:
        if s.key == key:
            return s
    raise Http404


def can_see_four_week_list(user) -> bool:
    return has_role(user, *FOUR_WEEK_ROLES)
