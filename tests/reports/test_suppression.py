from datetime import date

from terugkeer.reports.compute import build_report
from terugkeer.reports.scopes import Scope
from terugkeer.reports.suppression import PRIMARY, SECONDARY, Cell, suppress, suppress_matrix


def test_primary_hides_one_to_four_and_keeps_zero():
    hidden = suppress_matrix([[0], [1], [4], [5], [12]], 5)
    assert [h[0] for h in hidden] == [False, True, True, False, False]
    assert Cell(3, True).display == "< 5"
    assert Cell(0, False).display == "0"


def test_secondary_hides_the_next_smallest_in_a_column_with_a_total():
    # 3 is hidden; with the total 23 shown, 3 = 23 - 8 - 12, so 8 must go too.
    values = [[3], [8], [12], [23]]
    hidden = suppress_matrix(values, 5, col_total=True)
    assert [h[0] for h in hidden] == [True, True, False, False]


def test_secondary_skips_zero_cells():
    values = [[2], [0], [9], [11]]
    hidden = suppress_matrix(values, 5, col_total=True)
    assert [h[0] for h in hidden] == [True, False, True, False]


def test_no_secondary_when_two_are_already_hidden():
    values = [[2], [3], [9], [14]]
    hidden = suppress_matrix(values, 5, col_total=True)
    assert [h[0] for h in hidden] == [True, True, False, False]


def test_secondary_in_rows_and_columns_until_stable():
    # informal, formal, total per row; then a total row.
    values = [[10, 2, 12], [7, 6, 13], [17, 8, 25]]
    hidden = suppress_matrix(values, 5, row_total=True, col_total=True)
    # 2 hidden -> row 0 hides 10; column 1 then has 2 hidden... column 0 has 10 hidden only,
    # so 7 goes; row 1 then hides 6. No line is left with exactly one hidden cell.
    for line in [*hidden, *zip(*hidden, strict=True)]:
        assert sum(line) != 1
    assert hidden[0][1] and hidden[0][0]


def test_numbered_cells_in_repr_order_decide_as_their_keys():
    """The reports number the cells in the order of repr(key) and break ties on the number
    (compute._Layout): the same decision as on the keys. Here the complement of the small
    cell is one of two equal cells, and the tie goes to ("entity", 10), whose repr sorts
    before ("entity", 9)'s."""
    small, nine, ten, parent = ("entity", 11), ("entity", 9), ("entity", 10), ("domain", 1)
    values = {small: 2, nine: 8, ten: 8, parent: 18}
    lines = [[(parent, -1), (nine, 1), (ten, 1), (small, 1)]]
    by_keys = suppress(values, lines, 5)
    assert by_keys == {small: PRIMARY, ten: SECONDARY}

    number = {k: i for i, k in enumerate(sorted(values, key=repr))}
    numbered = suppress(
        {number[k]: v for k, v in values.items()},
        [[(number[k], c) for k, c in line] for line in lines],
        5,
        order=lambda i: i,
    )
    assert {k: numbered[number[k]] for k in values if number[k] in numbered} == by_keys
    # Numbered in another order, the tie would go the other way: the order is what matters.
    other = {k: i for i, k in enumerate(values)}
    assert nine in {
        k
        for k in values
        if other[k]
        in suppress(
            {other[k]: v for k, v in values.items()},
            [[(other[k], c) for k, c in line] for line in lines],
            5,
            order=lambda i: i,
        )
    }


def test_report_cells_are_suppressed(dataset):
    w = dataset.world
    rep = build_report(
        Scope("entity", w.entity_a.pk, w.vo.pk, w.entity_a.name), 2025, today=date(2026, 3, 1)
    )
    shown = [c.display for t in rep.tables for r in t.rows for c in r.current + r.previous]
    assert "< 5" in shown
    # No count from 1 to 4 is ever shown in a count cell.
    for t in rep.tables:
        for r in t.rows:
            for c in r.current + r.previous:
                if c.kind == "count" and not c.suppressed:
                    assert c.value == 0 or c.value >= 5
    lead = rep.table("lead_times").rows[0].current
    assert [c.display for c in lead] == ["< 5", "—", "—"]


def test_a_report_without_any_figure(world):
    """An organisation with entities but nothing registered: every table empty or zero, nothing
    hidden (the support measures and welfare actors have no rows at all), on the page as 0."""
    scope = Scope("organisation", world.stad.pk, world.stad.pk, world.stad.name)
    report = build_report(scope, 2025, today=date(2026, 1, 15))
    assert report.table("support_measures").rows == []
    cells = [
        c
        for t in report.tables
        for r in t.rows
        for c in (*r.current, *r.previous)
        if c.kind == "count"  # (a median or share of no count is "—")
    ]
    assert cells and not any(c.suppressed for c in cells)
    assert {c.value for c in cells} == {0}
