"""Retention on the whole demo: every yearly report of every organisation and entity is the
same before and after, cell by cell, with suppression off so that small counts show too."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from terugkeer.accounts.access import SYSTEM
from terugkeer.organisations.models import Employee, Organisation, Unit
from terugkeer.privacy.retention import retention_apply, retention_plan
from terugkeer.reports.compute import build_report
from terugkeer.reports.scopes import Scope
from terugkeer.trajectories.models import Trajectory


def every_figure(years):
    scopes = [Scope("organisation", o.pk, o.pk, o.name) for o in Organisation.objects.all()]
    scopes += [
        Scope("entity", u.pk, u.organisation_id, u.name)
        for u in Unit.objects.filter(is_entity=True)
    ]
    return {
        (scope.kind, scope.pk, year): [
            (t.key, [(r.label, [str(c) for c in r.current + r.previous]) for r in t.rows])
            for t in build_report(scope, year).tables
        ]
        for scope in scopes
        for year in years
    }


@pytest.mark.django_db
def test_retention_on_the_demo_keeps_every_report_figure(settings):
    call_command("demo_data", quiet=True)
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    today = timezone.localdate()
    closed = sorted(
        Trajectory.objects.filter(closed_on__isnull=False).values_list("closed_on", flat=True)
    )
    # Half of the closed trajectories past retention.
    middle = closed[len(closed) // 2]
    settings.TERUGKEER = {**settings.TERUGKEER, "RETENTION_DAYS": (today - middle).days}
    years = range(closed[0].year - 1, today.year + 1)
    before = every_figure(years)
    active_with_old = Employee.objects.filter(
        active=True, trajectories__closed_on__lt=middle
    ).distinct()
    assert active_with_old.exists()

    plan = retention_plan(today=today)
    assert plan.detachments, "the demo has employees still employed with old dossiers"
    result = retention_apply(actor=SYSTEM, plan=plan)

    assert result.detached > 0
    assert every_figure(years) == before
    # Every detached trajectory sits with an anonymous placeholder, the people are still there.
    detached = Trajectory.objects.filter(employee__anonymised=True, employee__active=False)
    assert detached.count() >= result.detached
    assert Employee.objects.filter(pk__in=active_with_old, anonymised=False).count() == (
        active_with_old.count()
    )
