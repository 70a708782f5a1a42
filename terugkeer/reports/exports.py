"""Exports of the yearly report: xlsx (a sheet per table + explanation), PDF (with charts), CSV.

Only suppressed values leave: a hidden cell is written as "< 5" (text), never as its number.
"""

from __future__ import annotations

import io
import re

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from terugkeer import spreadsheets
from terugkeer.reports.compute import Report, min_entity_employees

SUPPRESSION_RULE = (
    "Aantallen van 1 tot {t_1} worden getoond als '< {t}'; 0 blijft 0. '·' is een aantal van "
    "{t} of meer dat verborgen is om een ander verborgen aantal te beschermen: de rapporten van "
    "de organisatie, de beleidsdomeinen en de entiteiten worden samen onderdrukt, zodat geen "
    "verborgen aantal volgt uit optellen of aftrekken van totalen, scopes of tabellen. Mediaan, "
    "percentiel en aandeel worden alleen getoond als ze op minstens {t} trajecten steunen en "
    "geen verborgen aantal onthullen ('—')."
)

STABILITY = (
    "Een afgesloten jaar geeft telkens dezelfde cijfers, behalve wanneer gegevens over dat jaar "
    "later nog worden geregistreerd of gecorrigeerd (laattijdige registratie) en voor de "
    "duurzame terugkeer en de termijnen, die pas na 3 of 6 maanden of na de termijn vastliggen."
)

# Short, whole-word sheet names (Excel allows 31 characters).
SHEET_NAMES = {
    "absences": "Afwezigheden",
    "trajectories": "Trajecten",
    "formal_by_requester": "Formeel naar aanvrager",
    "closure_outcomes": "Resultaat afsluiting",
    "returns_by_type": "Hervatting naar soort",
    "returns_by_percentage": "Hervatting naar percentage",
    "sustainable_return": "Duurzame terugkeer",
    "lead_times": "Doorlooptijden",
    "on_time": "Termijnen",
    "decisions": "Beoordelingen",
    "appeals": "Beroep",
    "formal_terms": "Termijnen formeel traject",
    "formal_no_show": "Uitnodigingen onbeantwoord",
    "plans_reports": "Plannen en verslagen",
    "answers": "Antwoorden op plan",
    "visits": "Bezoeken voor hervatting",
    "steps": "Stappen in plannen",
    "support_measures": "Ondersteuningsmaatregelen",
    "welfare_actors": "Welzijnsactoren",
}


MIN_ENTITY_RULE = (
    " Een entiteit met minder dan {n} medewerkers krijgt geen apart rapport; haar cijfers tellen "
    "mee in die van het beleidsdomein en de organisatie."
)


def suppression_rule(report: Report) -> str:
    rule = SUPPRESSION_RULE.format(t=report.threshold, t_1=report.threshold - 1)
    minimum = min_entity_employees()
    return rule + MIN_ENTITY_RULE.format(n=minimum) if minimum > 0 else rule


