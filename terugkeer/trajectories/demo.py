"""Demo trajectories in every phase, dated relative to today (some overdue on purpose)."""

import random
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from terugkeer.organisations.models import Employee
from terugkeer.trajectories.models import (
    Absence,
    Event,
    Plan,
    PlanStep,
    Trajectory,
    placed_in,
)
from terugkeer.trajectories.services import trajectories_refresh


def _e(type_, day, **fields):
    return (type_, day, fields)


# Each scenario: (days since the absence started, events as (type, day offset, fields), open end)
SCENARIOS = {
    "contact": lambda: (random.randint(29, 40), [_e("contact", 3, channel="call", by="manager")]),
    "conversation_overdue": lambda: (
        random.randint(65, 100),
        [
            _e("contact", 5, channel="card", by="manager"),
            _e("contact", 30, channel="call", by="manager"),
            _e("four_week_list", 29),
        ],
    ),
    "not_yet": lambda: (
        random.randint(45, 80),
        [
            _e("contact", 4, channel="call", by="manager"),
            _e("four_week_list", 29),
            _e("conversation", 40, outcome="not_yet"),
        ],
    ),
    "attention": lambda: (
        random.randint(60, 110),
        [
            _e("contact", 4, channel="visit", by="manager"),
            _e("four_week_list", 29),
            _e("physician_information", 33),
            _e("conversation", 45, outcome="attention"),
        ],
    ),
    "possible": lambda: (
        random.randint(50, 90),
        [
            _e("contact", 6, channel="call", by="manager"),
            _e("four_week_list", 29),
            _e("conversation", 35, outcome="possible"),
            _e("agreements", 42),
        ],
    ),
    "formal_required": lambda: (
        random.randint(125, 160),
        [_e("contact", 10, channel="mail", by="coach"), _e("four_week_list", 29)],
    ),
    "formal_A": lambda: (
        random.randint(150, 200),
        [
            _e("contact", 5, channel="call", by="manager"),
            _e("four_week_list", 29),
            _e("conversation", 50, outcome="attention"),
            _e("formal_request", 100, by="employer"),
            _e("invitation", 110, attended=True),
            _e("assessment", 135, decision="A"),
        ],
    ),
    "formal_B_appeal": lambda: (
        random.randint(170, 220),
        [
            _e("contact", 5, channel="call", by="manager"),
            _e("four_week_list", 29),
            _e("conversation", 50, outcome="not_yet"),
            _e("formal_request", 95, by="employee"),
            _e("assessment", 130, decision="B"),
            _e("appeal", 140),
        ],
    ),
    "returned": lambda: (
        random.randint(90, 150),
        [
            _e("contact", 5, channel="call", by="manager"),
            _e("four_week_list", 29),
            _e("conversation", random.choice([30, 40, 45, 55, 70, 85]), outcome="attention"),
            *_step_plan_and_return(random.randint(88, 100), random.randint(105, 140)),
        ],
    ),
    # Closed trajectories only (with a closure 91 days after the return): the formal path of a
    # year or two ago, so the yearly reports of the demo have formal figures too.
    "formal_returned": lambda: (
        random.randint(290, 330),
        [
            _e("contact", 5, channel="call", by="manager"),
            _e("four_week_list", 29),
            _e("conversation", 50, outcome="attention"),
            _e(
                "formal_request",
                90,
                by=random.choices(
                    ["employer", "employee", "physician", "insurer"], weights=[55, 30, 8, 7]
                )[0],
            ),
            _e("invitation", 100, attended=True),
            *(path := _assessment_to_answer()),
            *(
                [
                    _e(
                        "visit_before_return_requested",
                        175,
                        by=random.choice(["employee", "employer"]),
                    ),
                    _e("visit_before_return_held", 182),
                ]
                if random.random() < 0.4
                else []
            ),
            _return(max(random.randint(220, 240), path[-1][1] + 10), formal=True),
        ],
    ),
}


def _assessment_to_answer():
    """Assessment (mostly within the 49 days of the request on day 90, now and then later),
    an appeal against some B decisions, the plan (mostly within the 63 days) and the answer."""
    day = random.choice([120, 125, 125, 130, 135, 145])
    events = _assessment_and_appeal(day)
    events += _plan_and_answer(max(d for _t, d, _f in events) + random.choice([25, 30, 35, 70]))
    return events


def _plan_and_answer(day: int):
    """The plan and the employee's answer: mostly within the 14 days, now and then later, and
    sometimes a refusal first."""
    if random.random() < 0.85:
        return [
            _e("plan", day),
            _e("employee_answer", day + random.choice([6, 10, 12, 20]), accepted=True),
        ]
    return [
        _e("plan", day),
        _e("employee_answer", day + 12, accepted=False, reason="conditions"),
        _e("employee_answer", day + 25, accepted=True),
    ]


