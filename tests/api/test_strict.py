"""Issue 18: the API refuses what it says it refuses (extra fields, malformed JSON, non-objects,
numbers as dates, unknown query parameters), in Dutch, with a 422 that the schema documents."""

import json

import pytest

from terugkeer.trajectories.models import Absence


@pytest.fixture
def raw(client, token):
    def send(method, path, body, **kw):
        return getattr(client, method)(
            f"/api{path}",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            **kw,
        )

    return send


def detail(response):
    return response.json()["detail"]


def test_an_extra_field_is_refused_not_dropped(api, world):
    body = {
        "personnel_number": world.emp_a.personnel_number,
        "first_day": "2026-01-05",
        "reason": "burn-out",
    }
    response = api.post("/absences", body)
    assert response.status_code == 422
    assert detail(response) == [{"field": "reason", "message": "Onbekend veld."}]
    assert not Absence.objects.exists()


def test_an_extra_field_in_a_patch_is_refused(api, world):
    created = api.post(
        "/absences",
        {"personnel_number": world.emp_a.personnel_number, "first_day": "2026-01-05"},
    ).json()
    response = api.patch(f"/absences/{created['absence']['id']}", {"diagnose": "x"})
    assert response.status_code == 422
    assert detail(response)[0]["field"] == "diagnose"


@pytest.mark.parametrize("body", ["{bad", '{"personnel_number": ', "\x00"])
def test_malformed_json_is_a_dutch_422(raw, body):
    response = raw("post", "/absences", body)
    assert response.status_code == 422
    assert detail(response) == [
        {"field": None, "message": "Ongeldige JSON: de body kan niet gelezen worden."}
    ]


@pytest.mark.parametrize("body", ["[null, null]", "[]", '"tekst"', "3"])
def test_a_body_that_is_not_an_object_is_refused(raw, api, world, body):
    created = api.post(
        "/absences",
        {"personnel_number": world.emp_a.personnel_number, "first_day": "2026-01-05"},
    ).json()
    for method, path in (("post", "/absences"), ("patch", f"/absences/{created['absence']['id']}")):
        response = raw(method, path, body)
        assert response.status_code == 422, (method, body, response.content)
        assert "Verwacht een JSON-object." in json.dumps(detail(response), ensure_ascii=False)


@pytest.mark.parametrize("value", [0, 20260105, "0", "2026-1-5", "05/01/2026", "2026-01-05T00:00"])
def test_a_date_is_iso_only(api, world, value):
    response = api.post(
        "/absences", {"personnel_number": world.emp_a.personnel_number, "first_day": value}
    )
    assert response.status_code == 422
    assert detail(response) == [
        {"field": "first_day", "message": "Geen geldige datum (verwacht JJJJ-MM-DD)."}
    ]


@pytest.mark.parametrize("since", ["0", "1700000000", "gisteren"])
def test_since_is_validated(api, since):
    response = api.get(f"/absences?since={since}")
    assert response.status_code == 422
    assert detail(response)[0]["field"] == "since"


def test_since_still_filters(api, world):
    api.post(
        "/absences",
        {
            "personnel_number": world.emp_a.personnel_number,
            "first_day": "2026-01-05",
            "end_day": "2026-01-09",
        },
    )
    assert api.get("/absences?since=2026-01-09").json()["count"] == 1
    assert api.get("/absences?since=2026-01-10").json()["count"] == 0


def test_an_unknown_query_parameter_is_refused(api):
    response = api.get("/absences?sinds=2026-01-01")
    assert response.status_code == 422
    assert detail(response) == [{"field": "sinds", "message": "Onbekende parameter."}]
    assert api.get("/absences?limit=5&offset=0&since=2026-01-01").status_code == 200


def test_the_schema_states_formats_ranges_and_forbids_extra_fields(client, world):
    # From the API object itself: the URL /api/openapi.json may require a sign-in.
    from terugkeer.api.api import api as ninja_api

    schema = json.loads(json.dumps(ninja_api.get_openapi_schema(), default=str))
    components = schema["components"]["schemas"]
    for name in ("AbsenceIn", "AbsencePatch"):
        assert components[name]["additionalProperties"] is False, name
    first_day = components["AbsenceIn"]["properties"]["first_day"]
    assert first_day["format"] == "date" and "jaar na vandaag" in first_day["description"]
    limit = next(
        p for p in schema["paths"]["/api/absences"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 500)
    post = schema["paths"]["/api/absences"]["post"]
    assert "422" in post["responses"]
