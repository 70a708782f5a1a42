"""The audit log reads in Dutch (issue 15): actions, object types, the person by name for those
who may see it, Belgian dates."""

from datetime import datetime

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record, audit_refused
from tests.factories import EmployeeFactory


def test_audit_search_shows_dutch_object_types_and_personnel_numbers(world, client):
    audit_record(
        actor=world.alice,
        action=AuditEntry.Action.CREATE,
        object_type="four_week_list",
        object_id="2026-11-29",
        employee_id=world.emp_a.pk,
        organisation_id=world.vo.pk,
    )
    client.force_login(world.bert)
    html = client.get(reverse("audit:search")).content.decode()
    assert "4-wekenlijst 29/11/2026" in html
    assert "four_week_list" not in html
    assert world.emp_a.personnel_number in html
    assert "aangemaakt" in html


def test_admin_app_headings_are_dutch():
    for label in ("accounts", "organisations", "toolbox", "imports", "api", "trajectories"):
        name = str(apps.get_app_config(label).verbose_name)
        assert name != label.capitalize() and name.lower() != label, name


def test_the_beheerder_reads_the_person_by_name_and_number_with_a_belgian_date(world, client):
    AuditEntry.objects.create(  # the log is append-only: the row is written with its time
        at=timezone.make_aware(datetime(2026, 3, 7, 9, 5, 4)),
        user=world.alice,
        username="alice",
        action=AuditEntry.Action.VIEW,
        object_type="employee",
        object_id=str(world.emp_a.pk),
        employee_id=world.emp_a.pk,
        organisation_id=world.vo.pk,
    )
    client.force_login(world.bert)
    html = client.get(reverse("audit:search")).content.decode()
    name = f"{world.emp_a.first_name} {world.emp_a.last_name} ({world.emp_a.personnel_number})"
    assert f"<td>{name}</td>" in html  # the Medewerker column
    assert f"medewerker {name}" in html  # what was opened
    assert f"medewerker {world.emp_a.pk}<" not in html
    assert "07/03/2026 09:05:04" in html
    assert "ingekeken" in html and ">view<" not in html


def test_hr_sees_names_on_its_scope_and_only_the_number_beyond_it(world, client):
    for employee in (world.emp_a, world.emp_b):
        audit_refused(
            actor=world.carl,
            reason="buiten bereik",
            object_type="trajectory",
            object_id=7,
            employee_id=employee.pk,
            organisation_id=world.vo.pk,
        )
    client.force_login(world.hannah)  # HR of entity A
    html = client.get(reverse("audit:access_watch")).content.decode()
    assert f"{world.emp_a.first_name} {world.emp_a.last_name}" in html
    assert f"<td>{world.emp_b.personnel_number}</td>" in html
    assert world.emp_b.last_name not in html
    assert "reden: buiten bereik" in html
    assert "geweigerd" in html and "traject 7" in html


def test_naming_the_people_costs_the_same_queries_for_one_row_or_fifty(world, client):
    client.force_login(world.bert)

    def queries_for(actor, rows: int) -> int:
        # The log is append-only: each count is the rows of its own actor (?gebruiker=).
        url = reverse("audit:search") + f"?gebruiker={actor.username}"
        for _ in range(rows):
            employee = EmployeeFactory(unit=world.team_a)
            audit_record(
                actor=actor,
                action=AuditEntry.Action.VIEW,
                object_type="employee",
                object_id=employee.pk,
                employee_id=employee.pk,
                organisation_id=world.vo.pk,
            )
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        assert html.count("<tr>") == rows + 1
        return len(captured)

    assert queries_for(world.alice, 1) == queries_for(world.carl, 50)


def test_a_registration_row_says_which_kind_of_registration(world, client):
    audit_record(
        actor=world.alice,
        action=AuditEntry.Action.CREATE,
        object_type="event",
        object_id="4625",
        employee_id=world.emp_a.pk,
        organisation_id=world.vo.pk,
        changes={"type": "contact", "date": "2026-11-29"},
    )
    client.force_login(world.bert)
    html = client.get(reverse("audit:search")).content.decode()
    assert "registratie 4625 (Contact met de afwezige medewerker)" in html