def _assessment_and_appeal(day: int):
    decision = random.choice(["A", "A", "A", "B"])
    events = [_e("assessment", day, decision=decision)]
    if decision == "B" and random.random() < 0.5:
        events += [_e("appeal", day + 12), _e("appeal_outcome", day + 30, decision="A")]
    return events


def _return(day: int, *, formal: bool = False):
    """A return to work with a believable type and percentage."""
    if formal:
        kind = random.choice(["adapted", "adapted", "other_work", "other_unit", "progressive"])
    else:
        kind = random.choices(
            ["full", "progressive", "adapted", "other_work"], weights=[35, 45, 15, 5]
        )[0]
    if kind == "full":
        percentage = 100
    elif kind == "progressive":
        percentage = random.choice([50, 50, 60, 70, 80])
    else:
        percentage = random.choice([50, 60, 70, 80, 100, 100])
    return _e("return_to_work", day, return_type=kind, percentage=percentage)


def _step_plan_and_return(plan_day: int, return_day: int):
    back = _return(return_day)
    return [_e("step_plan", plan_day, percentage=back[2]["percentage"]), back]


PHASE_MIX = [
    "contact",
    "contact",
    "conversation_overdue",
    "not_yet",
    "attention",
    "possible",
    "formal_required",
    "formal_A",
    "formal_B_appeal",
    "returned",
    "returned",
]
SETBACK_OUTCOMES = ["medical_force_majeure", "other_job_inside", "leaving", "other"]
CLOSED_OUTCOMES = ["sustainable_return"] * 6 + [
    "other_job_inside",
    "leaving",
    "medical_pension",
    "retirement",
    "other",
]


def _days(day, offset):
    return day + timedelta(days=offset)


@transaction.atomic
def demo_trajectories(organisations, *, progress=print, per_entity=(4, 9)) -> int:
    """Create trajectories for a sample of employees of every entity; returns how many."""
    today = timezone.localdate()
    created = []
    employees = list(
        Employee.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("pk")
    )
    by_entity: dict[int, list[Employee]] = {}
    for employee in employees:
        by_entity.setdefault(employee.entity_id, []).append(employee)
    for people in by_entity.values():
        # The first team of each entity (where the demo manager works) always gets cases.
        sample = people[: 2 * len(PHASE_MIX) : 2] if len(people) > 40 else people[:5]
        sample += random.sample(people[40:], min(len(people[40:]), random.randint(*per_entity)))
        for i, employee in enumerate(sample):
            closed = i >= len(PHASE_MIX) and random.random() < 0.5
            scenario = PHASE_MIX[i % len(PHASE_MIX)]
            if closed:
                scenario = random.choice(["returned", "returned", "formal_returned"])
            age, events = SCENARIOS[scenario]()
            if closed:
                # Spread over the last three years: the yearly report compares two.
                age += random.randint(120, 900)
            start = today - timedelta(days=age)
            created.append(_build(employee, start, events, closed, today))
    # Fresh planner statistics after the bulk load (PostgreSQL plans the refresh's per-batch
    # queries on empty-table estimates otherwise), then the refresh in batches.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Employee, Trajectory, Event, Absence, Plan):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    trajectories_refresh([t.pk for t in created], on=today)
    progress(f"  {len(created)} trajecten aangemaakt.")
    return len(created)


STEP_TEXTS = {
    "workplace_adaptations": [
        "Verstelbaar bureau en scherm",
        "Rustige werkplek",
        "Thuiswerk 2 dagen",
    ],
    "adapted_work": ["Halftijds starten, opbouw over 8 weken.", "Geen loketwerk de eerste maand."],
    "other_work": ["Administratieve taken in de dienst planning."],
    "training": ["Opleiding nieuwe software", "Coaching on the job"],
}


def _plan(trajectory, employee, row, *, formal: bool) -> None:
    """A step plan or formal plan with some of the four kinds of steps, support measures and
    welfare actors of the organisation's catalogue, delivered on the event's date."""
    from terugkeer.toolbox.models import SupportMeasure, WelfareActor

    chance = {
        "workplace_adaptations": 0.4,
        "adapted_work": 0.7,
        "other_work": 0.15,
        "training": 0.3,
    }
    if formal:
        chance.update(other_work=0.4, workplace_adaptations=0.6)
    texts = {
        k: random.choice(v) if random.random() < chance[k] else "" for k, v in STEP_TEXTS.items()
    }
    if not any(texts.values()):
        texts["adapted_work"] = STEP_TEXTS["adapted_work"][0]
    plan = Plan.objects.create(
        **placed_in(trajectory),
        number=1,
        formal=formal,
        delivered_on=row.date,
        work_percentage=row.percentage,
        **texts,
    )
    PlanStep.objects.bulk_create(
        [
            PlanStep(
                plan=plan,
                order=0,
                description="Verkennend gesprek met het team",
                owner="leidinggevende",
                due=row.date + timedelta(days=7),
            ),
            PlanStep(
                plan=plan,
                order=1,
                description="Start op het afgesproken percentage",
                owner="medewerker",
                due=row.date + timedelta(days=20),
            ),
        ]
    )
    measures = list(SupportMeasure.objects.filter(organisation_id=employee.organisation_id))
    actors = list(WelfareActor.objects.filter(organisation_id=employee.organisation_id))
    if measures and random.random() < 0.5:
        plan.support_measures.set(random.sample(measures, random.randint(1, min(2, len(measures)))))
    if actors and random.random() < 0.4:
        plan.welfare_actors.set(random.sample(actors, 1))


