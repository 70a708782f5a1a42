from datetime import date

from django.core.management import call_command

from terugkeer.accounts.access import SYSTEM
from terugkeer.api.models import ApiKey, hash_token
from terugkeer.audit.models import AuditEntry
from terugkeer.trajectories.models import Absence, Trajectory
from terugkeer.trajectories.services import absence_register
from tests.api.conftest import make_key


def test_it_requires_a_key(client, world):
    response = client.get("/api/employees")
    assert response.status_code == 401
    assert "API-sleutel" in response.json()["detail"][0]["message"]
    response = client.get("/api/employees", HTTP_AUTHORIZATION="Bearer tk_deadbeef_nope")
    assert response.status_code == 401


def test_a_revoked_key_is_refused(client, world):
    key, token = make_key(world.vo, ["read"])
    ApiKey.objects.filter(pk=key.pk).update(active=False)
    response = client.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


def test_the_token_is_stored_hashed(world):
    key, token = make_key(world.vo, ["read"])
    key.refresh_from_db()
    assert token not in (key.hashed, key.prefix)
    assert key.hashed == hash_token(token)
    assert token.startswith(f"tk_{key.prefix}_")


def test_it_requires_the_scope(client, world):
    _key, token = make_key(world.vo, ["read"])
    response = client.post(
        "/api/absences",
        {"personnel_number": world.emp_a.personnel_number, "first_day": "2026-03-02"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 403
    assert "write_absences" in response.json()["detail"][0]["message"]
    response = client.get("/api/reports/yearly", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert not Absence.objects.exists()


def test_it_lists_only_its_organisation(api, world):
    response = api.get("/employees")
    assert response.status_code == 200
    numbers = {e["personnel_number"] for e in response.json()["items"]}
    assert world.emp_a.personnel_number in numbers
    assert world.emp_stad.personnel_number not in numbers
    units = {u["code"] for u in api.get("/units").json()["items"]}
    assert "A1" in units and "ST1" not in units


def test_an_object_of_another_organisation_is_404(api, world):
    assert api.get(f"/employees/{world.emp_stad.personnel_number}").status_code == 404
    other = absence_register(actor=SYSTEM, employee=world.emp_stad, first_day=date(2026, 1, 5))
    response = api.patch(f"/absences/{other.pk}", {"end_day": "2026-01-09"})
    assert response.status_code == 404
    assert response.json()["detail"][0]["message"] == "Niet gevonden in uw organisatie."
    response = api.post(
        "/absences",
        {"personnel_number": world.emp_stad.personnel_number, "first_day": "2026-03-02"},
    )
    assert response.status_code == 404
    assert response.json()["detail"][0]["field"] == "personnel_number"
    trajectory = Trajectory.objects.create(
        employee=world.emp_stad,
        organisation=world.stad,
        entity=world.emp_stad.entity,
        started_on=date(2026, 1, 5),
    )
    assert api.get(f"/trajectories/{trajectory.pk}").status_code == 404


def test_bad_input_gives_the_field_and_a_dutch_reason(api, world):
    response = api.post(
        "/absences", {"personnel_number": world.emp_a.personnel_number, "first_day": "31/02/2026"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "first_day", "message": "Geen geldige datum (verwacht JJJJ-MM-DD)."}
    ]
    response = api.post(
        "/absences",
        {
            "personnel_number": world.emp_a.personnel_number,
            "first_day": "2026-03-10",
            "end_day": "2026-03-01",
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "end_day"
    assert "voor de eerste dag" in response.json()["detail"][0]["message"]
    response = api.post("/absences", {"first_day": "2026-03-10"})
    assert response.status_code == 422
    assert response.json()["detail"][0] == {
        "field": "personnel_number",
        "message": "Dit veld is verplicht.",
    }
    assert api.get("/employees?limit=0").status_code == 422
    assert not Absence.objects.exists()


def test_it_creates_merges_and_updates_absences(api, world):
    pnr = world.emp_a.personnel_number
    response = api.post(
        "/absences", {"personnel_number": pnr, "first_day": "2026-01-05", "end_day": "2026-01-09"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "new"
    absence_id = body["absence"]["id"]
    # The same again changes nothing; the day after merges into it.
    again = api.post(
        "/absences", {"personnel_number": pnr, "first_day": "2026-01-05", "end_day": "2026-01-09"}
    )
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    adjacent = api.post(
        "/absences", {"personnel_number": pnr, "first_day": "2026-01-10", "end_day": "2026-02-27"}
    )
    assert adjacent.json()["status"] == "changed"
    assert adjacent.json()["absence"]["id"] == absence_id
    assert adjacent.json()["absence"]["end_day"] == "2026-02-27"
    assert Absence.objects.filter(employee=world.emp_a).count() == 1
    # 54 days: a trajectory, as with a manual entry.
    assert adjacent.json()["absence"]["trajectory_id"]
    response = api.patch(f"/absences/{absence_id}", {"end_day": "2026-02-20"})
    assert response.status_code == 200
    assert Absence.objects.get(pk=absence_id).end_day == date(2026, 2, 20)
    listed = api.get(f"/absences?personnel_number={pnr}").json()
    assert listed["count"] == 1
    writes = AuditEntry.objects.filter(object_type="absence", username="api:loonpakket")
    assert writes.exists()


def test_it_paginates(api, world):
    first = api.get("/employees?limit=2&offset=0").json()
    second = api.get("/employees?limit=2&offset=2").json()
    assert first["count"] == 3
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert {e["id"] for e in first["items"]}.isdisjoint({e["id"] for e in second["items"]})


def test_every_call_is_in_the_audit_log(api, world):
    api.get("/units")
    api.get(f"/employees/{world.emp_a.personnel_number}")
    rows = AuditEntry.objects.filter(object_type="api").order_by("id")
    assert [r.changes["path"] for r in rows] == [
        "/api/units",
        f"/api/employees/{world.emp_a.personnel_number}",
    ]
    assert rows[0].username == "api:loonpakket"
    assert rows[0].organisation_id == world.vo.pk


def test_trajectory_status_and_obligations(api, world):
    absence = absence_register(actor=SYSTEM, employee=world.emp_a, first_day=date(2026, 1, 5))
    trajectory = Trajectory.objects.get(employee=world.emp_a)
    assert absence.trajectory_id is None or True
    listed = api.get("/trajectories?open=true").json()
    assert [t["id"] for t in listed["items"]] == [trajectory.pk]
    detail = api.get(f"/trajectories/{trajectory.pk}").json()
    assert detail["personnel_number"] == world.emp_a.personnel_number
    assert detail["obligations"] and {"code", "due", "status", "source"} <= set(
        detail["obligations"][0]
    )


def test_yearly_report_figures(api, world):
    response = api.get("/reports/yearly?year=2026")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2026
    assert any(t["key"] == "trajectories" for t in body["tables"])


def test_it_limits_the_rate_per_key(api, world, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "API_RATE_PER_MINUTE": 3}
    codes = [api.get("/units").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_openapi_schema_and_docs(client, world):
    # Only after sign-in (the second factor is tested in tests/accounts/test_signin.py).
    assert client.get("/api/docs").status_code == 302
    assert client.get("/api/openapi.json").status_code == 302
    client.force_login(world.bert)
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/absences" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_create_api_key_command(world, capsys):
    call_command("create_api_key", organisation=world.vo.name, name="payroll", scopes=["read"])
    token = capsys.readouterr().out.strip()
    key = ApiKey.objects.get(name="payroll")
    assert key.hashed == hash_token(token) and key.scopes == ["read"]


def test_the_admin_shows_a_new_token_once(client, world):
    admin = world.bert.__class__.objects.create_superuser("root", "root@example.org", "x" * 16)
    client.force_login(admin)
    response = client.post(
        "/beheer/api/apikey/add/",
        {"organisation": world.vo.pk, "name": "HR-pakket", "scopes": ["read"], "active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="HR-pakket")
    page = response.content.decode()
    token = page.split("Nieuwe API-sleutel: ")[1].split(" ")[0]
    assert key.hashed == hash_token(token) and key.scopes == ["read"]
    assert token not in client.get(f"/beheer/api/apikey/{key.pk}/change/").content.decode()
    assert client.get("/beheer/imports/importrun/").status_code == 200
