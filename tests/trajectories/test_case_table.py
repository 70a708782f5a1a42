"""The case table's rows rendered in Python (trajectories/templatetags/case_table.py) give the
markup the template's `{% for %}` gave, escaping included."""

# ruff: noqa: E501 (the reference template is the template as it was, one line a cell)
from datetime import date

from django.template import Context, Template
from django.utils import translation

from terugkeer.trajectories.selectors import case_table_rows, caseload
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


def varied_rows(world):
    """Four listed trajectories covering every branch of a row."""
    employees = [
        world.emp_a,  # has a manager
        EmployeeFactory(unit=world.team_a, last_name='<O\'Brien & "Zn">', first_name="Ä&B"),
        EmployeeFactory(unit=world.team_a2, last_name="Claes"),
        EmployeeFactory(unit=world.team_a2, last_name="Dewulf"),
    ]
    for employee in employees:
        open_trajectory(world, employee=employee)
    rows = case_table_rows(list(caseload(world.alice)))
    assert len(rows) == 4
    first, second, third, fourth = rows
    first.lead, first.is_formal, first.kind = "manager", True, "preventive"
    second.lead, second.next_why = "manager", "<b>waarom</b> & zo"  # no manager: the label
    second.next_title = "Gesprek over stappen naar werk"
    third.next_title = third.next_why = third.next_status = ""
    third.next_due = None
    fourth.shown_next_title, fourth.shown_next_why = "Talk <now>", "Because & so"
    fourth.next_due = date(2026, 3, 7)
    return rows


def test_rows_equal_the_template_markup(world):
    rows = varied_rows(world)
    assert any(t.employee.manager for t in rows)
    expected = TEMPLATE_ROWS.render(Context({"cases": rows}))
    assert case_rows(rows) == expected
    assert "&lt;O&#x27;Brien &amp; &quot;Zn&quot;&gt;" in expected


def test_rows_equal_the_template_markup_in_english(world):
    rows = varied_rows(world)
    with translation.override("en"):
        assert case_rows(rows) == TEMPLATE_ROWS.render(Context({"cases": rows}))


def test_no_rows_equal_the_template_markup(db):
    assert case_rows([]) == TEMPLATE_ROWS.render(Context({"cases": []}))
