"""Live figures for the dashboard: today's counts per entity of the organisation, suppressed over
its hierarchy, and the starts per month decided with the yearly report."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from terugkeer.reports import cache as report_cache
from terugkeer.reports import suppression
from terugkeer.reports.compute import (
    Figures,
    Row,
    Spec,
    Table,
    _build_report,
    _entities,
    _hierarchy,
    _suppressed,
    gc_paused,
    no_jit,
    threshold,
)
from terugkeer.reports.scopes import Scope
from terugkeer.reports.suppression import Cell
from terugkeer.rules import law_for
from terugkeer.rules.calendar import add_months
from terugkeer.trajectories.models import Absence, Trajectory


def build_dashboard(scope: Scope, year: int, today: date) -> list[Table]:
    """Produced once per scope, year and day until the organisation's data changes
    (reports/cache.py)."""

    def produce() -> list[Table]:
        with transaction.atomic(), gc_paused():
            no_jit()
            return _build_dashboard(scope, year, today)

    return report_cache.cached("dashboard", scope, year, today, threshold(), produce)


def _build_dashboard(scope: Scope, year: int, today: date) -> list[Table]:
    """Open trajectories now, by phase and by status; starts per month of the year; long absences.

        Suppressed in the same way as the yearly report, across the whole organisation, so that no
        scope's dashboard can be subtracted from another's: the live figures of today are counted
        per entity of the organisation and decided together over its hierarchy
        (compute._suppressed); the starts per month come from the yearly report's own decision
        (compute: "started_by_month", linked to the yearly "gestart"; only the tables of that group
    are read), so they never reveal a
        yearly cell the report hides. "previous" holds the year before (months only).
    """
    figures = _live_figures(scope.organisation_id, today)
    t = threshold()
    node = (scope.kind, scope.pk)
    entities = _entities(scope.organisation_id)
    nodes = _hierarchy(scope.organisation_id, figures.entity_ids(), entities)
    if node not in nodes:
        return []  # an entity below the minimum size (the page says so)
    decided = _suppressed(figures, scope.organisation_id, "cur", t, node, nodes)
    tables = [_live_table(figures.specs[key], *decided[key], t) for key in figures.specs]
    months = _build_report(scope, year, today=today, starts_only=True, entities=entities)
    tables.insert(2, months.extra_tables["started_by_month"])
    return tables


def _live_table(spec: Spec, matrix, hidden, t: int) -> Table:
    labels = spec.full_labels()
    rows = []
    for i, label in enumerate(labels):
        current = [
            Cell(v, (i, c) in hidden, "count", t, hidden.get((i, c)) == suppression.SECONDARY)
            for c, v in enumerate(matrix[i])
        ]
        previous = [Cell(0, False, "count", t) for _v in matrix[i]]
        rows.append(Row(label, current, previous, is_total=spec.col_total and i == len(labels) - 1))
    return Table(spec.key, spec.title, spec.full_columns(), rows, spec.definition, spec.chart)


def _live_figures(organisation_id: int, today: date) -> Figures:
    """Today's counts per entity of the organisation: a grouped query per table."""
    f = Figures()
    trajectories = Trajectory.objects.filter(organisation_id=organisation_id)
    phases = [p for p in Trajectory.Phase if p != Trajectory.Phase.CLOSED]
    f.table(
        Spec(
            "open_by_phase",
            str(_("Lopende trajecten vandaag, naar fase")),
            [str(_("informeel")), str(_("formeel"))],
            [str(p.label) for p in phases],
            row_total=True,
            col_total=True,
        )
    )
    statuses = ["overdue", "due_soon", "on_track"]
    f.table(
        Spec(
            "open_by_status",
            str(_("Lopende trajecten vandaag, naar volgende stap")),
            [str(_("aantal"))],
            [str(_("te laat")), str(_("binnenkort")), str(_("op schema"))],
            col_total=True,
        )
    )
    phase_index = {p.value: i for i, p in enumerate(phases)}
    for r in (
        trajectories.filter(closed_on__isnull=True)
        .values("entity_id", "phase", "is_formal", "next_status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if r["phase"] in phase_index:
            c = 1 if r["is_formal"] else 0
            f.add("open_by_phase", r["entity_id"], "cur", phase_index[r["phase"]], c, r["n"])
        status = r["next_status"] if r["next_status"] in statuses[:2] else "on_track"
        f.add("open_by_status", r["entity_id"], "cur", statuses.index(status), 0, r["n"])
    f.table(
        Spec(
            "absent_now",
            str(_("Vandaag 4 weken of langer afwezig")),
            [str(_("aantal"))],
            [str(_("afwezigheden"))],
            chart=False,
        )
    )
    f.table(
        Spec(
            "solidarity_now",
            str(_("Vandaag in maand 2 of 3 van hun arbeidsongeschiktheid (solidariteitsbijdrage)")),
            [str(_("aantal"))],
            [str(_("contractuele medewerkers"))],
            chart=False,
        )
    )
    running = Q(end_day__isnull=True) | Q(end_day__gte=today)
    counts = {"absent": Count("pk", filter=Q(first_day__lte=today - timedelta(days=28)))}
    solidarity = _solidarity_q(today)
    if solidarity is not None:
        counts["solidarity"] = Count("pk", filter=solidarity)
    for r in (
        Absence.objects.filter(entity__organisation_id=organisation_id)
        .filter(running)
        .values("entity_id")
        .annotate(**counts)
        .order_by()
    ):
        f.add("absent_now", r["entity_id"], "cur", 0, 0, r["absent"])
        f.add("solidarity_now", r["entity_id"], "cur", 0, 0, r.get("solidarity", 0))
    return f


def _solidarity_q(today: date) -> Q | None:
    """Contract staff absent today in the second or third month of their incapacity, for whom
    an employer with enough workers owes the solidarity contribution (from 2026; the rules
    engine's signal, docs/rules.md), as a filter on running absences; None before 2026.
    Counted on the running absence's first day; the engine's signal on a trajectory also knows
    a relapse's earlier first day, so the two can differ by a few relapses. The age bounds
    (18-54) are not applied: Terugkeer keeps no birth date."""
    law = law_for(today)
    workers = getattr(law, "solidarity_min_workers", None)
    if workers is None:
        return None
    return Q(
        first_day__gte=max(add_months(today, -3) + timedelta(days=1), law.effective_from),
        first_day__lte=today - timedelta(days=30),
        employee__statute="contractueel",
        employee__organisation__employer_size__gte=workers,
    )
