"""The catalogue of bad files (tests/imports/bad_files/): each is refused as a whole, with the
expected reason, and nothing of it is imported."""

from pathlib import Path

import pytest

from terugkeer.accounts.access import SYSTEM
from terugkeer.audit.models import AuditEntry
from terugkeer.imports.models import ImportRun
from terugkeer.imports.services import import_file
from terugkeer.organisations.models import Employee, Unit
from terugkeer.trajectories.models import Absence

BAD = Path(__file__).parent / "bad_files"

# file: (actor, row, column, part of the Dutch reason)
CATALOGUE = {
    "utf16.csv": (None, 0, "", "UTF-16"),
    "unknown_encoding.csv": (None, 0, "", "niet in UTF-8 of Windows-1252"),
    "medical_column.csv": (None, 1, "Diagnose", "lijkt een reden of medische gegevens"),
    "reason_column.csv": (None, 1, "Reden", "Terugkeer bewaart geen medische gegevens"),
    "mixed_encoding.csv": (
        None,
        3,
        "",
        "mengt twee tekencoderingen: het meeste is UTF-8, maar rij 3",
    ),
    "nul_byte.csv": (None, 3, "", "Rij 3 bevat binaire gegevens"),
    "stray_cell.csv": (None, 3, "kolom 4 (zonder kolomnaam)", "cel in een kolom zonder kolomnaam"),
    "missing_first_day.csv": (None, 1, "eerste dag", "Verplichte kolom ontbreekt: eerste dag."),
    "missing_personnel_number.csv": (None, 3, "Personeelsnummer", "Dit veld is verplicht."),
    "impossible_date.csv": (None, 2, "Eerste dag", "Deze datum bestaat niet."),
    "impossible_date.xlsx": (None, 2, "Eerste dag", "Deze datum bestaat niet."),
    "end_before_start.csv": (None, 2, "Laatste dag", "De laatste dag ligt voor de eerste dag."),
    "duplicate_rows.csv": (None, 4, "Eerste dag", "Dubbele rij"),
    "other_organisation.csv": (None, 3, "Personeelsnummer", "Onbekend personeelsnummer"),
    "formula_injection.csv": (None, 2, "Voornaam", "lijkt op een formule"),
    "formula_plus.csv": (None, 2, "Achternaam", "lijkt op een formule"),
    "formula_at.xlsx": (None, 2, "Voornaam", "lijkt op een formule"),
    "empty.csv": (None, 0, "", "Het bestand is leeg."),
    "header_only.csv": (None, 0, "", "geen gegevensrijen"),
    "huge_cell.csv": (None, 2, "Voornaam", "De cel is te lang"),
    "giant_field.csv": (None, 2, "", "te lang of onleesbaar"),
    "missing_column.csv": (None, 1, "statuut", "Verplichte kolom ontbreekt: statuut"),
    "unknown_kind.csv": (None, 1, "", "Onbekend soort bestand"),
    "bad_date_format.csv": (None, 2, "first day", "Geen geldige datum"),
    "unknown_unit.csv": (None, 2, "Eenheid", "Onbekende eenheidscode."),
    "bad_statute.csv": (None, 2, "Statuut", "Verwacht statutair of contractueel."),
    "work_regime_out_of_range.csv": (None, 2, "Arbeidsregime", "van 1 tot 100"),
    "duplicate_column.csv": (None, 1, "Startdatum", "komt twee keer voor"),
    "legacy.xls": (None, 0, "", ".xls"),
    "corrupt.xlsx": (None, 0, "", "Excel-bestand kan niet geopend"),
    "unknown_manager.csv": (None, 2, "Leidinggevende", "Onbekende gebruikersnaam"),
    "bad_email.csv": (None, 2, "E-mail", "Geen geldig e-mailadres."),
    "unit_outside_scope.csv": ("hannah", 3, "Eenheid", "buiten uw bevoegdheid"),
    "absence_outside_scope.csv": ("hannah", 3, "Personeelsnummer", "buiten uw bevoegdheid"),
    "good_rows_then_one_bad.csv": (None, 5, "Eerste dag", "Deze datum bestaat niet."),
    "unit_cycle.csv": (None, 2, "Bovenliggende eenheid", "Kringverwijzing"),
}


@pytest.fixture
def numbered(world):
    for employee, number in (
        (world.emp_a, "A001"),
        (world.emp_a_other_team, "A002"),
        (world.emp_b, "B001"),
        (world.emp_stad, "S001"),
    ):
        Employee.objects.filter(pk=employee.pk).update(personnel_number=number)
    return world


def test_the_catalogue_is_complete():
    on_disk = {p.name for p in BAD.iterdir() if p.suffix in (".csv", ".xlsx", ".xls")}
    assert on_disk == set(CATALOGUE)
    assert len(CATALOGUE) >= 15


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_a_bad_file_imports_nothing(numbered, name):
    actor_name, row, column, reason = CATALOGUE[name]
    actor = getattr(numbered, actor_name) if actor_name else SYSTEM
    counts = (Absence.objects.count(), Employee.objects.count(), Unit.objects.count())
    run = import_file(
        actor=actor,
        organisation=numbered.vo,
        path=BAD / name,
        file_name=name,
        dry_run=False,
    )
    assert run.status == ImportRun.Status.REJECTED
    assert run.error_count >= 1
    matching = [e for e in run.errors if reason in e[3]]
    assert matching, run.errors
    assert matching[0][0] == row and matching[0][1] == column, matching
    assert (Absence.objects.count(), Employee.objects.count(), Unit.objects.count()) == counts
    assert AuditEntry.objects.filter(action="import", object_id=str(run.pk)).exists()
    assert not AuditEntry.objects.filter(changes__import=True).exists()
