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

import gc
from bisect import bisect_left
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terugkeer.organisations.models import Employee, Unit
from terugkeer.reports import cache as report_cache
from terugkeer.reports import suppression
from terugkeer.reports.scopes import Scope
from terugkeer.reports.suppression import Cell
from terugkeer.rules import facts as rf
from terugkeer.rules.calendar import add_months
from terugkeer.rules.law import LAW_VERSIONS, law_on
from terugkeer.rules.policy import Policy
from terugkeer.trajectories.models import Absence, Event, Plan, Trajectory

FOUR_WEEKS = timedelta(days=28)
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


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
    chart: bool = True  # a bar chart of the first column, both years
    basis: str = ""  # the legal basis or source of the figure

    def chart_data(self) -> list[tuple[str, Cell, Cell]]:
        return [(r.label, r.current[0], r.previous[0]) for r in self.rows if not r.is_total]


@dataclass
class Report:
    scope: Scope
    year: int
    today: date
    threshold: int
    tables: list[Table]
    produced_at: datetime | None = None
    # Tables decided with the report but shown elsewhere (the dashboard's starts per month).
    extra_tables: dict[str, Table] = field(default_factory=dict)
    # An entity below the minimum size: no tables, its figures are in its domain's report.
    unpublished: bool = False

    @property
    def previous_year(self) -> int:
        return self.year - 1

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _year(y: int) -> tuple[date, date]:
    return date(y, 1, 1), date(y, 12, 31)


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
    """Per entity and year: how many reached each milestone, and [due, on time] per obligation;
    and the days to each milestone per year (for the scope's medians), in Python (SQLite).

    Rows are (entity_id, in scope, *COHORT_FIELDS)."""
    reached: dict = defaultdict(lambda: [0, 0, 0, 0])
    due: dict = defaultdict(lambda: [[0, 0] for _i in range(OBLIGATIONS)])
    days = {"cur": [[], [], [], []], "prev": [[], [], [], []]}
    for entity_id, in_scope, start, contact, conv, plan, ret, attention in cohort:
        tag = "cur" if start >= y0 else "prev"
        for i, d in enumerate((contact, conv, plan, ret)):
            if d is not None and d >= start:
                reached[entity_id, tag][i] += 1
                if in_scope:
                    days[tag][i].append((d - start).days)
        for i, (base, done, months) in enumerate(
            (
                (start, conv, policy.conversation_within_months),
                (attention, plan, policy.step_plan_within_months),
                (start, conv, policy.formal_trigger_no_conversation_months),
            )
        ):
            if base is None:
                continue
            deadline = add_months(base, months)
            if done is not None and base <= done <= deadline:
                due[entity_id, tag][i][0] += 1
                due[entity_id, tag][i][1] += 1
            elif ret is not None and ret <= deadline:
                continue  # back at work before the term: no longer required (engine: na=back)
            elif deadline < today:
                due[entity_id, tag][i][0] += 1
    quartiles = {tag: [(_quantile(v, 0.5), _quantile(v, 0.75)) for v in days[tag]] for tag in days}
    return reached, due, quartiles


# The events of a formal trajectory's cycles, read for the formal terms (rules engine notions).
FORMAL_CYCLE_EVENTS = (
    "formal_request",
    "invitation",
    "assessment",
    "appeal",
    "appeal_outcome",
    "plan",
    "motivated_report",
    "employee_answer",
)
# The rows of the "formal_terms" table, in this order.
FORMAL_TERMS = ("assessment", "plan_after_a", "plan_after_b", "employee_answer")


def _formal_terms(events: list[tuple], started_on: date, closed_on: date | None):
    """The terms of one trajectory's formal cycles as the rules engine sets them
    (engine._formal_cycle): yields ("term", kind, due, done) per term with a due date and
    ("no_show", ended_on) when ignored invitations ended a cycle.

    events: (type, date, decision, attended) of FORMAL_CYCLE_EVENTS, by date. A cycle runs from
    a formal request to the next one; the law is the one in force on the request's date. A term
    whose cycle was replaced by a new request, or whose trajectory was closed, before it ended
    without the step being done is not yielded (no longer required, as in the engine)."""
    by_type: dict[str, list[tuple]] = {}
    for n, (kind, day, decision, attended) in enumerate(events):
        by_type.setdefault(kind, []).append((day, n, decision, attended))
    return _cycle_terms(by_type, started_on, closed_on)


_LAWS: dict = {}  # law_on per (day, fallback): a few thousand days at most


def _law_on(day: date, fallback):
    law = _LAWS.get((day, fallback.code))
    if law is None:
        law = _LAWS[day, fallback.code] = law_on(day, fallback)
    return law


def _first(by_type: dict, kinds: tuple, lo: date, hi: date | None):
    """The first event of one of `kinds` on or after lo and before hi (the earlier kind on the
    same day): (type, date, decision, attended), or None."""
    best = None
    for kind in kinds:
        rows = by_type.get(kind)
        if rows is None:
            continue
        # (lo,) sorts before every row of that day: the first row on or after lo.
        i = bisect_left(rows, (lo,))
        if i < len(rows):
            day, _order, decision, attended = rows[i]
            if (hi is None or day < hi) and (best is None or day < best[1]):
                best = (kind, day, decision, attended)
    return best


def _cycle_terms(by_type: dict[str, list[tuple]], started_on: date, closed_on: date | None):
    """_formal_terms on the events grouped by type: {type: [(date, order, decision, attended)]},
    each list sorted (by date, then in the order the events were registered)."""
    first = _first

    def term(kind, due, done, hi):
        done_day = done[1] if done is not None else None
        if done_day is None or done_day > due:
            if hi is not None and hi <= due:
                return None  # replaced by a new request before the term ended
            if closed_on is not None and closed_on < due:
                return None  # closed before the term ended
        return ("term", kind, due, done_day)

    requests = by_type.get("formal_request")
    if not requests:
        return
    trajectory_law = _law_on(started_on, LAW_VERSIONS[0])
    invitations = by_type.get("invitation", ())
    for n, req in enumerate(requests):
        asked = req[0]
        hi = requests[n + 1][0] if n + 1 < len(requests) else None
        law = _law_on(asked, trajectory_law)
        ended_on, count, last = None, 0, None
        for inv in invitations:
            if inv[0] < asked or (hi is not None and inv[0] >= hi) or inv[3] is not False:
                continue
            if last is None or (inv[0] - last).days >= law.invitations_min_gap_days:
                count, last = count + 1, inv[0]
                if count >= law.ignored_invitations:
                    ended_on = inv[0]
                    break
        if ended_on is not None:
            yield ("no_show", ended_on)
        a = first(by_type, ("assessment",), asked, hi)
        if ended_on is None:
            out = term("assessment", asked + timedelta(days=law.assessment_days), a, hi)
            if out:
                yield out
        if a is None or a[2] not in ("A", "B", "C"):
            continue
        decision, plan_from, suspended = a[2], a[1], False
        if decision == "B":
            ap = first(by_type, ("appeal",), a[1], hi)
            due_ap = a[1] + timedelta(days=law.appeal_days)
            if ap is not None and ap[1] <= due_ap:
                outcome = first(by_type, ("appeal_outcome",), ap[1], hi)
                if outcome is None:
                    suspended = True
                else:
                    decision, plan_from = outcome[2] or "B", outcome[1]
            else:
                plan_from = due_ap
        if decision == "C" or suspended:
            continue
        if decision == "A":
            kind, due = "plan_after_a", plan_from + timedelta(days=law.plan_after_A_days)
        else:
            kind, due = "plan_after_b", add_months(plan_from, law.plan_after_B_months)
        p = first(by_type, ("plan", "motivated_report"), a[1], hi)
        out = term(kind, due, p, hi)
        if out:
            yield out
        if p is None or p[0] == "motivated_report":
            continue
        ans = first(by_type, ("employee_answer",), p[1], hi)
        out = term("employee_answer", p[1] + timedelta(days=law.answer_days), ans, hi)
        if out:
            yield out


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


