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


def test_xlsx_numbers_formats_and_sheet_names(client, adam, settings):
    """Counts, lead times and shares are numbers with number formats; sheet names are whole
    words; the production date is on every sheet."""
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    response = client.get(url("export", "xlsx", scope=f"entity-{adam.entity_a.pk}", jaar=2025))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Formeel naar aanvrager" in wb.sheetnames
    assert "Hervatting naar percentage" in wb.sheetnames
    assert all(len(n) <= 31 for n in wb.sheetnames)
    ws = wb["Afwezigheden"]
    assert ws.cell(3, 2).value == 3 and ws.cell(3, 2).number_format == "0"
    lead = wb["Doorlooptijden"]
    # row 3: first contact; columns: count 2025, 2024, median 2025, 2024, p75 2025, 2024
    assert lead.cell(3, 4).value == 3.5 and lead.cell(3, 4).number_format == "0.0"
    terms = wb["Termijnen"]
    share = terms.cell(3, 8).value  # share on time 2025 of the conversation within 2 months
    assert share == 0.5 and terms.cell(3, 8).number_format == "0%"
    for name in wb.sheetnames[1:]:
        texts = [str(c.value) for row in wb[name].iter_rows() for c in row if c.value]
        assert any(t.startswith("Gemaakt op") for t in texts), name


def test_pdf_cover_summary_page_numbers_and_full_chart_labels(client, adam, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    response = client.get(url("export", "pdf", scope=f"entity-{adam.entity_a.pk}", jaar=2025))
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) > 2
    cover = pages[0]
    assert "Jaarrapport re-integratie 2025" in cover and "Samenvatting" in cover
    assert "Gemaakt op" in cover and "Onderdrukking" in cover
    # The generated summary: 2 trajectories started in 2025, as many as in 2024.
    assert "2 gestarte trajecten in 2025 (evenveel als vorig jaar)" in " ".join(cover.split())
    for n, text in enumerate(pages, start=1):
        assert f"Pagina {n} van {len(pages)}" in text
    text = " ".join(" ".join(pages).split())
    # A long chart label in full (wrapped over lines, not cut), and both years in the legend.
    assert "behandelend arts (met akkoord van de medewerker)" in text
    assert "…" not in text
    assert "Rechtsgrond:" in text


def test_a_local_government_reports_to_its_boc_not_to_the_hoc(world, client):
    """HOC and EOC are the Flemish government's committees; a town's report goes to its
    basisoverlegcomité (BOC), and its entities have no EOC."""
    from terugkeer.accounts.models import Role
    from terugkeer.reports.scopes import report_scopes_for
    from tests.factories import UserFactory, grant

    town_reporter = grant(
        UserFactory(username="tanja", organisation=world.stad), Role.REPORTER, world.stad
    )
    committees = {s.kind: s.committee for s in report_scopes_for(town_reporter)}
    assert committees["organisation"] == "BOC"
    assert committees.get("entity", "") == ""
    assert {s.committee for s in report_scopes_for(world.rita)} >= {"HOC"}
    client.force_login(town_reporter)
    page = client.get("/rapporten/").content.decode()
    assert "(BOC)" in page and "(HOC)" not in page and "(EOC)" not in page
