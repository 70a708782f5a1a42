"""Issue 13: the solidarity contribution (from 2026: contract staff, employer with 50 workers
or more, months 2 and 3 of incapacity) counted on the dashboard, as the engine signals it."""

from datetime import date, timedelta

from terugkeer.accounts.access import SYSTEM
from terugkeer.reports.dashboard import build_dashboard
from terugkeer.reports.scopes import scope_for
from terugkeer.trajectories import services
from tests.factories import EmployeeFactory


def _count(world, today):
    scope = scope_for(world.adam, None)
    table = next(t for t in build_dashboard(scope, today.year, today) if t.key == "solidarity_now")
    return table.rows[0].current[0].value


def test_contract_staff_in_month_two_or_three_are_counted(world):
    today = date(2026, 6, 15)
    world.vo.employer_size = 250
    world.vo.save()
    for first_day, statute in [
        (today - timedelta(days=40), "contractueel"),  # month 2: counted
        (today - timedelta(days=75), "contractueel"),  # month 3: counted
        (today - timedelta(days=20), "contractueel"),  # month 1: not yet
        (today - timedelta(days=100), "contractueel"),  # month 4: over
        (today - timedelta(days=40), "statutair"),  # statutory staff: not concerned
    ]:
        employee = EmployeeFactory(unit=world.team_a, statute=statute)
        services.absence_register(actor=SYSTEM, employee=employee, first_day=first_day, on=today)
    assert _count(world, today) == 2
    world.vo.employer_size = 30  # under 50 workers: no contribution
    world.vo.save()
    assert _count(world, today) == 0
