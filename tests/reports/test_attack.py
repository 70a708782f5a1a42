"""The attacker's test (docs/reports.md, "Anonymity"): a person with an organisation-wide grant
opens every report they may see (the organisation, its policy domain, each entity; the reports
of 2025 and 2024, so three calendar years) and combines every published count by sums and
differences: inside a table (totals), across scopes (the organisation is its domain plus the
entity outside a domain; the domain is its two entities), the same figure in two tables, and
the same year in two reports; and the dashboard of every scope (its starts per month add up to
the yearly "gestart", its live figures of today add up over the scopes). No hidden count may be
pinned to one value.
"""

import random
from datetime import date, timedelta

import pytest

from terugkeer.accounts.models import Role
from terugkeer.reports.compute import build_report
from terugkeer.reports.dashboard import build_dashboard
from terugkeer.reports.scopes import Scope, report_scopes_for
from terugkeer.trajectories.models import Absence, Event, Plan, Trajectory, placed_in
from terugkeer.trajectories.services import milestones_refresh
from tests.factories import EmployeeFactory, UserFactory, grant, make_unit

TODAY = date(2026, 3, 1)
T = 5


def _trajectory(rnd, emp, start: date) -> None:
    formal = rnd.random() < 0.35
    closed = start + timedelta(days=rnd.randint(60, 300))
    closed = closed if closed < TODAY and rnd.random() < 0.7 else None
    t = Trajectory.objects.create(
        employee=emp,
        organisation=emp.organisation,
        entity=emp.entity,
        absence_start=start,
        started_on=start + timedelta(days=2),
        closed_on=closed,
        closure_outcome=rnd.choice(["sustainable_return", "leaving", "other"]) if closed else "",
        is_formal=formal,
        formal_requested_by=rnd.choice(["employee", "employer"]) if formal else "",
    )
    Absence.objects.create(
        employee=emp,
        entity=emp.entity,
        first_day=start,
        end_day=start + timedelta(days=50),
        trajectory=t,
    )

    def ev(type_, days, **kw):
        Event.objects.create(**placed_in(t), type=type_, date=start + timedelta(days=days), **kw)

    ev("contact", rnd.randint(3, 20))
    if rnd.random() < 0.8:
        ev("conversation", rnd.randint(20, 90), outcome=rnd.choice(["attention", "possible"]))
    if formal:
        ev("formal_request", rnd.randint(40, 120), by=t.formal_requested_by)
        ev("assessment", rnd.randint(121, 160), decision=rnd.choice(["A", "A", "B"]))
    if rnd.random() < 0.7:
        ev(
            "return_to_work",
            rnd.randint(50, 200),
            return_type=rnd.choice(["full", "progressive"]),
            percentage=rnd.choice([50, 80, 100]),
        )
    if rnd.random() < 0.5:
        Plan.objects.create(
            **placed_in(t),
            number=1,
            formal=formal,
            delivered_on=start + timedelta(days=45),
            workplace_adaptations="Bureau" if rnd.random() < 0.6 else "",
        )


@pytest.fixture
def small_entities(world):
    """Entity A is large, B (in the same policy domain) and C (outside any domain) are small."""
    rnd = random.Random(14)
    w = world
    entity_c = make_unit(w.vo, "Agentschap C", "C", kind="agency", is_entity=True)
    team_c = make_unit(w.vo, "Team C1", "C1", parent=entity_c)
    employees = []
    for unit, n in ((w.team_a, 40), (w.team_b, 4), (team_c, 3)):
        for i in range(n):
            emp = EmployeeFactory(unit=unit, last_name=f"Naam{unit.code}{i}")
            employees.append(emp)
            _trajectory(rnd, emp, date(2023, 6, 1) + timedelta(days=rnd.randint(0, 900)))
    milestones_refresh(employee_ids=[e.pk for e in employees])
    return w, entity_c


