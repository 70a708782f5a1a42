"""What is ready and what is missing in an organisation's set-up, decided from its data (not
from which steps were clicked through): counts only, no personal data."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from terugkeer.accounts.models import Role, RoleAssignment
from terugkeer.onboarding.models import OrganisationSetup
from terugkeer.organisations.models import Employee, Organisation, Unit
from terugkeer.toolbox.models import Handelingskader, SupportMeasure, WelfareActor


@dataclass(frozen=True)
class Item:
    step: str
    label: str | Promise
    ready: bool
    detail: str
    required: bool = True


def _roles(organisation: Organisation) -> dict[str, tuple[int, int]]:
    """Per role: (confirmed assignments of active users, assignments waiting for a second
    beheerder)."""
    counts: dict[str, list[int]] = {}
    for role, confirmed in RoleAssignment.objects.filter(
        organisation=organisation, user__is_active=True
    ).values_list("role", "confirmed_at"):
        pair = counts.setdefault(role, [0, 0])
        pair[0 if confirmed else 1] += 1
    return {role: (a, b) for role, (a, b) in counts.items()}


def _role_item(roles, role: Role, *, required: bool = True) -> Item:
    confirmed, waiting = roles.get(role, (0, 0))
    detail = ngettext("%(n)d actief", "%(n)d actief", confirmed) % {"n": confirmed}
    if waiting:
        detail += ", " + _("%(n)d wacht op bevestiging door een tweede beheerder") % {"n": waiting}
    return Item("gebruikers", role.label, confirmed > 0, detail, required)


def checklist(organisation: Organisation) -> list[Item]:
    setup = OrganisationSetup.objects.filter(organisation=organisation).first()
    units = Unit.objects.filter(organisation=organisation)
    entities = units.filter(is_entity=True).count()
    employees = Employee.objects.filter(organisation=organisation, active=True)
    employee_count = employees.count()
    without_manager = employees.filter(manager__isnull=True).count()
    framework = Handelingskader.objects.filter(organisation=organisation).first()
    actors = WelfareActor.objects.filter(organisation=organisation, active=True).count()
    measures = SupportMeasure.objects.filter(organisation=organisation, active=True).count()
    roles = _roles(organisation)
    beheerders = roles.get(Role.ADMIN, (0, 0))[0]
    weeks = setup.alignment_interval_weeks if setup else None
    return [
        Item(
            "organisatie",
            _("Aansluitingsnummer externe preventiedienst"),
            bool(organisation.prevention_affiliation),
            organisation.prevention_affiliation or _("nog niet ingevuld"),
        ),
        Item(
            "eenheden",
            _("Eenheden met minstens één entiteit"),
            entities > 0,
            _("%(units)d eenheden, %(entities)d entiteit(en)")
            % {"units": units.count(), "entities": entities},
        ),
        Item(
            "medewerkers",
            _("Medewerkers"),
            employee_count > 0,
            _("%(n)d actieve medewerkers") % {"n": employee_count},
        ),
        Item(
            "medewerkers",
            _("Medewerkers met een leidinggevende"),
            employee_count > 0 and without_manager == 0,
            _("%(n)d zonder leidinggevende") % {"n": without_manager},
            required=False,
        ),
        Item(
            "handelingskader",
            _("Handelingskader"),
            framework is not None,
            (
                _("versie %(n)d, geldig vanaf %(day)s")
                % {
                    "n": framework.number,
                    "day": framework.effective_from.strftime("%d/%m/%Y"),
                }
            )
            if framework
            else _("nog geen versie"),
        ),
        Item(
            "catalogus",
            _("Welzijnsactoren en ondersteuningsmaatregelen"),
            actors > 0 and measures > 0,
            _("%(actors)d welzijnsactoren, %(measures)d maatregelen")
            % {"actors": actors, "measures": measures},
        ),
        _role_item(roles, Role.COACH),
        _role_item(roles, Role.HR),
        _role_item(roles, Role.MANAGER, required=False),
        _role_item(roles, Role.PHYSICIAN, required=False),
        Item(
            "gebruikers",
            _("Een tweede functioneel beheerder (vier ogen)"),
            beheerders >= 2,
            _("%(n)d actief; met één beheerder gelden toegekende rollen meteen")
            % {"n": beheerders},
            required=False,
        ),
        Item(
            "afstemming",
            _("Periodieke afstemming leidinggevenden en HR"),
            bool(weeks),
            (_("om de %(n)d weken") % {"n": weeks}) if weeks else _("nog niet gekozen"),
        ),
    ]


def missing_required(items: list[Item]) -> list[Item]:
    return [item for item in items if item.required and not item.ready]
