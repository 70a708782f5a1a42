"""The coach's daily work (issue 15): empty plans refused, planned returns, one-click actions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from terugkeer.trajectories import services
from terugkeer.trajectories.models import Plan, Trajectory


def open_trajectory(world, days=60):
    today = timezone.localdate()
    services.absence_register(
        actor=world.alice, employee=world.emp_a, first_day=today - timedelta(days=days)
    )
    return Trajectory.objects.get(employee=world.emp_a)


def test_service_refuses_a_plan_without_step_or_percentage(world):
    trajectory = open_trajectory(world)
    with pytest.raises(ValidationError):
        services.plan_save(
            actor=world.alice,
            trajectory=trajectory,
            expected_version=trajectory.version,
            data=services.PlanInput(training="", steps=[{"description": "  "}]),
        )
    assert not Plan.objects.filter(trajectory=trajectory).exists()
    assert not trajectory.events.filter(type="step_plan").exists()


def test_service_accepts_a_plan_with_only_a_percentage(world):
    trajectory = open_trajectory(world)
    services.plan_save(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=trajectory.version,
        data=services.PlanInput(work_percentage=60),
    )
    assert trajectory.plans.count() == 1


def test_plan_form_refuses_empty_plan_in_dutch_and_keeps_the_input(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    response = client.post(
        reverse("trajectories:plan", args=[trajectory.pk]),
        {"version": trajectory.version, "training": "Cursus Excel", "step_0_owner": "coach"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geef minstens één stap of kies een werkpercentage." in html
    assert "Cursus Excel" in html
    assert 'value="coach"' in html
    assert not trajectory.plans.exists()
