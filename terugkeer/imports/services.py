"""Importing units, employees and absences from an HR or payroll file.

Nothing is half done: the whole file is validated first (streamed, in chunks), and only a file
without a single bad row is written, in one transaction, with bulk inserts and updates. A dry run
does the validation and the comparison with the database and writes nothing but its ImportRun row.

Absences are upserted by (personnel number, first day); overlapping or adjacent periods (the
next starts at most one day after the previous ends) are merged into one absence, also with the
absences already in the database. New and changed absences then go through
trajectories.services.absence_attach, exactly as a manual entry: the trajectory is opened or
linked, relapses are marked and the next obligation is refreshed by the rules engine. To keep
100,000 rows fast, absence_attach is only called where it can do something (the employee has
an open trajectory, the absence is a relapse, or it reached the policy's threshold); for the
others it would return None without a write, so skipping it changes nothing.
"""

from __future__ import annotations

import hashlib
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from terugkeer.accounts.access import SYSTEM, grants, is_admin, user_or_none
from terugkeer.accounts.models import Role, User
from terugkeer.audit.middleware import current_request_context
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.bulk import bulk_insert_rows, bulk_update_rows
from terugkeer.imports import parsing as p
from terugkeer.imports.models import ImportRun
from terugkeer.organisations.models import Employee, Organisation, Unit
from terugkeer.organisations.services import unit_create
from terugkeer.reports import cache as report_cache
from terugkeer.trajectories import services as trajectory_services
from terugkeer.trajectories.dates import check_dates, date_problem
from terugkeer.trajectories.models import Absence, Event, Trajectory

CHUNK = 2000
EMPLOYEE_CHUNK = 500
MAX_ERRORS = 10_000  # kept in the run (and in the CSV download); the page shows 500
MAX_CHANGES = 200
MAX_UNIT_ROWS = 10_000


@dataclass(frozen=True)
class Step:
    """Where a run is: rows checked, or employees compared or written, of about how many."""

    phase: str  # ImportRun.Phase
    done: int
    total: int
    errors: int = 0

    def message(self) -> str:
        if self.phase == ImportRun.Phase.CHECKING:
            return _("%(n)s rijen gelezen (van ongeveer %(total)s), %(errors)s fouten") % {
                "n": self.done,
                "total": self.total,
                "errors": self.errors,
            }
        if self.phase == ImportRun.Phase.WRITING:
            return _("%(n)s van %(total)s medewerkers weggeschreven") % {
                "n": self.done,
                "total": self.total,
            }
        return _("%(n)s van %(total)s medewerkers vergeleken") % {
            "n": self.done,
            "total": self.total,
        }


Progress = Callable[[Step], None]


# --- who may import what ----------------------------------------------------------------------


@dataclass(frozen=True)
class ImportScope:
    """What an actor may import for one organisation: everything, or employees of some units."""

    full: bool
    unit_ids: frozenset[int] = frozenset()

    def allows_unit(self, unit_id: int) -> bool:
        return self.full or unit_id in self.unit_ids


def import_organisations(user) -> list[Organisation]:
    """The organisations this user may import for (HR or functioneel beheerder)."""
    if user is SYSTEM or getattr(user, "is_superuser", False):
        return list(Organisation.objects.all())
    ids = {g.organisation_id for g in grants(user) if g.role in (Role.HR, Role.ADMIN)}
    return list(Organisation.objects.filter(pk__in=ids))


def may_import(user) -> bool:
    return bool(user is SYSTEM or is_admin(user) or any(g.role == Role.HR for g in grants(user)))


def import_scope(actor, organisation: Organisation) -> ImportScope | None:
    """None: no right at all. HR of an entity imports employees and absences of its entity only;
    HR of the whole organisation, the functioneel beheerder and scheduled imports import all."""
    if actor is SYSTEM or getattr(actor, "is_superuser", False) or getattr(actor, "api_key", None):
        return ImportScope(full=True)
    own = [g for g in grants(actor) if g.organisation_id == organisation.pk]
    if any(g.role == Role.ADMIN for g in own):
        return ImportScope(full=True)
    hr = [g for g in own if g.role == Role.HR]
    if not hr:
        return None
    if any(g.unit_id is None for g in hr):
        return ImportScope(full=True)
    units = Unit.objects.filter(organisation=organisation)
    ids: set[int] = set()
    for g in hr:
        if g.unit_kind == Unit.Kind.POLICY_DOMAIN:
            ids |= set(units.filter(policy_domain_id=g.unit_id).values_list("pk", flat=True))
        elif g.unit_is_entity:
            ids |= set(units.filter(entity_id=g.unit_id).values_list("pk", flat=True))
        else:
            ids.add(g.unit_id)
    return ImportScope(full=False, unit_ids=frozenset(ids))


