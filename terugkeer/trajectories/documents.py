"""The step plan / re-integration plan as a document to sign: PDF (WeasyPrint) and docx.

Both are rendered from the plan's structured data (Plan, PlanStep, the employee and the
organisation), for any stored version. Every download writes an audit row (action "export").
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.trajectories.models import Plan, Trajectory
from terugkeer.trajectories.selectors import dossier_refused, trajectories_visible_to

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _d(day: date | str | None) -> str:
    if not day:
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class PlanDocument:
    """Everything a plan document shows, as plain strings (one source for PDF and docx)."""

    title: str
    organisation: str
    entity: str
    version: str
    employee: str
    personnel_number: str
    unit: str
    statute: str
    work_percentage: str
    sections: list[tuple[str, str]]
    steps: list[tuple[str, str, str, str]]
    review_dates: str
    valid_until: str
    support: str
    answer_note: str
    signatures: list[str]


def plan_document(plan: Plan) -> PlanDocument:
    trajectory = plan.trajectory
    employee = trajectory.employee
    title = _("Re-integratieplan") if plan.formal else _("Stappenplan")
    created = timezone.localtime(plan.created_at).date() if plan.created_at else None
    sections = [
        (_("Aanpassingen van de werkplek"), plan.workplace_adaptations),
        (_("Aangepast werk (volume, uren, opbouw)"), plan.adapted_work),
        (_("Ander werk (inhoud, volume, uren, opbouw)"), plan.other_work),
        (_("Opleiding"), plan.training),
    ]
    support = [str(m) for m in plan.support_measures.all()] + [
        str(a) for a in plan.welfare_actors.all()
    ]
    answer_note = ""
    if plan.formal:
        answer_note = _(
            "De medewerker aanvaardt of weigert dit plan binnen 14 kalenderdagen na ontvangst. "
            "Een weigering wordt gemotiveerd. Een kopie gaat naar de medewerker en de "
            "arbeidsarts."
        )
    return PlanDocument(
        title=title,
        organisation=str(trajectory.organisation),
        entity=str(trajectory.entity) if trajectory.entity_id else "",
        version=_("Versie %(n)s van %(d)s") % {"n": plan.number, "d": _d(created)},
        employee=f"{employee.first_name} {employee.last_name}",
        personnel_number=employee.personnel_number,
        unit=str(employee.unit),
        statute=employee.get_statute_display(),
        work_percentage=f"{plan.work_percentage} %" if plan.work_percentage else "",
        sections=[(label, text) for label, text in sections if text],
        steps=[
            (str(i), s.description, s.owner, _d(s.due)) for i, s in enumerate(plan.steps.all(), 1)
        ],
        review_dates=", ".join(_d(d) for d in plan.review_dates),
        valid_until=_d(plan.valid_until),
        support=", ".join(support),
        answer_note=answer_note,
        signatures=[_("De medewerker"), _("Voor de werkgever")],
    )


def plan_pdf(plan: Plan) -> bytes:
    from weasyprint import HTML  # imported here: loading pango takes a moment

    html = render_to_string("documents/plan.html", {"doc": plan_document(plan)})
    return HTML(string=html).write_pdf()


def plan_docx(plan: Plan) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = plan_document(plan)
    document = Document()
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)
    header = document.sections[0].header.paragraphs[0]
    header.text = " — ".join(x for x in (doc.organisation, doc.entity) if x)
    document.add_heading(doc.title, level=0)
    document.add_paragraph(doc.version)
    facts = [
        (_("Medewerker"), doc.employee),
        (_("Personeelsnummer"), doc.personnel_number),
        (_("Eenheid"), doc.unit),
        (_("Statuut"), doc.statute),
        (_("Werkpercentage bij de start"), doc.work_percentage or "—"),
        (_("Geldig tot"), doc.valid_until or "—"),
        (_("Evaluatiedata"), doc.review_dates or "—"),
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in facts:
        row = table.add_row().cells
        row[0].text = label
        row[1].text = value
    for label, text in doc.sections:
        document.add_heading(label, level=2)
        document.add_paragraph(text)
    document.add_heading(_("Stappen"), level=2)
    if doc.steps:
        steps = document.add_table(rows=1, cols=4)
        steps.style = "Table Grid"
        for cell, label in zip(
            steps.rows[0].cells, ("#", _("Stap"), _("Wie"), _("Tegen")), strict=True
        ):
            cell.text = label
        for step in doc.steps:
            for cell, value in zip(steps.add_row().cells, step, strict=True):
                cell.text = value
    else:
        document.add_paragraph(_("Geen stappen."))
    if doc.support:
        document.add_heading(_("Ondersteuning en welzijnsactoren"), level=2)
        document.add_paragraph(doc.support)
    if doc.answer_note:
        document.add_paragraph(doc.answer_note)
    document.add_heading(_("Handtekeningen"), level=2)
    signatures = document.add_table(rows=1, cols=len(doc.signatures))
    for cell, who in zip(signatures.rows[0].cells, doc.signatures, strict=True):
        cell.text = f"{who}\n\n\n________________________\n{_('Naam')}:\n{_('Datum')}:"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def plan_export(*, actor, plan: Plan, fmt: str) -> HttpResponse:
    """Render the plan in the format asked, log the export and return the download."""
    if fmt not in FORMATS:
        raise Http404
    content = plan_pdf(plan) if fmt == "pdf" else plan_docx(plan)
    trajectory = plan.trajectory
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=plan,
        employee_id=trajectory.employee_id,
        organisation_id=trajectory.organisation_id,
        changes={"format": fmt, "number": plan.number},
    )
    employee = trajectory.employee
    name = slugify(f"plan-{employee.last_name}-v{plan.number}") or f"plan-v{plan.number}"
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def plan_for_export(user, pk: int, number: int) -> Plan:
    """A version of the plan of a trajectory in the user's scope, or 404."""
    try:
        return (
            Plan.objects.filter(trajectory__in=trajectories_visible_to(user))
            .select_related(
                "trajectory",
                "trajectory__employee",
                "trajectory__employee__unit",
                "trajectory__organisation",
                "trajectory__entity",
            )
            .prefetch_related("steps", "support_measures", "welfare_actors")
            .get(trajectory_id=pk, number=number)
        )
    except Plan.DoesNotExist:
        raise dossier_refused(user, model=Trajectory, pk=pk) from None
