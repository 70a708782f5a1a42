"""Property test over the CLI's input schema: every JSON input evaluates (exit 0) or is refused
with exit 2 and a message, never a traceback (issue 13, "Bad input").

The generator follows the documented schema (docs/rules.md, "Input") and mixes valid values
with the kinds of wrong ones a hand-written file holds: strings for numbers and booleans,
booleans for numbers, huge numbers, dates near the ends of the calendar, unknown codes, nulls,
nested junk.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terugkeer.rules import (
    CLOSURE_OUTCOMES,
    CONVERSATION_OUTCOMES,
    DECISIONS,
    EVENT_TYPES,
    FORMAL_REQUESTERS,
    WORK_POTENTIAL_NOT_NEEDED_REASONS,
    WORK_POTENTIAL_RESULTS,
)
from terugkeer.rules.__main__ import main

SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
valid_dates = st.dates().map(lambda d: d.isoformat())
near_dates = st.sampled_from(
    ["2026-01-12", "2025-11-03", "2022-10-01", "2025-12-31", "2026-01-01", "2027-06-30"]
)
edge_dates = st.sampled_from(
    ["9999-12-31", "0001-01-01", "2199-12-31", "1900-01-01", "2026-02-30", "2026-1-5", ""]
)
a_date = st.one_of(near_dates, near_dates, near_dates, near_dates, valid_dates, edge_dates, junk)
small_int = st.one_of(st.integers(-5, 400), st.integers(), junk)
a_bool = st.one_of(st.booleans(), st.booleans(), st.sampled_from(["false", "true", 0, 1]), junk)


def code(options) -> st.SearchStrategy:
    return st.one_of(st.sampled_from(sorted(options)), st.sampled_from(sorted(options)), junk)


event = st.fixed_dictionaries(
    {"type": st.one_of(st.sampled_from(sorted(EVENT_TYPES)), junk), "date": a_date},
    optional={
        "outcome": code({**CONVERSATION_OUTCOMES, **CLOSURE_OUTCOMES}),
        "by": code(FORMAL_REQUESTERS),
        "decision": code(DECISIONS),
        "accepted": a_bool,
        "attended": a_bool,
        "granted": a_bool,
        "pause": a_bool,
        "reason": code(WORK_POTENTIAL_NOT_NEEDED_REASONS),
        "result": code(WORK_POTENTIAL_RESULTS),
        "percentage": small_int,
        "frequency_days": small_int,
        "next_date": a_date,
        "colour": junk,
    },
)
term = st.one_of(
    st.integers(-2, 120),
    st.dictionaries(
        st.sampled_from(["days", "weeks", "months", "years"]), small_int, min_size=1, max_size=2
    ),
    junk,
)
policy = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(
            [
                "contact_interval_days",
                "conversation_within_months",
                "step_plan_within_months",
                "formal_trigger_no_conversation_months",
                "four_week_days",
                "relapse_window_days",
                "asap_days",
                "due_soon_days",
                "trajectory_threshold_days",
                "follow_up_after_return_days",
                "shift_to_working_day",
                "organisation_kind",
                "name",
            ]
        ),
        st.one_of(term, st.lists(small_int, max_size=3), a_bool),
        max_size=4,
    ),
    junk,
)
facts = st.fixed_dictionaries(
    {"absence_start": a_date},
    optional={
        "trajectory_start": a_date,
        "kind": code({"reactive": 1, "preventive": 1}),
        "statute": code({"contractueel": 1, "statutair": 1}),
        "organisation_kind": code({"vo": 1, "local": 1}),
        "employer_size": small_int,
        "employee_age": small_int,
        "absences": st.one_of(
            st.lists(
                st.fixed_dictionaries({"start": a_date}, optional={"end": a_date}), max_size=3
            ),
            junk,
        ),
        "contact_wishes": st.one_of(
            st.fixed_dictionaries({}, optional={"frequency_days": small_int, "pause": a_bool}),
            junk,
        ),
        "events": st.one_of(
            st.lists(event, max_size=12), st.lists(event, max_size=12), st.lists(event), junk
        ),
    },
)
well_formed = st.fixed_dictionaries({"facts": facts}, optional={"policy": policy, "today": a_date})
document = st.one_of(well_formed, well_formed, well_formed, well_formed, well_formed, junk)


def _run_cli(text: str) -> tuple[int, str, str]:
    fd, path = tempfile.mkstemp(suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code_ = main([path])
        return code_, out.getvalue(), err.getvalue()
    finally:
        os.unlink(path)


@SETTINGS
@given(document)
def test_every_input_evaluates_or_exits_2(doc):
    code_, out, err = _run_cli(json.dumps(doc))
    assert code_ in (0, 2)
    if code_ == 0:
        result = json.loads(out)
        assert {"law", "policy", "today", "obligations", "next"} <= set(result)
    else:
        assert err.startswith("error: ") and err.strip() != "error:"
        # The last-resort guard in __main__ must never be what answered: every bad input is
        # meant to be caught by the input checks, with a message that names the field.
        assert "invoer niet te verwerken" not in err, err


def test_a_5000_digit_integer_exits_2():
    code_, _out, err = _run_cli(
        '{"facts": {"absence_start": "2026-01-12", "employer_size": ' + "9" * 5000 + "}}"
    )
    assert code_ == 2 and "JSON" in err
