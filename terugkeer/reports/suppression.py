"""Small-cell suppression of the report tables (docs/reports.md, "Anonymity").

The figures of one organisation and one year form a single problem: every count of every table
for the organisation, each policy domain and each entity, because a person with an
organisation-wide grant sees all those reports and can add and subtract them. The additive
relations between them are the problem's *lines* (a weighted sum that is 0):

- inside a table, the parts of a row or column with a shown total sum to that total;
- across the hierarchy, a cell of the organisation is the sum of the same cell of its policy
  domains and of the entities outside a domain, and a domain's cell the sum of its entities';
- the same figure in two tables (closed trajectories and outcomes at closure, the returns in
  three tables) is *linked*: hidden in one, hidden in all.

Primary: a count from 1 to threshold - 1 is hidden and shown as "< threshold". A 0 stays 0.
Secondary: a count hidden to protect another is shown as "·". An attacker who knows the method
knows that a "< 5" lies in 1..4, a "·" is at least 5, and a 0 is 0. `attack` narrows every hidden
cell to the interval the shown cells and the lines allow, propagating through all lines until
nothing changes (sums and differences, chained); `suppress` hides the smallest other non-zero
cell of a line of every cell the attack pins to one value, and repeats until none is pinned.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from operator import itemgetter

PRIMARY = 1  # a real 1 .. threshold - 1
SECONDARY = 2  # hidden to protect another cell
LOOSE = 3  # hidden with one mark whatever the value, 0 included (suppress_more): 0 .. unbounded
UNBOUNDED = 10**9


@dataclass
class Cell:
    value: float | int | None
    suppressed: bool = False
    kind: str = "count"  # "count", "days" (a lead time) or "share" (a percentage)
    threshold: int = 5
    secondary: bool = False  # hidden to protect another cell ("·"), not a small count

    @property
    def display(self) -> str:
        if self.suppressed:
            if self.kind != "count":
                return "—"
            return "·" if self.secondary else f"< {self.threshold}"
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


Line = list[tuple[Hashable, int]]  # (cell key, coefficient +1 or -1): the weighted sum is 0


def attack(
    values: dict, lines: Iterable[Line], hidden: dict, threshold: int
) -> dict[Hashable, tuple[int, int]]:
    """The interval each hidden cell of these lines is known to lie in, from the shown cells,
    the marks and the lines: bounds propagated through every line until nothing changes.

    Narrowing a bound never widens another, so the result is the greatest common fixpoint of
    the lines whatever the order they are visited in; each visit narrows every term of its line
    in one pass (the line's sums kept up to date) and queues the other lines of the cells it
    narrowed."""
    first = {PRIMARY: 1, SECONDARY: threshold, LOOSE: 0}
    lo: dict = {}
    hi: dict = {}
    active = []  # (constant of the shown cells, hidden terms) per line with a hidden cell
    for line in lines:
        terms = [(k, c) for k, c in line if k in hidden]
        if terms:
            const = sum(c * values[k] for k, c in line if k not in hidden)
            active.append((const, terms))
            for k, _c in terms:
                if k not in lo:
                    h = hidden[k]
                    lo[k] = first[h]
                    hi[k] = threshold - 1 if h == PRIMARY else UNBOUNDED
    # Only the hidden cells of these lines: a cell in none of them has no line to narrow it
    # nor to take a complement from.
    return _propagate(active, lo, hi)


def _getter(keys: list):
    """A function returning the items at `keys` of a dict as a tuple (at C speed)."""
    if len(keys) == 1:
        k = keys[0]
        return lambda d: (d[k],)
    if not keys:
        return lambda _d: ()
    return itemgetter(*keys)


def _propagate(active: list, lo: dict, hi: dict) -> dict[Hashable, tuple[int, int]]:
    """Narrow lo and hi to the fixpoint of the lines.

    A line whose coefficients are all +1 or -1 (every line of the reports) narrows a term
    exactly when the term's width hi - lo exceeds the line's slack, min(high + const,
    -(low + const)); most visits narrow nothing, so that test runs first with the sums taken
    at C speed, and only a line that narrows something takes the term-by-term pass (the same
    pass, in the same order, as before: the same result)."""
    lines_of: dict[Hashable, list[int]] = defaultdict(list)
    fast = []
    for i, (_const, terms) in enumerate(active):
        for k, _c in terms:
            lines_of[k].append(i)
        if all(c == 1 or c == -1 for _k, c in terms):
            fast.append(
                (
                    _getter([k for k, c in terms if c == 1]),
                    _getter([k for k, c in terms if c == -1]),
                    _getter([k for k, _c in terms]),
                )
            )
        else:
            fast.append(None)
    width = {k: hi[k] - lo[k] for k in lo}
    todo = list(range(len(active)))
    queued = [True] * len(active)
    budget = 200 * len(active)  # bounds that creep towards UNBOUNDED would loop for long
    while todo and budget:
        budget -= 1
        i = todo.pop()
        queued[i] = False
        const, terms = active[i]
        # The sum of the terms' lowest and highest contributions.
        getters = fast[i]
        if getters is not None:
            pos, neg, every = getters
            low = sum(pos(lo)) - sum(neg(hi))
            high = sum(pos(hi)) - sum(neg(lo))
            if max(every(width)) <= min(high + const, -(low + const)):
                continue  # no term can narrow
        else:
            low = high = 0
            for k, c in terms:
                if c > 0:
                    low += c * lo[k]
                    high += c * hi[k]
                else:
                    low += c * hi[k]
                    high += c * lo[k]
        changed = []
        for k, c in terms:
            a, b = lo[k], hi[k]
            # c * x_k = -const - (the other terms); their range is the sums minus k's own.
            if c == 1:
                new_lo, new_hi = -const - (high - b), -const - (low - a)
            elif c == -1:
                new_lo, new_hi = const + (low + b), const + (high + a)
            else:
                own_lo, own_hi = (c * a, c * b) if c > 0 else (c * b, c * a)
                x, y = (-const - (high - own_hi)) / c, (-const - (low - own_lo)) / c
                new_lo, new_hi = math.ceil(min(x, y)), math.floor(max(x, y))
            if new_lo > a or new_hi < b:
                new_lo, new_hi = max(a, new_lo), min(b, new_hi)
                lo[k], hi[k] = new_lo, new_hi
                width[k] = new_hi - new_lo
                if c > 0:
                    low += c * (new_lo - a)
                    high += c * (new_hi - b)
                else:
                    low += c * (new_hi - b)
                    high += c * (new_lo - a)
                changed.append(k)
        for k in changed:
            for j in lines_of[k]:
                if not queued[j]:
                    queued[j] = True
                    todo.append(j)
    return {k: (lo[k], hi[k]) for k in lo}


def suppress(
    values: dict,
    lines: list[Line],
    threshold: int,
    links: Iterable[list] = (),
    level=lambda key: 0,
    unpublished: frozenset | set = frozenset(),
    order=repr,
) -> dict[Hashable, int]:
    """Which cells to hide: {key: PRIMARY or SECONDARY} for the hidden ones.

    level(key): a complement is taken from the lowest level first (an entity before a policy
    domain before the organisation), so the widest report keeps its figures. The lines fall
    apart in independent groups (a table across the hierarchy, joined by links); each group is
    solved on its own, and a group without a small count needs nothing.

    unpublished: cells nobody sees but an attacker may compute from the lines (a rest of small
    entities): hidden from the start as LOOSE (0 or more), never a complement, and protected
    only when they hold a small count.

    order(key): how ties are broken (the pinned cells' order, the complement among equals); a
    caller whose keys are numbers in repr order passes the identity, with the same decisions."""
    links = [group for group in links if len(group) > 1]
    parent: dict = {}

    def root(k):
        while parent.get(k, k) != k:
            parent[k] = parent.get(parent[k], parent[k])
            k = parent[k]
        return k

    for group in [[k for k, _c in line] for line in lines] + links:
        r0 = root(group[0])
        for k in group[1:]:
            r = root(k)
            if r != r0:
                parent[r] = r0
    by_root_lines: dict = defaultdict(list)
    for line in lines:
        by_root_lines[root(line[0][0])].append(line)
    by_root_links: dict = defaultdict(list)
    for group in links:
        by_root_links[root(group[0])].append(group)
    hidden: dict = {}
    small = {root(k) for k, v in values.items() if primary(v, threshold)}
    for k, v in values.items():
        if primary(v, threshold) and root(k) not in by_root_lines:
            hidden[k] = PRIMARY  # a cell in no line: only its own mark
    for r in small:
        if r in by_root_lines:
            hidden.update(
                _suppress_group(
                    values, by_root_lines[r], threshold, by_root_links[r], level, unpublished, order
                )
            )
    for k in unpublished:
        hidden.setdefault(k, LOOSE)
    return hidden


def _rebound(values, lines, lines_of, hidden, threshold, bounds, fresh) -> dict:
    """The attack's bounds after the cells in `fresh` were hidden: only the hidden cells
    connected to them (through lines) are attacked again; the others keep their bounds, which
    do not depend on cells they share no chain of lines with. The same result as attack() on
    everything, for a fraction of the lines."""
    if bounds is None:
        return attack(values, lines, hidden, threshold)
    part: set = set()
    part_lines: set[int] = set()
    todo = list(fresh)
    while todo:
        k = todo.pop()
        if k in part:
            continue
        part.add(k)
        for i in lines_of[k]:
            if i not in part_lines:
                part_lines.add(i)
                todo.extend(j for j, _c in lines[i] if j in hidden and j not in part)
    again = attack(
        values, [lines[i] for i in sorted(part_lines)], {k: hidden[k] for k in part}, threshold
    )
    return {**bounds, **again}


def _suppress_group(
    values, lines, threshold, links, level, unpublished=frozenset(), order=repr
) -> dict:
    keys = {k for line in lines for k, _c in line} | {k for g in links for k in g}
    hidden = {k: PRIMARY for k in keys if primary(values[k], threshold)}
    hidden.update({k: LOOSE for k in keys if k in unpublished})
    lines_of: dict[Hashable, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        for k, _c in line:
            lines_of[k].append(i)

    fresh: list = []  # hidden since the last attack

    def hide(k) -> None:
        if k not in hidden:
            hidden[k] = PRIMARY if primary(values[k], threshold) else SECONDARY
            fresh.append(k)

    bounds = None
    while True:
        for group in links:
            if any(k in hidden for k in group):
                for k in group:
                    hide(k)
        bounds = _rebound(values, lines, lines_of, hidden, threshold, bounds, fresh)
        fresh.clear()
        pinned = sorted((k for k, (lo, hi) in bounds.items() if lo >= hi), key=order)
        pinned = [k for k in pinned if hidden[k] != LOOSE or primary(values[k], threshold)]
        touched: set[int] = set()  # lines given a new hidden cell in this round
        added = False
        for k in pinned:
            if touched.intersection(lines_of[k]):
                continue  # a line of k changed in this round: attack again before adding more
            best = None
            for i in lines_of[k]:
                for j, c in lines[i]:
                    if j in hidden or values[j] == 0:
                        continue
                    # A part before a total (coefficient -1), the lowest level, the smallest.
                    rank = (c < 0, level(j), values[j], order(j))
                    if best is None or rank < best[0]:
                        best = (rank, j)
            if best is not None:
                hide(best[1])
                touched.update(lines_of[best[1]])
                added = True
        if not added:
            return hidden


def suppress_more(
    values: dict,
    lines: list[Line],
    threshold: int,
    hidden: dict,
    free: set,
    level,
    unpublished: frozenset | set = frozenset(),
    order=repr,
) -> dict[Hashable, int]:
    """A second stage on top of a decision: the cells in `hidden` stay as they are; only cells
    in `free` may be hidden now, every one with the same mark (LOOSE: the attacker learns
    nothing from it, not even that the value is not 0), zeros included.

    Used for the dashboard's starts per month on top of the yearly decision: the yearly figures
    stay exactly as published, and the months never narrow a yearly hidden cell nor each
    other."""
    hidden = dict(hidden)
    for k in free:
        if primary(values[k], threshold) or k in unpublished:
            hidden[k] = LOOSE
    lines_of: dict[Hashable, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        for k, _c in line:
            lines_of[k].append(i)
    bounds, fresh = None, []
    while True:
        bounds = _rebound(values, lines, lines_of, hidden, threshold, bounds, fresh)
        fresh = []
        pinned = sorted((k for k, (lo, hi) in bounds.items() if lo >= hi), key=order)
        pinned = [
            k
            for k in pinned
            if k not in unpublished or primary(values[k], threshold) or hidden[k] != LOOSE
        ]
        touched: set[int] = set()
        added = False
        for k in pinned:
            if touched.intersection(lines_of[k]):
                continue
            best = None
            for i in lines_of[k]:
                for j, c in lines[i]:
                    if j in hidden or j not in free or j in unpublished:
                        continue
                    rank = (c < 0, level(j), values[j], order(j))
                    if best is None or rank < best[0]:
                        best = (rank, j)
            if best is not None:
                hidden[best[1]] = LOOSE
                fresh.append(best[1])
                touched.update(lines_of[best[1]])
                added = True
        if not added:
            return hidden


def suppress_matrix(
    values: list[list[int]],
    threshold: int,
    *,
    row_total: bool = False,
    col_total: bool = False,
) -> list[list[bool]]:
    """Which cells of one count matrix to hide (a table on its own, e.g. the dashboard).

    row_total: the last column is the sum of the others in its row;
    col_total: the last row is the sum of the others in its column.
    """
    cells = {(r, c): v for r, row in enumerate(values) for c, v in enumerate(row)}
    lines = matrix_lines(values, row_total, col_total, key=lambda r, c: (r, c))
    hidden = suppress(cells, lines, threshold)
    return [[(r, c) in hidden for c in range(len(row))] for r, row in enumerate(values)]


def matrix_lines(values, row_total: bool, col_total: bool, key) -> list[Line]:
    """The lines of a matrix whose last column (row_total) / last row (col_total) is a total."""
    if not values:
        return []
    n_rows, n_cols = len(values), len(values[0])
    lines: list[Line] = []
    if row_total:
        for r in range(n_rows):
            lines.append([(key(r, c), 1) for c in range(n_cols - 1)] + [(key(r, n_cols - 1), -1)])
    if col_total:
        for c in range(n_cols):
            lines.append([(key(r, c), 1) for r in range(n_rows - 1)] + [(key(n_rows - 1, c), -1)])
    return lines
