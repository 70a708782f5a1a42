"""Hand-built SVG bar charts: the same markup in the page and in the PDF, no dependency.

Each chart has a <title> and <desc> and is shown beside its data table. Every label is written
in full (wrapped over lines, never cut); each row has a bar for the year and one for the year
before. A suppressed value is drawn as no bar, labelled with its mark, never its true length.
"""

from __future__ import annotations

import textwrap

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from terugkeer.reports.suppression import Cell

BAR_HEIGHT = 11
GAP = 8
LINE_HEIGHT = 13
LABEL_WIDTH = 230
LABEL_CHARS = 36  # characters per label line at 11 px
BAR_WIDTH = 230
VALUE_WIDTH = 50
COLOURS = ("#1d5c96", "#9bb7d4")  # the year, the year before


def _number(cell: Cell) -> float:
    if cell.suppressed or not isinstance(cell.value, int | float):
        return 0
    return cell.value


def bar_chart(
    title: str,
    data: list[tuple[str, Cell, Cell]],
    *,
    chart_id: str,
    years: tuple[int, int] | None = None,
    single: bool = False,
) -> SafeString:
    """A horizontal bar chart of labelled counts: per row the year and the year before, or one
    bar (single: today's figures on the dashboard, no year before)."""
    top = max((max(_number(c), _number(p)) for _label, c, p in data), default=0) or 1
    rows = []
    years = None if single else years
    y = GAP + (LINE_HEIGHT + 4 if years else 0)
    for label, cur, prev in data:
        lines = textwrap.wrap(label, LABEL_CHARS) or [""]
        height = max(len(lines) * LINE_HEIGHT, (1 if single else 2) * BAR_HEIGHT + 2)
        rows.append((y, lines, cur, prev, height))
        y += height + GAP
    height = y
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    names = [str(years[0]), str(years[1])] if years else ["", ""]
    desc = "; ".join(
        f"{label}: {cur.display}"
        if single
        else f"{label}: {names[0]} {cur.display}, {names[1]} {prev.display}".replace("  ", " ")
        for label, cur, prev in data
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    if years:
        for i, name in enumerate(names):
            x = LABEL_WIDTH + i * 90
            parts.append(
                f'<rect x="{x}" y="{GAP - 2}" width="10" height="10" fill="{COLOURS[i]}"/>'
                f'<text x="{x + 14}" y="{GAP + 7}" font-size="11" fill="#1d1d1b">{name}</text>'
            )
    for y, lines, cur, prev, _h in rows:
        for n, line in enumerate(lines):
            parts.append(
                f'<text x="{LABEL_WIDTH - 6}" y="{y + 10 + n * LINE_HEIGHT}" text-anchor="end" '
                f'font-size="11" fill="#1d1d1b">{escape(line)}</text>'
            )
        for i, cell in enumerate((cur,) if single else (cur, prev)):
            by = y + i * (BAR_HEIGHT + 2)
            value = _number(cell)
            vx = LABEL_WIDTH + 4
            if value:
                w = max(1, round(BAR_WIDTH * value / top))
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{by}" width="{w}" height="{BAR_HEIGHT}" '
                    f'fill="{COLOURS[i]}"/>'
                )
                vx = LABEL_WIDTH + w + 4
            parts.append(
                f'<text x="{vx}" y="{by + BAR_HEIGHT - 2}" font-size="10" fill="#1d1d1b">'
                f"{escape(cell.display)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