def filename(report: Report, ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", report.scope.label.lower()).strip("-")[:40]
    return f"terugkeer-rapport-{report.year}-{slug}.{ext}"


def _header(report: Report) -> list[tuple[str, str]]:
    return [
        (_("Rapport"), _("Jaarrapport re-integratie %(c)s") % {"c": report.scope.committee or ""}),
        (_("Scope"), report.scope.label),
        (_("Periode"), f"01/01/{report.year} – 31/12/{report.year}"),
        (_("Vergeleken met"), str(report.previous_year)),
        (_("Gemaakt op"), _produced(report)),
        (_("Onderdrukking"), suppression_rule(report)),
        (_("Stabiliteit"), STABILITY),
    ]


def _produced(report: Report) -> str:
    if report.produced_at:
        return report.produced_at.strftime("%d/%m/%Y %H:%M")
    return report.today.strftime("%d/%m/%Y")


def _total(table, col: int = 0):
    """The (current, previous) cells of a table's total row, or of its first row."""
    if not table.rows:
        return None, None
    row = table.rows[-1] if table.rows[-1].is_total else table.rows[0]
    return row.current[col], row.previous[col]


def _change(cur, prev) -> str:
    if cur is None or cur.suppressed or prev is None or prev.suppressed:
        return ""
    if cur.value is None or prev.value is None:
        return ""
    if cur.value == prev.value:
        return _("evenveel als vorig jaar")
    diff = cur.value - prev.value
    word = _("meer") if diff > 0 else _("minder")
    return _("%(n)s %(w)s dan vorig jaar") % {"n": abs(diff), "w": word}


def summary(report: Report) -> list[str]:
    """The key figures in plain Dutch, generated from the (suppressed) figures."""
    lines = []
    by_key = {t.key: t for t in report.tables}
    items = [
        ("absences", 0, _("afwezigheden van meer dan 4 weken")),
        ("trajectories", 0, _("gestarte trajecten")),
        ("formal_by_requester", None, _("verzoeken tot formeel re-integratietraject")),
        ("returns_by_type", None, _("werkhervattingen")),
        ("decisions", None, _("re-integratiebeoordelingen")),
    ]
    for key, row, words in items:
        table = by_key.get(key)
        if table is None or not table.rows:
            continue
        if row is None:
            cur, prev = _total(table)
        else:
            r = table.rows[row]
            cur, prev = r.current[-1], r.previous[-1]
        change = _change(cur, prev)
        text = f"{cur.display} {words} in {report.year}"
        if change:
            text += f" ({change})"
        elif prev is not None:
            text += f" ({report.previous_year}: {prev.display})"
        lines.append(text + ".")
    on_time = by_key.get("on_time")
    if on_time and on_time.rows:
        share = on_time.rows[0].current[-1]
        if not share.suppressed and share.value is not None:
            lines.append(
                _(
                    "%(s)s van de gesprekken vond plaats binnen 2 maanden na de eerste dag van "
                    "afwezigheid."
                )
                % {"s": share.display}
            )
    if any(c.suppressed for t in report.tables for r in t.rows for c in r.current):
        lines.append(_("Sommige aantallen zijn verborgen om personen te beschermen ('< 5', '·')."))
    return lines


def _value(cell):
    """A number for a shown figure (a share as a fraction for Excel's percent format), the mark
    as text for a hidden one, empty for a figure that does not exist."""
    if cell.suppressed:
        return cell.display
    if cell.value is None:
        return ""
    if cell.kind == "share":
        return cell.value / 100
    return cell.value


def to_csv(report: Report) -> str:
    out = io.StringIO()
    w = spreadsheets.csv_writer(out, delimiter=";")
    w.writerow(["tabel", "rij", "kolom", "jaar", "waarde"])
    for table in report.tables:
        for row in table.rows:
            for col, cur, prev in zip(table.columns, row.current, row.previous, strict=True):
                w.writerow([table.title, row.label, col, report.year, cur.display])
                w.writerow([table.title, row.label, col, report.previous_year, prev.display])
    w.writerow([_("Gemaakt op"), _produced(report), "", "", ""])
    return out.getvalue()


def to_xlsx(report: Report) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    formats = {
        "count": wb.add_format({"num_format": "0", "align": "right"}),
        "days": wb.add_format({"num_format": "0.0", "align": "right"}),
        "share": wb.add_format({"num_format": "0%", "align": "right"}),
    }
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
        if table.basis:
            info.write(r, 1, _("Rechtsgrond: %s") % table.basis, wrap)
            r += 1
    r += 1
    info.write(r, 0, _("Samenvatting"), bold)
    for line in summary(report):
        r += 1
        info.write(r, 1, line, wrap)
    used: set[str] = set()
    for i, table in enumerate(report.tables, start=1):
        name = SHEET_NAMES.get(table.key) or re.sub(r"[\[\]:*?/\\]", "", table.title)[:31]
        if name in used:
            name = f"{name[:27]} {i}"
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
                for x, cell in ((1 + 2 * j, cur), (2 + 2 * j, prev)):
                    value = _value(cell)
                    if isinstance(value, int | float):
                        ws.write_number(k, x, value, formats[cell.kind])
                    else:
                        ws.write_string(k, x, value, formats["count"])
        foot = len(table.rows) + 3
        ws.write(foot, 0, _("Gemaakt op %s") % _produced(report))
        if table.basis:
            ws.write(foot + 1, 0, _("Rechtsgrond: %s") % table.basis)
        ws.write(foot + 2, 0, suppression_rule(report))
    wb.close()
    return buf.getvalue()


def to_pdf(report: Report, charts: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "report": report,
            "charts": charts,
            "header": _header(report),
            "summary": summary(report),
            "produced": _produced(report),
        },
    )
    return HTML(string=html).write_pdf()
