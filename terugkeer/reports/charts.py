"""Hand-built SVG bar charts: the same markup in the page and in the PDF, no dependency.

Each chart has a <title> and <desc> and is shown beside its data table; a suppressed value is
drawn as no bar, labelled "< 5", never as its true length.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from terugkeer.reports.suppression import Cell

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 220
BAR_WIDTH = 240
VALUE_WIDTH = 50


def bar_chart(title: str, data: list[tuple[str, Cell]], *, chart_id: str) -> SafeString:
    """A horizontal bar chart of labelled counts."""
    numbers = [c.value for _, c in data if not c.suppressed and isinstance(c.value, int | float)]
    top = max(numbers, default=0) or 1
    height = max(1, len(data)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    desc = "; ".join(f"{label}: {cell.display}" for label, cell in data)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    for i, (label, cell) in enumerate(data):
        y = GAP + i * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT - 5
        short = label if len(label) <= 36 else label[:35] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" '
            f'font-size="12" fill="#1d1d1b">{escape(short)}</text>'
        )
        if not cell.suppressed and cell.value:
            w = max(1, round(BAR_WIDTH * cell.value / top))
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w}" height="{BAR_HEIGHT}" '
                'fill="#1d5c96"/>'
            )
            vx = LABEL_WIDTH + w + 4
        else:
            vx = LABEL_WIDTH + 4
        parts.append(
            f'<text x="{vx}" y="{text_y}" font-size="12" fill="#1d1d1b">'
            f"{escape(cell.display)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