def _cohort_sql(cohort, scope_q: Q, y0: date, today: date, policy: Policy):
    """The same as _cohort_python as two aggregate queries (PostgreSQL): the counts grouped by
    entity and year, the quartiles of the scope grouped by year."""
    from django.contrib.postgres.fields import ArrayField

    start = F("absence_start")
    milestones = ["first_contact_on", "first_conversation_on", "step_plan_on", "returned_on"]
    months = [
        policy.conversation_within_months,
        policy.step_plan_within_months,
        policy.formal_trigger_no_conversation_months,
    ]
    qs = cohort.annotate(
        deadline_0=_AddMonths(start, months=int(months[0])),
        deadline_1=_AddMonths(F("first_attention_on"), months=int(months[1])),
        deadline_2=_AddMonths(start, months=int(months[2])),
        cur=_in_year("absence_start", y0),
    )
    obligations = [
        (Q(), "first_conversation_on", "deadline_0", start),
        (
            Q(first_attention_on__isnull=False),
            "step_plan_on",
            "deadline_1",
            F("first_attention_on"),
        ),
        (Q(), "first_conversation_on", "deadline_2", start),
    ]
    agg = {}
    reached_q = {}
    for i, m in enumerate(milestones):
        reached_q[i] = Q(**{f"{m}__isnull": False, f"{m}__gte": start})
        agg[f"n_{i}"] = Count(m, filter=reached_q[i])
    for i, (base_q, done, deadline, base) in enumerate(obligations):
        on_time = Q(**{f"{done}__isnull": False, f"{done}__gte": base, f"{done}__lte": F(deadline)})
        back = Q(returned_on__isnull=False, returned_on__lte=F(deadline))
        # Due: done on time, or late (term passed, not back at work before it). on_time is
        # never NULL here, so "on_time OR late" needs no "NOT on_time" inside late.
        late = ~back & Q(**{f"{deadline}__lt": today})
        agg[f"due_{i}"] = Count("absence_start", filter=base_q & (on_time | late))
        agg[f"ok_{i}"] = Count("absence_start", filter=base_q & on_time)
    reached: dict = defaultdict(lambda: [0, 0, 0, 0])
    due: dict = defaultdict(lambda: [[0, 0] for _i in range(OBLIGATIONS)])
    for r in _dicts(qs.values("entity_id", "cur").annotate(**agg).order_by()):
        tag = "cur" if r["cur"] else "prev"
        reached[r["entity_id"], tag] = [r[f"n_{i}"] for i in range(4)]
        due[r["entity_id"], tag] = [[r[f"due_{i}"], r[f"ok_{i}"]] for i in range(len(obligations))]
    quart = {
        f"q_{i}": _Quartiles(
            _DaysBetween(F(m), start), filter=reached_q[i], output_field=ArrayField(FloatField())
        )
        for i, m in enumerate(milestones)
    }
    quartiles = {"cur": [(None, None)] * 4, "prev": [(None, None)] * 4}
    for r in _dicts(qs.filter(scope_q).values("cur").annotate(**quart).order_by()):
        quartiles["cur" if r["cur"] else "prev"] = [
            tuple(r[f"q_{i}"] or (None, None)) for i in range(4)
        ]
    return reached, due, quartiles


