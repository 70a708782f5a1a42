"""Day-by-day walk-throughs of whole trajectories, under RIT 2.0 and RIT 3.0.

Every scenario holds all its events up front; the engine ignores events after ``today``, so
evaluating day by day replays the trajectory as it happened. On every day we check the
invariants (a done obligation stays done, no due date before the absence start), and on
chosen days what the coach would see.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from terugkeer.rules import (
    DONE,
    MISSED,
    NOT_APPLICABLE,
    OVERDUE,
    Facts,
    evaluate,
    next_obligation,
)

STARTS = {"RIT2.0": date(2025, 2, 3), "RIT3.0": date(2026, 2, 2)}


def ev(start: date, day: int, type_: str, **kw) -> dict:
    return {"type": type_, "date": (start + timedelta(days=day)).isoformat(), **kw}


def common(start: date, law: str) -> list[dict]:
    out = [
        ev(start, 1, "contact", channel="call", by="manager"),
        ev(start, 14, "contact", channel="card", by="manager"),
        ev(start, 27, "four_week_list"),
        ev(start, 34, "physician_information"),
    ]
    if law == "RIT3.0":
        out.append(ev(start, 56, "work_potential_request"))
        out.append(ev(start, 63, "work_potential_result", result="found"))
    return out


def scenario(name: str, start: date, law: str) -> tuple[list[dict], dict]:
    """Events and checkpoints {day: {code: status}}."""
    base = common(start, law)
    if name == "informal_attention":
        events = base + [
            ev(start, 28, "contact", channel="visit", by="coach"),
            ev(start, 40, "conversation", outcome="attention"),
            ev(start, 80, "step_plan", percentage=50),
            ev(start, 100, "return_to_work", return_type="progressive", percentage=50),
            ev(start, 113, "follow_up"),
            ev(start, 141, "follow_up"),
            ev(start, 190, "follow_up"),
            ev(start, 200, "closure", outcome="sustainable_return"),
        ]
        checks = {
            39: {"conversation_2m": "open"},
            41: {"conversation_2m": DONE, "step_plan_2m": "open"},
            81: {"step_plan_2m": DONE},
            101: {"follow_up_1": "open", "contact": NOT_APPLICABLE},
            150: {"follow_up_2": DONE},
            201: {"follow_up_3": DONE},
        }
    elif name == "informal_plain":
        events = base + [
            ev(start, 28, "contact", channel="call", by="manager"),
            ev(start, 30, "conversation", outcome="possible"),
            ev(start, 45, "agreements"),
            ev(start, 60, "return_to_work", return_type="full"),
            ev(start, 70, "follow_up"),
            ev(start, 100, "follow_up"),
            ev(start, 150, "follow_up"),
            ev(start, 160, "closure", outcome="sustainable_return"),
        ]
        checks = {
            29: {"agreements_2m": "absent"},
            31: {"agreements_2m": "open"},
            46: {"agreements_2m": DONE},
            61: {"follow_up_1": "open"},
            161: {"follow_up_3": DONE},
        }
    elif name == "formal_A":
        events = base + [
            ev(start, 40, "conversation", outcome="not_yet"),
            ev(start, 70, "conversation", outcome="not_yet"),
            ev(start, 100, "formal_request", by="employer"),
            ev(start, 110, "invitation", attended=True),
            ev(start, 130, "assessment", decision="A"),
            ev(start, 170, "plan"),
            ev(start, 180, "employee_answer", accepted=True),
            ev(start, 190, "return_to_work", return_type="adapted", percentage=80),
            ev(start, 200, "follow_up"),
            ev(start, 230, "follow_up"),
            ev(start, 280, "follow_up"),
            ev(start, 300, "closure", outcome="sustainable_return"),
        ]
        checks = {
            41: {"conversation_next": "open"},
            71: {"conversation_next": DONE, "conversation_next.2": "open"},
            101: {"assessment": "open", "formal_request_premature": "absent"},
            131: {"assessment": DONE, "plan_after_a": "open"},
            171: {"plan_after_a": DONE, "employee_answer": "open"},
            181: {"employee_answer": DONE},
            301: {"follow_up_3": DONE},
        }
    elif name == "formal_B_appeal":
        events = base + [
            ev(start, 35, "conversation", outcome="not_yet"),
            ev(start, 60, "formal_request", by="employee"),
            ev(start, 100, "assessment", decision="B"),
            ev(start, 110, "appeal"),
            ev(start, 140, "appeal_outcome", decision="B"),
            ev(start, 300, "plan"),
            ev(start, 305, "employee_answer", accepted=True),
            ev(start, 320, "return_to_work", return_type="other_work"),
            ev(start, 420, "closure", outcome="other_job_inside"),
        ]
        checks = {
            101: {"appeal_period": "open", "plan_after_b": "open"},
            111: {"appeal_period": DONE, "appeal_decision": "open"},
            141: {"appeal_decision": DONE, "plan_after_b": "open"},
            301: {"plan_after_b": DONE, "employee_answer": "open"},
            306: {"employee_answer": DONE},
        }
    elif name == "formal_C":
        events = base + [
            ev(start, 45, "conversation", outcome="not_yet"),
            ev(start, 60, "formal_request", by="employee"),
            ev(start, 90, "assessment", decision="C"),
            ev(start, 150, "follow_up"),
            ev(start, 400, "closure", outcome="other"),
        ]
        checks = {
            91: {"decision_c": "open", "reassessment_after_c": "open", "plan_after_a": "absent"},
            151: {"reassessment_after_c": DONE},
        }
    else:  # pragma: no cover
        raise AssertionError(name)
    return events, checks


SCENARIOS = ["informal_attention", "informal_plain", "formal_A", "formal_B_appeal", "formal_C"]


def _status(obs: dict, code: str) -> str:
    return obs[code].status if code in obs else "absent"


@pytest.mark.parametrize("law", sorted(STARTS))
@pytest.mark.parametrize("name", SCENARIOS)
def test_walk_through(name, law):
    start = STARTS[law]
    events, checks = scenario(name, start, law)
    facts = Facts.from_dict(
        {
            "absence_start": start.isoformat(),
            "trajectory_start": start.isoformat(),
            "statute": "contractueel",
            "events": events,
        }
    )
    last_day = max(date.fromisoformat(e["date"]) for e in events) + timedelta(days=30)
    done: dict[str, date] = {}
    seen_force_majeure = False
    day = start
    while day <= last_day:
        obs = {o.code: o for o in evaluate(facts, None, day)}
        offset = (day - start).days
        for code, ob in obs.items():
            if ob.due is not None and not ob.signal:
                assert ob.due >= start, (offset, ob)
            if ob.status == DONE:
                done.setdefault(code, day)
        for code in done:
            if code in obs:
                assert obs[code].status == DONE, (offset, code, obs[code])
        for code, expected in checks.get(offset, {}).items():
            actual = _status(obs, code)
            if expected == "open":
                assert actual in ("open", "due_soon"), (offset, code, obs.get(code))
            else:
                assert actual == expected, (offset, code, obs.get(code))
        seen_force_majeure |= "medical_force_majeure_possible" in obs
        nxt = next_obligation(list(obs.values()))
        if nxt is not None:
            assert not nxt.signal
        day += timedelta(days=1)
    # After closure nothing is left open; a step due before the closure and not done stays
    # visible as missed.
    final = evaluate(facts, None, last_day)
    assert all(o.status in (DONE, NOT_APPLICABLE, MISSED) for o in final), [
        o for o in final if o.status not in (DONE, NOT_APPLICABLE, MISSED)
    ]
    assert all(o.due is not None and o.due < last_day for o in final if o.status == MISSED)
    if name == "formal_C":
        # After C the formal trajectory is over: force majeure may come up (6 or 9 months).
        assert seen_force_majeure
    if name == "informal_attention":
        assert "employer_may_start_formal" not in {o.code for o in final}


def test_walk_through_informal_without_any_registration_goes_overdue():
    start = STARTS["RIT3.0"]
    facts = Facts.from_dict({"absence_start": start.isoformat()})
    obs = {o.code: o for o in evaluate(facts, None, start + timedelta(days=130))}
    assert obs["conversation_2m"].status == OVERDUE
    assert obs["four_week_list"].status == OVERDUE
    assert obs["work_potential_request"].status == OVERDUE
    assert obs["formal_required_no_conversation"].signal
    assert next_obligation(list(obs.values())).code == "contact"