# --- the outcome of one run -------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str = ""
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    merged: int = 0
    trajectories: int = 0
    error_count: int = 0
    errors: list[list[Any]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    changes: list[list[Any]] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)

    def error(self, row: int, column: str, value: Any, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append([row, column, p.shown(value), str(message)])

    def stray(self, number: int, values: list[Any], table: p.Table) -> bool:
        """Refuse a row with a cell in a column without a header (True: the row is refused)."""
        stray = table.stray_cell(values)
        if stray is None:
            return False
        position, value = stray
        self.error(
            number,
            _("kolom %(n)s (zonder kolomnaam)") % {"n": position},
            value,
            _(
                "Deze rij heeft een cel in een kolom zonder kolomnaam (meer cellen dan de "
                "kopregel). Verwijder de cel of geef de kolom een naam."
            ),
        )
        return True

    def change(self, row: int | str, key: str, action: str, description: str) -> None:
        if len(self.changes) < MAX_CHANGES:
            self.changes.append([row, key, action, description])


class _PaddedNumbers:
    """The organisation's personnel numbers with leading zeros, by their value: to recognise
    777 as 000777 when a spreadsheet dropped the zeros. Read once, and only when needed."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self._by_value: dict[int, str] | None = None

    def lookup(self, number: str) -> str | None:
        if not number.isdigit() or len(number) > 18:
            return None
        if self._by_value is None:
            self._by_value = {
                int(n): n
                for n in Employee.objects.filter(
                    organisation=self.organisation, personnel_number__startswith="0"
                ).values_list("personnel_number", flat=True)
                if n.isdigit()
            }
        padded = self._by_value.get(int(number))
        return padded if padded != number else None


def _lost_zeros_hint(padded: str) -> str:
    return _(
        "Bedoelt u %(padded)s? Excel laat voorloopnullen vallen: zet de kolom op ‘Tekst’ "
        "en bewaar opnieuw."
    ) % {"padded": padded}


class _Abort(Exception):
    """Raised inside the transaction when a second look finds errors: roll everything back."""


def _fmt(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _audit_rows(outcome: Outcome, actor, organisation: Organisation) -> None:
    """Bulk-insert the per-object audit rows collected for this chunk (same transaction).

    Every chunk that writes passes here: the organisation's cached reports are out of date
    (the bulk writes send no model signals)."""
    report_cache.organisation_changed([organisation.pk])
    if outcome.audit:
        bulk_insert_rows(AuditEntry, outcome.audit)
        outcome.audit = []


def _audit_entry(actor, organisation, action, object_type, object_id, employee_id, changes):
    context = current_request_context()
    is_user = getattr(actor, "is_authenticated", False)
    return AuditEntry(
        user=actor if is_user else None,
        username=actor.get_username() if is_user else str(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        employee_id=employee_id,
        organisation_id=organisation.pk,
        ip_address=context.get("ip_address") or None,
        path=context.get("path", ""),
        changes=changes,
    )


# --- units ------------------------------------------------------------------------------------

UNIT_KINDS = {
    **{k: k for k in Unit.Kind.values},
    "beleidsdomein": "policy_domain",
    "departement": "department",
    "agentschap": "agency",
    "bestuur": "administration",
    "dienst": "service",
    "policy domain": "policy_domain",
}


def _units(table: p.Table, outcome: Outcome, *, actor, organisation, scope, apply: bool) -> None:
    if not scope.full:
        outcome.error(
            0,
            "",
            "",
            _("Alleen HR van de hele organisatie of de functioneel beheerder importeert eenheden."),
        )
        return
    cols, heads = table.columns, table.headers
    existing = {u.code: u for u in Unit.objects.filter(organisation=organisation)}
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, values in table.rows:
        outcome.rows += 1
        if outcome.rows > MAX_UNIT_ROWS:
            outcome.error(number, "", "", _("Te veel eenheden in één bestand."))
            return
        row: dict[str, Any] = {"row": number}
        ok = not outcome.stray(number, values, table)
        for name, parse in (
            ("code", lambda v: p.cell_text(v, max_length=40, required=True)),
            ("name", lambda v: p.cell_text(v, max_length=200, required=True)),
            ("kind", lambda v: p.cell_text(v, max_length=40, required=True)),
            ("parent", lambda v: p.cell_text(v, max_length=40)),
            ("is_entity", lambda v: p.cell_bool(v, default=False)),
        ):
            raw = _cell(values, cols, name)
            if name not in cols:
                row[name] = "" if name != "is_entity" else False
                continue
            try:
                row[name] = parse(raw)
            except p.CellError as exc:
                outcome.error(number, heads[name], raw, str(exc))
                ok = False
        if not ok:
            continue
        kind = UNIT_KINDS.get(p.normalise(row["kind"]))
        if kind is None:
            outcome.error(number, heads["kind"], row["kind"], _("Onbekende soort eenheid."))
            continue
        row["kind"] = kind
        if row["code"] in seen:
            outcome.error(
                number,
                heads["code"],
                row["code"],
                _("Dubbele rij: deze code staat ook op rij %(row)s.") % {"row": seen[row["code"]]},
            )
            continue
        seen[row["code"]] = number
        rows.append(row)
    in_file = {r["code"] for r in rows}
    for row in rows:
        parent = row["parent"]
        if parent and parent not in in_file and parent not in existing:
            outcome.error(
                row["row"], heads.get("parent", ""), parent, _("Onbekende bovenliggende eenheid.")
            )
        if parent == row["code"]:
            outcome.error(
                row["row"], heads.get("parent", ""), parent, _("Een eenheid kan niet in zichzelf.")
            )
        unit = existing.get(row["code"])
        if unit is None:
            continue
        parent_code = unit.parent.code if unit.parent_id else ""
        if (
            unit.kind != row["kind"]
            or unit.is_entity != row["is_entity"]
            or ("parent" in cols and parent_code != parent)
        ):
            outcome.error(
                row["row"],
                heads["code"],
                row["code"],
                _(
                    "Soort, entiteit of bovenliggende eenheid van een bestaande eenheid wijzigen "
                    "kan niet via import (doe dit in het beheer)."
                ),
            )
    if outcome.error_count:
        return
    # Parents first.
    ordered: list[dict[str, Any]] = []
    placed = set(existing)
    pending = list(rows)
    while pending:
        ready = [r for r in pending if not r["parent"] or r["parent"] in placed]
        if not ready:
            for r in pending:
                outcome.error(
                    r["row"], heads.get("parent", ""), r["parent"], _("Kringverwijzing in de boom.")
                )
            return
        for r in ready:
            ordered.append(r)
            placed.add(r["code"])
        pending = [r for r in pending if r["code"] not in placed]
    for row in ordered:
        unit = existing.get(row["code"])
        if unit is None:
            outcome.new += 1
            outcome.change(row["row"], row["code"], _("nieuw"), row["name"])
            if apply:
                parent = existing.get(row["parent"]) if row["parent"] else None
                existing[row["code"]] = created = unit_create(
                    organisation=organisation,
                    name=row["name"],
                    code=row["code"],
                    kind=row["kind"],
                    parent=parent,
                    is_entity=row["is_entity"],
                )
                outcome.audit.append(
                    _audit_entry(
                        actor,
                        organisation,
                        "create",
                        "unit",
                        created.pk,
                        None,
                        {"code": row["code"]},
                    )
                )
        elif unit.name != row["name"]:
            outcome.changed += 1
            outcome.change(row["row"], row["code"], _("gewijzigd"), f"{unit.name} → {row['name']}")
            if apply:
                Unit.objects.filter(pk=unit.pk).update(name=row["name"])
                outcome.audit.append(
                    _audit_entry(
                        actor, organisation, "update", "unit", unit.pk, None, {"name": row["name"]}
                    )
                )
        else:
            outcome.unchanged += 1
    if apply:
        _audit_rows(outcome, actor, organisation)


def _cell(values: list[Any], cols: dict[str, int], name: str) -> Any:
    index = cols.get(name)
    if index is None or index >= len(values):
        return ""
    return values[index]


def _chunks(rows, size: int = CHUNK):
    batch = []
    for item in rows:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- employees --------------------------------------------------------------------------------

STATUTES = {
    "statutair": "statutair",
    "statutory": "statutair",
    "vastbenoemd": "statutair",
    "contractueel": "contractueel",
    "contractual": "contractueel",
    "contract": "contractueel",
}
EMPLOYEE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "unit_id",
    "manager_id",
    "statute",
    "work_regime",
    "active",
)


def _employees(
    table: p.Table, outcome: Outcome, *, actor, organisation, scope, apply: bool, progress
) -> None:
    cols, heads = table.columns, table.headers
    units = {
        code: (pk, entity_id)
        for code, pk, entity_id in Unit.objects.filter(organisation=organisation).values_list(
            "code", "pk", "entity_id"
        )
    }
    seen: dict[str, int] = {}
    present = {f for f in EMPLOYEE_FIELDS if f.removesuffix("_id") in cols}
    padded = _PaddedNumbers(organisation)
    for batch in _chunks(table.rows):
        parsed: list[dict[str, Any]] = []
        for number, values in batch:
            outcome.rows += 1
            stray = outcome.stray(number, values, table)
            row = _employee_row(number, values, cols, heads, outcome, units, scope)
            if row is None or stray:
                continue
            if row["personnel_number"] in seen:
                outcome.error(
                    number,
                    heads["personnel_number"],
                    row["personnel_number"],
                    _("Dubbele rij: dit personeelsnummer staat ook op rij %(row)s.")
                    % {"row": seen[row["personnel_number"]]},
                )
                continue
            seen[row["personnel_number"]] = number
            parsed.append(row)
        managers = {
            name: pk
            for name, pk in User.objects.filter(
                organisation=organisation,
                username__in={r["manager"] for r in parsed if r.get("manager")},
            ).values_list("username", "pk")
        }
        existing = {
            e.personnel_number: e
            for e in Employee.objects.filter(
                organisation=organisation,
                personnel_number__in=[r["personnel_number"] for r in parsed],
            )
        }
        to_create, to_update = [], []
        for row in parsed:
            if "manager" in cols:
                if row["manager"] and row["manager"] not in managers:
                    outcome.error(
                        row["row"],
                        heads["manager"],
                        row["manager"],
                        _("Onbekende gebruikersnaam van een leidinggevende in deze organisatie."),
                    )
                    continue
                row["manager_id"] = managers.get(row["manager"]) if row["manager"] else None
            employee = existing.get(row["personnel_number"])
            if employee is None and (zeros := padded.lookup(row["personnel_number"])):
                outcome.error(
                    row["row"],
                    heads["personnel_number"],
                    row["personnel_number"],
                    _("Er bestaat al een medewerker met personeelsnummer %(padded)s.")
                    % {"padded": zeros}
                    + " "
                    + _lost_zeros_hint(zeros),
                )
                continue
            if employee is None:
                outcome.new += 1
                outcome.change(row["row"], row["personnel_number"], _("nieuw"), row["label"])
                to_create.append(row)
                continue
            if not scope.allows_unit(employee.unit_id):
                outcome.error(
                    row["row"],
                    heads["personnel_number"],
                    row["personnel_number"],
                    _("Deze medewerker valt buiten uw bevoegdheid."),
                )
                continue
            diff = {f: row[f] for f in present if f in row and getattr(employee, f) != row[f]}
            if diff:
                outcome.changed += 1
                outcome.change(
                    row["row"],
                    row["personnel_number"],
                    _("gewijzigd"),
                    ", ".join(f"{k}: {getattr(employee, k)} → {v}" for k, v in diff.items()),
                )
                to_update.append((employee, diff))
            else:
                outcome.unchanged += 1
        if apply and not outcome.error_count:
            _employees_write(to_create, to_update, present, outcome, actor, organisation)
        if progress:
            phase = ImportRun.Phase.WRITING if apply else ImportRun.Phase.CHECKING
            progress(Step(phase, outcome.rows, table.estimated_rows, outcome.error_count))


def _employee_row(number, values, cols, heads, outcome, units, scope) -> dict[str, Any] | None:
    row: dict[str, Any] = {"row": number}
    ok = True
    specs = {
        "personnel_number": lambda v: p.cell_text(v, max_length=30, required=True),
        "first_name": lambda v: p.cell_text(v, max_length=100, required=True),
        "last_name": lambda v: p.cell_text(v, max_length=100, required=True),
        "email": lambda v: p.cell_text(v, max_length=254),
        "unit": lambda v: p.cell_text(v, max_length=40, required=True),
        "manager": lambda v: p.cell_text(v, max_length=150),
        "statute": lambda v: p.cell_text(v, max_length=30, required=True),
        "work_regime": lambda v: p.cell_int(v, low=1, high=100, default=100),
        "active": lambda v: p.cell_bool(v, default=True),
    }
    for name, parse in specs.items():
        if name not in cols:
            continue
        raw = _cell(values, cols, name)
        try:
            row[name] = parse(raw)
        except p.CellError as exc:
            outcome.error(number, heads[name], raw, str(exc))
            ok = False
    if not ok:
        return None
    if row.get("email"):
        try:
            validate_email(row["email"])
        except DjangoValidationError:
            outcome.error(number, heads["email"], row["email"], _("Geen geldig e-mailadres."))
            ok = False
    statute = STATUTES.get(p.normalise(row["statute"]))
    if statute is None:
        outcome.error(
            number, heads["statute"], row["statute"], _("Verwacht statutair of contractueel.")
        )
        ok = False
    unit = units.get(row["unit"])
    if unit is None:
        outcome.error(number, heads["unit"], row["unit"], _("Onbekende eenheidscode."))
        ok = False
    elif not scope.allows_unit(unit[0]):
        outcome.error(
            number, heads["unit"], row["unit"], _("Deze eenheid valt buiten uw bevoegdheid.")
        )
        ok = False
    if not ok:
        return None
    row["statute"] = statute
    row["unit_id"], row["entity_id"] = unit
    row["label"] = f"{row['first_name']} {row['last_name']}"
    return row


def _employees_write(to_create, to_update, present, outcome, actor, organisation) -> None:
    created = Employee.objects.bulk_create(
        [
            Employee(
                organisation=organisation,
                personnel_number=row["personnel_number"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                email=row.get("email", ""),
                unit_id=row["unit_id"],
                entity_id=row["entity_id"],
                manager_id=row.get("manager_id"),
                statute=row["statute"],
                work_regime=row.get("work_regime", 100),
                active=row.get("active", True),
            )
            for row in to_create
        ]
    )
    for employee in created:
        outcome.audit.append(
            _audit_entry(
                actor,
                organisation,
                "create",
                "employee",
                employee.pk,
                employee.pk,
                {"personnel_number": employee.personnel_number, "import": True},
            )
        )
    fields = set()
    updated = []
    for employee, diff in to_update:
        for key, value in diff.items():
            setattr(employee, key, value)
            fields.add(key)
        if "unit_id" in diff:
            employee.entity_id = Unit.objects.values_list("entity_id", flat=True).get(
                pk=diff["unit_id"]
            )
            fields.add("entity_id")
        updated.append(employee)
        outcome.audit.append(
            _audit_entry(
                actor,
                organisation,
                "update",
                "employee",
                employee.pk,
                employee.pk,
                {k: str(v) for k, v in diff.items()} | {"import": True},
            )
        )
    if updated:
        Employee.objects.bulk_update(updated, sorted(fields), batch_size=500)
    _audit_rows(outcome, actor, organisation)


# --- absences ---------------------------------------------------------------------------------

# Per employee, a flat array of (first_day, end_day, expected_end, row) as ordinals (0 = none):
# 32 bytes a row, so that 100,000 rows take a few MB.
_STRIDE = 4


@dataclass
class _Collected:
    periods: dict[int, array] = field(default_factory=dict)
    numbers: dict[int, str] = field(default_factory=dict)
    entities: dict[int, int] = field(default_factory=dict)


def _absences_collect(table: p.Table, outcome: Outcome, *, organisation, scope, progress):
    cols, heads = table.columns, table.headers
    collected = _Collected()
    padded = _PaddedNumbers(organisation)
    on = trajectory_services.today()  # read once: the plausibility check needs today per date
    for batch in _chunks(table.rows):
        parsed = []
        for number, values in batch:
            outcome.rows += 1
            stray = outcome.stray(number, values, table)
            row = _absence_row(number, values, cols, heads, outcome, on)
            if row is not None and not stray:
                parsed.append(row)
        wanted = {r[0] for r in parsed}
        employees = Employee.objects.filter(organisation=organisation, personnel_number__in=wanted)
        if not scope.full:
            employees = employees.filter(unit_id__in=scope.unit_ids)
        found = {
            num: (pk, entity_id)
            for num, pk, entity_id in employees.values_list("personnel_number", "pk", "entity_id")
        }
        for pnr, first, end, expected, number in parsed:
            hit = found.get(pnr)
            if hit is None:
                message = _(
                    "Onbekend personeelsnummer in deze organisatie (of buiten uw bevoegdheid)."
                )
                if zeros := padded.lookup(pnr):
                    message += " " + _lost_zeros_hint(zeros)
                outcome.error(number, heads["personnel_number"], pnr, message)
                continue
            pk, entity_id = hit
            periods = collected.periods.get(pk)
            if periods is None:
                periods = collected.periods[pk] = array("q")
                collected.numbers[pk] = pnr
                collected.entities[pk] = entity_id
            periods.extend(
                (
                    first.toordinal(),
                    end.toordinal() if end else 0,
                    expected.toordinal() if expected else 0,
                    number,
                )
            )
        if progress:
            progress(
                Step(
                    ImportRun.Phase.CHECKING,
                    outcome.rows,
                    table.estimated_rows,
                    outcome.error_count,
                )
            )
    # The same employee and first day twice is a mistake in the file, not something to merge.
    for periods in collected.periods.values():
        firsts: dict[int, int] = {}
        for i in range(0, len(periods), _STRIDE):
            first, row = periods[i], periods[i + 3]
            if first in firsts:
                outcome.error(
                    row,
                    heads["first_day"],
                    _fmt(date.fromordinal(first)),
                    _("Dubbele rij: dezelfde medewerker en eerste dag staan ook op rij %(row)s.")
                    % {"row": firsts[first]},
                )
            else:
                firsts[first] = row
    return collected


def _absence_row(number, values, cols, heads, outcome, on: date):
    ok = True
    raw = _cell(values, cols, "personnel_number")
    try:
        pnr = p.cell_text(raw, max_length=30, required=True)
    except p.CellError as exc:
        outcome.error(number, heads["personnel_number"], raw, str(exc))
        ok = False
    days: dict[str, date | None] = {}
    for name in ("first_day", "end_day", "expected_end"):
        raw = _cell(values, cols, name)
        try:
            days[name] = p.cell_date(raw, required=name == "first_day")
        except p.CellError as exc:
            outcome.error(number, heads[name], raw, str(exc))
            ok = False
            continue
        if (problem := date_problem(days[name], on=on)) is not None:
            outcome.error(number, heads[name], raw, problem)
            ok = False
    if not ok:
        return None
    first, end, expected = days["first_day"], days["end_day"], days["expected_end"]
    if end and end < first:
        outcome.error(
            number, heads["end_day"], _fmt(end), _("De laatste dag ligt voor de eerste dag.")
        )
        return None
    if expected and expected < first:
        outcome.error(
            number,
            heads["expected_end"],
            _fmt(expected),
            _("De verwachte einddatum ligt voor de eerste dag."),
        )
        return None
    return pnr, first, end, expected, number


_OPEN = 10**9


@dataclass
class _Member:
    first: int
    end: int  # 0 = open
    expected: int
    row: int = 0  # 0 = from the database only
    pk: int | None = None
    trajectory_id: int | None = None
    original: tuple[int, int, int] | None = None


def _group(members: list[_Member]) -> list[list[_Member]]:
    """Merge overlapping or adjacent periods (next first day <= previous last day + 1)."""
    members.sort(key=lambda m: (m.first, m.pk or 0))
    groups: list[list[_Member]] = []
    reach = -1
    for m in members:
        if groups and m.first <= reach + 1:
            groups[-1].append(m)
        else:
            groups.append([m])
            reach = -1
        reach = max(reach, m.end or _OPEN)
    return groups


def _absences_apply(
    collected: _Collected, outcome: Outcome, *, actor, organisation, apply, progress
):
    policy = trajectory_services.policy_for(organisation)
    on = trajectory_services.today()
    creator = user_or_none(actor)
    employee_ids = list(collected.periods)
    for start in range(0, len(employee_ids), EMPLOYEE_CHUNK):
        chunk = employee_ids[start : start + EMPLOYEE_CHUNK]
        existing: dict[int, list[_Member]] = {pk: [] for pk in chunk}
        for pk, emp, first, end, expected, trajectory_id in Absence.objects.filter(
            employee_id__in=chunk
        ).values_list("pk", "employee_id", "first_day", "end_day", "expected_end", "trajectory_id"):
            values = (
                first.toordinal(),
                end.toordinal() if end else 0,
                expected.toordinal() if expected else 0,
            )
            existing[emp].append(
                _Member(*values, pk=pk, trajectory_id=trajectory_id, original=values)
            )
        creates: list[tuple[int, Absence]] = []
        updates: list[Absence] = []
        deletes: list[tuple[int, int]] = []
        touched: dict[int, list[tuple[Absence, int | None]]] = {}
        for emp in chunk:
            periods = collected.periods[emp]
            by_first = {m.first: m for m in existing[emp]}
            members = list(existing[emp])
            for i in range(0, len(periods), _STRIDE):
                first, end, expected, row = periods[i : i + _STRIDE]
                match = by_first.get(first)
                if match is not None:
                    # Upsert by first day: the file's values replace the stored ones.
                    match.end, match.expected, match.row = end, expected, row
                else:
                    members.append(_Member(first, end, expected, row=row))
            pnr = collected.numbers[emp]
            for group in _group(members):
                rows = [m.row for m in group if m.row]
                if not rows:
                    continue
                first = group[0].first
                end = 0 if any(m.end == 0 for m in group) else max(m.end for m in group)
                expected = max(m.expected for m in group)
                target = (first, end, expected)
                stored = [m for m in group if m.pk]
                # The sample of changes is short: its words and labels only while it fills.
                sampling = len(outcome.changes) < MAX_CHANGES
                if not stored:
                    outcome.new += 1
                    outcome.merged += len(group) - 1
                    if sampling:
                        outcome.change(min(rows), pnr, _("nieuw"), _period(first, end))
                    absence = Absence(
                        employee_id=emp,
                        entity_id=collected.entities[emp],
                        first_day=_day(first),
                        end_day=_day(end),
                        expected_end=_day(expected),
                        created_by=creator,
                    )
                    creates.append((emp, absence))
                    touched.setdefault(emp, []).append((absence, None))
                    continue
                keep = stored[0]
                if keep.original == target and len(stored) == 1:
                    outcome.unchanged += 1
                    continue
                outcome.changed += 1
                # Periods merged into one: the file's rows and stored absences beyond the first.
                outcome.merged += len(group) - 1
                if sampling:
                    outcome.change(min(rows), pnr, _("gewijzigd"), _period(first, end))
                trajectory_id = keep.trajectory_id or next(
                    (m.trajectory_id for m in stored if m.trajectory_id), None
                )
                absence = Absence(
                    pk=keep.pk,
                    employee_id=emp,
                    entity_id=collected.entities[emp],
                    first_day=_day(first),
                    end_day=_day(end),
                    expected_end=_day(expected),
                    trajectory_id=trajectory_id,
                )
                updates.append(absence)
                deletes.extend((m.pk, emp) for m in stored[1:])
                touched.setdefault(emp, []).append((absence, trajectory_id))
        if apply:
            _absences_write(
                creates, updates, deletes, touched, outcome, actor, organisation, policy, on
            )
        if progress:
            phase = ImportRun.Phase.WRITING if apply else ImportRun.Phase.COMPARING
            done = min(start + EMPLOYEE_CHUNK, len(employee_ids))
            progress(Step(phase, done, len(employee_ids), outcome.error_count))


def _period(first: int, end: int) -> str:
    return f"{_fmt(_day(first))}–{_fmt(_day(end))}"


def _day(ordinal: int) -> date | None:
    return date.fromordinal(ordinal) if ordinal else None


def _absences_write(creates, updates, deletes, touched, outcome, actor, organisation, policy, on):
    if deletes:
        Absence.objects.filter(pk__in=[pk for pk, _emp in deletes]).delete()
    # The trajectories first (opened in bulk): the absences are then written with their link.
    to_refresh = _attach(touched, outcome, actor, organisation, policy, on)
    if updates:
        bulk_update_rows(Absence, updates, ["first_day", "end_day", "expected_end", "trajectory"])
    if creates:
        bulk_insert_rows(Absence, [a for _emp, a in creates])
    # One audit row per employee and chunk, listing what the import did to their absences.
    per_employee: dict[int, dict[str, list]] = {}
    for pk, emp in deletes:
        per_employee.setdefault(emp, {}).setdefault("merged_away", []).append(pk)
    for action, emp, absence in [("updated", a.employee_id, a) for a in updates] + [
        ("created", emp, a) for emp, a in creates
    ]:
        per_employee.setdefault(emp, {}).setdefault(action, []).append(
            [
                absence.pk,
                absence.first_day.isoformat(),
                absence.end_day.isoformat() if absence.end_day else None,
            ]
        )
    for emp, changes in per_employee.items():
        outcome.audit.append(
            _audit_entry(
                actor,
                organisation,
                AuditEntry.Action.IMPORT,
                "absence",
                "",
                emp,
                {"import": True, **changes},
            )
        )
    _audit_rows(outcome, actor, organisation)
    # In batches (events, absences and the policy read per 500, one bulk update), as the daily
    # run does: the same obligations as trajectory_refresh one by one, at a fraction of the
    # queries.
    trajectory_services.trajectories_refresh(
        Trajectory.objects.filter(pk__in=to_refresh, closed_on__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True),
        on=on,
    )
    # The report milestones of every employee whose absences or events changed, in bulk.
    trajectory_services.milestones_refresh(
        employee_ids={*touched, *(emp for _pk, emp in deletes), *(a.employee_id for a in updates)}
    )


@dataclass
class _Opened:
    """A trajectory that the import opens (written in bulk after the chunk is decided)."""

    employee_id: int
    started_on: date
    relapse_of_id: int | None
    absences: list[Absence] = field(default_factory=list)
    pk: int | None = None


def _attach(touched, outcome: Outcome, actor, organisation, policy, on: date) -> set[int]:
    """Let the trajectories follow the imported absences, as absence_register would.

    This is trajectories.services.absence_attach for many absences at once. Per employee, in
    date order, with the open trajectory and the last return to work read once per chunk:
    an absence of an employee with an open trajectory is linked to it (and marks a relapse when
    the return it follows was in that trajectory); otherwise an absence that reaches the
    policy's threshold, or follows a return within the relapse window, opens a trajectory
    (linked to the one it relapses from, lead as in trajectory_open). The trajectories, links,
    relapse events and audit rows are then written in bulk, and every touched trajectory is
    refreshed by the rules engine once, instead of once per absence. tests/imports checks that
    the result equals absence_register's.
    """
    if not touched:
        return set()
    emp_ids = list(touched)
    open_for: dict[int, tuple[int | _Opened, date | None]] = {
        emp: (pk, start)
        for emp, pk, start in Trajectory.objects.filter(
            employee_id__in=emp_ids, closed_on__isnull=True
        ).values_list("employee_id", "pk", "absence_start")
    }
    last_return = {
        emp: (day, trajectory_id)
        for emp, day, trajectory_id in Event.objects.filter(
            trajectory__employee_id__in=emp_ids, type="return_to_work"
        )
        .order_by("trajectory__employee_id", "date", "pk")
        .values_list("trajectory__employee_id", "date", "trajectory_id")
    }  # the last one per employee wins
    employees = {
        pk: (organisation_id, entity_id, manager_id)
        for pk, organisation_id, entity_id, manager_id in Employee.objects.filter(
            pk__in=emp_ids
        ).values_list("pk", "organisation_id", "entity_id", "manager_id")
    }
    links: dict[int, list[Absence]] = {}
    starts: dict[int, date] = {}
    relapses: list[tuple[int | _Opened, date]] = []
    opened: list[_Opened] = []
    to_refresh: set[int] = set()
    creator = user_or_none(actor)

    for emp, items in touched.items():
        for absence, trajectory_id in sorted(items, key=lambda item: item[0].first_day):
            if trajectory_id:
                # Already linked: the trajectory's obligations follow the new dates.
                to_refresh.add(trajectory_id)
                continue
            returned = last_return.get(emp)
            relapse = bool(
                returned
                and returned[0] <= absence.first_day
                and (absence.first_day - returned[0]).days <= policy.relapse_window_days
            )
            current = open_for.get(emp)
            if current:
                target, start = current
                if isinstance(target, _Opened):
                    target.absences.append(absence)
                    continue
                links.setdefault(target, []).append(absence)
                if start is None and target not in starts:
                    starts[target] = absence.first_day
                if relapse and returned[1] == target:
                    relapses.append((target, absence.first_day))
                to_refresh.add(target)
                continue
            lasted = ((absence.end_day or on) - absence.first_day).days + 1
            if not relapse and lasted < policy.trajectory_threshold_days:
                continue  # absence_attach would do nothing
            new = _Opened(emp, absence.first_day, returned[1] if relapse else None, [absence])
            opened.append(new)
            open_for[emp] = (new, absence.first_day)
            if relapse:
                relapses.append((new, absence.first_day))

    if opened:
        trajectories = Trajectory.objects.bulk_create(
            [
                Trajectory(
                    employee_id=o.employee_id,
                    organisation_id=employees[o.employee_id][0],
                    entity_id=employees[o.employee_id][1],
                    kind=Trajectory.Kind.REACTIVE,
                    absence_start=o.started_on,
                    started_on=o.started_on,
                    relapse_of_id=o.relapse_of_id,
                    lead=Trajectory.Lead.MANAGER
                    if employees[o.employee_id][2]
                    else Trajectory.Lead.COACH,
                )
                for o in opened
            ],
            batch_size=500,
        )
        for o, trajectory in zip(opened, trajectories, strict=True):
            o.pk = trajectory.pk
            links.setdefault(trajectory.pk, []).extend(o.absences)
            to_refresh.add(trajectory.pk)
            outcome.audit.append(
                _audit_entry(
                    actor,
                    organisation,
                    "create",
                    "trajectory",
                    trajectory.pk,
                    o.employee_id,
                    {"kind": "reactive", "started_on": o.started_on.isoformat(), "import": True},
                )
            )
        outcome.trajectories += len(opened)
    if relapses:
        # The event carries its trajectory's organisation and entity (models.placed_in).
        place = {
            pk: (org, entity)
            for pk, org, entity in Trajectory.objects.filter(
                pk__in=[t for t, _day in relapses if not isinstance(t, _Opened)]
            ).values_list("pk", "organisation_id", "entity_id")
        }
        for t, _day in relapses:
            if isinstance(t, _Opened):
                place[t.pk] = employees[t.employee_id][:2]
        Event.objects.bulk_create(
            [
                Event(
                    trajectory_id=pk,
                    organisation_id=place[pk][0],
                    entity_id=place[pk][1],
                    type="relapse",
                    date=day,
                    created_by=creator,
                )
                for pk, day in ((t.pk if isinstance(t, _Opened) else t, day) for t, day in relapses)
            ],
            batch_size=500,
        )
    # The links go with the absences' own insert or update (_absences_write), not a second
    # bulk update: Django's CASE WHEN per row was a third of the import's time.
    for trajectory_id, linked in links.items():
        for absence in linked:
            absence.trajectory_id = trajectory_id
    for trajectory_id, start in starts.items():
        Trajectory.objects.filter(pk=trajectory_id, absence_start__isnull=True).update(
            absence_start=start
        )
    return to_refresh


# --- the entry point --------------------------------------------------------------------------


def sha256_of(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _run(table, outcome, *, actor, organisation, scope, apply, progress):
    if table.kind == p.UNITS:
        _units(table, outcome, actor=actor, organisation=organisation, scope=scope, apply=apply)
    elif table.kind == p.EMPLOYEES:
        _employees(
            table,
            outcome,
            actor=actor,
            organisation=organisation,
            scope=scope,
            apply=apply,
            progress=progress,
        )


def import_file(
    *,
    actor,
    organisation: Organisation,
    path: Path | str,
    file_name: str,
    dry_run: bool,
    keep_upload: bool = False,
    progress: Progress | None = None,
    run: ImportRun | None = None,
) -> ImportRun:
    """Validate the file and, unless dry_run or a row is bad, import it in one transaction.

    `run`: the queued run this fills in (a background import, imports.tasks), whose `upload`
    already holds the file; without it a new ImportRun row is made at the end."""
    scope = import_scope(actor, organisation)
    if scope is None:
        raise PermissionDenied(_("U mag niet importeren voor deze organisatie."))
    started = time.monotonic()
    digest = sha256_of(path)
    outcome = Outcome()
    collected = None
    estimated = 0
    try:
        table = p.open_table(path)
        estimated = table.estimated_rows
        outcome.kind = table.kind
        outcome.ignored = table.ignored
        if table.kind == p.ABSENCES:
            collected = _absences_collect(
                table, outcome, organisation=organisation, scope=scope, progress=progress
            )
            if not outcome.error_count and dry_run:
                _absences_apply(
                    collected,
                    outcome,
                    actor=actor,
                    organisation=organisation,
                    apply=False,
                    progress=progress,
                )
        else:
            _run(
                table,
                outcome,
                actor=actor,
                organisation=organisation,
                scope=scope,
                apply=False,
                progress=progress,
            )
        if outcome.rows == 0 and not outcome.error_count:
            outcome.error(0, "", "", _("Het bestand bevat geen gegevensrijen."))
    except p.FileError as exc:
        outcome.error(exc.row, exc.column, "", str(exc))

    def finish(status: str) -> ImportRun:
        # Every error in row order (the checks run per row, per chunk and per employee).
        outcome.errors.sort(key=lambda error: error[0])
        result = run or ImportRun(
            organisation=organisation,
            user=user_or_none(actor),
            username=actor.get_username()
            if getattr(actor, "is_authenticated", False)
            else str(actor),
        )
        result.file_name = file_name[:255]
        result.sha256 = digest
        result.kind = outcome.kind
        result.dry_run = dry_run
        result.status = status
        result.rows = outcome.rows
        result.new = outcome.new
        result.changed = outcome.changed
        result.unchanged = outcome.unchanged
        result.merged = outcome.merged
        result.trajectories = outcome.trajectories
        result.error_count = outcome.error_count
        result.errors = outcome.errors
        result.ignored_columns = outcome.ignored
        result.changes = outcome.changes
        result.duration_ms = int((time.monotonic() - started) * 1000)
        result.phase = ""
        result.progress_done = result.progress_total = max(outcome.rows, estimated)
        keep = keep_upload and status == ImportRun.Status.PREVIEW
        if keep and not result.upload:
            with open(path, "rb") as fh:
                result.upload.save(Path(file_name).name or "import", File(fh), save=False)
        elif result.upload and not keep:
            # A background run's file, no longer needed: nothing can confirm a refused file.
            result.upload.delete(save=False)
        result.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=result,
            organisation_id=organisation.pk,
            changes={
                "file_name": result.file_name,
                "sha256": digest,
                "kind": outcome.kind,
                "dry_run": dry_run,
                "status": status,
                "rows": outcome.rows,
                "new": outcome.new,
                "changed": outcome.changed,
                "unchanged": outcome.unchanged,
                "errors": outcome.error_count,
            },
        )
        return result

    if outcome.error_count:
        return finish(ImportRun.Status.REJECTED)
    if dry_run:
        return finish(ImportRun.Status.PREVIEW)
    if progress:
        # Announced before the transaction: what is written inside it is seen only at the end.
        progress(Step(ImportRun.Phase.WRITING, 0, len(collected.periods) if collected else 0))
    try:
        with transaction.atomic():
            if collected is not None:
                outcome.new = outcome.changed = outcome.unchanged = outcome.merged = 0
                _absences_apply(
                    collected,
                    outcome,
                    actor=actor,
                    organisation=organisation,
                    apply=True,
                    progress=progress,
                )
            else:
                # Second pass over the file, now writing; same checks, so normally no errors.
                outcome.rows = outcome.new = outcome.changed = outcome.unchanged = 0
                _run(
                    p.open_table(path),
                    outcome,
                    actor=actor,
                    organisation=organisation,
                    scope=scope,
                    apply=True,
                    progress=progress,
                )
            if outcome.error_count:
                raise _Abort
            return finish(ImportRun.Status.IMPORTED)
    except (_Abort, p.FileError):
        return finish(ImportRun.Status.REJECTED)


def _confirmable(preview: ImportRun, run: ImportRun | None = None) -> None:
    confirmed_elsewhere = preview.confirmed_by_id and preview.confirmed_by_id != getattr(
        run, "pk", None
    )
    if preview.status != ImportRun.Status.PREVIEW or confirmed_elsewhere or not preview.upload:
        raise DjangoValidationError(_("Deze proefdraai kan niet (meer) bevestigd worden."))


def import_confirm(
    *,
    actor,
    preview: ImportRun,
    progress: Progress | None = None,
    run: ImportRun | None = None,
) -> ImportRun:
    """Import the file kept by a dry run, if it is still the file that was previewed.

    `run`: the queued confirmation (import_confirm_enqueue) this fills in."""
    _confirmable(preview, run)
    path = preview.upload.path
    if sha256_of(path) != preview.sha256:
        raise DjangoValidationError(_("Het bewaarde bestand is gewijzigd; laad het opnieuw op."))
    result = import_file(
        actor=actor,
        organisation=preview.organisation,
        path=path,
        file_name=preview.file_name,
        dry_run=False,
        progress=progress,
        run=run,
    )
    if result.status == ImportRun.Status.IMPORTED:
        preview.upload.delete(save=False)
        preview.confirmed_by = result
        preview.save(update_fields=["upload", "confirmed_by"])
    elif preview.confirmed_by_id:
        # Nothing imported: the dry run may be confirmed again (as before the attempt).
        preview.confirmed_by = None
        preview.save(update_fields=["confirmed_by"])
    return result


# --- in the background (imports.tasks runs the queued runs) -----------------------------------


def _queued_run(actor, organisation: Organisation, file_name: str, **fields) -> ImportRun:
    return ImportRun(
        organisation=organisation,
        user=user_or_none(actor),
        username=actor.get_username(),
        file_name=file_name[:255],
        status=ImportRun.Status.QUEUED,
        **fields,
    )


def import_enqueue(*, actor, organisation: Organisation, upload, file_name: str) -> ImportRun:
    """Store the uploaded file with a queued dry run and hand it to the task worker."""
    from terugkeer.imports.tasks import import_run_task

    if import_scope(actor, organisation) is None:
        raise PermissionDenied(_("U mag niet importeren voor deze organisatie."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    run = _queued_run(actor, organisation, file_name, dry_run=True, sha256=digest.hexdigest())
    run.upload.save(Path(file_name).name or "import", upload, save=False)
    with transaction.atomic():
        run.save()
        import_run_task.enqueue(run.pk)
    return run


def import_confirm_enqueue(*, actor, preview: ImportRun) -> ImportRun:
    """Queue the real import of a dry run's kept file; the dry run is marked at once, so that
    a second click (or a second node) cannot queue it twice."""
    from terugkeer.imports.tasks import import_run_task

    if import_scope(actor, preview.organisation) is None:
        raise PermissionDenied(_("U mag niet importeren voor deze organisatie."))
    with transaction.atomic():
        preview = ImportRun.objects.select_for_update().get(pk=preview.pk)
        _confirmable(preview)
        run = _queued_run(
            actor,
            preview.organisation,
            preview.file_name,
            dry_run=False,
            sha256=preview.sha256,
            kind=preview.kind,
            preview=preview,
            progress_total=preview.rows,
        )
        run.save()
        preview.confirmed_by = run
        preview.save(update_fields=["confirmed_by"])
        import_run_task.enqueue(run.pk)
    return run


@transaction.atomic
def absences_upsert(
    *,
    actor,
    organisation: Organisation,
    employee: Employee,
    first_day: date,
    end_day: date | None = None,
    expected_end: date | None = None,
) -> tuple[Absence, Outcome]:
    """One absence through the import's path (upsert by first day, merge, trajectories, audit):
    used by the API so that it behaves exactly as a file with one row."""
    check_dates(first_day=first_day, end_day=end_day, expected_end=expected_end)
    if end_day and end_day < first_day:
        raise DjangoValidationError({"end_day": _("De laatste dag ligt voor de eerste dag.")})
    if expected_end and expected_end < first_day:
        raise DjangoValidationError(
            {"expected_end": _("De verwachte einddatum ligt voor de eerste dag.")}
        )
    outcome = Outcome(kind=p.ABSENCES, rows=1)
    collected = _Collected()
    collected.periods[employee.pk] = array(
        "q",
        (
            first_day.toordinal(),
            end_day.toordinal() if end_day else 0,
            expected_end.toordinal() if expected_end else 0,
            1,
        ),
    )
    collected.numbers[employee.pk] = employee.personnel_number
    collected.entities[employee.pk] = employee.entity_id
    _absences_apply(
        collected, outcome, actor=actor, organisation=organisation, apply=True, progress=None
    )
    # The absence that now covers the first day (it may have been merged into an earlier one).
    absence = (
        Absence.objects.filter(employee=employee, first_day__lte=first_day)
        .order_by("-first_day")
        .first()
    )
    return absence, outcome
