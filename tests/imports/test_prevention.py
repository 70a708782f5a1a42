"""Issue 18: the file for the external prevention service (IDEWE's exchange of personnel data),
read back and checked against the layout documented in docs/import.md; audited; the 4-week
step marked done "doorgegeven via het personeelsbestand" through the rules engine."""

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from terugkeer.accounts.access import SYSTEM
from terugkeer.audit.models import AuditEntry
from terugkeer.imports import prevention
from terugkeer.organisations.models import Organisation
from terugkeer.trajectories.models import Event, Trajectory
from terugkeer.trajectories.services import absence_register, obligations_for, today

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import.md"
DAY = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def documented_layout() -> list[tuple[str, str]]:
    """(column, format) from the table under "The prevention service's file" in docs/import.md."""
    text = DOCS.read_text(encoding="utf-8").split("## The prevention service's file", 1)[1]
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith("`"):
            rows.append((cells[0].strip("`"), cells[2]))
    return rows


@pytest.fixture
def absent(world):
    Organisation.objects.filter(pk=world.vo.pk).update(prevention_affiliation="8216753")
    on = today()
    # emp_a: absent for 40 days, still absent: a trajectory, 4-week step open.
    absence_register(actor=SYSTEM, employee=world.emp_a, first_day=on - timedelta(days=40))
    # emp_a_other_team: a short absence that ended a week ago (the end is sent too).
    absence_register(
        actor=SYSTEM,
        employee=world.emp_a_other_team,
        first_day=on - timedelta(days=12),
        end_day=on - timedelta(days=7),
    )
    # an older absence of emp_a that ended long ago: not a second line
    absence_register(
        actor=SYSTEM,
        employee=world.emp_a,
        first_day=on - timedelta(days=200),
        end_day=on - timedelta(days=190),
    )
    # emp_b: in entity B, outside alice's scope
    absence_register(actor=SYSTEM, employee=world.emp_b, first_day=on - timedelta(days=3))
    return world


def test_the_documented_layout_is_the_files_layout():
    layout = documented_layout()
    assert [column for column, _fmt in layout] == list(prevention.COLUMNS)


def test_the_tab_separated_file_read_back_matches_the_documented_layout(absent):
    name, content_type, content = prevention.prevention_export(
        actor=absent.alice, fmt="tsv", on=today()
    )
    assert name.endswith(".txt") and "tab-separated" in content_type
    text = content.decode("utf-8")  # UTF-8, no BOM
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    layout = documented_layout()
    assert rows[0] == [column for column, _fmt in layout]
    body = rows[1:]
    numbers = [r[1] for r in body]
    assert sorted(numbers) == sorted(
        [absent.emp_a.personnel_number, absent.emp_a_other_team.personnel_number]
    )
    assert len(numbers) == len(set(numbers)), "one line per employee"
    for row in body:
        assert len(row) == len(layout)
        values = dict(zip(prevention.COLUMNS, row, strict=True))
        assert len(values["Werkgever"]) == 7 and values["Werkgever"] == "8216753"
        assert DAY.match(values["Begindatum inactiviteit"])
        assert values["Einddatum inactiviteit"] == "" or DAY.match(values["Einddatum inactiviteit"])
        assert values["Ziekte of ongeval"] == "Ja"
    by_number = {r[1]: r for r in body}
    a = by_number[absent.emp_a.personnel_number]
    assert a[2:4] == [absent.emp_a.last_name, absent.emp_a.first_name]
    assert a[4] == (today() - timedelta(days=40)).strftime("%d/%m/%Y") and a[5] == ""
    other = by_number[absent.emp_a_other_team.personnel_number]
    assert other[5] == (today() - timedelta(days=7)).strftime("%d/%m/%Y")


