"""The case-work services: absences, trajectories, events, plans, conflicts, relapses."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from terugkeer.audit.models import AuditEntry
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Absence, Event, Trajectory

TODAY = date(2026, 6, 1)


def register(world, first_day, actor=None, **kwargs):
    return services.absence_register(
        actor=actor or world.alice, employee=world.emp_a, first_day=first_day, on=TODAY, **kwargs
    )


def record(world, trajectory, type_, day, actor=None, **fields):
    trajectory.refresh_from_db()
    return services.event_record(
        actor=actor or world.alice,
        trajectory=trajectory,
        expected_version=trajectory.version,
        data=services.EventInput(type=type_, date=day, fields=fields),
        on=TODAY,
    )


def test_short_absence_opens_no_trajectory(world):
    absence = register(world, TODAY - timedelta(days=10))
    assert absence.trajectory is None
    assert not Trajectory.objects.exists()


def test_absence_reaching_threshold_opens_trajectory(world):
    register(world, TODAY - timedelta(days=40))
    trajectory = Trajectory.objects.get()
    assert trajectory.absence_start == TODAY - timedelta(days=40)
    assert trajectory.law_version == "RIT3.0"
    assert trajectory.next_code  # the rules engine set the next obligation
    assert Absence.objects.get().trajectory == trajectory


def test_absence_write_is_audited(world):
    register(world, TODAY - timedelta(days=40))
    entry = AuditEntry.objects.filter(object_type="absence").get()
    assert entry.username == "alice" and entry.action == "create"
    assert entry.employee_id == world.emp_a.pk


def test_coach_of_other_entity_cannot_register(world):
    with pytest.raises(PermissionDenied):
        register(world, TODAY - timedelta(days=40), actor=world.carl)
    assert not Absence.objects.exists()


def test_manager_cannot_record_employer_steps(world):
    register(world, TODAY - timedelta(days=100))
    trajectory = Trajectory.objects.get()
    record(world, trajectory, "contact", TODAY, actor=world.bob, channel="call", by="manager")
    with pytest.raises(PermissionDenied):
        record(world, trajectory, "formal_request", TODAY, actor=world.bob, by="employer")


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationError):
        register(world, TODAY, end_day=TODAY - timedelta(days=1))


def test_lead_follows_conversation_outcome(world):
    register(world, TODAY - timedelta(days=40))
    trajectory = Trajectory.objects.get()
    record(world, trajectory, "conversation", TODAY - timedelta(days=2), outcome="attention")
    trajectory.refresh_from_db()
    assert trajectory.lead == Trajectory.Lead.COACH
    assert trajectory.phase == Trajectory.Phase.PLAN
    open_codes = {
        o.code for o in services.obligations_for(trajectory, on=TODAY) if o.status == "open"
    }
    assert "step_plan_2m" in open_codes


def test_second_writer_with_stale_version_gets_conflict(world):
    register(world, TODAY - timedelta(days=40))
    trajectory = Trajectory.objects.get()
    stale = trajectory.version
    record(world, trajectory, "contact", TODAY, channel="call", by="manager")
    with pytest.raises(services.ConflictError):
        services.event_record(
            actor=world.hannah,
            trajectory=trajectory,
            expected_version=stale,
            data=services.EventInput(type="contact", date=TODAY, fields={"channel": "card"}),
            on=TODAY,
        )
    assert Event.objects.filter(type="contact").count() == 1


def test_relapse_after_closed_trajectory_links_to_it(world):
    register(world, TODAY - timedelta(days=120), end_day=TODAY - timedelta(days=61))
    first = Trajectory.objects.get()
    record(world, first, "return_to_work", TODAY - timedelta(days=60), return_type="full")
    record(world, first, "closure", TODAY - timedelta(days=30), outcome="sustainable_return")
    register(world, TODAY - timedelta(days=5))
    second = Trajectory.objects.exclude(pk=first.pk).get()
    assert second.relapse_of == first
    assert second.events.filter(type="relapse").exists()


def test_new_absence_long_after_return_is_no_relapse(world):
    register(world, date(2025, 1, 1), end_day=date(2025, 3, 1))
    first = Trajectory.objects.get()
    record(world, first, "return_to_work", date(2025, 3, 2), return_type="full")
    record(world, first, "closure", date(2025, 6, 1), outcome="sustainable_return")
    register(world, TODAY - timedelta(days=40))
    second = Trajectory.objects.exclude(pk=first.pk).get()
    assert second.relapse_of is None


def test_plan_versions_are_kept(world):
    register(world, TODAY - timedelta(days=60))
    trajectory = Trajectory.objects.get()
    for percentage in (50, 60):
        trajectory.refresh_from_db()
        services.plan_save(
            actor=world.alice,
            trajectory=trajectory,
            expected_version=trajectory.version,
            data=services.PlanInput(
                work_percentage=percentage, steps=[{"description": "Start", "owner": "coach"}]
            ),
            on=TODAY,
        )
    assert list(trajectory.plans.values_list("number", "work_percentage")) == [(2, 60), (1, 50)]
    # Only the first version is the step-plan event the rules engine waits for.
    assert trajectory.events.filter(type="step_plan").count() == 1


def test_contact_wishes_feed_the_rules_engine(world):
    register(world, TODAY - timedelta(days=40))
    trajectory = Trajectory.objects.get()
    services.contact_wishes_set(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=trajectory.version,
        frequency_days=None,
        pause=True,
        on=TODAY,
    )
    obligations = {o.code: o for o in services.obligations_for(trajectory, on=TODAY)}
    assert obligations["contact"].status == "not_applicable"


def test_preventive_trajectory(world):
    trajectory = services.trajectory_open(
        actor=world.alice,
        employee=world.emp_a,
        kind="preventive",
        started_on=TODAY,
        preventive_request_on=TODAY,
        on=TODAY,
    )
    assert trajectory.kind == "preventive"
    assert trajectory.events.filter(type="preventive_request").exists()
    assert trajectory.next_code  # the answer to the request is due


def test_formal_request_sets_the_trajectory_and_its_report_milestone(world):
    register(world, TODAY - timedelta(days=100))
    trajectory = Trajectory.objects.get()
    record(world, trajectory, "formal_request", TODAY - timedelta(days=3), by="employee")
    trajectory.refresh_from_db()
    assert trajectory.is_formal and trajectory.formal_requested_by == "employee"
    assert trajectory.formal_requested_on == TODAY - timedelta(days=3)


def test_the_plan_page_names_the_version_saving_creates(world, client):
    from django.urls import reverse

    register(world, TODAY - timedelta(days=60))
    trajectory = Trajectory.objects.get()
    services.plan_save(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=trajectory.version,
        data=services.PlanInput(
            work_percentage=50, steps=[{"description": "Start", "owner": "coach"}]
        ),
        on=TODAY,
    )
    client.force_login(world.alice)
    page = client.get(reverse("trajectories:plan", args=[trajectory.pk])).content.decode()
    # It said "bewaren maakt versie 1 + 1".
    assert "bewaren maakt versie 2" in page
    assert "+ 1" not in page


def test_an_absence_over_the_days_of_another_is_refused(world, client):
    from django.urls import reverse

    register(world, TODAY - timedelta(days=60))  # still running
    with pytest.raises(ValidationError) as error:
        register(world, TODAY - timedelta(days=30))
    assert "loopt nog" in error.value.message_dict["first_day"][0]
    assert Absence.objects.count() == 1
    # Through the page: the error beside the first day, nothing registered.
    client.force_login(world.alice)
    response = client.post(
        reverse("employees:detail", args=[world.emp_a.pk]),
        {"absence-first_day": (TODAY - timedelta(days=20)).strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200
    assert "overlapt met de afwezigheid" in response.content.decode()
    assert Absence.objects.count() == 1


def test_an_absence_after_the_last_day_of_another_is_taken(world):
    first = register(world, TODAY - timedelta(days=60), end_day=TODAY - timedelta(days=40))
    register(world, TODAY - timedelta(days=39))
    assert Absence.objects.exclude(pk=first.pk).count() == 1
    with pytest.raises(ValidationError):
        register(world, TODAY - timedelta(days=50), end_day=TODAY - timedelta(days=45))
