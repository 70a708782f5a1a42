"""The yearly EOC / HOC report: a few aggregate queries per report (docs/reports.md).

Every figure is computed for the year and for the year before in the same query (grouped by
year, or with a filter per year where one row can count in both), then suppressed
(suppression.py). Nothing here returns a person: the only rows that leave the database are
counts, and on SQLite the milestone dates of a cohort (for medians and obligations on time),
reduced to numbers before this module returns.

Speed (docs/performance.md): each query reads one table or covering index filtered by the
scope's own columns; counts name a NOT NULL column of what is read (COUNT(id) would send
PostgreSQL to the table for an id the covering index does not hold).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terugkeer.reports.scopes import Scope
from terugkeer.reports.suppression import Cell, suppress_matrix
from terugkeer.rules import facts as rf
from terugkeer.rules.calendar import add_months
from terugkeer.rules.policy import Policy
from terugkeer.trajectories.models import Absence, Event, Plan, Trajectory

FOUR_WEEKS = timedelta(days=28)


def threshold() -> int:
    return int(settings.TERUGKEER.get("SUPPRESSION_THRESHOLD", 5))


@dataclass
class Row:
    label: str
    current: list[Cell]
    previous: list[Cell]
    is_total: bool = False

    @property
    def pairs(self) -> list[tuple[Cell, Cell]]:
        return list(zip(self.current, self.previous, strict=True))


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    definition: str = ""
    chart: bool = True  # a bar chart of the first column, current year

    def chart_data(self) -> list[tuple[str, Cell]]:
        return [(r.label, r.current[0]) for r in self.rows if not r.is_total]


@dataclass
class Report:
    scope: Scope
    year: int
    today: date
    threshold: int
    tables: list[Table]

    @property
    def previous_year(self) -> int:
        return self.year - 1

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _year(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


def _count_table(
    key: str,
    title: str,
    columns: list[str],
    labels: list[str],
    cur: list[list[int]],
    prev: list[list[int]],
    *,
    row_total: bool = False,
    col_total: bool = False,
    definition: str = "",
    chart: bool = True,
) -> Table:
    """A table of counts with optional totals, suppressed per year."""
    t = threshold()
    if row_total:
        columns = [*columns, str(_("totaal"))]
        cur = [[*r, sum(r)] for r in cur]
        prev = [[*r, sum(r)] for r in prev]
    if col_total:
        labels = [*labels, str(_("Totaal"))]
        cur = [*cur, [sum(col) for col in zip(*cur, strict=True)]]
        prev = [*prev, [sum(col) for col in zip(*prev, strict=True)]]
    hc = suppress_matrix(cur, t, row_total=row_total, col_total=col_total)
    hp = suppress_matrix(prev, t, row_total=row_total, col_total=col_total)
    rows = [
        Row(
            label,
            [Cell(v, h, "count", t) for v, h in zip(cur[i], hc[i], strict=True)],
            [Cell(v, h, "count", t) for v, h in zip(prev[i], hp[i], strict=True)],
            is_total=col_total and i == len(labels) - 1,
        )
        for i, label in enumerate(labels)
    ]
    return Table(key, title, columns, rows, definition, chart)


def _grouped(rows, keys: list, key_of) -> tuple[list[list[int]], list[list[int]]]:
    """Sum grouped query rows (dicts with cur / prev) into one-column lists by `key_of(row)`."""
    cur = {k: 0 for k in keys}
    prev = {k: 0 for k in keys}
    for r in rows:
        k = key_of(r)
        if k in cur:
            cur[k] += r["cur"]
            prev[k] += r["prev"]
    return [[cur[k]] for k in keys], [[prev[k]] for k in keys]


def _per_year(rows, counts) -> list[dict]:
    """Query rows grouped by `cur` (_in_year) with the `counts` (named aggregates, `n` among
    them) as the rows _grouped sums: `cur` and `prev` hold `n` for each year, `cur_<name>` and
    `prev_<name>` the other counts; 0 for the year the row is not in."""
    out = []
    for r in rows:
        tag, other = ("cur", "prev") if r.pop("cur") else ("prev", "cur")
        row = {tag: r.pop("n"), other: 0}
        for k in counts:
            if k != "n":
                row[f"{tag}_{k}"], row[f"{other}_{k}"] = r.pop(k), 0
        out.append({**r, **row})
    return out


def _quantile(values: list[int], p: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont)."""
    if not values:
        return None
    s = sorted(values)
    pos = p * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


