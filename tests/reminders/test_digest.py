"""The daily digest: its content, who gets it, and the worker really running the task."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory
from terugkeer.trajectories.reminders import digest_for, digest_recipients, digest_send
from tests.factories import EmployeeFactory


@pytest.fixture
def cases(world):
    """Three trajectories in entity A: one overdue (no conversation after 4 months), one due
    soon, one with nothing urgent; one in entity B that alice must not hear about."""
    today = services.today()
    for user in (world.alice, world.bob, world.carl, world.rita):
        user.email = f"{user.username}@example.invalid"
        user.save(update_fields=["email"])
    overdue = EmployeeFactory(unit=world.team_a, manager=world.bob, last_name="Overdue")
    soon = EmployeeFactory(unit=world.team_a, last_name="Soonest")
    calm = EmployeeFactory(unit=world.team_a, last_name="Kalm")
    other = EmployeeFactory(unit=world.team_b, last_name="Anderentiteit")
    for employee, days, actor in (
        (overdue, 200, world.alice),
        (soon, 30, world.alice),
        (calm, 28, world.alice),
        (other, 200, world.carl),
    ):
        services.absence_register(
            actor=actor, employee=employee, first_day=today - timedelta(days=days), on=today
        )
    statuses = dict(Trajectory.objects.values_list("employee__last_name", "next_status"))
    return statuses


def test_digest_lists_overdue_and_due_soon_in_scope(world, cases):
    assert cases["Overdue"] == "overdue"
    digest = digest_for(world.alice)
    names = [t.employee.last_name for t in digest.overdue + digest.due_soon]
    assert "Overdue" in names
    assert "Anderentiteit" not in names
    assert digest.overdue_total == sum(1 for v in cases.values() if v == "overdue") - 1


def test_digest_email_content(world, cases):
    assert digest_send(world.alice, base_url="https://terugkeer.test")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.invalid"]
    assert "te laat" in message.subject
    assert "TE LAAT" in message.body and "BINNENKORT" in message.body
    assert "Overdue" in message.body
    assert "Anderentiteit" not in message.body
    trajectory = Trajectory.objects.get(employee__last_name="Overdue")
    assert f"https://terugkeer.test/trajecten/{trajectory.pk}/" in message.body
    assert trajectory.next_due.strftime("%d/%m/%Y") in message.body
    assert "/instellingen/herinneringen/" in message.body


def test_managers_and_coaches_who_want_it_get_it(world, cases):
    recipients = set(digest_recipients().values_list("username", flat=True))
    assert {"alice", "bob", "carl"} <= recipients
    assert "rita" not in recipients  # a rapporteur sees no persons
    world.bob.wants_digest = False
    world.bob.save(update_fields=["wants_digest"])
    assert "bob" not in set(digest_recipients().values_list("username", flat=True))
    assert not digest_send(world.bob)


# The worker closes its database connection between tasks: that needs a real transaction
# (on PostgreSQL the test's wrapping transaction would be lost with it).
@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_enqueued_tasks(world, cases):
    call_command("send_digests")
    assert DBTaskResult.objects.count() == digest_recipients().count()
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    sent_to = {m.to[0] for m in mail.outbox}
    assert "alice@example.invalid" in sent_to and "carl@example.invalid" in sent_to


def test_settings_page_toggles_the_digest(client, world):
    client.force_login(world.alice)
    page = client.get(reverse("digest_settings"))
    assert page.status_code == 200
    assert 'name="wants_digest"' in page.content.decode()
    client.post(reverse("digest_settings"), {})
    world.alice.refresh_from_db()
    assert world.alice.wants_digest is False
    client.post(reverse("digest_settings"), {"wants_digest": "on"})
    world.alice.refresh_from_db()
    assert world.alice.wants_digest is True
