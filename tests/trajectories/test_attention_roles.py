"""Each role's attention count shows only what that role must do (issue 13): the physician's
banner counts no contact duties, the coach's counts no assessment."""

from datetime import date, timedelta

from terugkeer.accounts.context_processors import _attention_count
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory

TODAY = date(2026, 6, 1)


def test_contact_duty_counts_for_coach_and_manager_not_for_physician(world):
    services.absence_register(
        actor=world.alice, employee=world.emp_a, first_day=TODAY - timedelta(days=30), on=TODAY
    )
    trajectory = Trajectory.objects.get()
    assert trajectory.next_code == "contact" and trajectory.next_status == "overdue"
    assert ",terugkeercoach," in trajectory.attention_roles
    assert ",arbeidsarts," not in trajectory.attention_roles
    assert _attention_count(world.alice) == 1
    assert _attention_count(world.bob) == 1  # the manager holds contact too
    assert _attention_count(world.dora) == 0  # the physician: her information is due in 12 days


def test_overdue_assessment_counts_for_the_physician(world):
    services.absence_register(
        actor=world.alice, employee=world.emp_a, first_day=TODAY - timedelta(days=90), on=TODAY
    )
    trajectory = Trajectory.objects.get()
    services.event_record(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=trajectory.version,
        data=services.EventInput(
            type="formal_request", date=TODAY - timedelta(days=60), fields={"by": "employee"}
        ),
        on=TODAY,
    )
    trajectory.refresh_from_db()
    assert ",arbeidsarts," in trajectory.attention_roles  # 49 days passed since the request
    assert _attention_count(world.dora) == 1


def test_attention_count_is_cached_and_follows_every_refresh(world, django_assert_num_queries):
    services.absence_register(
        actor=world.alice, employee=world.emp_a, first_day=TODAY - timedelta(days=30), on=TODAY
    )
    assert _attention_count(world.alice) == 1
    with django_assert_num_queries(0):
        assert _attention_count(world.alice) == 1  # cached (grants are cached on the user)
    # A second trajectory in alice's entity: the write moves the organisation's generation.
    services.absence_register(
        actor=world.alice,
        employee=world.emp_a_other_team,
        first_day=TODAY - timedelta(days=30),
        on=TODAY,
    )
    assert _attention_count(world.alice) == 2


def test_the_menus_count_opens_the_same_trajectories(world, client):
    # The badge "1 traject vraagt aandacht" led to the whole caseload; it now lists those it
    # counts, per role: the contact duty is the coach's, not the physician's.
    from django.urls import reverse
    from django.utils import timezone

    services.absence_register(
        actor=world.alice,
        employee=world.emp_a,
        first_day=timezone.localdate() - timedelta(days=30),
    )
    url = reverse("trajectories:caseload")
    client.force_login(world.alice)
    assert f"{url}?aandacht=1" in client.get(reverse("home")).content.decode()
    response = client.get(url, {"aandacht": "1"})
    assert response.context["page"].paginator.count == _attention_count(world.alice) == 1
    assert "Aerts" in response.content.decode()
    assert 'name="aandacht" value="1" checked' in response.content.decode()

    client.force_login(world.dora)
    assert client.get(url, {"aandacht": "1"}).context["page"].paginator.count == 0
    assert _attention_count(world.dora) == 0


def test_the_contact_form_proposes_the_registering_users_role(world, client):
    from django.urls import reverse
    from django.utils import timezone

    services.absence_register(
        actor=world.alice,
        employee=world.emp_a,
        first_day=timezone.localdate() - timedelta(days=30),
    )
    url = reverse("trajectories:event", args=[Trajectory.objects.get().pk, "contact"])
    for user, by in ((world.alice, "coach"), (world.bob, "manager")):
        client.force_login(user)
        assert client.get(url).context["form"]["contact_by"].value() == by