def published(user, years=(2025, 2024)):
    """Every count a user can read: {(scope key, table, row, column, calendar year): Cell}."""
    seen = {}
    shapes = {}
    for scope in report_scopes_for(user):
        for year in years:
            rep = build_report(scope, year, today=TODAY)
            for table in rep.tables:
                row_total = table.columns[-1] == "totaal"
                col_total = bool(table.rows) and table.rows[-1].is_total
                shapes[scope.key, table.key] = (table, row_total, col_total)
                for r, row in enumerate(table.rows):
                    for cy, cells in ((year, row.current), (year - 1, row.previous)):
                        for c, cell in enumerate(cells):
                            if cell.kind != "count":
                                continue
                            key = (scope.key, table.key, r, c, cy)
                            if key in seen:  # the same figure in two reports: shown alike
                                assert seen[key].display == cell.display, key
                            seen[key] = cell
            # The dashboard of the same scope: its starts per month of the year and the year
            # before, and today's live figures ("now").
            for table in build_dashboard(scope, year, TODAY):
                row_total = table.columns[-1] == "totaal"
                col_total = bool(table.rows) and table.rows[-1].is_total
                shapes[scope.key, table.key] = (table, row_total, col_total)
                months = table.key == "started_by_month"
                for r, row in enumerate(table.rows):
                    pairs = (
                        ((year, row.current), (year - 1, row.previous))
                        if months
                        else (("now", row.current),)
                    )
                    for cy, cells in pairs:
                        for c, cell in enumerate(cells):
                            key = (scope.key, table.key, r, c, cy)
                            if key in seen:
                                assert seen[key].display == cell.display, key
                            seen[key] = cell
    return seen, shapes


def relations(seen, shapes, hierarchy):
    """Every additive relation the attacker knows, as lists of (cell key, +1 / -1) summing to 0."""
    lines = []
    years = {k[4] for k in seen}
    for (scope, key), (table, row_total, col_total) in shapes.items():
        n_rows = len(table.rows)
        n_cols = sum(1 for c in table.rows[0].current if c.kind == "count") if n_rows else 0
        for y in years:
            if row_total:
                for r in range(n_rows):
                    lines.append(
                        [((scope, key, r, c, y), 1) for c in range(n_cols - 1)]
                        + [((scope, key, r, n_cols - 1, y), -1)]
                    )
            if col_total:
                for c in range(n_cols):
                    lines.append(
                        [((scope, key, r, c, y), 1) for r in range(n_rows - 1)]
                        + [((scope, key, n_rows - 1, c, y), -1)]
                    )
    for parent, children in hierarchy.items():
        for scope, key, r, c, y in list(seen):
            if scope == parent:
                lines.append(
                    [((parent, key, r, c, y), -1)] + [((ch, key, r, c, y), 1) for ch in children]
                )
    for scope, key, r, c, y in list(seen):
        if key == "trajectories" and r == 0 and c == 2:  # started: the months' total
            lines.append([((scope, key, r, c, y), 1), ((scope, "started_by_month", 12, 0, y), -1)])
        if key == "trajectories" and r == 1 and c == 2:
            closed = [k for k in seen if k[:2] == (scope, "closure_outcomes") and k[4] == y]
            total_row = max(k[2] for k in closed)
            lines.append(
                [((scope, key, r, c, y), 1), ((scope, "closure_outcomes", total_row, 0, y), -1)]
            )
    return [line for line in lines if all(k in seen for k, _c in line)]


