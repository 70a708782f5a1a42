"""The plan's PDF and docx read back with their content; every download is audited."""

import io
from datetime import timedelta

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader

from terugkeer.audit.models import AuditEntry
from terugkeer.trajectories import services
from terugkeer.trajectories.documents import plan_docx, plan_pdf
from tests.portal._helpers import formal_case


@pytest.fixture
def case(world):
    return formal_case(world)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for p in document.sections[0].header.paragraphs)
    return "\n".join(parts)


def _expected(world, trajectory):
    today = services.today()
    return [
        world.emp_a.last_name,
        world.emp_a.personnel_number,
        "Re-integratieplan",
        "Kennismaking met het team",
        "Start op 60 procent",
        "60 %",
        (today + timedelta(days=14)).strftime("%d/%m/%Y"),
        (today + timedelta(days=120)).strftime("%d/%m/%Y"),
        "Vlaamse overheid (test)",
        "De medewerker",
        "Voor de werkgever",
    ]


def test_pdf_reads_back(world, case):
    trajectory, _eva = case
    plan = trajectory.plans.get(number=1)
    content = plan_pdf(plan)
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    for needle in _expected(world, trajectory):
        assert needle in text, needle


def test_docx_reads_back(world, case):
    trajectory, _eva = case
    plan = trajectory.plans.get(number=1)
    text = _docx_text(plan_docx(plan))
    for needle in _expected(world, trajectory):
        assert needle in text, needle


def test_every_version_renders(world, case):
    trajectory, _eva = case
    services.plan_save(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=None,
        data=services.PlanInput(
            work_percentage=80, steps=[{"description": "Opbouw naar 80 procent"}]
        ),
    )
    v1 = _docx_text(plan_docx(trajectory.plans.get(number=1)))
    v2 = _docx_text(plan_docx(trajectory.plans.get(number=2)))
    assert "Versie 1" in v1 and "60 %" in v1
    assert "Versie 2" in v2 and "80 %" in v2 and "Opbouw naar 80 procent" in v2


def test_coach_download_is_audited(client, world, case):
    trajectory, _eva = case
    client.force_login(world.alice)
    response = client.get(reverse("trajectories:plan_docx", args=[trajectory.pk, 1]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    entry = AuditEntry.objects.get(action="export", user=world.alice)
    assert entry.employee_id == world.emp_a.pk
    assert entry.changes["format"] == "docx"


def test_employee_downloads_own_pdf(client, world, case):
    _trajectory, eva = case
    client.force_login(eva)
    response = client.get(reverse("portal:plan_pdf", args=[1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert world.emp_a.last_name in _pdf_text(response.content)
    assert AuditEntry.objects.filter(action="export", user=eva).count() == 1


def test_out_of_scope_download_is_404(client, world, case):
    trajectory, _eva = case
    client.force_login(world.carl)
    assert client.get(reverse("trajectories:plan_pdf", args=[trajectory.pk, 1])).status_code == 404
    assert client.get(reverse("trajectories:plan_pdf", args=[trajectory.pk, 9])).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()