def _build(employee, start: date, events, closed: bool, today: date) -> Trajectory:
    returned = next((d for t, d, _f in events if t == "return_to_work"), None)
    if not closed and returned is None and random.random() < 0.9:
        # Most coaches keep up: a recent contact and the physician's information, so that
        # only some trajectories are overdue, as in real life.
        age = (today - start).days
        events = [*events, _e("contact", age - random.randint(1, 10), channel="call", by="manager")]
        done = {t for t, _d, _f in events}
        if age > 30 and "four_week_list" not in done:
            events.append(_e("four_week_list", 29))
        if age > 35 and "physician_information" not in done:
            events.append(_e("physician_information", 33))
        if age > 56 and "work_potential_request" not in done:
            events.append(_e("work_potential_request", 56))
        if "conversation" not in done and age > 61 and random.random() < 0.6:
            # Most managers hold the conversation within the two months after all.
            next_on = today + timedelta(days=random.randint(3, 25))
            events.append(
                _e("conversation", random.randint(35, 55), outcome="not_yet", next_date=next_on)
            )
        not_yet = any(t == "conversation" and f.get("outcome") == "not_yet" for t, _d, f in events)
        if not_yet and age > 75 and random.random() < 0.7:
            # The next conversation after "not yet possible" was held too.
            events.append(_e("conversation", age - random.randint(2, 12), outcome="not_yet"))
        if age > 70 and "work_potential_result" not in done:
            events.append(_e("work_potential_result", 68, result="found"))
        if age > 180 and "appeal" in done and "appeal_outcome" not in done:
            events.append(_e("appeal_outcome", 178, decision="B"))
        events.sort(key=lambda e: e[1])
    elif not closed and returned is not None and random.random() < 0.75:
        age = (today - start).days
        if age > returned + 20:
            events = [*events, _e("follow_up", returned + 14)]
        if age > returned + 48:
            events = [*events, _e("follow_up", returned + 42)]
    trajectory = Trajectory.objects.create(
        employee=employee,
        organisation=employee.organisation,
        entity_id=employee.entity_id,
        absence_start=start,
        started_on=start,
        lead=Trajectory.Lead.MANAGER,
    )
    Absence.objects.create(
        employee=employee,
        entity_id=employee.entity_id,
        first_day=start,
        end_day=_days(start, returned - 1) if returned else None,
        trajectory=trajectory,
    )
    rows = [Event(**placed_in(trajectory), type=t, date=_days(start, d), **f) for t, d, f in events]
    if closed:
        back = _days(start, returned)
        setback = random.random()
        if setback < 0.15:
            # Absent again within 3 months of the return (a setback for the sustainable return).
            again = back + timedelta(days=random.randint(20, 80))
        elif setback < 0.25:
            again = back + timedelta(days=random.randint(100, 170))  # within 6 months
        else:
            again = None
        if again is not None and again < today:
            Absence.objects.create(
                employee=employee,
                entity_id=employee.entity_id,
                first_day=again,
                end_day=again + timedelta(days=random.randint(5, 20)),
            )
        if random.random() < 0.2:
            # An earlier long absence of the same employee, a year before.
            earlier = start - timedelta(days=random.randint(250, 400))
            Absence.objects.create(
                employee=employee,
                entity_id=employee.entity_id,
                first_day=earlier,
                end_day=earlier + timedelta(days=random.randint(30, 70)),
            )
        outcome = random.choice(CLOSED_OUTCOMES)
        if again is not None and setback < 0.15:
            outcome = random.choice(SETBACK_OUTCOMES)
        rows += [
            Event(**placed_in(trajectory), type="follow_up", date=back + timedelta(days=14)),
            Event(**placed_in(trajectory), type="follow_up", date=back + timedelta(days=42)),
            Event(
                **placed_in(trajectory),
                type="closure",
                date=back + timedelta(days=91),
                outcome=outcome,
            ),
        ]
    Event.objects.bulk_create(rows)
    updates = {}
    for row in rows:
        if row.type == "conversation" and row.outcome == "attention":
            updates["lead"] = Trajectory.Lead.COACH
        if row.type == "formal_request":
            updates.update(is_formal=True, formal_requested_by=row.by, lead=Trajectory.Lead.COACH)
        if row.type == "closure":
            updates.update(closed_on=row.date, closure_outcome=row.outcome)
        if row.type in ("step_plan", "plan"):
            _plan(trajectory, employee, row, formal=row.type == "plan")
    if updates:
        Trajectory.objects.filter(pk=trajectory.pk).update(**updates)
    return trajectory
