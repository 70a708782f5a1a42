from datetime import timedelta

import pytest
from django.urls import reverse

from terugkeer.audit.models import AuditEntry
from terugkeer.trajectories.models import Event, Trajectory
from terugkeer.trajectories.selectors import trajectory_open_dossier
from tests.factories import UserFactory
from tests.portal._helpers import formal_case


@pytest.fixture
def case(world):
    return formal_case(world)


def test_it_requires_an_employee_account(client, world):
    client.force_login(world.alice)
    assert client.get(reverse("portal:home")).status_code == 404


def test_it_shows_own_plan_agreements_and_upcoming(client, world, case):
    trajectory, eva = case
    client.force_login(eva)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kennismaking met het team" in html
    assert "Om de twee weken bellen." in html
    assert "GEHEIM-INTERN" not in html
    assert "Plan bekijken en antwoorden" in html


def test_internal_notes_never_reach_the_portal(client, world, case):
    trajectory, eva = case
    client.force_login(eva)
    for url in (reverse("portal:home"), reverse("portal:plan", args=[1])):
        assert "GEHEIM-INTERN" not in client.get(url).content.decode()


def test_it_lists_who_opened_the_dossier_but_not_own_views(client, world, case):
    trajectory, eva = case
    trajectory_open_dossier(world.alice, trajectory.pk)
    client.force_login(eva)
    client.get(reverse("portal:home"))
    html = client.get(reverse("portal:home")).content.decode()
    assert str(world.alice) in html
    assert "Terugkeercoach" in html
    table = html.split("Wie opende mijn dossier")[1]
    assert str(eva) not in table
    # The employee's own reads are logged all the same.
    assert AuditEntry.objects.filter(user=eva, action="view").exists()


def test_employee_sets_contact_wishes(client, world, case):
    trajectory, eva = case
    client.force_login(eva)
    response = client.post(
        reverse("portal:contact_wishes"),
        {
            "version": trajectory.version,
            "channel": "mail",
            "frequency_days": "21",
            "by": "terugkeercoach",
        },
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.contact_frequency_days == 21
    assert trajectory.contact_channel == "mail"
    assert trajectory.contact_by == "terugkeercoach"
    assert Event.objects.filter(trajectory=trajectory, type="contact_wishes").exists()


def test_refusal_requires_a_reason(client, world, case):
    trajectory, eva = case
    client.force_login(eva)
    response = client.post(
        reverse("portal:plan", args=[1]), {"version": trajectory.version, "answer": "refuse"}
    )
    assert response.status_code == 200
    assert "Kies de reden" in response.content.decode()
    assert not Event.objects.filter(trajectory=trajectory, type="employee_answer").exists()


def test_an_answer_without_a_choice_says_what_to_choose(client, world, case):
    trajectory, eva = case
    client.force_login(eva)
    response = client.post(reverse("portal:plan", args=[1]), {"version": trajectory.version})
    assert response.status_code == 200
    assert "Kies of u het plan aanvaardt of weigert." in response.content.decode()
    assert not Event.objects.filter(trajectory=trajectory, type="employee_answer").exists()


def test_employee_refuses_plan_and_rules_engine_follows(client, world, case):
    trajectory, eva = case
    client.force_login(eva)
    response = client.post(
        reverse("portal:plan", args=[1]),
        {"version": trajectory.version, "answer": "refuse", "reason": "work_content"},
    )
    assert response.status_code == 302
    answer = Event.objects.get(trajectory=trajectory, type="employee_answer")
    assert answer.accepted is False and answer.reason == "work_content"
    assert answer.created_by == eva
    trajectory.refresh_from_db()
    assert trajectory.next_code != "employee_answer"
    # A second answer is not possible.
    page = client.get(reverse("portal:plan", args=[1])).content.decode()
    assert "al op dit plan geantwoord" in page


def test_employee_accepts_plan(client, world, case):
    trajectory, eva = case
    client.force_login(eva)
    client.post(
        reverse("portal:plan", args=[1]), {"version": trajectory.version, "answer": "accept"}
    )
    assert Event.objects.get(trajectory=trajectory, type="employee_answer").accepted is True


def test_answer_after_the_term_is_refused(world, case):
    from django.core.exceptions import ValidationError

    from terugkeer.portal.services import plan_answer

    trajectory, eva = case
    plan = trajectory.plans.get(number=1)
    later = plan.created_at.date() + timedelta(days=40)
    with pytest.raises(ValidationError):
        plan_answer(actor=eva, plan=plan, accepted=True, on=later)


def test_another_employees_trajectory_and_plan_are_404(client, world, case):
    trajectory, eva = case
    other, olav = formal_case(world, employee=world.emp_b, username="olav", actor=world.carl)
    client.force_login(olav)
    # Olav only ever sees his own; Eva's trajectory pages are not reachable by him.
    assert client.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    assert client.get(reverse("trajectories:plan_pdf", args=[trajectory.pk, 1])).status_code == 404
    assert client.get(reverse("portal:plan", args=[5])).status_code == 404
    html = client.get(reverse("portal:home")).content.decode()
    assert str(eva) not in html


def test_employee_cannot_use_staff_pages_for_self(client, world, case):
    trajectory, eva = case
    client.force_login(eva)
    assert client.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    assert client.get(reverse("trajectories:plan_pdf", args=[trajectory.pk, 1])).status_code == 404


def test_access_rule_employee_records_only_own_wishes_and_answer(world, case):
    from terugkeer.accounts.access import can_write

    trajectory, eva = case
    assert can_write(eva, employee=world.emp_a, event_type="contact_wishes")
    assert can_write(eva, employee=world.emp_a, event_type="employee_answer")
    assert not can_write(eva, employee=world.emp_a, event_type="plan")
    assert not can_write(eva, employee=world.emp_a, event_type=None)
    assert not can_write(eva, employee=world.emp_b, event_type="contact_wishes")


def test_no_trajectory_says_so(client, world):
    user = UserFactory(username="nina", employee=world.emp_a_other_team)
    client.force_login(user)
    assert "geen lopend terugkeertraject" in client.get(reverse("portal:home")).content.decode()
    assert client.get(reverse("portal:contact_wishes")).status_code == 404
    assert Trajectory.objects.count() == 0


def test_the_employees_menu_has_no_second_link_to_the_own_trajectory(client, world, case):
    _trajectory, eva = case
    client.force_login(eva)
    html = client.get(reverse("portal:home")).content.decode()
    assert ">Mijn traject</a>" in html
    assert ">Start</a>" not in html
    client.force_login(world.alice)
    assert ">Start</a>" in client.get(reverse("home")).content.decode()
