"""Issue 18: encodings decided for the whole file, harmless extra columns ignored (medical ones
refused), cells without a header refused, errors with row and column in row order, hints for
Excel's number dates and lost leading zeros, an honest summary on re-import."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from terugkeer.accounts.access import SYSTEM
from terugkeer.imports.models import ImportRun
from terugkeer.imports.services import import_file
from terugkeer.organisations.models import Employee
from terugkeer.trajectories.models import Absence

EMPLOYEES_HEADER = "Personeelsnummer;Voornaam;Achternaam;Eenheid;Statuut\n"


def write(tmp_path, data: bytes | str, name="bestand.csv"):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def run(world, path, dry_run=False):
    return import_file(
        actor=SYSTEM, organisation=world.vo, path=path, file_name=path.name, dry_run=dry_run
    )


# --- encodings ----------------------------------------------------------------------------------


def test_a_utf8_file_keeps_its_accents(world, tmp_path):
    text = EMPLOYEES_HEADER + "N001;Chloë;Peeters;A1;statutair\nN002;René;Claes;A1;statutair\n"
    for name, data in (
        ("zonder-bom.csv", text.encode("utf-8")),
        ("met-bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8")),
    ):
        result = run(world, write(tmp_path, data, name))
        assert result.status == ImportRun.Status.IMPORTED, result.errors
    assert set(
        Employee.objects.filter(personnel_number__in=["N001", "N002"]).values_list(
            "first_name", flat=True
        )
    ) == {"Chloë", "René"}


def test_a_windows_1252_file_is_read_as_windows_1252(world, tmp_path):
    text = EMPLOYEES_HEADER + "N001;Chloë;Peeters;A1;statutair\nN002;René;Claes;A1;statutair\n"
    result = run(world, write(tmp_path, text.encode("cp1252")))
    assert result.status == ImportRun.Status.IMPORTED, result.errors
    assert Employee.objects.get(personnel_number="N001").first_name == "Chloë"


def test_a_file_mixing_utf8_and_windows_1252_is_refused_at_its_first_bad_row(world, tmp_path):
    data = (
        EMPLOYEES_HEADER + "N001;Chloë;Peeters;A1;statutair\n" + "N002;Jan;Claes;A1;statutair\n"
    ).encode() + "N003;René;Wouters;A1;statutair\n".encode("cp1252")
    result = run(world, write(tmp_path, data))
    assert result.status == ImportRun.Status.REJECTED
    assert result.errors[0][0] == 4
    assert "rij 4" in result.errors[0][3] and "UTF-8" in result.errors[0][3]
    assert not Employee.objects.filter(personnel_number__in=["N001", "N002", "N003"]).exists()


def test_the_command_refuses_a_mixed_file_and_stores_no_corrupted_name(world, tmp_path):
    data = (EMPLOYEES_HEADER + "N001;Chloë;Peeters;A1;statutair\n").encode() + (
        "N002;René;Claes;A1;statutair\n".encode("cp1252")
    )
    path = write(tmp_path, data)
    with pytest.raises(Exception, match="Nothing was imported"):
        call_command("import_hr", str(path), organisation=world.vo.name, verbosity=0)
    assert not Employee.objects.filter(first_name__contains="Ã").exists()


# --- columns ------------------------------------------------------------------------------------


def test_an_extra_column_is_ignored_and_listed(world, tmp_path):
    a = world.emp_a.personnel_number
    path = write(
        tmp_path, f"Personeelsnummer;Eerste dag;Opmerking;Laatste dag\n{a};02/03/2026;bel eerst;\n"
    )
    result = run(world, path)
    assert result.status == ImportRun.Status.IMPORTED, result.errors
    assert result.ignored_columns == ["Opmerking"]
    assert Absence.objects.filter(employee=world.emp_a, first_day=date(2026, 3, 2)).exists()


def test_an_employee_file_with_an_employment_start_date_stays_an_employee_file(world, tmp_path):
    path = write(
        tmp_path,
        "Personeelsnummer;Voornaam;Achternaam;Eenheid;Statuut;Startdatum;Einddatum\n"
        "N001;An;Peeters;A1;statutair;01/09/2015;\n",
    )
    result = run(world, path)
    assert result.status == ImportRun.Status.IMPORTED, result.errors
    assert result.kind == "employees"
    assert result.ignored_columns == ["Startdatum", "Einddatum"]


@pytest.mark.parametrize("header", ["Reden", "Oorzaak afwezigheid", "Diagnose", "Aandoening"])
def test_a_column_suggesting_medical_content_refuses_the_file(world, tmp_path, header):
    a = world.emp_a.personnel_number
    path = write(tmp_path, f"Personeelsnummer;Eerste dag;{header}\n{a};02/03/2026;x\n")
    result = run(world, path)
    assert result.status == ImportRun.Status.REJECTED
    assert result.errors[0][:2] == [1, header]
    assert "medische gegevens" in result.errors[0][3]
    assert not Absence.objects.filter(employee=world.emp_a).exists()


def test_extra_cells_without_a_header_refuse_the_row(world, tmp_path):
    a = world.emp_a.personnel_number
    path = write(
        tmp_path,
        f"Personeelsnummer;Eerste dag;Laatste dag\n{a};05/01/2026;09/01/2026;31/12/2026;Burn-out\n",
    )
    result = run(world, path)
    assert result.status == ImportRun.Status.REJECTED
    assert result.errors == [
        [
            2,
            "kolom 4 (zonder kolomnaam)",
            "31/12/2026",
            result.errors[0][3],
        ]
    ]
    assert not Absence.objects.exists()


def test_empty_trailing_cells_are_harmless(world, tmp_path):
    a = world.emp_a.personnel_number
    path = write(tmp_path, f"Personeelsnummer;Eerste dag\n{a};05/01/2026;;\n")
    assert run(world, path).status == ImportRun.Status.IMPORTED


def test_a_missing_required_column_is_named(world, tmp_path):
    a = world.emp_a.personnel_number
    path = write(tmp_path, f"Personeelsnummer;Laatste dag;Verwachte einddatum\n{a};06/03/2026;\n")
    result = run(world, path)
    assert result.errors[0][:2] == [1, "eerste dag"]
    assert result.errors[0][3] == "Verplichte kolom ontbreekt: eerste dag."


# --- messages -----------------------------------------------------------------------------------


def test_errors_come_in_row_order_with_row_and_column(world, tmp_path):
    a, b = world.emp_a.personnel_number, world.emp_b.personnel_number
    path = write(
        tmp_path,
        "Personeelsnummer;Eerste dag;Laatste dag\n"
        f"{a};02/03/2026;06/03/2026\n"
        "ONBEKEND;02/03/2026;\n"
        f"{a};02/03/2026;07/03/2026\n"
        f"{b};31/02/2026;\n",
    )
    result = run(world, path)
    rows = [e[0] for e in result.errors]
    assert rows == sorted(rows) == [3, 4, 5]
    assert all(e[1] for e in result.errors)


def test_an_excel_number_date_gets_a_hint(world, tmp_path):
    a = world.emp_a.personnel_number
    result = run(world, write(tmp_path, f"Personeelsnummer;Eerste dag\n{a};46027\n"))
    assert result.errors[0][:3] == [2, "Eerste dag", "46027"]
    assert "Excel-getal (46027 = 05/01/2026)" in result.errors[0][3]


def test_an_excel_number_date_in_an_xlsx_gets_the_hint_too(world, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Personeelsnummer", "Eerste dag"])
    sheet.append([world.emp_a.personnel_number, 46027])
    path = tmp_path / "afwezigheden.xlsx"
    workbook.save(path)
    result = run(world, path)
    assert "Excel-getal" in result.errors[0][3]


def test_lost_leading_zeros_get_a_hint(world, tmp_path):
    Employee.objects.filter(pk=world.emp_a.pk).update(personnel_number="000777")
    absences = run(world, write(tmp_path, "Personeelsnummer;Eerste dag\n777;05/01/2026\n"))
    assert absences.errors[0][:3] == [2, "Personeelsnummer", "777"]
    assert "Bedoelt u 000777?" in absences.errors[0][3]
    employees = run(
        world,
        write(tmp_path, EMPLOYEES_HEADER + "777;Jan;Peeters;A1;statutair\n", "medewerkers.csv"),
    )
    assert employees.status == ImportRun.Status.REJECTED
    assert "000777" in employees.errors[0][3] and "voorloopnullen" in employees.errors[0][3]
    assert not Employee.objects.filter(personnel_number="777").exists()


def test_a_reimport_says_nothing_changed(world, tmp_path):
    a, b = world.emp_a.personnel_number, world.emp_b.personnel_number
    path = write(
        tmp_path,
        "Personeelsnummer;Eerste dag;Laatste dag\n"
        f"{a};02/03/2026;06/03/2026\n"
        f"{a};07/03/2026;20/03/2026\n"
        f"{b};05/01/2026;27/02/2026\n",
    )
    first = run(world, path)
    assert (first.new, first.merged) == (2, 1)
    assert not first.nothing_changed
    second = run(world, path)
    assert (second.new, second.changed, second.merged) == (0, 0, 0)
    assert second.nothing_changed
    preview = run(world, path, dry_run=True)
    assert preview.nothing_changed


def test_the_preview_page_lists_ignored_columns_and_says_nothing_changed(
    client, world, settings, tmp_path, immediate_tasks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    a = world.emp_a.personnel_number
    text = f"Personeelsnummer;Eerste dag;Opmerking\n{a};02/03/2026;bel eerst\n"
    client.force_login(world.bert)
    response = client.post(
        reverse("imports:index"),
        {"file": SimpleUploadedFile("a.csv", text.encode(), content_type="text/csv")},
        follow=True,
    )
    assert "genegeerd: Opmerking" in response.content.decode()
    run(world, write(tmp_path, text))
    response = client.post(
        reverse("imports:index"),
        {"file": SimpleUploadedFile("a.csv", text.encode(), content_type="text/csv")},
        follow=True,
    )
    assert "Niets gewijzigd" in response.content.decode()


def test_no_accepted_column_name_is_taken_for_medical_content():
    from terugkeer.imports.parsing import COLUMNS, suggests_cause

    aliases = {alias for fields in COLUMNS.values() for names in fields.values() for alias in names}
    assert not [alias for alias in aliases if suggests_cause(alias)]
    for harmless in ("Opmerking", "Functie", "Graad", "Geslacht", "Afdeling", "Telefoon"):
        assert not suggests_cause(harmless), harmless
