"""Everything Terugkeer holds about one employee (GDPR art. 15), and who opened the dossier."""

from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.template.loader import render_to_string

from terugkeer.accounts.access import subject_access_employees
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.organisations.models import Employee
from terugkeer.trajectories.models import Absence, Event, Plan, Trajectory
from terugkeer.trajectories.services import EVENT_FIELDS


def subject_employee(user, pk: int) -> Employee:
    try:
        return subject_access_employees(user).select_related("unit", "organisation").get(pk=pk)
    except Employee.DoesNotExist:
        raise Http404 from None


def dossier_openings(user, employee: Employee):
    """Who read or exported this employee's dossier (not the employee him/herself)."""
    return (
        AuditEntry.objects.filter(employee_id=employee.pk)
        .exclude(user__employee_id=employee.pk)
        .order_by("-at")
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj, fields) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def subject_export(*, actor, employee: Employee, fmt: str) -> dict[str, Any]:
    """The employee's whole record as a dict; the export itself is logged."""
    trajectories = Trajectory.objects.filter(employee=employee).order_by("started_on")
    data = {
        "employee": _row(
            employee,
            [
                "personnel_number",
                "first_name",
                "last_name",
                "email",
                "statute",
                "work_regime",
                "active",
            ],
        )
        | {"unit": employee.unit.name, "organisation": employee.organisation.name},
        "absences": [
            _row(a, ["first_day", "expected_end", "end_day"])
            for a in Absence.objects.filter(employee=employee).order_by("first_day")
        ],
        "trajectories": [],
        "dossier_openings": [
            {
                "at": _plain(e.at),
                "user": e.username,
                "action": e.action,
                "object": f"{e.object_type} {e.object_id}",
            }
            for e in dossier_openings(actor, employee)[:1000]
        ],
    }
    for t in trajectories:
        item = _row(
            t,
            [
                "kind",
                "is_formal",
                "formal_requested_by",
                "absence_start",
                "started_on",
                "lead",
                "phase",
                "closed_on",
                "closure_outcome",
                "contact_frequency_days",
                "contact_pause",
                "contact_channel",
                "contact_by",
                "law_version",
            ],
        )
        item["events"] = [
            _row(
                e,
                [
                    "type",
                    "date",
                    *EVENT_FIELDS,
                    "participants",
                    "note",
                    "internal",
                ],
            )
            for e in Event.objects.filter(trajectory=t).order_by("date", "pk")
        ]
        item["plans"] = [
            _row(
                p,
                [
                    "number",
                    "formal",
                    "work_percentage",
                    "workplace_adaptations",
                    "adapted_work",
                    "other_work",
                    "training",
                    "valid_until",
                    "review_dates",
                    "created_at",
                ],
            )
            | {"steps": [_row(s, ["description", "owner", "due"]) for s in p.steps.all()]}
            for p in Plan.objects.filter(trajectory=t).prefetch_related("steps")
        ]
        item.update(_collaboration(t))
        data["trajectories"].append(item)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=employee,
        employee_id=employee.pk,
        organisation_id=employee.organisation_id,
        changes={"format": fmt, "kind": "inzage"},
    )
    return data


def _collaboration(trajectory) -> dict[str, Any]:
    """The SMT agenda items (with the recorded agreement), their actions, and the second-line
    referrals of one trajectory (docs/smt.md)."""
    from terugkeer.smt.models import AgendaItem, Referral

    items = AgendaItem.objects.filter(trajectory=trajectory).select_related("meeting__smt")
    return {
        "smt_items": [
            _row(
                i,
                ["case_code", "form", "question", "summary", "consent_on", "consent_how"],
            )
            | {
                "guests": i.guests,
                "meeting": f"{i.meeting.smt} {i.meeting.date:%d/%m/%Y}",
                "advice": i.advice,
                "actions": [
                    _row(a, ["description", "owner", "due", "done_on"]) for a in i.actions.all()
                ],
            }
            for i in items.prefetch_related("actions")
        ],
        "second_line": [
            _row(r, ["referred_on", "question", "taken_up_on", "answer", "answered_on"])
            for r in Referral.objects.filter(trajectory=trajectory)
        ],
    }


def subject_export_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("audit/subject_export.html", {"data": data})
    return HTML(string=html).write_pdf()