# The cohort's milestone columns (trajectories.services.milestones_refresh), in this order.
COHORT_FIELDS = (
    "absence_start",
    "first_contact_on",
    "first_conversation_on",
    "step_plan_on",
    "returned_on",
    "first_attention_on",
)


def _cohort_python(cohort: list[tuple], y0: date, today: date, policy: Policy):
    """Lead times and obligations on time of the cohort, in Python (SQLite)."""
    lead = {"cur": [[], [], [], []], "prev": [[], [], [], []]}
    due = {"cur": [[0, 0], [0, 0]], "prev": [[0, 0], [0, 0]]}  # [due, on time] per obligation
    for start, contact, conv, plan, ret, attention in cohort:
        tag = "cur" if start >= y0 else "prev"
        for i, d in enumerate((contact, conv, plan, ret)):
            if d is not None and d >= start:
                lead[tag][i].append((d - start).days)
        # Conversation within N months of the first day of absence (rules engine: conversation_2m).
        for i, (base, done) in enumerate(((start, conv), (attention, plan))):
            if base is None:
                continue
            deadline = add_months(
                base,
                policy.conversation_within_months if i == 0 else policy.step_plan_within_months,
            )
            on_time = done is not None and base <= done <= deadline
            if on_time:
                due[tag][i][0] += 1
                due[tag][i][1] += 1
            elif ret is not None and ret <= deadline:
                continue  # back at work before the term: no longer required (engine: na=back)
            elif deadline < today:
                due[tag][i][0] += 1
    return (
        {tag: [(len(v), _quantile(v, 0.5), _quantile(v, 0.75)) for v in lead[tag]] for tag in lead},
        due,
    )


class _AddMonths(Func):
    """PostgreSQL: date + N months, clamped to the end of a shorter month (= rules.add_months)."""

    template = "CAST(%(expressions)s + INTERVAL '%(months)d month' AS date)"
    output_field = DateField()


class _DaysBetween(Func):
    """PostgreSQL: date - date, in days."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


class _Quartiles(Aggregate):
    """PostgreSQL's percentile_cont at 0.5 and 0.75 in one sort (linear interpolation between
    ranks, as _quantile): a list of two floats, or None without rows."""

    function = "percentile_cont"
    template = "%(function)s(ARRAY[0.5, 0.75]) WITHIN GROUP (ORDER BY %(expressions)s)"


def _in_year(field: str, y0: date) -> ExpressionWrapper:
    """True for the report year, False for the year before: rows of one of the two years are
    grouped by this instead of counted twice with a filter per year."""
    return ExpressionWrapper(Q(**{f"{field}__gte": y0}), output_field=BooleanField())


def _cohort_sql(cohort, y0: date, today: date, policy: Policy):
    """The same as _cohort_python, as one aggregate query grouped by year (PostgreSQL)."""
    from django.contrib.postgres.fields import ArrayField

    start = F("absence_start")
    milestones = ["first_contact_on", "first_conversation_on", "step_plan_on", "returned_on"]
    qs = cohort.annotate(
        deadline_0=_AddMonths(start, months=int(policy.conversation_within_months)),
        deadline_1=_AddMonths(F("first_attention_on"), months=int(policy.step_plan_within_months)),
        cur=_in_year("absence_start", y0),
    ).values("cur")
    obligations = [
        (Q(), "first_conversation_on", "deadline_0", start),
        (
            Q(first_attention_on__isnull=False),
            "step_plan_on",
            "deadline_1",
            F("first_attention_on"),
        ),
    ]
    agg = {}
    for i, m in enumerate(milestones):
        reached = Q(**{f"{m}__isnull": False, f"{m}__gte": start})
        agg[f"n_{i}"] = Count(m, filter=reached)
        agg[f"q_{i}"] = _Quartiles(
            _DaysBetween(F(m), start), filter=reached, output_field=ArrayField(FloatField())
        )
    for i, (base_q, done, deadline, base) in enumerate(obligations):
        on_time = Q(**{f"{done}__isnull": False, f"{done}__gte": base, f"{done}__lte": F(deadline)})
        back = Q(returned_on__isnull=False, returned_on__lte=F(deadline))
        # Due: done on time, or late (term passed, not back at work before it). on_time is
        # never NULL here, so "on_time OR late" needs no "NOT on_time" inside late.
        late = ~back & Q(**{f"{deadline}__lt": today})
        agg[f"due_{i}"] = Count("absence_start", filter=base_q & (on_time | late))
        agg[f"ok_{i}"] = Count("absence_start", filter=base_q & on_time)
    by_tag = {"cur" if r["cur"] else "prev": r for r in qs.annotate(**agg).order_by()}
    none = {**{k: 0 for k in agg}, **{f"q_{i}": None for i in range(4)}}
    lead, due = {}, {}
    for tag in ("cur", "prev"):
        r = by_tag.get(tag, none)
        lead[tag] = [(r[f"n_{i}"], *(r[f"q_{i}"] or (None, None))) for i in range(4)]
        due[tag] = [[r[f"due_{i}"], r[f"ok_{i}"]] for i in range(2)]
    return lead, due


def no_jit() -> None:
    """Inside a transaction on PostgreSQL: no JIT compilation for this report's queries, and
    enough memory for their hash aggregates.

    The report's queries are estimated as expensive enough for JIT, whose compilation then
    costs more (about 1.5 s on the benchmark) than running them (docs/performance.md).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET LOCAL jit = off")
            # The cohort's per-trajectory aggregate spills to disk with the default 4 MB.
            c.execute("SET LOCAL work_mem = '32MB'")


