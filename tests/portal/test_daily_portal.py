"""The employee's portal in plain words (issue 15): upcoming dates, the answer given, visits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from terugkeer.trajectories.models import Plan
from terugkeer.trajectories.selectors import employee_open_dossier, trajectory_open_dossier
from tests.portal._helpers import formal_case


@pytest.fixture
def case(world):
    return formal_case(world)


def test_what_is_coming_lists_conversation_review_and_step_dates_in_sentences(client, world, case):
    trajectory, eva = case
    today = timezone.localdate()
    plan = Plan.objects.filter(trajectory=trajectory).order_by("-number").first()
    step = plan.steps.exclude(due=None).first()
    client.force_login(eva)
    html = client.get(reverse("portal:home")).content.decode()
    upcoming = html.split('id="upcoming-title"')[1].split("</section>")[0]
    assert "volgend moment na" not in upcoming
    assert f"Op {(today + timedelta(days=10)):%d/%m/%Y}: U hebt een volgend gesprek" in upcoming
    assert f"Op {(today + timedelta(days=30)):%d/%m/%Y}: Uw plan wordt samen geëvalueerd." in (
        upcoming
    )
    assert f"Op {step.due:%d/%m/%Y}: Stap uit uw plan: {step.description}" in upcoming


def test_refusal_reason_is_not_called_optional(client, world, case):
    trajectory, eva = case
    client.force_login(eva)
    html = client.get(reverse("portal:plan", args=[1])).content.decode()
    label = html.split('for="id_reason"')[1].split("</label>")[0]
    assert "optioneel" not in label


def test_plan_page_shows_the_answer_given(client, world, case):
    trajectory, eva = case
    client.force_login(eva)
    client.post(
        reverse("portal:plan", args=[1]),
        {"version": trajectory.version, "answer": "refuse", "reason": "work_content"},
    )
    html = client.get(reverse("portal:plan", args=[1])).content.decode()
    assert "Uw antwoord: u hebt het plan geweigerd op" in html
    assert "Reden:" in html


def test_one_row_per_visit_saying_what_was_opened(client, world, case):
    trajectory, eva = case
    employee_open_dossier(world.alice, trajectory.employee_id)
    trajectory_open_dossier(world.alice, trajectory.pk)
    client.force_login(eva)
    html = client.get(reverse("portal:home")).content.decode()
    table = html.split("Wie opende mijn dossier")[-1]
    assert table.count(str(world.alice)) == 1
    assert "opende uw medewerkersfiche en uw traject" in table
