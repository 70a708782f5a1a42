"""Report pages: index, yearly report and its exports, dashboard, the 4-week list.

Access: reports.scopes decides which scopes a user sees (404 for any other); the 4-week list
names persons and goes through the trajectories selector (dossier scope) for coach and HR only.
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from terugkeer import spreadsheets
from terugkeer.accounts.access import can_see_reports
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.reports import exports
from terugkeer.reports.charts import bar_chart
from terugkeer.reports.compute import (
    build_report,
    min_entity_employees,
    threshold,
    unpublished_entity_keys,
)
from terugkeer.reports.dashboard import build_dashboard
from terugkeer.reports.scopes import can_see_four_week_list, report_scopes_for, scope_for
from terugkeer.trajectories.selectors import absent_for_weeks

YEARS_BACK = 6


def _years(today) -> list[int]:
    return list(range(today.year, today.year - YEARS_BACK, -1))


def _year(request, default: int, today) -> int:
    try:
        year = int(request.GET.get("jaar", default))
    except ValueError:
        raise Http404 from None
    if year not in _years(today):
        raise Http404
    return year


def _charts(tables, year: int, live: bool = False) -> dict:
    """Bar charts of the year and the year before; live (the dashboard): today's figures have
    no year before, only the starts per month do."""
    return {
        t.key: bar_chart(
            t.title,
            t.chart_data(),
            chart_id=f"chart-{t.key}",
            years=(year, year - 1),
            single=live and t.key != "started_by_month",
        )
        for t in tables
        if t.chart and t.rows
    }


@login_required
def index(request):
    if not can_see_reports(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    scopes = report_scopes_for(request.user)
    return render(
        request,
        "reports/index.html",
        {
            "scopes": scopes,
            "unpublished": unpublished_entity_keys(scopes),
            "min_employees": min_entity_employees(),
            "year": today.year - 1,
            "four_weeks": can_see_four_week_list(request.user),
        },
    )


@login_required
def report(request):
    today = timezone.localdate()
    scope = scope_for(request.user, request.GET.get("scope"))
    year = _year(request, today.year - 1, today)
    rep = build_report(scope, year, today=today)
    return render(
        request,
        "reports/report.html",
        {
            "report": rep,
            "charts": _charts(rep.tables, year),
            "scopes": report_scopes_for(request.user),
            "years": _years(today),
            "rule": exports.suppression_rule(rep),
            "min_employees": min_entity_employees(),
        },
    )


@login_required
def report_export(request, fmt: str):
    today = timezone.localdate()
    scope = scope_for(request.user, request.GET.get("scope"))
    year = _year(request, today.year - 1, today)
    rep = build_report(scope, year, today=today)
    if rep.unpublished:
        raise Http404("no report of its own")
    if fmt == "csv":
        body, ctype = exports.to_csv(rep).encode("utf-8-sig"), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = exports.to_xlsx(rep)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":
        body, ctype = exports.to_pdf(rep, _charts(rep.tables, year)), "application/pdf"
    else:
        raise Http404
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        object_type="report",
        object_id=scope.key,
        organisation_id=scope.organisation_id,
        changes={"year": year, "format": fmt},
    )
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(rep, fmt)}"'
    return response


@login_required
def dashboard(request):
    today = timezone.localdate()
    scopes = report_scopes_for(request.user)
    if not scopes:
        raise PermissionDenied
    year = _year(request, today.year, today)
    key = request.GET.get("entiteit") or request.GET.get("domein") or ""
    scope = scope_for(request.user, key)
    tables = build_dashboard(scope, year, today)
    return render(
        request,
        "reports/dashboard.html",
        {
            "scope": scope,
            "year": year,
            "years": _years(today),
            "tables": tables,
            "threshold": threshold(),
            "min_employees": min_entity_employees(),
            "charts": _charts(tables, year, live=True),
            "domains": [s for s in scopes if s.kind == "policy_domain"],
            "entities": [s for s in scopes if s.kind == "entity"],
            "selected": key,
            "today": today,
            "previous_year": year - 1,
        },
    )


@login_required
def four_weeks(request):
    if not can_see_four_week_list(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = list(absent_for_weeks(request.user, entity_id=None, today=today))
    fmt = request.GET.get("formaat", "")
    if fmt not in ("", "csv", "xlsx"):
        raise Http404
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.EXPORT if fmt else AuditEntry.Action.VIEW,
            object_type="four_week_list",
            object_id=today.isoformat(),
            organisation_id=getattr(request.user, "organisation_id", None),
            changes={"employees": [a.employee_id for a in rows], "format": fmt or "page"},
        )
    header = ["personeelsnummer", "naam", "entiteit", "eenheid", "eerste dag", "weken"]
    data = [
        [
            a.employee.personnel_number,
            a.employee.full_name,
            a.entity.name,
            a.employee.unit.name,
            a.first_day.strftime("%d/%m/%Y"),
            (today - a.first_day).days // 7,
        ]
        for a in rows
    ]
    if fmt == "csv":
        out = io.StringIO()
        w = spreadsheets.csv_writer(out, delimiter=";")
        w.writerow(header)
        w.writerows(data)
        response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv")
    elif fmt == "xlsx":
        import xlsxwriter

        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True})
        ws = wb.add_worksheet("4 weken")
        for i, line in enumerate([header, *data]):
            spreadsheets.xlsx_write_row(ws, i, 0, line)
        wb.close()
        response = HttpResponse(
            buf.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        return render(
            request, "reports/four_weeks.html", {"rows": rows, "data": data, "today": today}
        )
    response["Content-Disposition"] = f'attachment; filename="vier-weken-{today}.{fmt}"'
    return response
