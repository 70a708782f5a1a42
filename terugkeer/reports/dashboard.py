"""Live figures for the dashboard: a handful of aggregate queries on one scope."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils.translation import gettext_lazy as _

from terugkeer.reports import cache as report_cache
from terugkeer.reports.compute import Table, _count_table, no_jit, threshold
from terugkeer.reports.scopes import Scope
from terugkeer.rules import law_for
from terugkeer.rules.calendar import add_months
from terugkeer.trajectories.models import Absence, Trajectory

MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def build_dashboard(scope: Scope, year: int, today: date) -> list[Table]:
    """Produced once per scope, year and day until the organisation's data changes
    (reports/cache.py)."""

    def produce() -> list[Table]:
        with transaction.atomic():
            no_jit()
            return _build_dashboard(scope, year, today)

    return report_cache.cached("dashboard", scope, year, today, threshold(), produce)


def _build_dashboard(scope: Scope, year: int, today: date) -> list[Table]:
    """Open trajectories now, by phase and by status; starts per month of the year; long absences.

    Every table is suppressed like the yearly report; "previous" holds the year before.
    """
    trajectories = Trajectory.objects.filter(scope.q())
    tables = []

    phases = [p for p in Trajectory.Phase if p != Trajectory.Phase.CLOSED]
    open_now = trajectories.filter(closed_on__isnull=True).aggregate(
        **{
            f"{p.value}_{f}": Count("pk", filter=Q(phase=p.value, is_formal=f == "for"))
            for p in phases
            for f in ("inf", "for")
        },
        overdue=Count("pk", filter=Q(next_status="overdue")),
        due_soon=Count("pk", filter=Q(next_status="due_soon")),
        on_track=Count("pk", filter=~Q(next_status__in=["overdue", "due_soon"])),
    )
    zero = [[0, 0] for _p in phases]
    tables.append(
        _count_table(
            "open_by_phase",
            str(_("Lopende trajecten vandaag, naar fase")),
            [str(_("informeel")), str(_("formeel"))],
            [str(p.label) for p in phases],
            [[open_now[f"{p.value}_inf"], open_now[f"{p.value}_for"]] for p in phases],
            zero,
            row_total=True,
            col_total=True,
        )
    )
    tables.append(
        _count_table(
            "open_by_status",
            str(_("Lopende trajecten vandaag, naar volgende stap")),
            [str(_("aantal"))],
            [str(_("te laat")), str(_("binnenkort")), str(_("op schema"))],
            [[open_now["overdue"]], [open_now["due_soon"]], [open_now["on_track"]]],
            [[0], [0], [0]],
            col_total=True,
        )
    )
    months = (
        trajectories.filter(started_on__year__in=[year, year - 1])
        .annotate(m=ExtractMonth("started_on"))
        .values("m")
        .annotate(
            cur=Count("pk", filter=Q(started_on__year=year)),
            prev=Count("pk", filter=Q(started_on__year=year - 1)),
        )
    )
    by_month = {r["m"]: r for r in months}
    tables.append(
        _count_table(
            "started_by_month",
            str(_("Gestarte trajecten per maand")),
            [str(_("aantal"))],
            MONTHS,
            [[by_month.get(m, {}).get("cur", 0)] for m in range(1, 13)],
            [[by_month.get(m, {}).get("prev", 0)] for m in range(1, 13)],
            col_total=True,
        )
    )
    cutoff = today - timedelta(days=28)
    absent = Absence.objects.filter(scope.q()).aggregate(
        n=Count(
            "pk",
            filter=(Q(end_day__isnull=True) | Q(end_day__gte=today)) & Q(first_day__lte=cutoff),
        )
    )
    tables.append(
        _count_table(
            "absent_now",
            str(_("Vandaag 4 weken of langer afwezig")),
            [str(_("aantal"))],
            [str(_("afwezigheden"))],
            [[absent["n"]]],
            [[0]],
            chart=False,
        )
    )
    tables.append(_solidarity_now(scope, today))
    return tables


def _solidarity_now(scope: Scope, today: date) -> Table:
    """Contract staff absent today in the second or third month of their incapacity, for whom
    an employer with enough workers owes the solidarity contribution (from 2026; the rules
    engine's signal, docs/rules.md). Counted on the running absence's first day; the engine's
    signal on a trajectory also knows a relapse's earlier first day, so the two can differ
    by a few relapses. The age bounds (18-54) are not applied: Terugkeer keeps no birth date."""
    law = law_for(today)
    workers = getattr(law, "solidarity_min_workers", None)
    n = 0
    if workers is not None:
        first_from = add_months(today, -3) + timedelta(days=1)
        first_until = today - timedelta(days=30)
        n = (
            Absence.objects.filter(scope.q())
            .filter(Q(end_day__isnull=True) | Q(end_day__gte=today))
            .filter(
                first_day__gte=max(first_from, law.effective_from),
                first_day__lte=first_until,
                employee__statute="contractueel",
                employee__organisation__employer_size__gte=workers,
            )
            .count()
        )
    return _count_table(
        "solidarity_now",
        str(_("Vandaag in maand 2 of 3 van hun arbeidsongeschiktheid (solidariteitsbijdrage)")),
        [str(_("aantal"))],
        [str(_("contractuele medewerkers"))],
        [[n]],
        [[0]],
        chart=False,
    )
