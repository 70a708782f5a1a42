"""The formal terms, the cycles ended by ignored invitations and the health insurer's advising
physician as requester, computed by hand (docs/reports.md, "Figures"), and the terms equal to
the rules engine's obligations for the same trajectories.

Report year 2025 on 1 March 2026, threshold 1 (no suppression), organisation scope: the
hand-built dataset (conftest.py: T2 and T5 formal) plus T6-T8 below.
"""

from datetime import date

import pytest

from terugkeer.reports.compute import FORMAL_CYCLE_EVENTS, FORMAL_TERMS, _formal_terms, build_report
from terugkeer.reports.scopes import Scope
from terugkeer.trajectories.models import Trajectory
from terugkeer.trajectories.services import milestones_refresh, obligations_for
from tests.factories import EmployeeFactory
from tests.reports.conftest import _ev, _traj

TODAY = date(2026, 3, 1)
D = date.fromisoformat


@pytest.fixture
def formal(dataset, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    w = dataset.world
    # T6 (B): ignored invitations on 10/03, 20/03 (only 10 days later: not counted), 25/03 and
    # 10/04: the third counted one ends the cycle on 10/04/2025; no assessment term.
    e6 = EmployeeFactory(unit=w.team_b)
    t6 = _traj(e6, absence_start=D("2024-11-01"), started_on=D("2024-11-02"), is_formal=True)
    _ev(t6, "formal_request", "2025-03-01", by="employee")
    for day in ("2025-03-10", "2025-03-20", "2025-03-25", "2025-04-10"):
        _ev(t6, "invitation", day, attended=False)
    # T7 (B): asked by the health insurer's advising physician on 05/01/2025; assessment A on
    # 10/03 (term ended 23/02: late); no plan by the report day (term ended 12/05: not done).
    e7 = EmployeeFactory(unit=w.team_b)
    t7 = _traj(e7, absence_start=D("2024-10-01"), started_on=D("2024-10-02"), is_formal=True)
    _ev(t7, "formal_request", "2025-01-05", by="insurer")
    _ev(t7, "assessment", "2025-03-10", decision="A")
    # T8 (B): request on 01/12/2025: the assessment term ends on 19/01/2026, in 2026.
    e8 = EmployeeFactory(unit=w.team_b)
    t8 = _traj(e8, absence_start=D("2025-10-01"), started_on=D("2025-10-02"), is_formal=True)
    _ev(t8, "formal_request", "2025-12-01", by="employer")
    milestones_refresh(employee_ids=[e6.pk, e7.pk, e8.pk])
    Trajectory.objects.filter(pk=t7.pk).update(formal_requested_by="insurer")
    scope = Scope("organisation", w.vo.pk, w.vo.pk, w.vo.name)
    return dataset, [dataset.t2, dataset.t5, t6, t7, t8], scope


def _rows(report, key):
    return {
        r.label: ([c.value for c in r.current], [c.value for c in r.previous])
        for r in report.table(key).rows
    }


def test_formal_terms_by_hand(formal):
    _dataset, _ts, scope = formal
    got = _rows(build_report(scope, 2025, today=TODAY), "formal_terms")
    # [on time, late or not, total, share]; 2024 has no term.
    assert [v[0][:3] for v in got.values()] == [
        [2, 1, 3],  # assessment: T2 (21 days), T5 (21 days) on time; T7 late; T6 ended
        [1, 1, 2],  # plan after A: T2 on 15/08 (term 02/09); T7 none (term 12/05)
        [1, 0, 1],  # after B: T5's motivated report 01/05 (term 03/03 + 6 months)
        [1, 0, 1],  # answer: T2's first answer 18/08 (term 29/08)
    ]
    assert [round(v[0][3]) for v in got.values()] == [67, 50, 100, 100]
    assert all(v[1][:3] == [0, 0, 0] for v in got.values())
    # The 2026 report: T8's assessment term ended on 19/01/2026, not done.
    got26 = _rows(build_report(scope, 2026, today=TODAY), "formal_terms")
    assert list(got26.values())[0][0][:3] == [0, 1, 1]


def test_no_show_and_insurer_by_hand(formal):
    _dataset, _ts, scope = formal
    report = build_report(scope, 2025, today=TODAY)
    assert _rows(report, "formal_no_show") == {"trajecten": ([1], [0])}
    requesters = _rows(report, "formal_by_requester")
    assert requesters["adviserend arts van het ziekenfonds"] == ([1], [0])
    assert report.table("formal_no_show").basis.startswith("Codex art. I.4-73")


def test_terms_are_the_rules_engines(formal):
    """Every term the report counts is an obligation of the engine with the same code, due date
    and done date; a cycle ended by invitations is the engine's signal on the same day."""
    _dataset, trajectories, _scope = formal
    for t in trajectories:
        events = list(t.events.order_by("date", "pk"))
        rows = [
            (e.type, e.date, e.decision or None, e.attended)
            for e in events
            if e.type in FORMAL_CYCLE_EVENTS
        ]
        ours = list(_formal_terms(rows, t.started_on, t.closed_on))
        engine = {o.code: o for o in obligations_for(t, on=TODAY)}
        assert ours, t
        for out in ours:
            if out[0] == "no_show":
                assert engine["formal_ended_no_show"].due == out[1]
                continue
            _term, kind, due, done = out
            assert kind in FORMAL_TERMS
            o = engine[kind]
            assert (o.due, o.done_on) == (due, done), (t, kind)
