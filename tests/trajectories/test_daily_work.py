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


def record_return(world, trajectory, day, **fields):
    trajectory.refresh_from_db()
    return services.event_record(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=trajectory.version,
        data=services.EventInput(
            type="return_to_work", date=day, fields={"return_type": "full", **fields}
        ),
    )


def by_code(obligations):
    return {o.code: o for o in obligations}


def test_planned_return_shows_as_planned_and_switches_the_obligations_on_its_day(world, client):
    today = timezone.localdate()
    trajectory = open_trajectory(world, days=40)
    planned = today + timedelta(days=30)
    record_return(world, trajectory, planned)
    trajectory.refresh_from_db()
    assert trajectory.phase != Trajectory.Phase.FOLLOW_UP

    before = by_code(services.obligations_for(trajectory, on=planned - timedelta(days=1)))
    assert before["contact"].is_open
    assert not any(code.startswith("follow_up") for code in before)

    on_the_day = by_code(services.obligations_for(trajectory, on=planned))
    assert not on_the_day["contact"].is_open
    assert "hervat" in on_the_day["contact"].why
    assert on_the_day["follow_up_1"].is_open

    services.trajectory_refresh(trajectory, on=planned)
    trajectory.refresh_from_db()
    assert trajectory.phase == Trajectory.Phase.FOLLOW_UP

    client.force_login(world.alice)
    html = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "gepland" in html
    assert planned.strftime("%d/%m/%Y") in html


def test_back_earlier_than_planned_ends_the_absence_and_the_plan(world, client):
    # A return is planned in a month; the employee comes back today. The absence's obligations
    # stop today and the page no longer announces the planned day.
    from terugkeer.trajectories.models import Absence

    today = timezone.localdate()
    trajectory = open_trajectory(world, days=40)
    planned = today + timedelta(days=30)
    record_return(world, trajectory, planned)
    assert Absence.objects.get(employee=world.emp_a).end_day == planned - timedelta(days=1)

    record_return(world, trajectory, today)
    assert Absence.objects.get(employee=world.emp_a).end_day == today - timedelta(days=1)
    now = by_code(services.obligations_for(trajectory, on=today))
    assert not now["contact"].is_open
    assert now["follow_up_1"].is_open

    client.force_login(world.alice)
    html = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "de verplichtingen wisselen op die dag" not in html


def test_return_beyond_the_horizon_is_refused_in_dutch(world, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "RETURN_HORIZON_DAYS": 10}
    trajectory = open_trajectory(world)
    with pytest.raises(ValidationError) as error:
        record_return(world, trajectory, timezone.localdate() + timedelta(days=11))
    assert "geplande werkhervatting" in str(error.value)
    record_return(world, trajectory, timezone.localdate() + timedelta(days=10))


def test_other_events_stay_refused_in_the_future(world):
    trajectory = open_trajectory(world)
    with pytest.raises(ValidationError):
        services.event_record(
            actor=world.alice,
            trajectory=trajectory,
            expected_version=trajectory.version,
            data=services.EventInput(
                type="contact",
                date=timezone.localdate() + timedelta(days=2),
                fields={"channel": "call", "by": "coach"},
            ),
        )


def test_return_form_proposes_the_plans_percentage_and_today(world, client):
    trajectory = open_trajectory(world)
    services.plan_save(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=trajectory.version,
        data=services.PlanInput(work_percentage=60),
    )
    client.force_login(world.alice)
    html = client.get(
        reverse("trajectories:event", args=[trajectory.pk, "return_to_work"])
    ).content.decode()
    assert 'name="percentage" value="60"' in html
    assert '<option value="progressive" selected>' in html
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert 'type="date"' in html


def test_date_fields_accept_iso_and_belgian_notation(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    url = reverse("trajectories:event", args=[trajectory.pk, "four_week_list"])
    today = timezone.localdate()
    for typed in (today.isoformat(), today.strftime("%d/%m/%Y")):
        trajectory.refresh_from_db()
        response = client.post(url, {"version": trajectory.version, "date": typed})
        assert response.status_code == 302, typed
    assert trajectory.events.filter(type="four_week_list").count() == 2


def test_open_obligation_has_the_action_that_completes_it(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    html = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    conversation = reverse("trajectories:event", args=[trajectory.pk, "conversation"])
    row = html.split('data-code="conversation_2m"')[1].split("</tr>")[0]
    assert f'href="{conversation}"' in row


def test_action_panel_folds_what_does_not_fit_the_phase(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    html = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    folded = html.split('<details class="more-actions">')[1].split("</details>")[0]
    assert "Uitspraak in beroep ontvangen" in folded or "beroep" in folded
    shown = html.split('id="act-title"')[1].split('<details class="more-actions">')[0]
    assert "Contact met de afwezige medewerker" in shown


def test_absence_registration_goes_to_its_trajectory(world, client):
    client.force_login(world.alice)
    first_day = (timezone.localdate() - timedelta(days=40)).isoformat()
    response = client.post(
        reverse("employees:detail", args=[world.emp_a.pk]),
        {"absence-first_day": first_day},
    )
    trajectory = Trajectory.objects.get(employee=world.emp_a)
    assert response.url == reverse("trajectories:detail", args=[trajectory.pk])


def test_employee_list_shows_running_absence_and_phase_in_one_query(
    world, client, django_assert_max_num_queries
):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    client.get(reverse("employees:list"))  # warm the session and grants
    with django_assert_max_num_queries(12):
        html = client.get(reverse("employees:list")).content.decode()
    assert trajectory.absence_start.strftime("%d/%m/%Y") in html
    assert trajectory.get_phase_display() in html


def test_timeline_does_not_say_empty_above_an_absence(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    html = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "Nog niets geregistreerd" not in html


def test_home_list_shows_why_and_due_date_of_the_next_step(world, client):
    trajectory = open_trajectory(world)
    trajectory.refresh_from_db()
    assert trajectory.next_why
    client.force_login(world.alice)
    html = client.get("/").content.decode()
    assert trajectory.next_why in html.replace("&#x27;", "'")
    assert trajectory.next_due.strftime("%d/%m/%Y") in html


def test_law_is_written_with_a_space_and_the_signal_badge_is_explained(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    html = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert trajectory.law_version.replace("RIT", "RIT ") in html
    assert "<dd>RIT3" not in html


def test_a_return_overtaken_or_registered_twice_starts_no_second_round_of_follow_ups(world):
    today = timezone.localdate()
    trajectory = open_trajectory(world, days=40)
    record_return(world, trajectory, today + timedelta(days=30))  # planned
    record_return(world, trajectory, today)  # back earlier
    record_return(world, trajectory, today)  # the same return once more
    later = today + timedelta(days=120)
    codes = [o.code for o in services.obligations_for(trajectory, on=later)]
    follow_ups = [c for c in codes if c.startswith("follow_up")]
    assert len(follow_ups) == len(set(follow_ups)) == 3, codes
