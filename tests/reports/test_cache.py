"""Reports are produced once per scope, year and day, and never served after a write of their
organisation (reports/cache.py)."""

from datetime import date

from terugkeer.accounts.access import SYSTEM
from terugkeer.reports.compute import build_report
from terugkeer.reports.dashboard import build_dashboard
from terugkeer.reports.scopes import Scope
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Plan
from tests.factories import EmployeeFactory

TODAY = date(2026, 3, 1)


def _started(report) -> int:
    return report.table("trajectories").rows[0].current[-1].value


def _scope(w):
    return Scope("organisation", w.vo.pk, w.vo.pk, w.vo.name)


def test_a_repeat_is_served_from_the_cache_without_a_query(
    dataset, settings, django_assert_num_queries
):
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    scope = _scope(dataset.world)
    first = build_report(scope, 2025, today=TODAY)
    with django_assert_num_queries(0):  # the test cache is in memory
        again = build_report(scope, 2025, today=TODAY)
    assert [[c.value for r in t.rows for c in r.current + r.previous] for t in again.tables] == [
        [c.value for r in t.rows for c in r.current + r.previous] for t in first.tables
    ]
    # Another threshold is another report.
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 5}
    assert build_report(scope, 2025, today=TODAY).threshold == 5


def test_a_write_of_the_organisation_is_seen_at_once(dataset, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    w = dataset.world
    scope = _scope(w)
    assert _started(build_report(scope, 2025, today=TODAY)) == 3
    # A service write (absence, trajectory opened by the refresh).
    employee = EmployeeFactory(unit=w.team_a)
    services.absence_register(
        actor=SYSTEM, employee=employee, first_day=date(2025, 5, 1), on=date(2025, 6, 15)
    )
    assert _started(build_report(scope, 2025, today=TODAY)) == 4
    # A direct write of a plan's content (a model signal): the steps table follows.
    before = build_report(scope, 2025, today=TODAY).table("steps").rows[2].current[0].value
    plan = Plan.objects.get(trajectory=dataset.t1)
    plan.adapted_work = "Halve dagen"
    plan.save()
    after = build_report(scope, 2025, today=TODAY).table("steps").rows[2].current[0].value
    assert (before, after) == (0, 1)


def test_another_organisations_write_keeps_the_cached_report(
    dataset, settings, django_assert_num_queries
):
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    w = dataset.world
    scope = _scope(w)
    build_report(scope, 2025, today=TODAY)
    build_dashboard(scope, 2026, TODAY)
    services.absence_register(
        actor=SYSTEM, employee=w.emp_stad, first_day=date(2025, 5, 1), on=date(2025, 6, 15)
    )
    with django_assert_num_queries(0):
        build_report(scope, 2025, today=TODAY)
        build_dashboard(scope, 2026, TODAY)
