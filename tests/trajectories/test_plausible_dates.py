"""Issue 12 point 6: absences and events are dated from the configured year (default 2000) to a
year ahead; forms, services and (in tests/imports, tests/api) the import and the API refuse
the rest with a Dutch reason, all through terugkeer.trajectories.dates."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from terugkeer.trajectories import services
from terugkeer.trajectories.dates import date_problem
from terugkeer.trajectories.forms import AbsenceForm, EventForm, PlanForm
from terugkeer.trajectories.models import Absence, Event, Trajectory

IMPLAUSIBLE = ["01/01/0001", "31/12/9999", "15/06/1900", "31/12/1999"]


def test_the_bounds_follow_the_setting(settings):
    today = date(2026, 6, 1)
    assert date_problem(date(2000, 1, 1), on=today) is None
    assert "01/01/2000" in date_problem(date(1999, 12, 31), on=today)
    assert date_problem(today + timedelta(days=366), on=today) is None
    assert "meer dan een jaar" in date_problem(today + timedelta(days=367), on=today)
    settings.TERUGKEER = {**settings.TERUGKEER, "EARLIEST_YEAR": 2010}
    assert "01/01/2010" in date_problem(date(2009, 12, 31), on=today)
    assert date_problem(date(2010, 1, 1), on=today) is None


@pytest.mark.parametrize("typed", IMPLAUSIBLE)
def test_the_absence_form_refuses_an_implausible_first_day(typed):
    form = AbsenceForm({"first_day": typed})
    assert not form.is_valid()
    assert "first_day" in form.errors
    assert "controleer het jaar" in form.errors["first_day"][0] or "toekomst" in str(
        form.errors["first_day"]
    )


def test_the_absence_form_refuses_an_end_more_than_a_year_ahead():
    far = (timezone.localdate() + timedelta(days=400)).strftime("%d/%m/%Y")
    form = AbsenceForm({"first_day": "02/01/2026", "end_day": far, "expected_end": far})
    assert not form.is_valid()
    assert "meer dan een jaar in de toekomst" in form.errors["end_day"][0]
    assert "expected_end" in form.errors


def test_event_and_plan_forms_refuse_old_dates(world):
    form = EventForm({"version": 1, "date": "15/06/1900"}, event_type="four_week_list")
    assert not form.is_valid() and "controleer het jaar" in form.errors["date"][0]
    plan = PlanForm(
        {"version": 1, "valid_until": "31/12/9999", "review_dates": "01/02/1950"},
        organisation=world.vo,
    )
    assert not plan.is_valid()
    assert "valid_until" in plan.errors and "review_dates" in plan.errors


def test_the_services_refuse_implausible_dates(world):
    with pytest.raises(ValidationError) as error:
        services.absence_register(actor=world.alice, employee=world.emp_a, first_day=date(1, 1, 1))
    assert "first_day" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.absence_register(
            actor=world.alice, employee=world.emp_a, first_day=date(9999, 12, 31)
        )
    assert "toekomst" in error.value.message_dict["first_day"][0]
    assert not Absence.objects.exists()
    today = timezone.localdate()
    services.absence_register(
        actor=world.alice, employee=world.emp_a, first_day=today - timedelta(days=60)
    )
    trajectory = Trajectory.objects.get(employee=world.emp_a)
    with pytest.raises(ValidationError) as error:
        services.event_record(
            actor=world.alice,
            trajectory=trajectory,
            expected_version=None,
            data=services.EventInput(
                type="contact", date=date(1900, 6, 15), fields={"channel": "call"}
            ),
        )
    assert "date" in error.value.message_dict
    assert not Event.objects.filter(type="contact").exists()


def test_the_contact_page_shows_the_reason_beside_the_date(world, client):
    today = timezone.localdate()
    services.absence_register(
        actor=world.alice, employee=world.emp_a, first_day=today - timedelta(days=60)
    )
    trajectory = Trajectory.objects.get(employee=world.emp_a)
    client.force_login(world.alice)
    response = client.post(
        reverse("trajectories:event", args=[trajectory.pk, "contact"]),
        {
            "version": trajectory.version,
            "date": "01/01/1900",
            "channel": "call",
            "contact_by": "coach",
        },
    )
    assert response.status_code == 200
    assert "De datum ligt voor 01/01/2000: controleer het jaar." in response.content.decode()
    assert not Event.objects.filter(type="contact").exists()


def test_the_employee_page_refuses_an_absence_in_year_one(world, client):
    client.force_login(world.hannah)
    response = client.post(
        reverse("employees:detail", args=[world.emp_a.pk]),
        {"absence-first_day": "01/01/0001"},
    )
    assert response.status_code == 200
    assert "controleer het jaar" in response.content.decode()
    assert not Absence.objects.exists()


def test_the_absence_form_takes_a_last_day_only_once_it_has_passed():
    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).strftime("%d/%m/%Y")
    form = AbsenceForm({"first_day": "02/01/2026", "end_day": tomorrow})
    assert not form.is_valid()
    assert "verwachte einddatum" in form.errors["end_day"][0]
    form = AbsenceForm({"first_day": "02/01/2026", "end_day": today.strftime("%d/%m/%Y")})
    assert form.is_valid(), form.errors
    form = AbsenceForm({"first_day": "02/01/2026", "expected_end": tomorrow})
    assert form.is_valid(), form.errors