def no_jit() -> None:
    """Inside a transaction on PostgreSQL: no JIT compilation for this report's queries, and
    enough memory for their hash aggregates.

    The report's queries are estimated as expensive enough for JIT, whose compilation then
    costs more (about 1.5 s on the benchmark) than running them (docs/performance.md).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            # Both as SET LOCAL (is_local true), in one round trip. The cohort's per-trajectory
            # aggregate spills to disk with the default 4 MB of work_mem.
            c.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true)")


@contextmanager
def gc_paused():
    """No cyclic garbage collection while a report is produced.

    The production allocates some hundred thousand short-lived tuples, lists and dicts (the
    counts and the suppression's lines and bounds); each batch of them set off a collection,
    and the older generations' collections walk the whole process heap (docs/performance.md).
    The objects form no cycles to speak of, and the collector runs normally again right after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cursor_rows(qs) -> tuple[list[str], list[tuple]] | None:
    """The column names and rows of a values()/values_list() query straight from the cursor,
    on PostgreSQL only (None elsewhere): the driver already returns dates, booleans and
    integers, so Django's per-row iteration and converters are skipped (tens of thousands of
    rows for the formal terms). SQLite needs the converters (its dates are text). The
    connection is the router's choice for the queryset: the replica inside replica_reads()."""
    db = connections[qs.db]
    if db.vendor != "postgresql":
        return None
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with db.cursor() as c:
        c.execute(sql, params)
        return [d.name for d in c.description], c.fetchall()


def _rows(qs) -> list[tuple]:
    """The rows of a values_list query (_cursor_rows on PostgreSQL)."""
    fetched = _cursor_rows(qs)
    return list(qs) if fetched is None else fetched[1]


def _dicts(qs) -> list[dict]:
    """The rows of a values() query as dicts keyed by the values() names (_cursor_rows on
    PostgreSQL)."""
    fetched = _cursor_rows(qs)
    if fetched is None:
        return list(qs)
    names, rows = fetched
    return [dict(zip(names, row, strict=True)) for row in rows]


def _placed(scope: Scope) -> Q:
    """The scope on a trajectory, event or plan by its own organisation and entity columns
    (models.placed_in): no join with the units or the trajectories."""
    if scope.kind == "organisation":
        return Q(organisation_id=scope.pk)
    return scope.q()


# The obligations of the cohort, in the order of _cohort_python / _cohort_sql.
OBLIGATIONS = 3

# Legal basis beside each table (docs/reports.md, "Legal basis").
CODEX_REPORT = "Codex welzijn op het werk art. I.4-82 (jaarlijkse verslagen aan het comité)"
BASIS = {
    "absences": "Codex art. I.4-4 §3 (afwezigheid van meer dan 4 weken); omzendbrief stap 2",
    "trajectories": f"{CODEX_REPORT}: re-integratietrajecten",
    "formal_by_requester": f"{CODEX_REPORT}: re-integratietrajecten; Codex art. I.4-72 (verzoek)",
    "closure_outcomes": "Omzendbrief re-integratie, stap 5 (opvolging en afsluiting)",
    "returns_by_type": f"{CODEX_REPORT}: werkhervatting na ziekte",
    "returns_by_percentage": f"{CODEX_REPORT}: werkhervatting na ziekte",
    "lead_times": "Omzendbrief re-integratie, stappen 1-3 (opvolging van de afwezigheid)",
    "on_time": "Omzendbrief re-integratie, stappen 3-4 (termijnen, aanleiding formeel traject)",
    "decisions": "Codex art. I.4-73 (re-integratiebeoordeling)",
    "appeals": "Codex art. I.4-80 (beroep tegen beslissing B)",
    "formal_terms": "Codex art. I.4-73 (beoordeling binnen 49 kalenderdagen), I.4-74 (plan "
    "binnen 63 kalenderdagen na A, 6 maanden na B), I.4-75 (antwoord binnen 14 kalenderdagen)",
    "formal_no_show": "Codex art. I.4-73 (KB 11 september 2022): traject beëindigd na "
    "3 uitnodigingen zonder gevolg, telkens minstens 14 dagen uit elkaar",
    "plans_reports": f"{CODEX_REPORT}, 2° (redenen waarom geen plan kon worden opgemaakt); "
    "Codex art. I.4-74",
    "answers": f"{CODEX_REPORT}, 2° (redenen waarom een plan werd geweigerd); Codex art. I.4-75",
    "visits": f"{CODEX_REPORT}: bezoeken voorafgaand aan de werkhervatting; Codex art. I.4-36",
    "steps": f"{CODEX_REPORT}, 1° (stappen voor aangepast of ander werk of aanpassing werkpost)",
    "support_measures": f"{CODEX_REPORT}, 1° (stappen van de werkgever)",
    "welfare_actors": f"{CODEX_REPORT}, 1° (stappen van de werkgever)",
    "sustainable_return": "Omzendbrief re-integratie, stap 5 (duurzame terugkeer)",
}


@dataclass
class Spec:
    """A count table before suppression: its shape and words; the counts are per entity."""

    key: str
    title: str
    columns: list[str]
    labels: list[str]
    definition: str = ""
    row_total: bool = False
    col_total: bool = False
    chart: bool = True

    def full_columns(self) -> list[str]:
        return [*self.columns, str(_("totaal"))] if self.row_total else list(self.columns)

    def full_labels(self) -> list[str]:
        return [*self.labels, str(_("Totaal"))] if self.col_total else list(self.labels)

    def empty(self) -> list[list[int]]:
        return [[0] * len(self.columns) for _label in self.labels]

    def with_totals(self, m: list[list[int]]) -> list[list[int]]:
        if self.row_total:
            m = [[*r, sum(r)] for r in m]
        if self.col_total and m:
            m = [*m, [sum(col) for col in zip(*m, strict=True)]]
        return m


class Figures:
    """Every count table of one organisation, per entity and year (tag "cur" / "prev")."""

    def __init__(self) -> None:
        self.specs: dict[str, Spec] = {}
        self.counts: dict[str, dict[tuple[int, str], list[list[int]]]] = {}

    def table(self, spec: Spec) -> None:
        self.specs[spec.key] = spec
        self.counts[spec.key] = {}

    def add(self, key: str, entity_id: int, tag: str, r: int, c: int, n: int) -> None:
        if not n:
            return
        counts = self.counts[key]
        m = counts.get((entity_id, tag))
        if m is None:  # (not setdefault: that builds an empty matrix at every call)
            m = counts[entity_id, tag] = self.specs[key].empty()
        m[r][c] += n

    def entity_ids(self) -> set[int]:
        return {e for counts in self.counts.values() for e, _tag in counts}

    def matrix(self, key: str, entities, tag: str) -> list[list[int]]:
        """The counts of a table summed over `entities`, with its totals."""
        spec = self.specs[key]
        counts = self.counts[key]
        parts = [p for p in (counts.get((e, tag)) for e in entities) if p is not None]
        if not parts:
            m = spec.empty()
        elif len(parts) == 1:
            m = [list(row) for row in parts[0]]
        else:  # each row of every part side by side, summed per column
            m = [[sum(col) for col in zip(*rows, strict=True)] for rows in zip(*parts, strict=True)]
        return spec.with_totals(m)


# Cells that show the same figure in two tables: (table, row, column); a negative row or column
# counts from the end (the total). Hidden in one, hidden in all.
LINKED = [
    [("trajectories", 1, -1), ("closure_outcomes", -1, 0)],
    [
        ("returns_by_type", -1, 0),
        ("returns_by_percentage", -1, 0),
        ("sustainable_return", -1, 0),
        ("sustainable_return", -1, 1),
    ],
]


def min_entity_employees() -> int:
    return int(settings.TERUGKEER.get("REPORT_MIN_ENTITY_EMPLOYEES", 0))


def _entities(organisation_id: int) -> list[tuple[int, int | None, bool]]:
    """(entity, its policy domain, large enough for a report of its own) for every entity of the
    organisation, in one query; large enough: at least REPORT_MIN_ENTITY_EMPLOYEES active
    employees today."""
    minimum = min_entity_employees()
    units = Unit.objects.filter(organisation_id=organisation_id, is_entity=True)
    if minimum <= 0:
        return [(pk, d, True) for pk, d in units.values_list("pk", "policy_domain_id")]
    # "At least N": the N-th active employee exists (reads at most N index entries an entity).
    nth = Employee.objects.filter(entity_id=OuterRef("pk"), active=True).order_by("pk")[
        minimum - 1 : minimum
    ]
    rows = units.annotate(big=Exists(nth)).values_list("pk", "policy_domain_id", "big")
    return list(rows)


def unpublished_entity_keys(scopes: list[Scope]) -> set[str]:
    """The keys of the entity scopes below the minimum size: one query per organisation."""
    if min_entity_employees() <= 0:
        return set()
    out = set()
    for org in {s.organisation_id for s in scopes if s.kind == "entity"}:
        out |= {f"entity-{pk}" for pk, _d, big in _entities(org) if not big}
    return out


def _hierarchy(organisation_id: int, seen: set[int], rows=None) -> dict[tuple, list[int]]:
    """Each node of the organisation (itself, its policy domains, its entities) with the
    entities it sums: {node: entities}.

    An entity below the minimum size has no node of its own: the small entities of a policy
    domain (or outside any domain) form one *rest* node, ("rest", parent node), which nobody
    sees but anyone can compute (the parent minus its published entities), so it is protected
    like an entity."""
    rows = _entities(organisation_id) if rows is None else rows
    entities = {pk: d for pk, d, _big in rows}
    published = {pk for pk, _d, big in rows if big}
    for e in seen - entities.keys():
        entities[e] = None  # an entity with figures but no longer marked as one
        published.add(e)
    org = ("organisation", organisation_id)
    nodes: dict[tuple, list[int]] = {org: sorted(entities)}
    for e, d in sorted(entities.items()):
        parent = ("policy_domain", d) if d is not None else org
        if d is not None:
            nodes.setdefault(parent, []).append(e)
        if e in published:
            nodes[("entity", e)] = [e]
        else:
            nodes.setdefault(("rest", parent), []).append(e)
    return nodes


def _children(nodes, organisation_id: int) -> dict[tuple, list[tuple]]:
    """The additive relations of the hierarchy: a node's value is the sum of its children's."""
    org = ("organisation", organisation_id)
    domains = [n for n in nodes if n[0] == "policy_domain"]
    in_domain = {e for d in domains for e in nodes[d]}
    out = {
        org: [
            *domains,
            *[("entity", e) for e in nodes[org] if e not in in_domain and ("entity", e) in nodes],
            *([("rest", org)] if ("rest", org) in nodes else []),
        ]
    }
    for d in domains:
        out[d] = [
            *[("entity", e) for e in nodes[d] if ("entity", e) in nodes],
            *([("rest", d)] if ("rest", d) in nodes else []),
        ]
    return out


_LEVELS = {"entity": 0, "rest": 0, "policy_domain": 1, "organisation": 2}
_CACHE: dict = {}  # the last decisions, keyed by every count and the hierarchy they sum by
_CACHE_SIZE = 16


class _Layout:
    """The suppression problem's shape for one organisation, built once per report and shared
    by both years: every cell (node, table, row, column) numbered, the lines (table totals,
    hierarchy) and links over those numbers, each cell's level, the unpublished cells.

    A cell's number is its rank in the order of repr(key), the order in which the suppression
    breaks ties (suppression.suppress, `order`): the decisions are those of the keys
    themselves, while the problem hashes and compares small integers instead of nested tuples
    (docs/performance.md)."""

    def __init__(self, figures: Figures, organisation_id: int, nodes: dict) -> None:
        specs = figures.specs
        shape = {
            key: (len(spec.full_labels()), len(spec.full_columns())) for key, spec in specs.items()
        }
        self.signature = (
            tuple((n, tuple(e)) for n, e in nodes.items()),
            tuple((key, *shape[key]) for key in specs),
        )
        keys = [
            (n, key, r, c)
            for n in nodes
            for key in specs
            for r in range(shape[key][0])
            for c in range(shape[key][1])
        ]
        # Numbered in repr order; `slots` lists them in the fixed order of the counts. (The
        # repr of a key written from its parts' reprs: the same text, faster.)
        node_repr = {n: repr(n) for n in nodes}
        table_repr = {key: repr(key) for key in specs}
        text = [f"({node_repr[n]}, {table_repr[key]}, {r}, {c})" for n, key, r, c in keys]
        by_repr = sorted(range(len(keys)), key=text.__getitem__)
        number = [0] * len(keys)
        for rank, i in enumerate(by_repr):
            number[i] = rank
        self.slots = number
        cell = dict(zip(keys, number, strict=True))
        self.cell = cell
        self.level = [0] * len(keys)
        for k, i in cell.items():
            self.level[i] = _LEVELS[k[0][0]]
        self.unpublished = {i for k, i in cell.items() if k[0][0] == "rest"}
        self.later = [key for key in SECOND_STAGE if key in specs]
        self.table_of = [""] * len(keys)
        for k, i in cell.items():
            self.table_of[i] = k[1]

        lines_of_table: dict[str, list] = defaultdict(list)
        for n in nodes:
            for key, spec in specs.items():
                rows, cols = shape[key]
                if not rows:
                    continue  # a table without rows (no support measure yet): no line
                lines = lines_of_table[key]
                if spec.row_total:
                    for r in range(rows):
                        lines.append(
                            [
                                *((cell[n, key, r, c], 1) for c in range(cols - 1)),
                                (cell[n, key, r, cols - 1], -1),
                            ]
                        )
                if spec.col_total:
                    for c in range(cols):
                        lines.append(
                            [
                                *((cell[n, key, r, c], 1) for r in range(rows - 1)),
                                (cell[n, key, rows - 1, c], -1),
                            ]
                        )
        for parent, children in _children(nodes, organisation_id).items():
            for key in specs:
                rows, cols = shape[key]
                for r in range(rows):
                    for c in range(cols):
                        lines_of_table[key].append(
                            [
                                (cell[parent, key, r, c], -1),
                                *((cell[ch, key, r, c], 1) for ch in children),
                            ]
                        )
        self.lines = [
            line for key, ls in lines_of_table.items() if key not in self.later for line in ls
        ]
        self.links = []
        for n in nodes:
            for group in LINKED:
                cells = []
                for key, r, c in group:
                    if key not in specs:
                        break
                    rows, cols = shape[key]
                    cells.append(cell[n, key, r % rows, c % cols])
                else:
                    self.links.append(cells)
        # The second stage's lines and free cells per table (_decide).
        self.stages = []
        for key in self.later:
            # The column of each node adds up to its yearly cell; the attacker also knows every
            # line of the yearly tables tied to that cell (its table and the linked ones).
            total_key, tr, tc = SECOND_STAGE[key]
            tied = {total_key} | {
                k
                for group in LINKED
                if any(g[0] == total_key for g in group)
                for k, _r, _c in group
            }
            stage = [
                line for k in sorted(tied) if k in lines_of_table for line in lines_of_table[k]
            ]
            stage += lines_of_table[key]
            rows, _cols = shape[key]
            total_rows, total_cols = shape[total_key]
            for n in nodes:
                total = cell[n, total_key, tr % total_rows, tc % total_cols]
                stage.append([*((cell[n, key, r, 0], 1) for r in range(rows)), (total, -1)])
            free = {i for i, table in enumerate(self.table_of) if table == key}
            self.stages.append((stage, free))


def _suppressed(
    figures: Figures,
    organisation_id: int,
    tag: str,
    t: int,
    node: tuple,
    nodes=None,
    layout: _Layout | None = None,
):
    """Suppress one year of every table of every node of the organisation together; return the
    given node's matrices and hidden marks: {table: (matrix, {(r, c): PRIMARY|SECONDARY})}.

    The decision is a pure function of the counts and the hierarchy, so it is remembered per
    process for exactly those (the organisation's, each domain's and each entity's report of a
    year share it); a changed count makes a new decision, nothing stale is applied. `layout`:
    the problem's shape, when the caller decides both years (_build_report)."""
    if nodes is None:
        nodes = _hierarchy(organisation_id, figures.entity_ids())
    if layout is None:
        layout = _Layout(figures, organisation_id, nodes)
    counts: list[int] = []
    matrices = {}
    for n, entities in nodes.items():
        for key in figures.specs:
            m = figures.matrix(key, entities, tag)
            matrices[n, key] = m
            for row in m:
                counts += row
    # In the fixed order of the layout (nodes, tables, cells), which its signature names.
    cache_key = (t, layout.signature, tuple(counts))
    digest = hash(cache_key)
    hit = _CACHE.get(digest)
    if hit is not None and hit[0] == cache_key:
        hidden = hit[1]
    else:
        values = dict(zip(layout.slots, counts, strict=True))
        hidden = _decide(layout, values, t)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[digest] = (cache_key, hidden)
    out = {}
    cell = layout.cell
    for key in figures.specs:
        m = matrices[node, key]
        marks = {}
        for r in range(len(m)):
            for c in range(len(m[0])):
                mark = hidden.get(cell[node, key, r, c])
                if mark is not None:
                    marks[r, c] = mark
        out[key] = (m, marks)
    return out


# Decided in a second stage, on top of the yearly tables' decision (suppression.suppress_more):
# {table: (the yearly cell its column adds up to: table, row, column)}.
SECOND_STAGE = {"started_by_month": ("trajectories", 0, -1)}


def _natural(i: int) -> int:
    return i


def _decide(layout: _Layout, values: dict[int, int], t: int) -> dict:
    """The decision over the layout's lines and links: first the yearly tables, then the
    SECOND_STAGE tables on top of it (the yearly decision unchanged)."""
    later = set(layout.later)
    table_of = layout.table_of
    first = {k: v for k, v in values.items() if table_of[k] not in later}
    level = layout.level.__getitem__
    hidden = suppression.suppress(
        first,
        layout.lines,
        t,
        layout.links,
        level=level,
        unpublished=layout.unpublished & first.keys(),
        order=_natural,
    )
    for stage, free in layout.stages:
        hidden = suppression.suppress_more(
            values, stage, t, hidden, free, level, layout.unpublished, order=_natural
        )
    return hidden


def build_report(scope: Scope, year: int, *, today: date | None = None) -> Report:
    """The report, produced once per scope, year and day until the organisation's data changes
    (reports/cache.py); the page, the exports, the API and the dashboard share it."""
    today = today or timezone.localdate()

    def produce() -> Report:
        with transaction.atomic(), gc_paused():
            no_jit()
            return _build_report(scope, year, today=today)

    return report_cache.cached("report", scope, year, today, threshold(), produce)


def _build_report(
    scope: Scope,
    year: int,
    *,
    today: date | None = None,
    starts_only: bool = False,
    entities: list | None = None,
) -> Report:
    today = today or timezone.localdate()
    t = threshold()
    figures, extra = collect(scope, year, today, starts_only=starts_only)
    node = (scope.kind, scope.pk)
    nodes = _hierarchy(scope.organisation_id, figures.entity_ids(), entities)  # both years
    if node not in nodes:
        return Report(scope, year, today, t, [], produced_at=timezone.localtime(), unpublished=True)
    layout = _Layout(figures, scope.organisation_id, nodes)  # the same for both years
    years = {
        tag: _suppressed(figures, scope.organisation_id, tag, t, node, nodes, layout)
        for tag in ("cur", "prev")
    }
    tables = []
    extra_tables = {}
    for key, spec in figures.specs.items():
        cells = {}
        for tag in ("cur", "prev"):
            m, hidden = years[tag][key]
            cells[tag] = [
                [
                    Cell(v, (r, c) in hidden, "count", t, hidden.get((r, c)) in HIDING_OTHERS)
                    for c, v in enumerate(row)
                ]
                for r, row in enumerate(m)
            ]
        labels = spec.full_labels()
        rows = [
            Row(
                label,
                cells["cur"][i],
                cells["prev"][i],
                is_total=spec.col_total and i == len(labels) - 1,
            )
            for i, label in enumerate(labels)
        ]
        columns = spec.full_columns()
        if key in SECOND_STAGE:
            # The total of the column is the yearly cell, shown (or hidden) as in its table.
            total_key, tr, tc = SECOND_STAGE[key]
            totals = []
            for tag in ("cur", "prev"):
                mx, hid = years[tag][total_key]
                at = (tr % len(mx), tc % len(mx[0]))
                v = mx[at[0]][at[1]]
                totals.append([Cell(v, at in hid, "count", t, hid.get(at) in HIDING_OTHERS)])
            rows.append(Row(str(_("Totaal")), *totals, is_total=True))
        if key == "lead_times":
            columns = [*columns, str(_("mediaan")), str(_("75e percentiel"))]
            for i, row in enumerate(rows):
                for tag, cells_ in (("cur", row.current), ("prev", row.previous)):
                    count = cells_[0]
                    hide = count.suppressed or count.value < t
                    median, p75 = extra["quartiles"][tag][i]
                    cells_ += [Cell(median, hide, "days", t), Cell(p75, hide, "days", t)]
        if key in ("on_time", "formal_terms"):
            columns = [*columns, str(_("aandeel op tijd"))]
            for row in rows:
                for cells_ in (row.current, row.previous):
                    ok, late, n = cells_
                    hide = ok.suppressed or late.suppressed or n.suppressed
                    cells_.append(
                        Cell(100 * ok.value / n.value if n.value else None, hide, "share", t)
                    )
        table = Table(
            key, spec.title, columns, rows, spec.definition, spec.chart, BASIS.get(key, "")
        )
        if key in extra.get("elsewhere", ()):
            extra_tables[key] = table
        else:
            tables.append(table)
    return Report(
        scope, year, today, t, tables, produced_at=timezone.localtime(), extra_tables=extra_tables
    )


# Marks shown as "·": hidden to protect another cell, or hidden with one mark for any value.
HIDING_OTHERS = (suppression.SECONDARY, suppression.LOOSE)


def _label(d: dict) -> list[str]:
    """The rules engine's labels of a code list in the active language (trajectories.labels)."""
    return [str(_(v)) for v in d.values()]


def _absences(f: Figures, org: int, year: int, today: date) -> None:
    y0, y1 = _year(year)
    p0, p1 = _year(year - 1)
    # 1. Absences of more than 4 weeks, in the year their 29th day falls.
    f.table(
        Spec(
            "absences",
            str(_("Afwezigheden van meer dan 4 weken")),
            [str(_("aantal"))],
            [str(_("afwezigheden")), str(_("medewerkers"))],
            str(
                _(
                    "Ziekteafwezigheden die langer dan 28 kalenderdagen duurden, geteld in het "
                    "jaar waarin hun 29e dag valt."
                )
            ),
        )
    )
    if connection.vendor == "postgresql":
        # Days as an integer: cheaper than a DurationField's interval arithmetic on 1M rows.
        length, four_weeks = _DaysBetween(F("end_day"), F("first_day")), FOUR_WEEKS.days
    else:
        length = ExpressionWrapper(F("end_day") - F("first_day"), output_field=DurationField())
        four_weeks = FOUR_WEEKS
    absences = (
        Absence.objects.filter(entity__organisation_id=org)
        .annotate(length=length)
        .filter(Q(end_day__isnull=True) | Q(length__gte=four_weeks))
        .filter(first_day__range=(p0 - FOUR_WEEKS, min(y1, today) - FOUR_WEEKS))
    )
    for a in _dicts(
        absences.values("entity_id")
        .annotate(
            cur=Count("first_day", filter=Q(first_day__gte=y0 - FOUR_WEEKS)),
            prev=Count("first_day", filter=Q(first_day__lte=p1 - FOUR_WEEKS)),
            cur_emp=Count("employee", distinct=True, filter=Q(first_day__gte=y0 - FOUR_WEEKS)),
            prev_emp=Count("employee", distinct=True, filter=Q(first_day__lte=p1 - FOUR_WEEKS)),
        )
        .order_by()
    ):
        for tag in ("cur", "prev"):
            f.add("absences", a["entity_id"], tag, 0, 0, a[tag])
            f.add("absences", a["entity_id"], tag, 1, 0, a[f"{tag}_emp"])


def collect(
    scope: Scope, year: int, today: date, *, starts_only: bool = False
) -> tuple[Figures, dict]:
    """Every count of the report for every entity of the scope's organisation, this year and
    the year before: a few grouped queries over the organisation (docs/performance.md).

    starts_only: only the trajectories' tables and the starts per month (the dashboard). They
    are one group of the suppression problem (their lines and links touch no other table), so
    their decision is the same as in the whole report."""
    org = scope.organisation_id
    y0, y1 = _year(year)
    p0, p1 = _year(year - 1)
    f = Figures()
    extra: dict = {}
    trajectories = Trajectory.objects.filter(organisation_id=org)
    events = Event.objects.filter(organisation_id=org)
    not_registered = str(_("niet geregistreerd"))

    if not starts_only:
        _absences(f, org, year, today)

    # 2-4. Trajectories started and closed, informal and formal; formal trajectories by who
    # asked; outcomes at closure: one pass over the trajectories. A trajectory is formal in a
    # year when its first formal request (formal_requested_on) lies on or before the year's end.
    f.table(
        Spec(
            "trajectories",
            str(_("Trajecten")),
            [str(_("informeel")), str(_("formeel"))],
            [str(_("gestart")), str(_("afgesloten"))],
            str(
                _(
                    "Gestart: startdatum in het jaar; afgesloten: afsluitdatum in het jaar. "
                    "Formeel: het eerste verzoek tot formeel traject valt in of vóór dat jaar; "
                    "een traject dat later formeel wordt, blijft in dit jaar informeel."
                )
            ),
            row_total=True,
        )
    )
    f.table(
        Spec(
            "formal_by_requester",
            str(_("Formele trajecten naar aanvrager")),
            [str(_("aantal"))],
            [*_label(rf.FORMAL_REQUESTERS), not_registered],
            str(
                _(
                    "Trajecten waarvan het eerste verzoek tot formeel re-integratietraject in "
                    "het jaar valt, naar wie het vroeg."
                )
            ),
            col_total=True,
        )
    )
    f.table(
        Spec(
            "closure_outcomes",
            str(_("Resultaat bij afsluiting")),
            [str(_("aantal"))],
            [*_label(rf.CLOSURE_OUTCOMES), not_registered],
            str(_("Trajecten afgesloten in het jaar, naar resultaat.")),
            col_total=True,
        )
    )
    agg = {}
    for tag, (start, end) in {"cur": (y0, y1), "prev": (p0, p1)}.items():
        formal = Q(formal_requested_on__lte=end)
        for name, q in {
            "started": Q(started_on__range=(start, end)),
            "closed": Q(closed_on__range=(start, end)),
        }.items():
            agg[f"{tag}_{name}_inf"] = Count("started_on", filter=q & ~formal)
            agg[f"{tag}_{name}_for"] = Count("started_on", filter=q & formal)
        agg[f"{tag}_requested"] = Count(
            "formal_requested_on", filter=Q(formal_requested_on__range=(start, end))
        )
    # Trajectories started per month: shown on the dashboard (not in the yearly tables),
    # decided with the report (SECOND_STAGE) so that the months never reveal a hidden yearly
    # "gestart" nor each other across the scopes; counted in the same pass.
    f.table(
        Spec(
            "started_by_month",
            str(_("Gestarte trajecten per maand")),
            [str(_("aantal"))],
            MONTHS,
        )
    )
    extra["elsewhere"] = {"started_by_month"}
    for tag, y in (("cur", year), ("prev", year - 1)):
        for m in range(1, 13):
            first = date(y, m, 1)
            last = add_months(first, 1) - timedelta(days=1)
            agg[f"{tag}_m{m}"] = Count("started_on", filter=Q(started_on__range=(first, last)))
    requesters = [*rf.FORMAL_REQUESTERS, ""]
    outcomes = [*rf.CLOSURE_OUTCOMES, ""]
    names_of = {  # the aggregates' names per year, written once
        tag: (
            (f"{tag}_started_inf", f"{tag}_started_for"),
            (f"{tag}_closed_inf", f"{tag}_closed_for"),
            f"{tag}_requested",
            [f"{tag}_m{m}" for m in range(1, 13)],
        )
        for tag in ("cur", "prev")
    }
    for r in _dicts(
        trajectories.filter(
            Q(started_on__range=(p0, y1))
            | Q(closed_on__range=(p0, y1))
            | Q(formal_requested_on__range=(p0, y1))
        )
        .values("entity_id", "closure_outcome", "formal_requested_by")
        .annotate(**agg)
        .order_by()
    ):
        e = r["entity_id"]
        by = r["formal_requested_by"] if r["formal_requested_by"] in requesters else ""
        out = r["closure_outcome"] if r["closure_outcome"] in outcomes else ""
        for tag, (started, closed, requested, month_names) in names_of.items():
            for i, (informal, formal) in enumerate((started, closed)):
                f.add("trajectories", e, tag, i, 0, r[informal])
                f.add("trajectories", e, tag, i, 1, r[formal])
            f.add("formal_by_requester", e, tag, requesters.index(by), 0, r[requested])
            f.add("closure_outcomes", e, tag, outcomes.index(out), 0, r[closed[0]] + r[closed[1]])
            for m, name in enumerate(month_names):
                f.add("started_by_month", e, tag, m, 0, r[name])

    if starts_only:
        return f, extra

    # 5-6. Returns to work by type and by work percentage, and the sustainable returns; the
    # formal steps, appeals and visits: two grouped queries, index-only on the covering event
    # index. A return can be judged after N months when add_months(date, N) <= today;
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
        _dicts(
            in_years.filter(type="return_to_work")
            .values("entity_id", "return_type", "percentage", "cur")
            .annotate(**counts)
            .order_by()
        ),
        counts,
    )
    f.table(
        Spec(
            "returns_by_type",
            str(_("Werkhervattingen naar soort")),
            [str(_("aantal"))],
            [*_label(rf.RETURN_TYPES), not_registered],
            str(_("Werkhervattingen (gebeurtenis) met datum in het jaar.")),
            col_total=True,
        )
    )
    percentages = [50, 60, 70, 80, 100, "other", None]
    f.table(
        Spec(
            "returns_by_percentage",
            str(_("Werkhervattingen naar werkpercentage")),
            [str(_("aantal"))],
            ["50 %", "60 %", "70 %", "80 %", "100 %", str(_("ander")), not_registered],
            str(_("Dezelfde werkhervattingen, naar het werkpercentage bij hervatting.")),
            col_total=True,
        )
    )
    f.table(
        Spec(
            "sustainable_return",
            str(_("Duurzame terugkeer")),
            [str(_("na 3 maanden")), str(_("na 6 maanden"))],
            [
                str(_("zonder herval of nieuwe afwezigheid")),
                str(_("met herval of nieuwe afwezigheid")),
                str(_("nog niet te beoordelen")),
            ],
            str(
                _(
                    "Dezelfde werkhervattingen. Duurzaam: geen herval in het traject en geen "
                    "nieuwe afwezigheid van dezelfde medewerker binnen 3 (6) maanden na de "
                    "hervatting. Nog niet te beoordelen: die periode is nog niet voorbij."
                )
            ),
            col_total=True,
            chart=False,
        )
    )
    types = [*rf.RETURN_TYPES, ""]
    for r in returns:
        e = r["entity_id"]
        p = r["percentage"]
        p = p if p in (50, 60, 70, 80, 100) or p is None else "other"
        for tag in ("cur", "prev"):
            rt = r["return_type"] if r["return_type"] in types else ""
            f.add("returns_by_type", e, tag, types.index(rt), 0, r[tag])
            f.add("returns_by_percentage", e, tag, percentages.index(p), 0, r[tag])
            for c, months in enumerate((3, 6)):
                jd, ok = r[f"{tag}_judged_{months}"], r[f"{tag}_sustained_{months}"]
                f.add("sustainable_return", e, tag, 0, c, ok)
                f.add("sustainable_return", e, tag, 1, c, jd - ok)
                f.add("sustainable_return", e, tag, 2, c, r[tag] - jd)

    # 7-8. Lead times and obligations on time, on the cohort of absences starting in the year.
    policy = Policy.default()
    cohort = trajectories.filter(
        kind=Trajectory.Kind.REACTIVE, absence_start__range=(p0, min(y1, today))
    ).order_by()
    if connection.vendor == "postgresql":
        reached, due, quartiles = _cohort_sql(cohort, _placed(scope), y0, today, policy)
    else:
        rows = cohort.annotate(
            in_scope=ExpressionWrapper(_placed(scope), output_field=BooleanField())
        ).values_list("entity_id", "in_scope", *COHORT_FIELDS)
        reached, due, quartiles = _cohort_python(list(rows), y0, today, policy)
    extra["quartiles"] = quartiles
    f.table(
        Spec(
            "lead_times",
            str(_("Doorlooptijden vanaf de eerste dag van afwezigheid (dagen)")),
            [str(_("aantal"))],
            [
                str(_("eerste contact")),
                str(_("gesprek")),
                str(_("stappenplan")),
                str(_("werkhervatting")),
            ],
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
    for (e, tag), ns in reached.items():
        for i, n in enumerate(ns):
            f.add("lead_times", e, tag, i, 0, n)
    f.table(
        Spec(
            "on_time",
            str(_("Verplichtingen op tijd nagekomen")),
            [str(_("op tijd")), str(_("te laat of niet"))],
            [
                str(_("gesprek binnen 2 maanden")),
                str(_("stappenplan binnen 2 maanden na het gesprek")),
                str(_("gesprek binnen 4 maanden (anders aanleiding formeel traject)")),
            ],
            str(
                _(
                    "Zelfde cohorte. Gesprek: uiterlijk 2 maanden na de eerste dag van "
                    "afwezigheid; stappenplan: uiterlijk 2 maanden na het eerste gesprek met "
                    "specifieke aandachtspunten; zonder gesprek binnen 4 maanden is een formeel "
                    "traject aangewezen (omzendbrief, stap 4): 'te laat of niet' op die rij telt "
                    "hoe vaak die aanleiding zich voordeed. Niet meegeteld: termijn nog niet "
                    "verstreken, of werk hervat vóór de termijn."
                )
            ),
            row_total=True,
            chart=False,
        )
    )
    for (e, tag), obligations in due.items():
        for i, (n, ok) in enumerate(obligations):
            f.add("on_time", e, tag, i, 0, ok)
            f.add("on_time", e, tag, i, 1, n - ok)

    # 9-13. Formal trajectories: decisions, appeals, plans versus motivated reports, answers;
    # visits before the return to work.
    formal_rows = _per_year(
        _dicts(
            in_years.filter(
                type__in=[
                    "assessment",
                    "appeal",
                    "appeal_outcome",
                    "plan",
                    "motivated_report",
                    "employee_answer",
                    "visit_before_return_requested",
                    "visit_before_return_held",
                ]
            )
            .values("entity_id", "type", "decision", "reason", "accepted", "by", "cur")
            .annotate(n=Count("date"))
            .order_by()
        ),
        {"n": None},
    )
    decisions = list(rf.DECISIONS)
    f.table(
        Spec(
            "decisions",
            str(_("Re-integratiebeoordelingen naar beslissing")),
            [str(_("aantal"))],
            _label(rf.DECISIONS),
            str(_("Beoordelingen van de arbeidsarts ontvangen in het jaar.")),
            col_total=True,
        )
    )
    f.table(
        Spec(
            "appeals",
            str(_("Beroep tegen beslissing B")),
            [str(_("aantal"))],
            [
                str(_("beroep ingesteld")),
                *[str(_("uitspraak in beroep: %s")) % _(v) for v in rf.DECISIONS.values()],
            ],
            str(
                _(
                    "Beroepen tegen een beslissing B ingesteld in het jaar, en uitspraken in "
                    "beroep ontvangen in het jaar, naar de beslissing na beroep."
                )
            ),
        )
    )
    reasons = list(rf.MOTIVATED_REPORT_REASONS)
    f.table(
        Spec(
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
            str(
                _(
                    "Eerste versies van re-integratieplannen en gemotiveerde verslagen bezorgd "
                    "in het jaar (datum 'bezorgd op')."
                )
            ),
            col_total=True,
        )
    )
    refusals = list(rf.REFUSAL_REASONS)
    f.table(
        Spec(
            "answers",
            str(_("Antwoorden op het re-integratieplan")),
            [str(_("aantal"))],
            [
                str(_("aanvaard")),
                *[str(_("geweigerd: %s")) % v for v in rf.REFUSAL_REASONS.values()],
                str(_("geweigerd: reden niet geregistreerd")),
            ],
            str(_("Antwoorden van de medewerker op een plan, in het jaar.")),
            col_total=True,
        )
    )
    f.table(
        Spec(
            "visits",
            str(_("Bezoeken voorafgaand aan de werkhervatting")),
            [str(_("aantal"))],
            [
                str(_("gevraagd door de medewerker")),
                str(_("gevraagd door de werkgever")),
                str(_("gevraagd, aanvrager niet geregistreerd")),
                str(_("bezoek gebeurd")),
            ],
            str(_("Vragen om een bezoek en gehouden bezoeken, met datum in het jaar.")),
        )
    )
    for r in formal_rows:
        e, kind = r["entity_id"], r["type"]
        for tag in ("cur", "prev"):
            n = r[tag]
            if kind == "assessment" and r["decision"] in decisions:
                f.add("decisions", e, tag, decisions.index(r["decision"]), 0, n)
            elif kind == "appeal":
                f.add("appeals", e, tag, 0, 0, n)
            elif kind == "appeal_outcome" and r["decision"] in decisions:
                f.add("appeals", e, tag, 1 + decisions.index(r["decision"]), 0, n)
            elif kind == "plan":
                f.add("plans_reports", e, tag, 0, 0, n)
            elif kind == "motivated_report":
                i = 1 + (reasons.index(r["reason"]) if r["reason"] in reasons else len(reasons))
                f.add("plans_reports", e, tag, i, 0, n)
            elif kind == "employee_answer" and r["accepted"] is not None:
                if r["accepted"]:
                    i = 0
                else:
                    i = 1 + (
                        refusals.index(r["reason"]) if r["reason"] in refusals else len(refusals)
                    )
                f.add("answers", e, tag, i, 0, n)
            elif kind == "visit_before_return_requested":
                i = {"employee": 0, "employer": 1}.get(r["by"], 2)
                f.add("visits", e, tag, i, 0, n)
            elif kind == "visit_before_return_held":
                f.add("visits", e, tag, 3, 0, n)

    # 13b. The formal terms and the cycles ended by ignored invitations, by the rules engine's
    # notions (_formal_terms), from the formal cycle's events of the trajectories that can have
    # a term in the two years: one query, the terms in Python (both engines alike).
    f.table(
        Spec(
            "formal_terms",
            str(_("Termijnen van het formele traject")),
            [str(_("op tijd")), str(_("te laat of niet"))],
            [
                str(_("re-integratiebeoordeling (49 dagen na het verzoek)")),
                str(_("plan of gemotiveerd verslag na beslissing A (63 dagen)")),
                str(_("plan of gemotiveerd verslag na beslissing B (6 maanden)")),
                str(_("antwoord van de medewerker op het plan (14 dagen)")),
            ],
            str(
                _(
                    "Termijnen die in het jaar afliepen (vóór de dag van het rapport), zoals de "
                    "regelmotor ze berekent, volgens de wet op de datum van het verzoek. Op tijd: "
                    "de stap is geregistreerd op of vóór de laatste dag van de termijn. Niet "
                    "meegeteld: een termijn van een traject dat vóór het einde ervan afgesloten "
                    "of door een nieuw verzoek vervangen werd, de plantermijn tijdens een beroep, "
                    "de beoordeling van een traject dat eindigde omdat uitnodigingen "
                    "onbeantwoord bleven."
                )
            ),
            row_total=True,
            chart=False,
        )
    )
    f.table(
        Spec(
            "formal_no_show",
            str(_("Formele trajecten beëindigd: uitnodigingen niet beantwoord")),
            [str(_("aantal"))],
            [str(_("trajecten"))],
            str(
                _(
                    "Formele trajecten waarin de medewerker niet inging op het vereiste aantal "
                    "uitnodigingen van de arbeidsarts (3, telkens minstens 14 dagen uit elkaar), "
                    "geteld in het jaar van de laatste uitnodiging."
                )
            ),
            chart=False,
        )
    )
    # The event's organisation is its trajectory's: on PostgreSQL named on both sides so that
    # both read a covering index (docs/performance.md). Not on SQLite: its planner would then
    # start from the trajectories and read the organisation's events once per trajectory
    # (4 s instead of 0.16 s on a 12,000-employee generation).
    same_organisation = (
        {"trajectory__organisation_id": org} if connection.vendor == "postgresql" else {}
    )
    cycle_events = (
        events.filter(
            type__in=FORMAL_CYCLE_EVENTS,
            trajectory__formal_requested_on__lte=y1,
            **same_organisation,
        )
        .filter(Q(trajectory__closed_on__isnull=True) | Q(trajectory__closed_on__gte=p0))
        .values_list(
            "trajectory_id",
            "entity_id",
            "trajectory__started_on",
            "trajectory__closed_on",
            "type",
            "date",
            "decision",
            "attended",
            "pk",
        )
        .order_by()  # sorted per trajectory below: no sort of every row in the database
    )
    terms_row = {kind: i for i, kind in enumerate(FORMAL_TERMS)}
    # Per trajectory: its entity, start and closure, and its events by type, each type's
    # sorted by date, then as entered (the id).
    by_trajectory: dict[int, tuple] = {}
    for tid, e, started, closed, kind, day, decision, attended, pk in _rows(cycle_events):
        head = by_trajectory.get(tid)
        if head is None:
            head = by_trajectory[tid] = (e, started, closed, {})
        of_type = head[3].get(kind)
        if of_type is None:
            head[3][kind] = [(day, pk, decision, attended)]
        else:
            of_type.append((day, pk, decision, attended))
    for e, started, closed, by_type in by_trajectory.values():
        for rows_ in by_type.values():
            rows_.sort()
        for out in _cycle_terms(by_type, started, closed):
            day = out[2] if out[0] == "term" else out[1]
            if not p0 <= day <= y1 or (out[0] == "term" and day >= today):
                continue
            tag = "cur" if day >= y0 else "prev"
            if out[0] == "no_show":
                f.add("formal_no_show", e, tag, 0, 0, 1)
            else:
                on_time = out[3] is not None and out[3] <= out[2]
                f.add("formal_terms", e, tag, terms_row[out[1]], 0 if on_time else 1, 1)

    # 14. Steps taken in plans, 15-16. support measures and welfare actors used: by the day
    # each plan (version) was delivered, step plans apart from formal re-integration plans.
    plans = Plan.objects.filter(organisation_id=org, delivered_on__range=(p0, y1)).annotate(
        cur=_in_year("delivered_on", y0)
    )
    step_fields = ["workplace_adaptations", "adapted_work", "other_work", "training"]
    counts = {"n": Count("trajectory", distinct=True)}
    for name in step_fields:
        counts[name] = Count("trajectory", distinct=True, filter=Q(**{f"has_{name}": True}))
    f.table(
        Spec(
            "steps",
            str(_("Stappen in plannen")),
            [str(_("stappenplan (informeel)")), str(_("re-integratieplan (formeel)"))],
            [
                str(_("trajecten met een plan")),
                str(_("aanpassingen van de werkplek")),
                str(_("aangepast werk")),
                str(_("ander werk")),
                str(_("opleiding")),
            ],
            str(
                _(
                    "Trajecten met een (versie van een) plan bezorgd in het jaar, en hoeveel "
                    "daarvan elke soort stap bevatten (een plan kan er meerdere bevatten). "
                    "Stappenplannen en formele re-integratieplannen apart."
                )
            ),
        )
    )
    for r in _per_year(
        _dicts(plans.values("entity_id", "formal", "cur").annotate(**counts).order_by()), counts
    ):
        c = 1 if r["formal"] else 0
        for tag in ("cur", "prev"):
            f.add("steps", r["entity_id"], tag, 0, c, r[tag])
            for i, name in enumerate(step_fields, start=1):
                f.add("steps", r["entity_id"], tag, i, c, r[f"{tag}_{name}"])
    for key, rel, title in (
        ("support_measures", "support_measures", _("Ondersteuningsmaatregelen ingezet")),
        ("welfare_actors", "welfare_actors", _("Welzijnsactoren betrokken")),
    ):
        name = f"{rel}__name"
        counts = {"n": Count("trajectory", distinct=True)}
        rows = _per_year(
            _dicts(
                plans.filter(**{f"{rel}__isnull": False})
                .values("entity_id", name, "cur")
                .annotate(**counts)
                .order_by(name)
            ),
            counts,
        )
        names = list(dict.fromkeys(r[name] for r in rows))  # the database's order
        f.table(
            Spec(
                key,
                str(title),
                [str(_("trajecten"))],
                names,
                str(
                    _(
                        "Trajecten met een plan bezorgd in het jaar waarin deze maatregel of "
                        "actor staat."
                    )
                ),
            )
        )
        for r in rows:
            for tag in ("cur", "prev"):
                f.add(key, r["entity_id"], tag, names.index(r[name]), 0, r[tag])
    return f, extra
