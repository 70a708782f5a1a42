"""The audit trail and the subject access export (retention: tests/privacy/)."""

import io
import json
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from terugkeer.audit.models import AuditEntry
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory


def open_trajectory(world, days=60, employee=None):
    services.absence_register(
        actor=world.alice,
        employee=employee or world.emp_a,
        first_day=timezone.localdate() - timedelta(days=days),
    )
    return Trajectory.objects.get(employee=employee or world.emp_a)


def record(world, trajectory, type_, day, note="", **fields):
    trajectory.refresh_from_db()
    services.event_record(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=trajectory.version,
        data=services.EventInput(type=type_, date=day, note=note, fields=fields),
    )


def views_of(object_type, pk, username):
    return AuditEntry.objects.filter(
        action="view", object_type=object_type, object_id=str(pk), username=username
    ).count()


def test_every_dossier_page_read_is_logged_once(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.alice)
    pages = [
        ("employee", world.emp_a.pk, reverse("employees:detail", args=[world.emp_a.pk])),
        ("trajectory", trajectory.pk, reverse("trajectories:detail", args=[trajectory.pk])),
    ]
    for object_type, pk, url in pages:
        before = views_of(object_type, pk, "alice")
        assert client.get(url).status_code == 200
        assert views_of(object_type, pk, "alice") == before + 1, url
    entry = AuditEntry.objects.filter(username="alice", action="view").first()
    assert entry.ip_address == "127.0.0.1"
    assert entry.employee_id == world.emp_a.pk


def test_writes_are_logged_with_what_changed(world):
    trajectory = open_trajectory(world)
    record(world, trajectory, "conversation", timezone.localdate(), outcome="attention")
    entry = AuditEntry.objects.filter(object_type="event", action="create").latest("id")
    assert entry.changes["type"] == "conversation"
    assert entry.changes["outcome"] == "attention"
    assert entry.changes["lead"] == "coach"


def test_a_denied_read_is_logged_as_refused_and_reads_nothing(world, client):
    trajectory = open_trajectory(world)
    client.force_login(world.carl)
    assert client.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    entries = AuditEntry.objects.filter(username="carl")
    assert [e.action for e in entries] == [AuditEntry.Action.REFUSED]
    assert entries[0].employee_id == trajectory.employee_id


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_update_and_delete_on_the_audit_table_fail_on_postgresql(world):
    open_trajectory(world)
    entry = AuditEntry.objects.first()
    for sql in (
        "UPDATE audit_auditentry SET username = 'mallory' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.username == "alice"


def test_hr_exports_everything_about_one_employee_and_it_is_logged(world, client):
    trajectory = open_trajectory(world)
    record(
        world,
        trajectory,
        "contact",
        timezone.localdate(),
        note="Gebeld",
        channel="call",
        by="coach",
    )
    client.force_login(world.hannah)
    response = client.get(reverse("audit:export", args=[world.emp_a.pk, "json"]))
    data = json.loads(response.content)
    assert data["employee"]["last_name"] == "Aerts"
    assert data["trajectories"][0]["events"][-1]["note"] == "Gebeld"
    assert len(data["absences"]) == 1
    pdf = client.get(reverse("audit:export", args=[world.emp_a.pk, "pdf"]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Aerts" in text and "Gebeld" in text
    assert (
        AuditEntry.objects.filter(
            action="export", username="hannah", employee_id=world.emp_a.pk
        ).count()
        == 2
    )


@pytest.mark.parametrize("persona", ["alice", "bob", "carl", "rita", "adam"])
def test_others_cannot_export(world, client, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("audit:export", args=[world.emp_a.pk, "json"])).status_code == 404
    assert client.get(reverse("audit:openings", args=[world.emp_a.pk])).status_code == 404


def test_hr_sees_who_opened_the_dossier(world, client):
    client.force_login(world.alice)
    client.get(reverse("employees:detail", args=[world.emp_a.pk]))
    client.force_login(world.hannah)
    page = client.get(reverse("audit:openings", args=[world.emp_a.pk])).content.decode()
    assert "alice" in page and "ingekeken" in page


def test_admin_searches_the_log_by_person_user_and_period(world, client):
    client.force_login(world.alice)
    client.get(reverse("employees:detail", args=[world.emp_a.pk]))
    client.force_login(world.bert)
    url = reverse("audit:search")
    page = client.get(url, {"medewerker": world.emp_a.personnel_number}).content.decode()
    assert "alice" in page
    page = client.get(url, {"gebruiker": "nobody"}).content.decode()
    assert "Geen regels." in page
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert "alice" in client.get(url, {"van": today, "tot": today}).content.decode()


def test_audit_search_is_for_the_admin_only(world, client):
    client.force_login(world.alice)
    assert client.get(reverse("audit:search")).status_code == 403
