"""The case table's rows rendered in Python (trajectories/templatetags/case_table.py) give the
markup the template's `{% for %}` gave, escaping included."""

# ruff: noqa: E501 (the reference template is the template as it was, one line a cell)
from datetime import date

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from terugkeer.trajectories.models import Trajectory
from terugkeer.trajectories.selectors import (
    case_table_rows,
    case_table_source,
    caseload,
    next_steps_in_active_language,
)
from terugkeer.trajectories.templatetags.case_table import case_rows
from tests.factories import EmployeeFactory
from tests.trajectories.test_pages import open_trajectory

# The rows as _case_table.html wrote them before they moved to Python (the reference).
TEMPLATE_ROWS = Template(
    """{% load i18n %}{% for t in cases %}
  <tr>
    <td><a href="{{ t.url }}">{{ t.employee.last_name }}, {{ t.employee.first_name }}</a><br><span class="muted">{{ t.employee.personnel_number }}</span></td>
    <td>{{ t.employee.unit.name }}</td>
    <td>{{ t.phase_label }}{% if t.is_formal %} <span class="tag">{% translate "formeel" %}</span>{% endif %}{% if t.kind == "preventive" %} <span class="tag">{% translate "preventief" %}</span>{% endif %}</td>
    <td>{% if t.lead == "manager" and t.employee.manager %}{{ t.employee.manager }}<br><span class="muted">{{ t.lead_label }}</span>{% else %}{{ t.lead_label }}{% endif %}</td>
    <td>{% if t.shown_next_title %}{{ t.shown_next_title }}{% elif t.next_title %}{% translate t.next_title %}{% else %}—{% endif %}</td>
    <td>{{ t.shown_next_why|default:t.next_why|default:"—" }}</td>
    <td>{{ t.next_due|date:"d/m/Y"|default:"—" }}</td>
    <td>{% if t.next_status %}<span class="status status-{{ t.next_status }}">{{ t.status_label }}</span>{% else %}—{% endif %}</td>
  </tr>
  {% empty %}
  <tr><td colspan="8">{% translate "Geen trajecten." %}</td></tr>
  {% endfor %}"""
)


def varied_caseload(world):
    """Four open trajectories covering every branch of a row, as alice's caseload."""
    employees = [
        world.emp_a,  # has a manager
        EmployeeFactory(unit=world.team_a, last_name='<O\'Brien & "Zn">', first_name="Ä&B"),
        EmployeeFactory(unit=world.team_a2, last_name="Claes"),
        EmployeeFactory(unit=world.team_a2, last_name="Dewulf"),
    ]
    first, second, third, fourth = (open_trajectory(world, employee=e) for e in employees)
    Trajectory.objects.filter(pk=first.pk).update(lead="manager", is_formal=True, kind="preventive")
    Trajectory.objects.filter(pk=second.pk).update(  # no manager: the lead's label alone
        lead="manager", next_why="<b>waarom</b> & zo", next_title="Gesprek over stappen naar werk"
    )
    Trajectory.objects.filter(pk=third.pk).update(
        next_title="", next_why="", next_status="", next_due=None
    )
    Trajectory.objects.filter(pk=fourth.pk).update(next_due=date(2026, 3, 7))
    return caseload(world.alice)


def as_the_template_had_them(trajectories):
    """The trajectories with the attributes the template read (the former case_table_rows)."""
    for t in trajectories:
        t.url = reverse("trajectories:detail", args=[t.pk])
        t.phase_label = t.get_phase_display()
        t.lead_label = t.get_lead_display()
        t.status_label = t.get_next_status_display()
        t.shown_next_title = t.shown_next_why = ""
    return next_steps_in_active_language(trajectories)


def rendered(cases):
    return case_rows(case_table_rows(list(case_table_source(cases))))


def test_rows_equal_the_template_markup(world):
    cases = varied_caseload(world)
    reference = as_the_template_had_them(list(cases))
    assert sum(1 for t in reference if t.lead == "manager" and t.employee.manager) == 1
    expected = TEMPLATE_ROWS.render(Context({"cases": reference}))
    assert isinstance(case_table_source(cases).first(), dict)  # Dutch: read as values
    assert rendered(cases) == expected
    assert "&lt;O&#x27;Brien &amp; &quot;Zn&quot;&gt;" in expected
    assert "07/03/2026" in expected and "—" in expected


def test_rows_equal_the_template_markup_in_english(world):
    cases = varied_caseload(world)
    with translation.override("en"):
        reference = as_the_template_had_them(list(cases))
        assert any(t.shown_next_title for t in reference)
        expected = TEMPLATE_ROWS.render(Context({"cases": reference}))
        assert rendered(cases) == expected


def test_no_rows_equal_the_template_markup(world):
    cases = caseload(world.alice)
    assert rendered(cases) == TEMPLATE_ROWS.render(Context({"cases": []}))


def test_the_caseloads_count_joins_no_employee(world, client):
    """The page is read as values, its count on the trajectories alone: a count of the values
    query joins every listed trajectory's employee, unit and manager (50 ms at full scale)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    varied_caseload(world)
    client.force_login(world.alice)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("trajectories:caseload")).content.decode()
    assert "4 trajecten" in page
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "trajectory" in q["sql"]]
    assert counts
    assert not any("organisations_employee" in sql for sql in counts)
