"""Small-cell suppression of report tables (docs/reports.md, "Anonymity").

Primary: a count from 1 to threshold - 1 is shown as "< threshold". A 0 stays 0: it says that
nothing happened, which tells nothing about a person.
Secondary: where a total is shown, a single hidden cell could be worked out as total minus the
others; so in every line (row or column) that sums to a total, if exactly one cell is hidden,
the smallest other non-zero cell of that line is hidden too, and this repeats until no line has
exactly one hidden cell.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Cell:
    value: float | int | None
    suppressed: bool = False
    kind: str = "count"  # "count", "days" (a lead time) or "share" (a percentage)
    threshold: int = 5

    @property
    def display(self) -> str:
        if self.suppressed:
            return f"< {self.threshold}" if self.kind == "count" else "—"
        if self.value is None:
            return "—"
        if self.kind == "share":
            return f"{self.value:.0f} %"
        if self.kind == "days":
            return f"{self.value:.0f}" if float(self.value).is_integer() else f"{self.value:.1f}"
        return f"{self.value}"

    @property
    def number(self) -> float | int | None:
        """The value an export may write, None when suppressed."""
        return None if self.suppressed else self.value


def primary(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def suppress_matrix(
    values: list[list[int]],
    threshold: int,
    *,
    row_total: bool = False,
    col_total: bool = False,
) -> list[list[bool]]:
    """Which cells of a count matrix to hide.

    row_total: the last column is the sum of the others in its row;
    col_total: the last row is the sum of the others in its column.
    """
    hidden = [[primary(v, threshold) for v in row] for row in values]
    if not values:
        return hidden
    n_rows, n_cols = len(values), len(values[0])
    lines: list[list[tuple[int, int]]] = []
    if row_total:
        lines += [[(r, c) for c in range(n_cols)] for r in range(n_rows)]
    if col_total:
        lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hid = [rc for rc in line if hidden[rc[0]][rc[1]]]
            if len(hid) != 1:
                continue
            candidates = [
                rc for rc in line if not hidden[rc[0]][rc[1]] and values[rc[0]][rc[1]] > 0
            ]
            if not candidates:
                continue  # the others are all 0: the hidden cell equals the total, also hidden
            r, c = min(candidates, key=lambda rc: (values[rc[0]][rc[1]], rc))
            hidden[r][c] = True
            changed = True
    return hidden
