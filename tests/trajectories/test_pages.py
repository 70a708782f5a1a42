"""The case-work pages: scope, query bounds, forms, conflicts and the medical-text warning."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from terugkeer.audit.models import AuditEntry
from terugkeer.trajectories import services
from terugkeer.trajectories.forms import EVENT_FORMS
from terugkeer.trajectories.models import Event, Trajectory
from tests.factories import EmployeeFactory


def open_trajectory(world, employee=None, days=60):
    today = timezone.localdate()
    services.absence_register(
        actor=world.alice, employee=employee or world.emp_a, first_day=today - timedelta(days=days)
    )
    return Trajectory.objects.get(employee=employee or world.emp_a)


def add_events(world, trajectory, n):
    today = timezone.localdate()
    for i in range(n):
        trajectory.refresh_from_db()
        services.event_record(
            actor=world.alice,
            trajectory=trajectory,
            expected_version=trajectory.version,
            data=services.EventInput(
                type="contact",
                date=today - timedelta(days=n - i),
                fields={"channel": "call", "by": "coach"},
            ),
        )


def trajectory_urls(trajectory):
    yield reverse("trajectories:detail", args=[trajectory.pk])
    yield reverse("trajectories:plan", args=[trajectory.pk])
    yield reverse("trajectories:contact_wishes", args=[trajectory.pk])
    for event_type in EVENT_FORMS:
        yield reverse("trajectories:event", args=[trajectory.pk, event_type])


def test_coach_of_other_entity_gets_404_on_every_trajectory_url(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.carl)
    for url in trajectory_urls(trajectory):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"version": 1}).status_code == 404, url
    assert trajectory.events.count() == 0


def test_coach_of_other_organisation_gets_404(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.zoe)
    for url in trajectory_urls(trajectory):
        assert client.get(url).status_code == 404, url


def test_trajectory_page_shows_obligations_and_logs_the_read(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    page = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "Gesprek over stappen naar werk" in page
    assert "te laat" in page or "binnenkort" in page or "open" in page
    assert AuditEntry.objects.filter(
        action="view", object_type="trajectory", object_id=str(trajectory.pk), username="alice"
    ).exists()


def test_trajectory_page_runs_a_fixed_number_of_queries(world, client, django_assert_num_queries):
    few = open_trajectory(world)
    many = open_trajectory(world, employee=world.emp_a_other_team)
    add_events(world, few, 1)
    add_events(world, many, 12)
    client.force_login(world.alice)
    client.get(reverse("trajectories:detail", args=[few.pk]))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # both measured with the attention count not cached
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("trajectories:detail", args=[few.pk]))
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("trajectories:detail", args=[many.pk]))
    assert len(small) == len(large)
    assert len(large) <= 25


def test_caseload_runs_a_fixed_number_of_queries(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.alice)
    open_trajectory(world)
    client.get(reverse("trajectories:caseload"))
    cache.clear()  # both measured with the attention count not cached
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("trajectories:caseload"))
    for _ in range(12):
        open_trajectory(world, employee=EmployeeFactory(unit=world.team_a))
    cache.clear()
    with CaptureQueriesContext(connection) as thirteen:
        response = client.get(reverse("trajectories:caseload"))
    assert response.content.decode().count('href="/trajecten/') >= 13
    assert len(one) == len(thirteen)
    assert len(thirteen) <= 12


def test_caseload_lists_overdue_first_and_filters(world, client):
    overdue = open_trajectory(world, days=90)  # no conversation within 2 months
    EmployeeFactory(unit=world.team_a, last_name="Zomers")
    client.force_login(world.alice)
    page = client.get(reverse("trajectories:caseload")).content.decode()
    assert overdue.employee.last_name in page
    page = client.get(reverse("trajectories:caseload"), {"status": "overdue"}).content.decode()
    assert overdue.employee.last_name in page
    page = client.get(reverse("trajectories:caseload"), {"q": "nobody"}).content.decode()
    assert overdue.employee.last_name not in page


def test_event_form_records_and_redirects(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    today = timezone.localdate()
    response = client.post(
        reverse("trajectories:event", args=[trajectory.pk, "conversation"]),
        {
            "version": trajectory.version,
            "date": today.strftime("%d/%m/%Y"),
            "conversation_outcome": "attention",
            "participants": "medewerker, coach",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(type="conversation")
    assert event.outcome == "attention" and event.date == today
    trajectory.refresh_from_db()
    assert trajectory.lead == "coach"


def test_form_errors_are_shown_in_dutch_and_nothing_is_saved(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    response = client.post(
        reverse("trajectories:event", args=[trajectory.pk, "conversation"]),
        {"version": trajectory.version, "date": "31/02/2026"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Er is een probleem" in page
    assert "Geef een geldige datum op" in page or "geldige datum" in page
    assert not Event.objects.filter(type="conversation").exists()


def test_medical_note_is_warned_then_saved_when_confirmed(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    url = reverse("trajectories:event", args=[trajectory.pk, "contact"])
    data = {
        "version": trajectory.version,
        "date": timezone.localdate().strftime("%d/%m/%Y"),
        "channel": "call",
        "contact_by": "coach",
        "note": "Zij neemt nu sertraline en heeft een burn-out.",
    }
    page = client.post(url, data).content.decode()
    assert "lijkt medische informatie te bevatten" in page
    assert "sertraline" in page and "burn-out" in page
    assert "Zij neemt nu sertraline" in page  # what was typed is not lost
    assert not Event.objects.filter(type="contact").exists()
    response = client.post(url, {**data, "confirm_not_medical": "on"})
    assert response.status_code == 302
    assert Event.objects.filter(type="contact").exists()


def test_stale_form_gets_conflict_message_and_keeps_input(world, client):
    trajectory = open_trajectory(world)
    stale_version = trajectory.version
    add_events(world, trajectory, 1)  # someone else saved meanwhile
    client.force_login(world.hannah)
    response = client.post(
        reverse("trajectories:event", args=[trajectory.pk, "agreements"]),
        {
            "version": stale_version,
            "date": timezone.localdate().strftime("%d/%m/%Y"),
            "note": "Afspraak: start halftijds.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit traject intussen gewijzigd" in page
    assert "Afspraak: start halftijds." in page
    assert not Event.objects.filter(type="agreements").exists()


@pytest.mark.parametrize("persona", ["rita", "bert", "sam"])
def test_roles_without_dossiers_see_no_trajectory(world, client, persona):
    trajectory = open_trajectory(world)
    client.force_login(getattr(world, persona))
    assert client.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    page = client.get(reverse("trajectories:caseload")).content.decode()
    assert world.emp_a.last_name not in page


def test_coach_records_that_the_work_potential_estimate_is_not_needed(world, client):
    """Issue 13: the 8-week request is not needed when a return within 6 months is expected
    (Cohezio); the coach records it with the reason, the line manager may not."""
    trajectory = open_trajectory(world, days=40)
    url = reverse("trajectories:event", args=[trajectory.pk, "work_potential_not_needed"])
    data = {
        "version": trajectory.version,
        "date": timezone.localdate().strftime("%d/%m/%Y"),
        "not_needed_reason": "return_expected",
    }
    client.force_login(world.bob)
    assert client.post(url, data).status_code == 403
    client.force_login(world.alice)
    assert client.post(url, data).status_code == 302
    assert Event.objects.get(type="work_potential_not_needed").reason == "return_expected"
    trajectory.refresh_from_db()
    item = next(
        o for o in services.obligations_for(trajectory) if o.code == "work_potential_request"
    )
    assert item.status == "not_applicable" and "werkhervatting binnen 6 maanden" in item.why
