"""Properties of the engine, checked on generated trajectories (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terugkeer.rules import (
    CLOSURE_OUTCOMES,
    CONVERSATION_OUTCOMES,
    DECISIONS,
    DONE,
    EVENT_TYPES,
    FORMAL_REQUESTERS,
    RETURN_TYPES,
    WORK_POTENTIAL_NOT_NEEDED_REASONS,
    WORK_POTENTIAL_RESULTS,
    Event,
    Facts,
    Policy,
    evaluate,
)

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_FIELDS = {
    "conversation": lambda: st.fixed_dictionaries(
        {"outcome": st.sampled_from(sorted(CONVERSATION_OUTCOMES))}
    ),
    "work_potential_not_needed": lambda: st.fixed_dictionaries(
        {"reason": st.sampled_from(sorted(WORK_POTENTIAL_NOT_NEEDED_REASONS))}
    ),
    "assessment": lambda: st.fixed_dictionaries({"decision": st.sampled_from(sorted(DECISIONS))}),
    "appeal_outcome": lambda: st.fixed_dictionaries(
        {"decision": st.sampled_from(sorted(DECISIONS))}
    ),
    "formal_request": lambda: st.fixed_dictionaries(
        {"by": st.sampled_from(sorted(FORMAL_REQUESTERS))}
    ),
    "work_potential_result": lambda: st.fixed_dictionaries(
        {"result": st.sampled_from(sorted(WORK_POTENTIAL_RESULTS))}
    ),
    "return_to_work": lambda: st.fixed_dictionaries(
        {"return_type": st.sampled_from(sorted(RETURN_TYPES))}
    ),
    "closure": lambda: st.fixed_dictionaries(
        {"outcome": st.sampled_from(sorted(CLOSURE_OUTCOMES))}
    ),
    "invitation": lambda: st.fixed_dictionaries({"attended": st.booleans()}),
    "employee_answer": lambda: st.fixed_dictionaries({"accepted": st.booleans()}),
    "contact_wishes": lambda: st.fixed_dictionaries(
        {"frequency_days": st.integers(1, 60), "pause": st.booleans()}
    ),
}

# Weighted towards the process events; closure rarely.
_TYPES = [t for t in EVENT_TYPES if t != "closure"] * 3 + ["closure"]


@st.composite
def events(draw, start: date, n_max: int = 14):
    out = []
    for _ in range(draw(st.integers(0, n_max))):
        t = draw(st.sampled_from(_TYPES))
        extra = draw(_FIELDS[t]()) if t in _FIELDS else {}
        d = start + timedelta(days=draw(st.integers(0, 420)))
        out.append(Event(type=t, date=d, **extra))
    return out


@st.composite
def absences(draw, start: date):
    if draw(st.booleans()):
        return []
    periods = []
    s = start
    for _ in range(draw(st.integers(1, 3))):
        length = draw(st.integers(1, 200))
        end = s + timedelta(days=length)
        periods.append({"start": s, "end": end})
        s = end + timedelta(days=draw(st.integers(1, 120)))
    if draw(st.booleans()):
        periods[-1]["end"] = None
    return periods


@st.composite
def facts_and_today(draw):
    start = date(2022, 10, 1) + timedelta(days=draw(st.integers(0, 5 * 365)))
    facts = Facts(
        absence_start=start,
        trajectory_start=start,
        statute=draw(st.sampled_from(["statutair", "contractueel"])),
        organisation_kind=draw(st.sampled_from(["vo", "local"])),
        employer_size=draw(st.sampled_from([5, 19, 20, 250])),
        absences=draw(absences(start)),
        contact_wishes=draw(
            st.none()
            | st.fixed_dictionaries(
                {"frequency_days": st.none() | st.integers(1, 60), "pause": st.booleans()}
            )
        ),
        events=draw(events(start)),
    )
    today = start + timedelta(days=draw(st.integers(0, 500)))
    return facts, today


@st.composite
def stricter_policy(draw):
    a = draw(st.integers(1, 14))
    b = draw(st.integers(a + 1, 42))
    c = draw(st.integers(b + 1, 91))
    return Policy.from_dict(
        {
            "contact_interval_days": draw(st.integers(1, 14)),
            "conversation_within_months": draw(st.integers(1, 2)),
            "conversation_followup_days": draw(st.integers(1, 30)),
            "step_plan_within_months": draw(st.integers(1, 2)),
            "formal_trigger_no_conversation_months": draw(st.integers(1, 4)),
            "formal_trigger_no_plan_months": draw(st.integers(1, 2)),
            "four_week_days": draw(st.integers(1, 28)),
            "due_soon_days": draw(st.integers(0, 30)),
            "follow_up_after_return_days": [a, b, c],
            "relapse_window_days": draw(st.integers(91, 400)),
            "trajectory_threshold_days": draw(st.integers(1, 28)),
            "asap_days": draw(st.integers(1, 14)),
            "reassessment_after_c_months": draw(st.integers(1, 3)),
        }
    )


@SETTINGS
@given(facts_and_today())
def test_deterministic(ft):
    facts, today = ft
    first = [o.to_dict() for o in evaluate(facts, None, today)]
    second = [o.to_dict() for o in evaluate(facts, None, today)]
    assert first == second
    # and the facts survive a JSON round trip with the same result
    again = Facts.from_dict(facts.to_dict())
    assert [o.to_dict() for o in evaluate(again, None, today)] == first


@SETTINGS
@given(facts_and_today())
def test_no_due_date_before_absence_start(ft):
    facts, today = ft
    for ob in evaluate(facts, None, today):
        if ob.due is not None:
            assert ob.due >= facts.absence_start, ob


@SETTINGS
@given(facts_and_today(), st.data())
def test_a_later_event_never_reopens_a_done_obligation(ft, data):
    facts, today = ft
    before = {o.code: o for o in evaluate(facts, None, today)}
    last = max([e.date for e in facts.events], default=facts.absence_start)
    t = data.draw(st.sampled_from(_TYPES))
    extra = data.draw(_FIELDS[t]()) if t in _FIELDS else {}
    later = last + timedelta(days=data.draw(st.integers(0, 60)))
    more = Facts(
        absence_start=facts.absence_start,
        trajectory_start=facts.trajectory_start,
        statute=facts.statute,
        organisation_kind=facts.organisation_kind,
        employer_size=facts.employer_size,
        absences=list(facts.absences),
        contact_wishes=facts.contact_wishes,
        events=[*facts.events, Event(type=t, date=later, **extra)],
    )
    after = {o.code: o for o in evaluate(more, None, today)}
    for code, ob in before.items():
        if ob.status == DONE and code in after:
            assert after[code].status == DONE, (code, ob, after[code])
            assert after[code].done_on == ob.done_on


@SETTINGS
@given(facts_and_today(), stricter_policy())
def test_a_stricter_policy_never_gives_a_later_due_date(ft, strict):
    facts, today = ft
    default = {o.code: o for o in evaluate(facts, Policy.default(facts.organisation_kind), today)}
    for ob in evaluate(facts, strict, today):
        other = default.get(ob.code)
        if other is not None and ob.due is not None and other.due is not None:
            assert ob.due <= other.due, (ob, other)


def _essentials(obligations) -> list[tuple]:
    return [(o.code, o.due, o.status, o.done_on, o.signal) for o in obligations]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_and_today(), stricter_policy(), st.booleans(), st.integers(-30, 60))
def test_the_text_free_path_gives_the_same_obligations(ft, policy, shift, later_start):
    """evaluate(..., texts=False) (callers that show no text) is the full evaluation without
    titles, sources and "why": same codes, due dates, statuses, done_on and signals, in order.
    ``later_start`` > 0 moves the absence after some events (which then do not count)."""
    facts, today = ft
    if later_start > 0:
        facts = replace(facts, absence_start=facts.absence_start + timedelta(days=later_start))
    if shift:
        policy = Policy.from_dict({**policy.to_dict(), "shift_to_working_day": True})
    for pol in (None, policy):
        full = evaluate(facts, pol, today)
        fast = evaluate(facts, pol, today, texts=False)
        assert _essentials(fast) == _essentials(full)
        assert all(o.title == o.source == o.why == "" for o in fast)