def attack(seen, lines, unknown=()):
    """Bounds of each hidden count: '< 5' is 1..4, '·' at least 5, shown cells are exact, the
    `unknown` cells (not published, but computable) 0 or more; propagated through every
    relation until nothing changes."""
    lo, hi = {}, {}
    for k in unknown:
        lo[k], hi[k] = 0, 10**9
    for k, cell in seen.items():
        if k in lo:
            continue
        if cell.suppressed and k[1] == "started_by_month" and k[2] < 12:
            lo[k], hi[k] = 0, 10**9  # the dashboard's months: one mark for any value, 0 too
        elif cell.suppressed:
            lo[k], hi[k] = (T, 10**9) if cell.secondary else (1, T - 1)
        else:
            lo[k] = hi[k] = cell.value
    changed = True
    while changed:
        changed = False
        for line in lines:
            for i, (k, c) in enumerate(line):
                rest_lo = sum(
                    min(cj * lo[j], cj * hi[j]) for n, (j, cj) in enumerate(line) if n != i
                )
                rest_hi = sum(
                    max(cj * lo[j], cj * hi[j]) for n, (j, cj) in enumerate(line) if n != i
                )
                a, b = -rest_hi / c, -rest_lo / c
                new_lo, new_hi = max(lo[k], -(-min(a, b) // 1)), min(hi[k], max(a, b) // 1)
                if new_lo > lo[k] or new_hi < hi[k]:
                    lo[k], hi[k] = new_lo, new_hi
                    changed = True
    return lo, hi


@pytest.mark.parametrize("role", [Role.REPORTER, Role.ADVISER])
def test_no_hidden_count_is_recovered_by_sums_and_differences(small_entities, role, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": T}
    w, entity_c = small_entities
    user = grant(UserFactory(username=f"attacker-{role}", organisation=w.vo), role, w.vo)
    seen, shapes = published(user)
    keys = {s.key for s in report_scopes_for(user)}
    org, dom = f"organisation-{w.vo.pk}", f"policy_domain-{w.domain.pk}"
    a, b, c = (f"entity-{e.pk}" for e in (w.entity_a, w.entity_b, entity_c))
    assert keys == {org, dom, a, b, c}
    lines = relations(seen, shapes, {org: [dom, c], dom: [a, b]})
    lo, hi = attack(seen, lines)
    hidden = [k for k, cell in seen.items() if cell.suppressed]
    # The small entities have hidden cells, some of them hidden to protect another.
    assert any(k[0] in (b, c) for k in hidden)
    assert any(seen[k].secondary for k in hidden)
    pinned = [k for k in hidden if lo[k] >= hi[k]]
    assert pinned == []
    # The bounds are right: the true values (threshold 1) lie inside them.
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    truth, _shapes = published(user)
    for k in hidden:
        assert lo[k] <= truth[k].value <= hi[k], k


def test_marks(small_entities, settings):
    """'< 5' only for a real 1..4, '·' only for 5 or more, 0 always shown as 0; the dashboard's
    months show '·' for every hidden value (docs/reports.md)."""
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": T}
    w, _c = small_entities
    seen, _shapes = published(w.rita)
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    truth, _shapes = published(w.rita)
    for k, cell in seen.items():
        v = truth[k].value
        if k[1] == "started_by_month" and k[2] < 12 and cell.suppressed:
            assert cell.display == "·", k  # a month: one mark for any hidden value, 0 too
        elif v == 0:
            assert cell.display == "0", k
        elif cell.display == "< 5":
            assert 1 <= v <= 4, k
        elif cell.display == "·":
            assert v >= 5, k
        else:
            assert cell.display == str(v) and v >= 5, k


def test_small_entities_count_only_in_their_domain(small_entities, settings):
    """With a minimum entity size (docs/reports.md, "Minimum entity size") the small entities B
    and C get no report and no dashboard; the attacker can still compute them (B = domain - A,
    C = organisation - domain), so their small counts must not be pinned either; and the wider
    reports hide fewer cells to protect others than with every entity published."""
    w, entity_c = small_entities
    user = grant(UserFactory(username="attacker-min", organisation=w.vo), Role.REPORTER, w.vo)
    org, dom = f"organisation-{w.vo.pk}", f"policy_domain-{w.domain.pk}"
    a, b, c = (f"entity-{e.pk}" for e in (w.entity_a, w.entity_b, entity_c))
    settings.TERUGKEER = {
        **settings.TERUGKEER,
        "SUPPRESSION_THRESHOLD": 1,
        "REPORT_MIN_ENTITY_EMPLOYEES": 0,
    }
    truth, _shapes = published(user)
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": T}
    every, _shapes = published(user)
    settings.TERUGKEER = {**settings.TERUGKEER, "REPORT_MIN_ENTITY_EMPLOYEES": 10}
    for entity in (w.entity_b, entity_c):
        scope = Scope("entity", entity.pk, w.vo.pk, entity.name)
        assert build_report(scope, 2025, today=TODAY).unpublished
        assert build_report(scope, 2025, today=TODAY).tables == []
        assert build_dashboard(scope, 2025, TODAY) == []
    assert build_report(Scope("entity", w.entity_a.pk, w.vo.pk, "A"), 2025, today=TODAY).tables
    seen, shapes = published(user)
    assert {k[0] for k in seen} == {org, dom, a}
    # The attacker's unknowns: every cell of B and C, computable by subtraction.
    unknown = {k for k in truth if k[0] in (b, c)}
    for k in unknown:
        seen[k] = truth[k]
        shapes.setdefault((k[0], k[1]), shapes[a, k[1]])
    lines = relations(seen, shapes, {org: [dom, c], dom: [a, b]})
    lo, hi = attack(seen, lines, unknown)
    small = [k for k in unknown if 1 <= truth[k].value < T]
    assert small  # B and C do have small counts
    hidden = [k for k, cell in seen.items() if k not in unknown and cell.suppressed]
    pinned = [k for k in small + hidden if lo[k] >= hi[k]]
    assert pinned == []
    for k in small + hidden:
        assert lo[k] <= truth[k].value <= hi[k], k

    def protecting(cells):
        return sum(1 for k, cell in cells.items() if k[0] in (org, dom) and cell.secondary)

    assert protecting(seen) < protecting(every)
