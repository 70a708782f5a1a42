"""The organisations app holds who works where; the case work sits above it (issue 15)."""

import ast
from pathlib import Path

from django.urls import resolve, reverse

import terugkeer.organisations

CASE_WORK = (
    "terugkeer.trajectories.forms",
    "terugkeer.trajectories.selectors",
    "terugkeer.trajectories.services",
    "terugkeer.trajectories.views",
    "terugkeer.trajectories.employee_views",
)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_organisations_imports_no_case_work_forms_selectors_services_or_views():
    package = Path(terugkeer.organisations.__file__).parent
    files = sorted(package.rglob("*.py"))
    assert len(files) > 4
    found = {
        (str(path.relative_to(package)), name)
        for path in files
        for name in _imports(path)
        if name.startswith(CASE_WORK)
    }
    assert found == set()


def test_the_employee_pages_keep_their_addresses(world, client):
    assert reverse("employees:list") == "/medewerkers/"
    assert reverse("employees:detail", args=[world.emp_a.pk]) == f"/medewerkers/{world.emp_a.pk}/"
    assert resolve(f"/medewerkers/{world.emp_a.pk}/").func.__module__ == (
        "terugkeer.trajectories.employee_views"
    )
    client.force_login(world.alice)
    response = client.get(f"/medewerkers/{world.emp_a.pk}/")
    assert response.status_code == 200
    assert "trajectories/employee_detail.html" in [t.name for t in response.templates]
