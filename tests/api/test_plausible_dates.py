"""Issue 12 point 6 through the API: an implausible date is a 422 naming the field and why."""

import pytest

from terugkeer.trajectories.models import Absence


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("first_day", "0001-01-01", "controleer het jaar"),
        ("first_day", "9999-12-31", "meer dan een jaar in de toekomst"),
        ("first_day", "1900-06-15", "controleer het jaar"),
        ("end_day", "9999-12-31", "meer dan een jaar in de toekomst"),
        ("expected_end", "9999-12-31", "meer dan een jaar in de toekomst"),
    ],
)
def test_an_implausible_date_is_refused_with_the_field_and_reason(api, world, field, value, reason):
    payload = {"personnel_number": world.emp_a.personnel_number, "first_day": "2026-01-05"}
    payload[field] = value
    response = api.post("/absences", payload)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert any(d["field"] == field and reason in d["message"] for d in detail), detail
    assert not Absence.objects.exists()


def test_a_patch_to_an_implausible_end_is_refused(api, world):
    response = api.post(
        "/absences", {"personnel_number": world.emp_a.personnel_number, "first_day": "2026-01-05"}
    )
    absence_id = response.json()["absence"]["id"]
    response = api.patch(f"/absences/{absence_id}", {"end_day": "9999-12-31"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "end_day"
    assert Absence.objects.get().end_day is None
