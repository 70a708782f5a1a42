"""An entity below the minimum size gets no report or dashboard of its own, and says so
(docs/reports.md, "Minimum entity size")."""

from django.urls import reverse

from tests.factories import EmployeeFactory


def test_a_small_entity_has_no_report_of_its_own(client, world, settings):
    # Entity A gets 3 more employees (5 in all), entity B keeps its 1: minimum 3.
    for i in range(3):
        EmployeeFactory(unit=world.team_a, last_name=f"Extra{i}")
    settings.TERUGKEER = {**settings.TERUGKEER, "REPORT_MIN_ENTITY_EMPLOYEES": 3}
    client.force_login(world.rita)
    index = client.get(reverse("reports:index")).content.decode()
    assert f"scope=entity-{world.entity_a.pk}&amp;" in index
    assert f"scope=entity-{world.entity_b.pk}&amp;" not in index
    assert "geen apart rapport (minder dan 3 medewerkers)" in index
    small = f"{reverse('reports:report')}?scope=entity-{world.entity_b.pk}&jaar=2025"
    page = client.get(small).content.decode()
    assert "krijgt geen apart rapport" in page
    assert "report-table" not in page
    export = f"{reverse('reports:export', args=['xlsx'])}?scope=entity-{world.entity_b.pk}"
    assert client.get(export).status_code == 404
    dashboard = f"{reverse('reports:dashboard')}?entiteit=entity-{world.entity_b.pk}"
    assert "krijgt geen aparte cijfers" in client.get(dashboard).content.decode()
    # The large entity and the organisation are published, and the rule says so.
    big = f"{reverse('reports:report')}?scope=entity-{world.entity_a.pk}&jaar=2025"
    page = client.get(big).content.decode()
    assert "report-table" in page
    assert "minder dan 3 medewerkers krijgt geen apart rapport" in page
