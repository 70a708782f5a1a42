"""The report on the hand-built dataset (conftest.py) equals the figures computed by hand.

Threshold 1 turns suppression off, so every figure can be compared; suppression has its own
tests. Report year 2025, previous year 2024, report made on 1 March 2026.
"""

from datetime import date

import pytest

from terugkeer.reports.compute import build_report
from terugkeer.reports.scopes import Scope

TODAY = date(2026, 3, 1)


@pytest.fixture
def report(dataset, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    w = dataset.world
    scope = Scope("entity", w.entity_a.pk, w.vo.pk, w.entity_a.name)
    return build_report(scope, 2025, today=TODAY)


def col(report, key, i=0):
    """{label: (this year, previous year)} of column i."""
    return {r.label: (r.current[i].value, r.previous[i].value) for r in report.table(key).rows}


def test_absences_of_more_than_four_weeks(report):
    assert col(report, "absences") == {"afwezigheden": (3, 1), "medewerkers": (3, 1)}


def test_trajectories_started_closed_formal_in_the_year_of_the_first_request(report):
    """T5 started on 20/12/2024 and was asked to go formal on 20/01/2025: informal in 2024 (the
    2024 figure does not change when it turns formal later), T2 formal in 2025."""
    t = report.table("trajectories")
    got = {r.label: ([c.value for c in r.current], [c.value for c in r.previous]) for r in t.rows}
    assert got == {
        "gestart": ([1, 1, 2], [2, 0, 2]),
        "afgesloten": ([1, 0, 1], [1, 0, 1]),
    }


def test_formal_by_requester(report):
    c = col(report, "formal_by_requester")
    assert c["medewerker"] == (1, 0)
    assert c["werkgever"] == (1, 0)
    assert c["Totaal"] == (2, 0)


def test_closure_outcomes(report):
    c = col(report, "closure_outcomes")
    assert c["duurzame terugkeer"] == (1, 0)
    assert c["uitdiensttreding"] == (0, 1)
    assert c["andere functie binnen de organisatie"] == (0, 0)  # T3 is entity B
    assert c["Totaal"] == (1, 1)


def test_returns_by_type_and_percentage(report):
    c = col(report, "returns_by_type")
    assert c["progressieve / deeltijdse hervatting"] == (1, 0)
    assert c["aangepast werk"] == (1, 0)
    assert c["volledige hervatting"] == (0, 1)
    assert c["Totaal"] == (2, 1)
    p = col(report, "returns_by_percentage")
    assert p["50 %"] == (1, 0)
    assert p["80 %"] == (1, 0)
    assert p["niet geregistreerd"] == (0, 1)
    assert p["Totaal"] == (2, 1)


def test_lead_times(report):
    rows = {r.label: r for r in report.table("lead_times").rows}

    def v(label):
        r = rows[label]
        return [c.value for c in r.current], [c.value for c in r.previous]

    assert v("eerste contact") == ([2, 3.5, 4.25], [1, 9, 9])
    assert v("gesprek") == ([2, 66.5, 79.25], [0, None, None])
    assert v("stappenplan") == ([1, 81, 81], [0, None, None])
    assert v("werkhervatting") == ([2, 147.5, 165.75], [1, 153, 153])


def test_obligations_on_time(report):
    rows = {r.label: r for r in report.table("on_time").rows}
    # columns: on time, late or not at all, due (total), share on time
    conv = rows["gesprek binnen 2 maanden"]
    assert [c.value for c in conv.current] == [1, 1, 2, 50.0]
    assert [c.value for c in conv.previous] == [0, 2, 2, 0.0]
    plan = rows["stappenplan binnen 2 maanden na het gesprek"]
    assert [c.value for c in plan.current] == [1, 0, 1, 100.0]
    assert [c.value for c in plan.previous] == [0, 0, 0, None]
    # The omzendbrief's trigger: no conversation within 4 months. T1 (20/02) and T2 (01/06,
    # due 01/07) made it; T4 (due 01/10/2024, back 01/11) and T5 (due 15/04/2025) did not.
    trigger = rows["gesprek binnen 4 maanden (anders aanleiding formeel traject)"]
    assert [c.value for c in trigger.current] == [2, 0, 2, 100.0]
    assert [c.value for c in trigger.previous] == [0, 2, 2, 0.0]


def test_formal_steps(report):
    d = col(report, "decisions")
    assert [v[0] for v in d.values()] == [1, 1, 0, 2]
    p = col(report, "plans_reports")
    assert p["re-integratieplan bezorgd"] == (1, 0)
    assert p["gemotiveerd verslag: geen aangepast of ander werk mogelijk"] == (1, 0)
    assert p["Totaal"] == (2, 0)
    a = col(report, "answers")
    assert a["aanvaard"] == (1, 0)
    assert a["geweigerd: inhoud van het aangepast of ander werk"] == (1, 0)
    assert a["Totaal"] == (2, 0)


def test_steps_measures_and_actors(report):
    assert col(report, "steps") == {
        "trajecten met een plan": (1, 0),
        "aanpassingen van de werkplek": (1, 0),
        "aangepast werk": (0, 0),
        "ander werk": (0, 0),
        "opleiding": (1, 0),
    }
    assert col(report, "support_measures") == {"IMW": (1, 0)}
    assert col(report, "welfare_actors") == {"Sociale dienst": (1, 0)}


def test_sustainable_return(report):
    # T1's return (01/05/2025) held; T2's (01/09/2025) relapsed; after T4's return (01/11/2024)
    # the same employee was absent again 70 days later (T1): a setback within 3 months.
    for months in (0, 1):  # after 3 months, after 6 months
        assert [v for v in col(report, "sustainable_return", months).values()] == [
            (1, 0),
            (1, 1),
            (0, 0),
            (2, 1),
        ]


def test_organisation_scope_adds_entity_b(dataset, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    w = dataset.world
    rep = build_report(Scope("organisation", w.vo.pk, w.vo.pk, w.vo.name), 2025, today=TODAY)
    t = {r.label: [c.value for c in r.current] for r in rep.table("trajectories").rows}
    assert t["gestart"] == [2, 1, 3]
    assert t["afgesloten"] == [2, 0, 2]
    assert col(rep, "closure_outcomes")["andere functie binnen de organisatie"] == (1, 0)
    rep = build_report(
        Scope("policy_domain", w.domain.pk, w.vo.pk, w.domain.name), 2025, today=TODAY
    )
    assert {r.label: [c.value for c in r.current] for r in rep.table("trajectories").rows} == t


def test_formal_request_counts_once_in_the_year_of_the_first(dataset, settings):
    """A second formal request (here in 2026, by the employer) neither adds a trajectory to 2026
    nor moves the 2025 one: formal_requested_on is the first request (milestones_refresh)."""
    from terugkeer.trajectories.models import Event, Trajectory, placed_in
    from terugkeer.trajectories.services import milestones_refresh

    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    w = dataset.world
    t2 = Trajectory.objects.get(employee=w.emp_a_other_team)
    Event.objects.create(
        **placed_in(t2), type="formal_request", date=date(2026, 2, 1), by="employer"
    )
    milestones_refresh(employee_ids=[t2.employee_id])
    t2.refresh_from_db()
    assert t2.formal_requested_on == date(2025, 6, 10)
    scope = Scope("entity", w.entity_a.pk, w.vo.pk, w.entity_a.name)
    assert col(build_report(scope, 2025, today=TODAY), "formal_by_requester")["Totaal"] == (2, 0)
    assert col(build_report(scope, 2026, today=TODAY), "formal_by_requester")["Totaal"] == (0, 2)
