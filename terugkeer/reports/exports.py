"""Exports of the yearly report: xlsx (a sheet per table + explanation), PDF (with charts), CSV.

Only suppressed values leave: a hidden cell is written as "< 5" (text), never as its number.
"""

from __future__ import annotations

import io
import re

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from terugkeer import spreadsheets
from terugkeer.reports.compute import Report

SUPPRESSION_RULE = (
    "Cellen van 1 tot {t_1} worden getoond als '< {t}'; 0 blijft 0. Waar een totaal staat en "
    "precies één cel van een rij of kolom verborgen is, wordt ook de kleinste andere cel van die "
    "rij of kolom verborgen (secundaire onderdrukking). Mediaan, percentiel en aandeel worden "
    "alleen getoond als ze op minstens {t} trajecten steunen en geen deel kleiner dan {t} "
    "onthullen."
)


def suppression_rule(report: Report) -> str:
    return SUPPRESSION_RULE.format(t=report.threshold, t_1=report.threshold - 1)


def filename(report: Report, ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", report.scope.label.lower()).strip("-")[:40]
    return f"terugkeer-rapport-{report.year}-{slug}.{ext}"


def _header(report: Report) -> list[tuple[str, str]]:
    return [
        (_("Rapport"), _("Jaarrapport re-integratie %(c)s") % {"c": report.scope.committee or ""}),
        (_("Scope"), report.scope.label),
        (_("Periode"), f"01/01/{report.year} – 31/12/{report.year}"),
        (_("Vergeleken met"), str(report.previous_year)),
        (_("Gemaakt op"), report.today.strftime("%d/%m/%Y")),
        (_("Onderdrukking"), suppression_rule(report)),
    ]


def _value(cell):
    return cell.number if cell.number is not None and cell.kind == "count" else cell.display


def to_csv(report: Report) -> str:
    out = io.StringIO()
    w = spreadsheets.csv_writer(out, delimiter=";")
    w.writerow(["tabel", "rij", "kolom", "jaar", "waarde"])
    for table in report.tables:
        for row in table.rows:
            for col, cur, prev in zip(table.columns, row.current, row.previous, strict=True):
                w.writerow([table.title, row.label, col, report.year, cur.display])
                w.writerow([table.title, row.label, col, report.previous_year, prev.display])
    return out.getvalue()


def to_xlsx(report: Report) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    info = spreadsheets.SafeSheet(wb.add_worksheet(_("Toelichting")))
    info.set_column(0, 0, 28)
    info.set_column(1, 1, 100)
    r = 0
    for k, v in _header(report):
        info.write(r, 0, k, bold)
        info.write(r, 1, v, wrap)
        r += 1
    r += 1
    info.write(r, 0, _("Definities"), bold)
    r += 1
    for table in report.tables:
        info.write(r, 0, table.title, bold)
        info.write(r, 1, table.definition, wrap)
        r += 1
    used: set[str] = set()
    for i, table in enumerate(report.tables, start=1):
        name = re.sub(r"[\[\]:*?/\\]", "", table.title)[:27]
        if name in used:
            name = f"{name[:24]} {i}"
        used.add(name)
        ws = spreadsheets.SafeSheet(wb.add_worksheet(name))
        ws.set_column(0, 0, 55)
        ws.write(0, 0, table.title, bold)
        ws.write(1, 0, "")
        for j, col in enumerate(table.columns):
            ws.write(1, 1 + 2 * j, f"{col} {report.year}", bold)
            ws.write(1, 2 + 2 * j, f"{col} {report.previous_year}", bold)
        for k, row in enumerate(table.rows, start=2):
            ws.write(k, 0, row.label, bold if row.is_total else None)
            for j, (cur, prev) in enumerate(zip(row.current, row.previous, strict=True)):
                ws.write(k, 1 + 2 * j, _value(cur))
                ws.write(k, 2 + 2 * j, _value(prev))
    wb.close()
    return buf.getvalue()


def to_pdf(report: Report, charts: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {"report": report, "charts": charts, "header": _header(report)},
    )
    return HTML(string=html).write_pdf()