def _placed(scope: Scope) -> Q:
    """The scope on a trajectory, event or plan by its own organisation and entity columns
    (models.placed_in): no join with the units or the trajectories."""
    if scope.kind == "organisation":
        return Q(organisation_id=scope.pk)
    return scope.q()


def build_report(scope: Scope, year: int, *, today: date | None = None) -> Report:
    with transaction.atomic():
        no_jit()
        return _build_report(scope, year, today=today)


def _build_report(scope: Scope, year: int, *, today: date | None = None) -> Report:
    today = today or timezone.localdate()
    t = threshold()
    y0, y1 = _year(year)
    p0, p1 = _year(year - 1)
    tables: list[Table] = []
    scope_q = scope.q()
    trajectories = Trajectory.objects.filter(_placed(scope))
    events = Event.objects.filter(_placed(scope))

    # 1. Absences of more than 4 weeks, in the year their 29th day falls.
    if connection.vendor == "postgresql":
        # Days as an integer: cheaper than a DurationField's interval arithmetic on 1M rows.
        length, four_weeks = _DaysBetween(F("end_day"), F("first_day")), FOUR_WEEKS.days
    else:
        length = ExpressionWrapper(F("end_day") - F("first_day"), output_field=DurationField())
        four_weeks = FOUR_WEEKS
    absences = (
        Absence.objects.filter(scope_q)
        .annotate(length=length)
        .filter(Q(end_day__isnull=True) | Q(length__gte=four_weeks))
        .filter(first_day__range=(p0 - FOUR_WEEKS, min(y1, today) - FOUR_WEEKS))
    )
    a = absences.aggregate(
        cur=Count("first_day", filter=Q(first_day__gte=y0 - FOUR_WEEKS)),
        prev=Count("first_day", filter=Q(first_day__lte=p1 - FOUR_WEEKS)),
        cur_emp=Count("employee", distinct=True, filter=Q(first_day__gte=y0 - FOUR_WEEKS)),
        prev_emp=Count("employee", distinct=True, filter=Q(first_day__lte=p1 - FOUR_WEEKS)),
    )
    tables.append(
        _count_table(
            "absences",
            str(_("Afwezigheden van meer dan 4 weken")),
            [str(_("aantal"))],
            [str(_("afwezigheden")), str(_("medewerkers"))],
            [[a["cur"]], [a["cur_emp"]]],
            [[a["prev"]], [a["prev_emp"]]],
            definition=str(
                _(
                    "Ziekteafwezigheden die langer dan 28 kalenderdagen duurden, geteld in het "
                    "jaar waarin hun 29e dag valt."
                )
            ),
        )
    )

    # 2. Trajectories started, running and closed, informal and formal.
    def period(y_from: date, y_to: date) -> dict[str, Q]:
        return {
            "started": Q(started_on__range=(y_from, y_to)),
            "running": Q(started_on__lte=y_to)
            & (Q(closed_on__isnull=True) | Q(closed_on__gte=y_from)),
            "closed": Q(closed_on__range=(y_from, y_to)),
        }

    # One pass over the trajectories for tables 2, 3 (by requester) and 4 (by outcome), grouped
    # by formal or not, outcome and requester; Python sums the groups per table.
    agg = {}
    for tag, (f, to) in {"cur": (y0, min(y1, today)), "prev": (p0, p1)}.items():
        for name, q in period(f, to).items():
            agg[f"{tag}_{name}"] = Count("started_on", filter=q)
    agg.update(
        {
            "cur": Count("closed_on", filter=Q(closed_on__range=(y0, y1))),
            "prev": Count("closed_on", filter=Q(closed_on__range=(p0, p1))),
            "cur_requested": Count(
                "formal_requested_on", filter=Q(formal_requested_on__range=(y0, y1))
            ),
            "prev_requested": Count(
                "formal_requested_on", filter=Q(formal_requested_on__range=(p0, p1))
            ),
        }
    )
    running = Q(started_on__lte=y1) & (Q(closed_on__isnull=True) | Q(closed_on__gte=p0))
    by_outcome = list(
        trajectories.filter(
            running
            | Q(started_on__range=(p0, y1))
            | Q(closed_on__range=(p0, y1))
            | Q(formal_requested_on__range=(p0, y1))
        )
        .values("closure_outcome", "formal_requested_by", "is_formal")
        .annotate(**agg)
        .order_by()
    )
    tr = {
        f"{k}_{kind}": sum(r[k] for r in by_outcome if r["is_formal"] == (kind == "for"))
        for k in agg
        for kind in ("inf", "for")
    }
    names = ["started", "running", "closed"]
    tables.append(
        _count_table(
            "trajectories",
            str(_("Trajecten")),
            [str(_("informeel")), str(_("formeel"))],
            [str(_("gestart")), str(_("lopend")), str(_("afgesloten"))],
            [[tr[f"cur_{n}_inf"], tr[f"cur_{n}_for"]] for n in names],
            [[tr[f"prev_{n}_inf"], tr[f"prev_{n}_for"]] for n in names],
            row_total=True,
            definition=str(
                _(
                    "Gestart: startdatum in het jaar; lopend: op enig moment in het jaar open; "
                    "afgesloten: afsluitdatum in het jaar. Formeel: het traject is (intussen) "
                    "formeel."
                )
            ),
        )
    )

    # 3. Formal trajectories by who asked, in the year of the (first) formal request, from the
    # same pass over the trajectories.
    requested = [
        {"by": r["formal_requested_by"], "cur": r["cur_requested"], "prev": r["prev_requested"]}
        for r in by_outcome
    ]
    keys = [*rf.FORMAL_REQUESTERS, ""]
    cur, prev = _grouped(requested, keys, lambda r: r["by"] or "")
    tables.append(
        _count_table(
            "formal_by_requester",
            str(_("Formele trajecten naar aanvrager")),
            [str(_("aantal"))],
            [*rf.FORMAL_REQUESTERS.values(), str(_("niet geregistreerd"))],
            cur,
            prev,
            col_total=True,
            definition=str(
                _(
                    "Trajecten met een verzoek tot formeel re-integratietraject in het jaar, "
                    "naar wie het vroeg."
                )
            ),
        )
    )

    # 4. Outcomes at closure.
    keys = [*rf.CLOSURE_OUTCOMES, ""]
    cur, prev = _grouped(by_outcome, keys, lambda r: r["closure_outcome"] or "")
    tables.append(
        _count_table(
            "closure_outcomes",
            str(_("Resultaat bij afsluiting")),
            [str(_("aantal"))],
            [*rf.CLOSURE_OUTCOMES.values(), str(_("niet geregistreerd"))],
            cur,
            prev,
            col_total=True,
            definition=str(_("Trajecten afgesloten in het jaar, naar resultaat.")),
        )
    )

    # 5-6. Returns to work by type and by work percentage, and (table 15) the sustainable
    # returns; 9-11 (below) the formal steps: two grouped queries, index-only on the covering
    # event index. A return can be judged after N months when add_months(date, N) <= today;
    # add_months is non-decreasing, so that is date <= the last such day.
    judged = {}
    for months in (3, 6):
        last = today
        while add_months(last, months) > today:
            last -= timedelta(days=1)
        judged[months] = last
    in_years = events.filter(date__range=(p0, y1)).annotate(cur=_in_year("date", y0))
    counts = {"n": Count("date")}
    for months in (3, 6):
        kept = Q(**{f"setback_{months}m": False})
        if judged[months] >= y1:  # every return of both years can be judged
            counts[f"judged_{months}"] = Count("date")
            counts[f"sustained_{months}"] = Count("date", filter=kept)
        else:
            judged_q = Q(date__lte=judged[months])
            counts[f"judged_{months}"] = Count("date", filter=judged_q)
            counts[f"sustained_{months}"] = Count("date", filter=judged_q & kept)
    returns = _per_year(
        in_years.filter(type="return_to_work")
        .values("return_type", "percentage", "cur")
        .annotate(**counts)
        .order_by(),
        counts,
    )
    counts = {"n": Count("date")}
    formal_rows = _per_year(
        in_years.filter(type__in=["assessment", "plan", "motivated_report", "employee_answer"])
        .values("type", "decision", "reason", "accepted", "cur")
        .annotate(**counts)
        .order_by(),
        counts,
    )

    def of(type_: str):
        return [r for r in formal_rows if r["type"] == type_]

    keys = [*rf.RETURN_TYPES, ""]
    cur, prev = _grouped(returns, keys, lambda r: r["return_type"] or "")
    tables.append(
        _count_table(
            "returns_by_type",
            str(_("Werkhervattingen naar soort")),
            [str(_("aantal"))],
            [*rf.RETURN_TYPES.values(), str(_("niet geregistreerd"))],
            cur,
            prev,
            col_total=True,
            definition=str(_("Werkhervattingen (gebeurtenis) met datum in het jaar.")),
        )
    )
    pct_keys = [50, 60, 70, 80, 100, "other", None]

    def pct_key(r):
        p = r["percentage"]
        return p if p in (50, 60, 70, 80, 100) or p is None else "other"

    cur, prev = _grouped(returns, pct_keys, pct_key)
    tables.append(
        _count_table(
            "returns_by_percentage",
            str(_("Werkhervattingen naar werkpercentage")),
            [str(_("aantal"))],
            [
                "50 %",
                "60 %",
                "70 %",
                "80 %",
                "100 %",
                str(_("ander")),
                str(_("niet geregistreerd")),
            ],
            cur,
            prev,
            col_total=True,
            definition=str(_("Dezelfde werkhervattingen, naar het werkpercentage bij hervatting.")),
        )
    )

    # 7-8. Lead times and obligations on time, on the cohort of absences starting in the year.
    policy = Policy.default()
    cohort = trajectories.filter(
        kind=Trajectory.Kind.REACTIVE,
        absence_start__range=(p0, min(y1, today)),
    ).order_by()
    # lead[tag][i] = (count, median, 75th percentile) per milestone; due[tag][i] = [due, on time]
    if connection.vendor == "postgresql":
        lead, due = _cohort_sql(cohort, y0, today, policy)
    else:
        lead, due = _cohort_python(list(cohort.values_list(*COHORT_FIELDS)), y0, today, policy)
    lead_rows = []
    for i, label in enumerate(
        [_("eerste contact"), _("gesprek"), _("stappenplan"), _("werkhervatting")]
    ):
        cells = {}
        for tag in ("cur", "prev"):
            n, median, p75 = lead[tag][i]
            small = 0 < n < t
            cells[tag] = [
                Cell(n, small, "count", t),
                Cell(median, small or n == 0, "days", t),
                Cell(p75, small or n == 0, "days", t),
            ]
        lead_rows.append(Row(str(label), cells["cur"], cells["prev"]))
    tables.append(
        Table(
            "lead_times",
            str(_("Doorlooptijden vanaf de eerste dag van afwezigheid (dagen)")),
            [str(_("aantal")), str(_("mediaan")), str(_("75e percentiel"))],
            lead_rows,
            str(
                _(
                    "Trajecten na ziekte waarvan de afwezigheid in het jaar begon: dagen tot de "
                    "eerste gebeurtenis van die soort. Mediaan en percentiel alleen bij minstens "
                    "zoveel trajecten als de drempel."
                )
            ),
            chart=False,
        )
    )
    ob_rows = []
    for i, label in enumerate(
        [_("gesprek binnen 2 maanden"), _("stappenplan binnen 2 maanden na het gesprek")]
    ):
        cells = {}
        for tag in ("cur", "prev"):
            n, ok = due[tag][i]
            late = n - ok
            hide = 0 < n < t or 0 < ok < t or 0 < late < t
            cells[tag] = [
                Cell(n, 0 < n < t, "count", t),
                Cell(ok, hide, "count", t),
                Cell(100 * ok / n if n else None, hide, "share", t),
            ]
        ob_rows.append(Row(str(label), cells["cur"], cells["prev"]))
    tables.append(
        Table(
            "on_time",
            str(_("Verplichtingen op tijd nagekomen")),
            [str(_("te doen")), str(_("op tijd")), str(_("aandeel"))],
            ob_rows,
            str(
                _(
                    "Zelfde cohorte. Gesprek: uiterlijk 2 maanden na de eerste dag van "
                    "afwezigheid; stappenplan: uiterlijk 2 maanden na het eerste gesprek met "
                    "specifieke aandachtspunten (termijnen van de regelmotor). Niet meegeteld: "
                    "termijn nog niet verstreken, of werk hervat vóór de termijn."
                )
            ),
            chart=False,
        )
    )

    # 9-11. Formal trajectories: decisions, plans versus motivated reports, answers.
    keys = list(rf.DECISIONS)
    cur, prev = _grouped(of("assessment"), keys, lambda r: r["decision"])
    tables.append(
        _count_table(
            "decisions",
            str(_("Re-integratiebeoordelingen naar beslissing")),
            [str(_("aantal"))],
            [f"{k}" for k in rf.DECISIONS.values()],
            cur,
            prev,
            col_total=True,
            definition=str(_("Beoordelingen van de arbeidsarts ontvangen in het jaar.")),
        )
    )
    keys = ["plan", *rf.MOTIVATED_REPORT_REASONS, ""]

    def plan_key(r):
        return "plan" if r["type"] == "plan" else (r["reason"] or "")

    cur, prev = _grouped(of("plan") + of("motivated_report"), keys, plan_key)
    tables.append(
        _count_table(
            "plans_reports",
            str(_("Re-integratieplannen en gemotiveerde verslagen")),
            [str(_("aantal"))],
            [
                str(_("re-integratieplan bezorgd")),
                *[
                    str(_("gemotiveerd verslag: %s")) % v
                    for v in rf.MOTIVATED_REPORT_REASONS.values()
                ],
                str(_("gemotiveerd verslag: reden niet geregistreerd")),
            ],
            cur,
            prev,
            col_total=True,
            definition=str(_("Plannen en gemotiveerde verslagen bezorgd in het jaar.")),
        )
    )
    keys = ["yes", *rf.REFUSAL_REASONS, ""]

    def answer_key(r):
        if r["accepted"] is None:
            return None
        return "yes" if r["accepted"] else (r["reason"] or "")

    cur, prev = _grouped(of("employee_answer"), keys, answer_key)
    tables.append(
        _count_table(
            "answers",
            str(_("Antwoorden op het re-integratieplan")),
            [str(_("aantal"))],
            [
                str(_("aanvaard")),
                *[str(_("geweigerd: %s")) % v for v in rf.REFUSAL_REASONS.values()],
                str(_("geweigerd: reden niet geregistreerd")),
            ],
            cur,
            prev,
            col_total=True,
            definition=str(_("Antwoorden van de medewerker op een plan, in het jaar.")),
        )
    )

    # 12. Steps taken in plans, 13-14. support measures and welfare actors used.
    tz = timezone.get_current_timezone()

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time.min, tzinfo=tz)

    plans = Plan.objects.filter(
        _placed(scope),
        created_at__gte=midnight(p0),
        created_at__lt=midnight(y1 + timedelta(days=1)),
    ).annotate(cur=_in_year("created_at", midnight(y0)))
    step_fields = ["workplace_adaptations", "adapted_work", "other_work", "training"]
    counts = {"n": Count("trajectory", distinct=True)}
    for f in step_fields:
        counts[f] = Count("trajectory", distinct=True, filter=Q(**{f"has_{f}": True}))
    st_rows = _per_year(plans.values("cur").annotate(**counts).order_by(), counts)

    def st(key: str) -> int:
        return sum(r[key] for r in st_rows)

    labels = [
        str(_("trajecten met een plan")),
        str(_("aanpassingen van de werkplek")),
        str(_("aangepast werk")),
        str(_("ander werk")),
        str(_("opleiding")),
    ]
    tables.append(
        _count_table(
            "steps",
            str(_("Stappen in plannen")),
            [str(_("trajecten"))],
            labels,
            [[st("cur")], *[[st(f"cur_{f}")] for f in step_fields]],
            [[st("prev")], *[[st(f"prev_{f}")] for f in step_fields]],
            definition=str(
                _(
                    "Trajecten met een (versie van een) plan opgemaakt in het jaar, en hoeveel "
                    "daarvan elke soort stap bevatten (een plan kan er meerdere bevatten)."
                )
            ),
        )
    )
    for key, rel, title in (
        ("support_measures", "support_measures", _("Ondersteuningsmaatregelen ingezet")),
        ("welfare_actors", "welfare_actors", _("Welzijnsactoren betrokken")),
    ):
        name = f"{rel}__name"
        counts = {"n": Count("trajectory", distinct=True)}
        rows = _per_year(
            plans.filter(**{f"{rel}__isnull": False})
            .values(name, "cur")
            .annotate(**counts)
            .order_by(name),
            counts,
        )
        names_ = list(dict.fromkeys(r[name] for r in rows))  # the database's order
        cur, prev = _grouped(rows, names_, lambda r, name=name: r[name])
        tables.append(
            _count_table(
                key,
                str(title),
                [str(_("trajecten"))],
                names_,
                cur,
                prev,
                definition=str(
                    _("Trajecten met een plan in het jaar waarin deze maatregel of actor staat.")
                ),
            )
        )

    # 15. Sustainable return: no relapse and no new absence within 3 and 6 months, from the
    # return events' setback_3m / setback_6m (kept by trajectories.services.milestones_refresh),
    # counted in the grouped event query above.
    rets = returns
    sus = {
        tag: [
            sum(r[tag] for r in rets),
            *(
                sum(r[f"{tag}_{what}_{months}"] for r in rets)
                for months in (3, 6)
                for what in ("judged", "sustained")
            ),
        ]
        for tag in ("cur", "prev")
    }
    tables.append(
        _count_table(
            "sustainable_return",
            str(_("Duurzame terugkeer")),
            [str(_("aantal"))],
            [
                str(_("werkhervattingen")),
                str(_("na 3 maanden te beoordelen")),
                str(_("zonder herval of nieuwe afwezigheid binnen 3 maanden")),
                str(_("na 6 maanden te beoordelen")),
                str(_("zonder herval of nieuwe afwezigheid binnen 6 maanden")),
            ],
            [[v] for v in sus["cur"]],
            [[v] for v in sus["prev"]],
            definition=str(
                _(
                    "Werkhervattingen in het jaar. Duurzaam: geen herval in het traject en geen "
                    "nieuwe afwezigheid van dezelfde medewerker binnen 3 (6) maanden na de "
                    "hervatting; alleen hervattingen waarvan die periode voorbij is."
                )
            ),
        )
    )
    return Report(scope, year, today, t, tables)
