import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from terugkeer.audit.models import AuditEntry
from terugkeer.reports.scopes import report_scopes_for


def login(client, user):
    client.force_login(user)


def url(name, *args, **params):
    u = reverse(f"reports:{name}", args=args)
    return u + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_scopes_per_role(world):
    w = world
    keys = {u: [s.key for s in report_scopes_for(u)] for u in (w.rita, w.adam, w.alice, w.carl)}
    assert keys[w.rita][0] == f"organisation-{w.vo.pk}"
    assert f"entity-{w.entity_a.pk}" in keys[w.rita]
    assert f"policy_domain-{w.domain.pk}" in keys[w.adam]
    assert keys[w.alice] == [f"entity-{w.entity_a.pk}"]
    assert keys[w.carl] == [f"entity-{w.entity_b.pk}"]
    assert report_scopes_for(w.bob) == []
    assert report_scopes_for(w.dora) == []
    assert [s.key for s in report_scopes_for(w.zoe)] == [f"entity-{w.stad_team.entity_id}"]


def test_coach_of_b_cannot_get_the_report_of_a(client, dataset):
    w = dataset.world
    login(client, w.carl)
    assert client.get(url("report", scope=f"entity-{w.entity_a.pk}")).status_code == 404
    assert client.get(url("export", "csv", scope=f"entity-{w.entity_a.pk}")).status_code == 404
    assert client.get(url("report", scope=f"organisation-{w.vo.pk}")).status_code == 404
    assert client.get(url("report", scope=f"entity-{w.entity_b.pk}")).status_code == 200


def test_manager_and_physician_get_no_reports(client, world):
    for user in (world.bob, world.dora):
        client.force_login(user)
        assert client.get(url("index")).status_code == 403
        assert client.get(url("report")).status_code == 404
        assert client.get(url("dashboard")).status_code == 403


def test_rapporteur_sees_no_person(client, dataset, django_assert_max_num_queries):
    w = dataset.world
    login(client, w.rita)
    with django_assert_max_num_queries(30):
        response = client.get(url("report", scope=f"organisation-{w.vo.pk}", jaar=2025))
    assert response.status_code == 200
    html = response.content.decode()
    for emp in (w.emp_a, w.emp_a_other_team, w.emp_b, dataset.emp3):
        assert emp.last_name not in html
        assert emp.personnel_number not in html
    assert "<svg" in html and "<title" in html and "<desc" in html
    assert "&lt; 5" in html


def test_four_week_list_denied_to_rapporteur_manager_adviser(client, dataset):
    for user in (dataset.world.rita, dataset.world.bob, dataset.world.adam):
        client.force_login(user)
        assert client.get(url("four_weeks")).status_code == 403


def test_four_week_list_for_hr_is_logged_and_downloadable(client, dataset):
    w = dataset.world
    login(client, w.hannah)
    response = client.get(url("four_weeks"))
    assert response.status_code == 200
    assert dataset.emp3.last_name in response.content.decode()
    assert w.emp_b.last_name not in response.content.decode()
    assert AuditEntry.objects.filter(action="view", object_type="four_week_list").count() == 1
    response = client.get(url("four_weeks", formaat="csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "personeelsnummer"
    assert dataset.emp3.personnel_number in [r[0] for r in rows]
    response = client.get(url("four_weeks", formaat="xlsx"))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(1, 1).value == "personeelsnummer"
    assert AuditEntry.objects.filter(action="export", object_type="four_week_list").count() == 2


@pytest.fixture
def adam(client, dataset):
    login(client, dataset.world.adam)
    return dataset.world


def test_csv_export(client, adam):
    response = client.get(url("export", "csv", scope=f"entity-{adam.entity_a.pk}", jaar=2025))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    absences = [r for r in rows if r["tabel"] == "Afwezigheden van meer dan 4 weken"]
    assert {(r["rij"], r["jaar"], r["waarde"]) for r in absences} >= {
        ("afwezigheden", "2025", "< 5"),
        ("afwezigheden", "2024", "< 5"),
    }
    entry = AuditEntry.objects.get(action="export", object_type="report")
    assert entry.changes == {"year": 2025, "format": "csv"}
    assert entry.object_id == f"entity-{adam.entity_a.pk}"


def test_xlsx_export(client, adam):
    response = client.get(url("export", "xlsx", scope=f"organisation-{adam.vo.pk}", jaar=2025))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[0] == "Toelichting"
    info = wb["Toelichting"]
    labels = [info.cell(r, 1).value for r in range(1, 8)]
    assert "Scope" in labels and "Onderdrukking" in labels
    assert len(wb.sheetnames) > 10
    ws = wb[wb.sheetnames[1]]
    assert ws.cell(1, 1).value == "Afwezigheden van meer dan 4 weken"
    assert ws.cell(3, 2).value == "< 5"
    assert AuditEntry.objects.filter(action="export", changes__format="xlsx").exists()


def test_pdf_export(client, adam):
    response = client.get(url("export", "pdf", scope=f"entity-{adam.entity_a.pk}", jaar=2025))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Jaarrapport re-integratie 2025" in text
    assert "Trajecten" in text and "< 5" in text
    assert adam.emp_a.last_name not in text


def test_dashboard(client, adam, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = client.get(url("dashboard", entiteit=f"entity-{adam.entity_a.pk}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lopende trajecten vandaag" in html and "<svg" in html
    assert client.get(url("dashboard", entiteit="entity-999999")).status_code == 404


def test_index_links_dashboard(client, adam):
    html = client.get(url("index")).content.decode()
    assert reverse("reports:dashboard") in html
    assert "Jaarrapport" in html
