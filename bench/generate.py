"""Fill a database with a synthetic organisation for the report benchmark.

    DATABASE_URL=postgresql://... .venv/bin/python bench/generate.py [--employees 250000]
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/generate.py --employees 20000

Runs the migrations, then writes one organisation "Vlaamse overheid (bench)" with 8 policy
domains x 6 entities x 10 teams, the employees, about 4 absences per employee over 2021-2026
(1,000,000 for 250,000 employees), a trajectory for every long absence (about 200,000) with its
events (contact, conversation, step plan, formal request, assessment, plan or motivated report,
answer, return, relapse, closure) and plans with support measures and welfare actors. Rows go in
with COPY on PostgreSQL and executemany on SQLite; ids are assigned here and the sequences reset
afterwards. Deterministic (seeded). Nothing here is a real person.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terugkeer.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from terugkeer.organisations.models import Employee, Organisation, Unit  # noqa: E402
from terugkeer.rules.calendar import add_months  # noqa: E402
from terugkeer.toolbox.models import SupportMeasure, WelfareActor  # noqa: E402
from terugkeer.trajectories.models import Absence, Event, Plan, Trajectory  # noqa: E402

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
FIRST = date(2021, 1, 1)
LAST = date(2026, 11, 1)
SPAN = (LAST - FIRST).days


class Writer:
    """Bulk insert of plain rows for a model, with explicit ids; COPY on PostgreSQL."""

    def __init__(self, model):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if not f.generated]
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                self.defaults[f.column] = NOW
            elif f.has_default():
                self.defaults[f.column] = f.get_default()
            elif f.null:
                self.defaults[f.column] = None
            elif f.get_internal_type() in ("CharField", "TextField", "EmailField"):
                self.defaults[f.column] = ""
        with connection.cursor() as c:
            c.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.table}")  # noqa: S608
            self.next_id = c.fetchone()[0] + 1
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, **values) -> int:
        pk = self.next_id
        self.next_id += 1
        values["id"] = pk
        row = []
        for col in self.columns:
            if col in values:
                row.append(values[col])
            else:
                row.append(self.defaults[col])
        self.rows.append(tuple(row))
        if len(self.rows) >= 50_000:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        cols = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as c:
            if connection.vendor == "postgresql":
                raw = c.cursor
                with raw.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:  # noqa: S608
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                c.executemany(
                    f"INSERT INTO {self.table} ({cols}) VALUES ({marks})",  # noqa: S608
                    [tuple(_sqlite(v) for v in r) for r in self.rows],
                )
        self.count += len(self.rows)
        self.rows = []

    def reset_sequence(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute(
                    f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {self.table}))"
                )


def _sqlite(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, datetime | date):
        return v.isoformat(sep=" ") if isinstance(v, datetime) else v.isoformat()
    if isinstance(v, list | dict):
        import json

        return json.dumps(v)
    return v


def progress(label: str, done: int, total: int, t0: float) -> None:
    print(f"\r  {label}: {done:>9,}/{total:,}  ({time.perf_counter() - t0:5.1f} s)", end="")
    sys.stdout.flush()


def build_units(org):
    units = []
    for d in range(8):
        domain = Unit.objects.create(
            organisation=org, name=f"Beleidsdomein {d + 1}", code=f"BD{d + 1}", kind="policy_domain"
        )
        domain.policy_domain = domain
        domain.save(update_fields=["policy_domain"])
        for e in range(6):
            entity = Unit.objects.create(
                organisation=org,
                parent=domain,
                name=f"{'Departement' if e == 0 else 'Agentschap'} {d + 1}.{e + 1}",
                code=f"E{d + 1}.{e + 1}",
                kind="department" if e == 0 else "agency",
                is_entity=True,
                policy_domain=domain,
            )
            entity.entity = entity
            entity.save(update_fields=["entity"])
            for t in range(10):
                team = Unit.objects.create(
                    organisation=org,
                    parent=entity,
                    name=f"Team {d + 1}.{e + 1}.{t + 1}",
                    code=f"T{d + 1}.{e + 1}.{t + 1}",
                    kind="team",
                    entity=entity,
                    policy_domain=domain,
                )
                units.append(team)
    return units


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--employees", type=int, default=250_000)
    ap.add_argument("--absences-per-employee", type=float, default=4.0)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    t_all = time.perf_counter()
    name = "Vlaamse overheid (bench)"
    if Organisation.objects.filter(name=name).exists():
        print(f"{name} exists already; use an empty database.")
        return
    with transaction.atomic():
        org = Organisation.objects.create(name=name, short_name="VO-bench", kind="vo")
        teams = build_units(org)
        measures = [
            SupportMeasure.objects.create(organisation=org, name=n, category=c).pk
            for n, c in [
                ("Individueel maatwerk (IMW)", "vdab"),
                ("Jobcoach", "vdab"),
                ("Terugbetaling aanpassing werkpost", "vdab"),
                ("Tolk", "vdab"),
                ("Terug-naar-werk-coördinator", "extra"),
                ("Jobcrafting", "preventive"),
            ]
        ]
        actors = [
            WelfareActor.objects.create(organisation=org, name=n).pk
            for n in [
                "Adviseurs re-integratie",
                "Sociale dienst",
                "Preventieadviseur ergonomie",
                "Preventieadviseur psychosociale aspecten",
                "Arbeidsarts",
                "Veerkrachtcoaches",
            ]
        ]

        emp_w = Writer(Employee)
        abs_w = Writer(Absence)
        tr_w = Writer(Trajectory)
        ev_w = Writer(Event)
        plan_w = Writer(Plan)
        sm_through = Plan.support_measures.through
        wa_through = Plan.welfare_actors.through
        sm_w = Writer(sm_through)
        wa_w = Writer(wa_through)

        n = args.employees
        t0 = time.perf_counter()
        employees = []
        for i in range(n):
            team = teams[i % len(teams)]
            pk = emp_w.add(
                organisation_id=org.pk,
                personnel_number=f"B{i:07d}",
                first_name="Voornaam",
                last_name=f"Naam{i:07d}",
                unit_id=team.pk,
                entity_id=team.entity_id,
                statute="statutair" if rng.random() < 0.6 else "contractueel",
                work_regime=rng.choice([100, 100, 100, 80, 50]),
                active=True,
                anonymised=False,
            )
            employees.append((pk, team.entity_id))
            if i % 25_000 == 0:
                progress("employees", i, n, t0)
        emp_w.flush()
        progress("employees", n, n, t0)
        print()

        t0 = time.perf_counter()
        total_abs = int(n * args.absences_per_employee)
        made = 0
        for k, (emp_id, entity_id) in enumerate(employees):
            count = max(0, round(rng.gauss(args.absences_per_employee + 0.4, 1.5)))
            day = rng.randrange(0, 200)
            pending = None  # the return to work of the employee's last trajectory
            for _j in range(count):
                if made >= total_abs or day > SPAN - 30:
                    break
                first = FIRST + timedelta(days=day)
                if pending:
                    write_return(ev_w, pending, first)
                    pending = None
                long = rng.random() < 0.2
                length = rng.randrange(29, 400) if long else rng.randrange(1, 20)
                end = first + timedelta(days=length - 1)
                open_ = long and end > LAST
                traj_id = None
                if long:
                    traj_id, pending = make_trajectory(
                        rng,
                        tr_w,
                        ev_w,
                        plan_w,
                        sm_w,
                        wa_w,
                        measures,
                        actors,
                        org.pk,
                        emp_id,
                        entity_id,
                        first,
                        None if open_ else end,
                    )
                abs_w.add(
                    employee_id=emp_id,
                    entity_id=entity_id,
                    first_day=first,
                    end_day=None if open_ else end,
                    trajectory_id=traj_id,
                    created_at=NOW,
                )
                made += 1
                day += length + rng.randrange(20, 500)
            if pending:
                write_return(ev_w, pending, None)
            if k % 5_000 == 0:
                progress(
                    f"absences (trajectories {tr_w.count + len(tr_w.rows):,}, events "
                    f"{ev_w.count + len(ev_w.rows):,})",
                    made,
                    total_abs,
                    t0,
                )
        for w in (abs_w, tr_w, ev_w, plan_w, sm_w, wa_w):
            w.flush()
        progress(
            f"absences (trajectories {tr_w.count:,}, events {ev_w.count:,})", made, total_abs, t0
        )
        print()
        for w in (emp_w, abs_w, tr_w, ev_w, plan_w, sm_w, wa_w):
            w.reset_sequence()
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")
    print(
        f"done in {time.perf_counter() - t_all:.0f} s: {emp_w.count:,} employees, "
        f"{abs_w.count:,} absences, {tr_w.count:,} trajectories, {ev_w.count:,} events, "
        f"{plan_w.count:,} plans"
    )


def write_return(ev_w, pending, next_absence: date | None) -> None:
    """Write a return to work once the employee's next absence is known, with its setback
    columns as trajectories.services.milestones_refresh would compute them."""
    tid, place, day, fields, relapse = pending
    after = [x for x in (relapse, next_absence) if x is not None and x > day]
    nxt = min(after, default=None)
    ev_w.add(
        trajectory_id=tid,
        **place,
        type="return_to_work",
        date=day,
        created_at=NOW,
        setback_3m=nxt is not None and nxt <= add_months(day, 3),
        setback_6m=nxt is not None and nxt <= add_months(day, 6),
        **fields,
    )


def make_trajectory(
    rng, tr_w, ev_w, plan_w, sm_w, wa_w, measures, actors, org_id, emp_id, entity_id, first, end
):
    """One trajectory with a plausible series of events; returns its id and its return to work
    (written by the caller once the next absence is known, or None), with the milestone
    columns filled as trajectories.services.milestones_refresh would."""
    d = lambda days: first + timedelta(days=days)  # noqa: E731
    horizon = end or LAST
    formal = rng.random() < 0.12
    events = []
    events.append(("contact", d(rng.randrange(1, 20)), {"channel": "call"}))
    conv_day = rng.randrange(14, 110)
    outcome = rng.choices(["not_yet", "possible", "attention"], [30, 40, 30])[0]
    if d(conv_day) <= horizon:
        events.append(("conversation", d(conv_day), {"outcome": outcome}))
        if outcome == "attention" and rng.random() < 0.8:
            events.append(("step_plan", d(conv_day + rng.randrange(10, 90)), {}))
    requested_by = ""
    if formal:
        requested_by = rng.choices(["employee", "employer", "physician"], [12, 85, 3])[0]
        fr = conv_day + rng.randrange(10, 60)
        events.append(("formal_request", d(fr), {"by": requested_by}))
        decision = rng.choices(["A", "B", "C"], [50, 35, 15])[0]
        events.append(("assessment", d(fr + rng.randrange(20, 49)), {"decision": decision}))
        if decision != "C":
            if rng.random() < 0.75:
                events.append(("plan", d(fr + rng.randrange(60, 110)), {}))
                accepted = rng.random() < 0.8
                events.append(
                    (
                        "employee_answer",
                        d(fr + rng.randrange(111, 125)),
                        {
                            "accepted": accepted,
                            "reason": ""
                            if accepted
                            else rng.choice(["health", "work_content", "conditions", "other"]),
                        },
                    )
                )
            else:
                events.append(
                    (
                        "motivated_report",
                        d(fr + rng.randrange(60, 110)),
                        {
                            "reason": rng.choice(
                                [
                                    "technically_impossible",
                                    "objectively_impossible",
                                    "not_reasonable",
                                    "no_adapted_work",
                                ]
                            )
                        },
                    )
                )
    closed_on = outcome_code = None
    if end is not None:
        rtype = rng.choices(
            ["full", "progressive", "adapted", "other_work", "other_unit"], [50, 30, 10, 5, 5]
        )[0]
        pct = rng.choice([50, 60, 70, 80]) if rtype == "progressive" else 100
        events.append(
            ("return_to_work", end + timedelta(days=1), {"return_type": rtype, "percentage": pct})
        )
        if rng.random() < 0.1:
            events.append(("relapse", end + timedelta(days=rng.randrange(10, 200)), {}))
        close = end + timedelta(days=rng.randrange(30, 200))
        if close <= LAST:
            closed_on = close
            outcome_code = rng.choices(
                [
                    "sustainable_return",
                    "other_job_inside",
                    "leaving",
                    "medical_pension",
                    "retirement",
                    "other",
                ],
                [70, 10, 8, 4, 4, 4],
            )[0]
            events.append(("closure", close, {"outcome": outcome_code}))
    events = [e for e in events if e[1] <= LAST]

    def first_of(type_, outcome=None):
        days = [
            e[1]
            for e in events
            if e[0] == type_ and (outcome is None or e[2].get("outcome") == outcome)
        ]
        return min(days, default=None)

    phase = "closed" if closed_on else ("formal" if formal else "contact")
    tid = tr_w.add(
        employee_id=emp_id,
        organisation_id=org_id,
        entity_id=entity_id,
        kind="reactive",
        is_formal=formal,
        formal_requested_by=requested_by,
        absence_start=first,
        started_on=first + timedelta(days=rng.randrange(0, 10)),
        lead="coach" if rng.random() < 0.4 else "manager",
        phase=phase,
        closed_on=closed_on,
        closure_outcome=outcome_code or "",
        law_version="rit3" if first.year >= 2026 else "rit2",
        first_contact_on=first_of("contact"),
        first_conversation_on=first_of("conversation"),
        first_attention_on=first_of("conversation", "attention"),
        step_plan_on=first_of("step_plan"),
        returned_on=first_of("return_to_work"),
        formal_requested_on=first_of("formal_request"),
        created_at=NOW,
        updated_at=NOW,
    )
    pending = None
    place = {"organisation_id": org_id, "entity_id": entity_id}  # as models.placed_in
    for type_, day, fields in events:
        if type_ == "return_to_work":  # one per trajectory here
            pending = (tid, place, day, fields, first_of("relapse"))
            continue
        ev_w.add(trajectory_id=tid, **place, type=type_, date=day, created_at=NOW, **fields)
    if rng.random() < 0.35:
        made = datetime.combine(
            first + timedelta(days=rng.randrange(40, 150)),
            datetime.min.time(),
            tzinfo=UTC,
        )
        pid = plan_w.add(
            trajectory_id=tid,
            **place,
            number=1,
            formal=formal,
            delivered_on=made.date(),
            work_percentage=rng.choice([50, 60, 70, 80, 100]),
            workplace_adaptations="Aanpassing" if rng.random() < 0.4 else "",
            adapted_work="Aangepast werk" if rng.random() < 0.3 else "",
            other_work="Ander werk" if rng.random() < 0.1 else "",
            training="Opleiding" if rng.random() < 0.2 else "",
            review_dates=[],
            created_at=made,
        )
        for m in rng.sample(measures, rng.randrange(0, 3)):
            sm_w.add(plan_id=pid, supportmeasure_id=m)
        for a in rng.sample(actors, rng.randrange(0, 3)):
            wa_w.add(plan_id=pid, welfareactor_id=a)
    return tid, pending


if __name__ == "__main__":
    main()