def test_the_excel_file_holds_the_same_lines_as_text(absent):
    from openpyxl import load_workbook

    _name, _type, tsv = prevention.prevention_export(actor=absent.alice, fmt="tsv", on=today())
    name, _type, xlsx = prevention.prevention_export(actor=absent.alice, fmt="xlsx", on=today())
    assert name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True).worksheets[0]
    cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert all(isinstance(v, str) for row in cells for v in row)  # dates as DD/MM/JJJJ text
    assert cells == list(csv.reader(io.StringIO(tsv.decode()), delimiter="\t"))


def test_the_four_week_list_variant_keeps_only_four_weeks_or_longer(absent):
    lines = prevention.prevention_lines(absent.alice, on=today(), four_weeks_only=True)
    assert [line.absence.employee_id for line in lines] == [absent.emp_a.pk]


def test_the_export_is_audited_with_its_employees(absent):
    prevention.prevention_export(actor=absent.alice, fmt="xlsx", on=today())
    entry = AuditEntry.objects.get(object_type="prevention_service_file")
    assert entry.action == "export" and entry.username == "alice"
    assert sorted(entry.changes["employees"]) == sorted(
        [absent.emp_a.pk, absent.emp_a_other_team.pk]
    )


def test_without_an_affiliation_number_there_is_no_file(absent):
    Organisation.objects.filter(pk=absent.vo.pk).update(prevention_affiliation="")
    with pytest.raises(ValidationError, match="aansluitingsnummer"):
        prevention.prevention_export(actor=absent.alice, fmt="tsv", on=today())
    assert not AuditEntry.objects.filter(object_type="prevention_service_file").exists()


def test_the_affiliation_number_is_seven_characters(world):
    world.vo.prevention_affiliation = "821675-3"
    with pytest.raises(ValidationError):
        world.vo.full_clean()
    world.vo.prevention_affiliation = "8216753"
    world.vo.full_clean()


def test_the_coach_marks_the_four_week_step_done_through_the_personnel_file(client, absent):
    trajectory = Trajectory.objects.get(employee=absent.emp_a)
    step = next(o for o in obligations_for(trajectory) if o.code == "four_week_list")
    assert step.done_on is None
    client.force_login(absent.alice)
    page = client.get(reverse("imports:prevention"))
    assert page.status_code == 200
    assert f'value="{trajectory.pk}"' in page.content.decode()
    client.post(reverse("imports:prevention"), {"trajectory": [trajectory.pk]})
    event = Event.objects.get(trajectory=trajectory, type="four_week_list")
    assert event.date == today() and event.note == "doorgegeven via het personeelsbestand"
    step = next(o for o in obligations_for(trajectory) if o.code == "four_week_list")
    assert step.done_on == today()
    # Once done it is no longer offered.
    again = client.get(reverse("imports:prevention")).content.decode()
    assert f'value="{trajectory.pk}"' not in again


def test_a_trajectory_outside_the_list_cannot_be_marked(client, absent):
    # emp_b (entity B) has a trajectory, but is not in alice's file.
    # (an earlier absence, ended the day before the one of the fixture: no overlap)
    absence_register(
        actor=SYSTEM,
        employee=absent.emp_b,
        first_day=today() - timedelta(days=60),
        end_day=today() - timedelta(days=4),
    )
    trajectory = Trajectory.objects.get(employee=absent.emp_b)
    client.force_login(absent.alice)
    client.post(reverse("imports:prevention"), {"trajectory": [trajectory.pk]})
    assert not Event.objects.filter(trajectory=trajectory, type="four_week_list").exists()


def test_the_page_and_downloads_are_for_coaches_and_hr(client, absent):
    for user, status in ((absent.bob, 403), (absent.alice, 200), (absent.hannah, 200)):
        client.force_login(user)
        assert client.get(reverse("imports:prevention")).status_code == status, user
    client.force_login(absent.hannah)
    response = client.get(reverse("imports:prevention") + "?formaat=tsv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="preventiedienst-')
    assert client.get(reverse("imports:prevention") + "?formaat=pdf").status_code == 404
