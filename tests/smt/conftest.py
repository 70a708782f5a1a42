"""The SMT of the test world's VO, a meeting next week and a trajectory of emp_a (Aerts) that
alice, the coach of entity A, works on. sam is an SMT member of the whole VO."""

from datetime import timedelta

import pytest
from django.utils import timezone

from terugkeer.smt import services
from terugkeer.smt.models import Smt
from terugkeer.trajectories import services as trajectory_services


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def smt_world(world, today):
    w = world
    w.today = today
    w.smt = Smt.objects.create(organisation=w.vo, name="SMT Vlaamse overheid (test)")
    w.meeting = services.meeting_plan(
        actor=w.sam, smt=w.smt, day=_working_day(today + timedelta(days=7))
    )
    trajectory_services.absence_register(
        actor=w.alice, employee=w.emp_a, first_day=today - timedelta(days=70)
    )
    w.trajectory = w.emp_a.trajectories.get()
    return w


def _working_day(day):
    from terugkeer.rules.calendar import next_working_day

    return next_working_day(day)


def named(world, **overrides):
    data = services.CaseProposal(
        form="named",
        question="Welke vorm van aangepast werk is haalbaar in het team?",
        consent_on=world.today - timedelta(days=1),
        consent_how="signed",
        guests="leidinggevende",
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return services.case_propose(
        actor=world.alice, meeting=world.meeting, trajectory=world.trajectory, data=data
    )


def anonymous(world, summary="De medewerker is vier maanden afwezig en wil graag hervatten."):
    return services.case_propose(
        actor=world.alice,
        meeting=world.meeting,
        trajectory=world.trajectory,
        data=services.CaseProposal(
            form="anonymous", question="Welke stappen raadt het SMT aan?", summary=summary
        ),
    )
