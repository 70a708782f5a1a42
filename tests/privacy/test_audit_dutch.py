"""The audit log reads in Dutch (issue 15): object types, personnel numbers, Belgian dates."""

from django.apps import apps
from django.urls import reverse

from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record


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
