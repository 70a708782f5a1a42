"""A small hand-built dataset whose every figure is computed by hand in test_compute.py."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from terugkeer.toolbox.models import SupportMeasure, WelfareActor
from terugkeer.trajectories.models import Absence, Event, Plan, Trajectory, placed_in
from terugkeer.trajectories.services import milestones_refresh
from tests.factories import EmployeeFactory

D = date.fromisoformat


def _traj(emp, **kw):
    return Trajectory.objects.create(
        employee=emp, organisation=emp.organisation, entity=emp.entity, **kw
    )


def _ev(t, type_, day, **kw):
    return Event.objects.create(**placed_in(t), type=type_, date=D(day), **kw)


@pytest.fixture
def dataset(world):
    w = world
    emp3 = EmployeeFactory(unit=w.team_a, last_name="Claes")
    # T1 (A, informal, 2025): on time, progressive return at 50 %, closed as sustainable return.
    t1 = _traj(
        w.emp_a,
        absence_start=D("2025-01-10"),
        started_on=D("2025-01-12"),
        closed_on=D("2025-08-01"),
        closure_outcome="sustainable_return",
    )
    Absence.objects.create(
        employee=w.emp_a,
        entity=w.entity_a,
        first_day=D("2025-01-10"),
        end_day=D("2025-04-30"),
        trajectory=t1,
    )
    _ev(t1, "contact", "2025-01-15", channel="call")
    _ev(t1, "conversation", "2025-02-20", outcome="attention")
    _ev(t1, "step_plan", "2025-04-01")
    _ev(t1, "return_to_work", "2025-05-01", return_type="progressive", percentage=50)
    _ev(t1, "closure", "2025-08-01", outcome="sustainable_return")
    plan = Plan.objects.create(
        **placed_in(t1),
        number=1,
        delivered_on=D("2025-04-01"),
        workplace_adaptations="Verstelbaar bureau",
        training="Cursus",
    )
    plan.support_measures.add(
        SupportMeasure.objects.create(organisation=w.vo, name="IMW", category="vdab")
    )
    plan.welfare_actors.add(WelfareActor.objects.create(organisation=w.vo, name="Sociale dienst"))
    tz = timezone.get_current_timezone()
    Plan.objects.filter(pk=plan.pk).update(created_at=datetime(2025, 4, 1, 10, tzinfo=tz))

    # T2 (A, formal on the employee's request, 2025): late conversation, decision A, plan
    # refused then accepted, adapted work at 80 %, relapse within 3 months.
    t2 = _traj(
        w.emp_a_other_team,
        absence_start=D("2025-03-01"),
        started_on=D("2025-03-01"),
        is_formal=True,
        formal_requested_by="employee",
    )
    Absence.objects.create(
        employee=w.emp_a_other_team,
        entity=w.entity_a,
        first_day=D("2025-03-01"),
        end_day=D("2025-08-31"),
        trajectory=t2,
    )
    _ev(t2, "contact", "2025-03-03")
    _ev(t2, "conversation", "2025-06-01", outcome="not_yet")
    _ev(t2, "formal_request", "2025-06-10", by="employee")
    _ev(t2, "assessment", "2025-07-01", decision="A")
    _ev(t2, "plan", "2025-08-15")
    _ev(t2, "employee_answer", "2025-08-18", accepted=False, reason="work_content")
    _ev(t2, "employee_answer", "2025-08-20", accepted=True)
    _ev(t2, "return_to_work", "2025-09-01", return_type="adapted", percentage=80)
    _ev(t2, "relapse", "2025-10-15")

    # T3 (B, informal, 2025): short absence, closed with another job. Out of entity A's scope.
    t3 = _traj(
        w.emp_b,
        absence_start=D("2025-02-01"),
        started_on=D("2025-02-02"),
        closed_on=D("2025-03-01"),
        closure_outcome="other_job_inside",
    )
    Absence.objects.create(
        employee=w.emp_b,
        entity=w.entity_b,
        first_day=D("2025-02-01"),
        end_day=D("2025-02-10"),
        trajectory=t3,
    )

    # T4 (A, informal, 2024): full return, closed (leaving); a new absence 70 days later.
    t4 = _traj(
        w.emp_a,
        absence_start=D("2024-06-01"),
        started_on=D("2024-06-03"),
        closed_on=D("2024-12-01"),
        closure_outcome="leaving",
    )
    Absence.objects.create(
        employee=w.emp_a,
        entity=w.entity_a,
        first_day=D("2024-06-01"),
        end_day=D("2024-10-31"),
        trajectory=t4,
    )
    _ev(t4, "contact", "2024-06-10")
    _ev(t4, "return_to_work", "2024-11-01", return_type="full")

    # T5 (A, formal on the employer's request, absence from 2024-12-15, still absent).
    t5 = _traj(
        emp3,
        absence_start=D("2024-12-15"),
        started_on=D("2024-12-20"),
        is_formal=True,
        formal_requested_by="employer",
    )
    Absence.objects.create(
        employee=emp3, entity=w.entity_a, first_day=D("2024-12-15"), trajectory=t5
    )
    _ev(t5, "formal_request", "2025-01-20", by="employer")
    _ev(t5, "assessment", "2025-02-10", decision="B")
    _ev(t5, "motivated_report", "2025-05-01", reason="no_adapted_work")
    # The events and absences above bypass the services: refresh the report milestones as the
    # bulk writers do.
    milestones_refresh(employee_ids=[w.emp_a.pk, w.emp_a_other_team.pk, w.emp_b.pk, emp3.pk])
    return SimpleNamespace(world=w, emp3=emp3, t1=t1, t2=t2, t3=t3, t4=t4, t5=t5)


@pytest.fixture(autouse=True)
def _every_entity_published(settings):
    """The hand-built entities are tiny: every one gets its own report in these tests unless a
    test sets the minimum entity size (test_attack.py does)."""
    settings.TERUGKEER = {**settings.TERUGKEER, "REPORT_MIN_ENTITY_EMPLOYEES": 0}
