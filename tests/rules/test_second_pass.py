"""Issue 13, the engine's second pass: one table per finding, each row with its source.

Start 2026-01-12 (a Monday, RIT 3.0) unless stated. Sources are the ones docs/rules.md
discusses under "Second pass"; "secondary" marks a point that rests on a summary, not on the
text of the KB of 17 December 2025.
"""

from __future__ import annotations

import pytest

from terugkeer.rules import (
    DONE,
    MISSED,
    NOT_APPLICABLE,
    OPEN,
    OVERDUE,
    Facts,
    Policy,
    PolicyError,
    evaluate,
)

from ._helpers import D, e, mk, run

S3 = "2026-01-12"
S2 = "2025-03-03"
EMPLOYER = {"by": "employer"}


def check(obs: dict, code: str, status: str | None, due: str | None, why: str | None = None):
    if status == "absent":
        assert code not in obs, obs.get(code)
        return
    assert code in obs, sorted(obs)
    ob = obs[code]
    if status is not None:
        assert ob.status == status, ob
    if due is not None:
        assert ob.due == D(due), ob
    if why is not None:
        assert why.lower() in ob.why.lower(), ob.why


# --- 1. RIT 3.0: the employer's ways into a formal trajectory ---------------------------------
# Sources: IDEWE "re-integratietraject" (SME page), lexgo 14640, Securex, Partena/tamtam: from
# day 1 with the employee's consent, or once the estimate found work potential (secondary).
# The definitive-unfitness certificate: no summary lists its repeal (decision, docs/rules.md).
WAYS_IN = [
    (
        "consent on day 2: the employer may request from then",
        {"events": [e("early_start_consent", "2026-01-13")]},
        "2026-01-20",
        "employer_may_start_formal",
        OPEN,
        "2026-01-13",
    ),
    (
        "request after consent is not premature",
        {
            "events": [
                e("early_start_consent", "2026-01-13"),
                e("formal_request", "2026-01-14", **EMPLOYER),
            ]
        },
        "2026-01-20",
        "formal_request_premature",
        "absent",
        None,
    ),
    (
        "work potential found opens the way",
        {
            "events": [
                e("work_potential_request", "2026-03-09"),
                e("work_potential_result", "2026-03-16", result="found"),
            ]
        },
        "2026-03-20",
        "employer_may_start_formal",
        OPEN,
        "2026-03-16",
    ),
    (
        "request after work potential found: no contradictory premature flag",
        {
            "events": [
                e("work_potential_request", "2026-03-09"),
                e("work_potential_result", "2026-03-16", result="found"),
                e("formal_request", "2026-03-18", **EMPLOYER),
            ]
        },
        "2026-03-20",
        "formal_request_premature",
        "absent",
        None,
    ),
    (
        "no 3-month wait any more: a request at 4 months without a way in is premature",
        {"events": [e("formal_request", "2026-05-12", **EMPLOYER)]},
        "2026-05-13",
        "formal_request_premature",
        OPEN,
        "2026-05-12",
    ),
    (
        "work potential not found opens nothing",
        {
            "events": [
                e("work_potential_request", "2026-03-09"),
                e("work_potential_result", "2026-03-16", result="not_found"),
            ]
        },
        "2026-05-20",
        "employer_may_start_formal",
        "absent",
        None,
    ),
    (
        "definitive-unfitness certificate still opens the way",
        {"events": [e("definitive_unfitness_certificate", "2026-02-02")]},
        "2026-02-03",
        "employer_may_start_formal",
        OPEN,
        "2026-02-02",
    ),
    (
        "RIT 2.0 keeps its 3 months (art. I.4-72 §1, KB 11 September 2022)",
        {"start": S2},
        "2025-06-03",
        "employer_may_start_formal",
        OPEN,
        "2025-06-03",
    ),
]


@pytest.mark.parametrize(("name", "kw", "today", "code", "status", "due"), WAYS_IN)
def test_rit30_ways_in(name, kw, today, code, status, due):
    check(run(mk(**kw), today), code, status, due)


# --- 2. Transitional rule: which date decides -------------------------------------------------
# Cohezio, "Re-integratie 3.0 – nieuwe wettelijke verplichtingen": in force 1 January 2026, no
# impact on trajectories started before (secondary). A formal trajectory starts with its
# request: the request date decides the formal rules; the first day of incapacity decides the
# 8-week request and the force-majeure term.
NOV = "2025-11-03"
TRANSITION = [
    (
        "formal request in 2026 on an absence of 2025: RIT 3.0 terms, both dates in the why",
        [e("formal_request", "2026-02-10", by="employee")],
        "2026-02-11",
        "assessment",
        OPEN,
        "2026-03-31",
        "RIT 3.0 volgens de datum van het verzoek 10/02/2026; eerste dag "
        "arbeidsongeschiktheid 03/11/2025",
    ),
    (
        "employer request in 2026 on a 2025 incapacity: the 3 months still open the way",
        [e("formal_request", "2026-02-10", **EMPLOYER)],
        "2026-02-11",
        "formal_request_premature",
        "absent",
        None,
        None,
    ),
    (
        "8-week request by the first day of incapacity: none for a 2025 incapacity",
        [],
        "2026-02-11",
        "work_potential_request",
        "absent",
        None,
        None,
    ),
    (
        "force majeure by the first day of incapacity: 9 months (RIT 2.0)",
        [],
        "2026-08-03",
        "medical_force_majeure_possible",
        OPEN,
        "2026-08-03",
        "RIT 2.0: eerste dag arbeidsongeschiktheid",
    ),
    (
        "a preventive request in 2026 is answered under RIT 3.0 whatever the start",
        [e("preventive_request", "2026-01-20")],
        "2026-01-21",
        "preventive_answer",
        OPEN,
        "2026-02-03",
        None,
    ),
]


@pytest.mark.parametrize(("name", "events", "today", "code", "status", "due", "why"), TRANSITION)
def test_transitional_rule(name, events, today, code, status, due, why):
    check(run(mk(NOV, events), today), code, status, due, why)


def test_transition_absent_force_majeure_not_at_six_months():
    assert "medical_force_majeure_possible" not in run(mk(NOV), "2026-05-04")


# --- 3. Stale obligations end when the process moved past them --------------------------------
# Omzendbrief re-integratie stap 3-4 (the informal steps lead to the formal trajectory); Codex
# art. I.4-71/1 (the physician informs the employee: moot once the physician saw them).
FORMAL_ON_MAR_20 = [e("formal_request", "2026-03-20", by="employee")]
STALE = [
    (
        "overdue conversation before the formal request: missed, with the reason",
        FORMAL_ON_MAR_20,
        "2026-05-01",
        "conversation_2m",
        MISSED,
        "formeel re-integratietraject gevraagd op 20/03/2026",
    ),
    (
        "work-potential request not yet due at the formal request: not applicable",
        [e("formal_request", "2026-02-20", by="employee")],
        "2026-05-01",
        "work_potential_request",
        NOT_APPLICABLE,
        "Formeel re-integratietraject gevraagd op 20/02/2026",
    ),
    (
        "physician information ends when the physician saw the employee",
        [
            e("four_week_list", "2026-02-09"),
            e("work_potential_request", "2026-03-09"),
            e("work_potential_result", "2026-03-16", result="unknown"),
        ],
        "2026-05-01",
        "physician_information",
        MISSED,
        "de arbeidsarts zag de medewerker op 16/03/2026",
    ),
    (
        "step plan ends with the formal request",
        [
            e("conversation", "2026-02-01", outcome="attention"),
            e("formal_request", "2026-03-02", by="employee"),
        ],
        "2026-05-01",
        "step_plan_2m",
        NOT_APPLICABLE,
        "Formeel re-integratietraject gevraagd op 02/03/2026",
    ),
]


@pytest.mark.parametrize(("name", "events", "today", "code", "status", "why"), STALE)
def test_stale_obligations_end(name, events, today, code, status, why):
    check(run(mk(S3, events), today), code, status, None, why)


def test_nothing_stale_stays_overdue_once_formal():
    obs = run(mk(S3, FORMAL_ON_MAR_20), "2026-05-01")
    informal = {
        "four_week_list",
        "physician_information",
        "work_potential_request",
        "conversation_2m",
    }
    assert not [o for c, o in obs.items() if c in informal and o.status == OVERDUE]


# --- 4. Missed legal steps stay visible after a return -----------------------------------------
# Codex art. I.4-4 §3 (4 weeks): a step due and not done is a fact for the record and the report.
RETURN_MAR_1 = {"absences": [{"start": S3, "end": "2026-02-28"}]}
MISSED_ROWS = [
    ("4-week list overdue at the return: missed", "four_week_list", MISSED),
    ("conversation not yet due at the return: not applicable", "conversation_2m", NOT_APPLICABLE),
    ("contact is rolling: not applicable, never missed", "contact", NOT_APPLICABLE),
]


@pytest.mark.parametrize(("name", "code", "status"), MISSED_ROWS)
def test_missed_after_return(name, code, status):
    check(run(mk(**RETURN_MAR_1), "2026-03-10"), code, status, None, "werk hervat op 01/03/2026")


def test_missed_after_closure_keeps_done_and_missed_apart():
    obs = run(mk(S3, [e("four_week_list", "2026-02-09"), e("closure", "2026-04-01")]), "2026-04-02")
    assert obs["four_week_list"].status == DONE
    assert obs["conversation_2m"].status == MISSED
    assert obs["contact"].status == NOT_APPLICABLE


# --- 5. Deadlines from day one for open-ended absences ------------------------------------------
# Omzendbrief stap 2-3 and Codex art. I.4-4 §3: the coach plans ahead; a short absence with a
# known end stays quiet (the threshold, docs/rules.md).
DAY_ONE = [
    ("4-week step visible on day 15", {}, "four_week_list", OPEN, "2026-02-09"),
    ("conversation visible on day 15", {}, "conversation_2m", OPEN, "2026-03-12"),
    ("8-week request visible on day 15", {}, "work_potential_request", OPEN, "2026-03-09"),
    (
        "short absence with a known end stays quiet",
        {"absences": [{"start": S3, "end": "2026-01-30"}]},
        "four_week_list",
        "absent",
        None,
    ),
    (
        "known end past the threshold shows the steps",
        {"absences": [{"start": S3, "end": "2026-03-30"}]},
        "four_week_list",
        OPEN,
        "2026-02-09",
    ),
]


@pytest.mark.parametrize(("name", "kw", "code", "status", "due"), DAY_ONE)
def test_deadlines_from_day_one(name, kw, code, status, due):
    check(run(mk(**kw), "2026-01-26"), code, status, due)


# --- 6. Policy terms in days, weeks or months, validated against the floor ----------------------
# Omzendbrief stap 3 (2 months), Codex art. I.4-4 §3 (4 weeks); stricter allowed, looser refused.
TERMS_OK = [
    ("conversation within 6 weeks", {"conversation_within_months": {"weeks": 6}}, "2026-02-23"),
    ("conversation within 59 days", {"conversation_within_months": {"days": 59}}, "2026-03-12"),
    ("conversation within 1 month", {"conversation_within_months": {"months": 1}}, "2026-02-12"),
    ("conversation within 2 (months)", {"conversation_within_months": 2}, "2026-03-12"),
]


@pytest.mark.parametrize(("name", "terms", "due"), TERMS_OK)
def test_policy_terms_in_units(name, terms, due):
    policy = Policy.from_dict(terms)
    check(run(mk(), "2026-01-20", policy), "conversation_2m", None, due)


TERMS_LOOSER = [
    ("9 weeks > 2 months at some starts", {"conversation_within_months": {"weeks": 9}}),
    ("60 days > 2 months from 1 January", {"conversation_within_months": {"days": 60}}),
    ("5 weeks of contact > 28 days", {"contact_interval_days": {"weeks": 5}}),
    ("1 month > 28 days (4 weeks)", {"four_week_days": {"months": 1}}),
    ("3 months may be shorter than 91 days", {"relapse_window_days": {"months": 3}}),
    ("an unknown unit", {"asap_days": {"years": 1}}),
    ("two units at once", {"asap_days": {"days": 7, "weeks": 1}}),
    ("a string", {"asap_days": "7"}),
]


@pytest.mark.parametrize(("name", "terms"), TERMS_LOOSER)
def test_policy_terms_looser_or_bad_are_refused(name, terms):
    with pytest.raises(PolicyError):
        Policy.from_dict(terms)


def test_policy_term_round_trip_and_why():
    policy = Policy.from_dict(
        {"conversation_within_months": {"weeks": 6}, "asap_days": {"weeks": 1}}
    )
    assert policy.to_dict()["conversation_within_months"] == {"weeks": 6}
    assert Policy.from_dict(policy.to_dict()) == policy
    assert "6 weken" in run(mk(), "2026-01-20", policy)["conversation_2m"].why


# --- 7. A late appeal is inadmissible -----------------------------------------------------------
# Codex art. I.4-80 jo. I.4-63: 21 calendar days; after it, the appeal cannot suspend the plan.
B_ON_MAY_1 = [
    e("formal_request", "2026-03-12", by="employee"),
    e("assessment", "2026-05-01", decision="B"),
]
APPEAL = [
    (
        "late appeal recorded as inadmissible",
        "2026-05-31",
        "appeal_inadmissible",
        OPEN,
        "2026-05-31",
    ),
    ("late appeal: the plan stays due", "2026-05-31", "plan_after_b", OPEN, "2026-11-22"),
    ("late appeal: no decision in appeal due", "2026-05-31", "appeal_decision", "absent", None),
    ("appeal on the last day is in time", "2026-05-22", "appeal_decision", OPEN, "2026-07-03"),
]


@pytest.mark.parametrize(("name", "appeal_on", "code", "status", "due"), APPEAL)
def test_late_appeal(name, appeal_on, code, status, due):
    facts = mk(S3, [*B_ON_MAY_1, e("appeal", appeal_on)])
    check(run(facts, "2026-06-05"), code, status, due)


# --- 8. A new absence beyond the relapse window starts a new count -----------------------------
# Omzendbrief stap 5 (relapse), stap 3-4 (2 and 4 months counted from the absence).
NEW_COUNT = {"absences": [{"start": S3, "end": "2026-02-15"}, {"start": "2026-07-01", "end": None}]}
NEW_COUNT_ROWS = [
    ("conversation counted from the new absence", "conversation_2m", OPEN, "2026-09-01"),
    (
        "trigger from the new absence, not from January",
        "formal_required_no_conversation",
        "absent",
        None,
    ),
    ("not a relapse", "relapse", "absent", None),
]


@pytest.mark.parametrize(("name", "code", "status", "due"), NEW_COUNT_ROWS)
def test_new_absence_beyond_window(name, code, status, due):
    check(run(mk(**NEW_COUNT), "2026-08-01"), code, status, due)


def test_new_count_trigger_date():
    obs = run(mk(**NEW_COUNT), "2026-11-15")
    assert obs["formal_required_no_conversation"].due == D("2026-11-01")


# --- 9. No answer to the plan -------------------------------------------------------------------
# Codex art. I.4-75 (KB 11 September 2022) as summarised by Securex ("Aanvaarding of weigering
# van het re-integratieplan"): no answer in 14 days -> the employer contacts the employee; no
# answer again -> refusal; art. I.4-76: the trajectory ends; art. 34 law 1978: force majeure.
PLAN = [
    e("formal_request", "2026-02-02", by="employee"),
    e("assessment", "2026-03-02", decision="A"),
    e("plan", "2026-04-01"),
]
NO_ANSWER = [
    (
        "answer term over: the employee's answer is missed",
        [],
        "2026-04-20",
        "employee_answer",
        MISSED,
        None,
    ),
    (
        "the employer contacts the employee",
        [],
        "2026-04-20",
        "plan_answer_reminder",
        OPEN,
        "2026-04-29",
    ),
    (
        "contact made: reminder done",
        [e("contact", "2026-04-20", channel="call", by="hr")],
        "2026-04-22",
        "plan_answer_reminder",
        DONE,
        None,
    ),
    (
        "no answer after the contact: refusal",
        [e("contact", "2026-04-20", channel="call", by="hr")],
        "2026-05-10",
        "plan_refused",
        OPEN,
        "2026-05-05",
    ),
    (
        "late answer before the refusal counts",
        [
            e("contact", "2026-04-20", channel="call", by="hr"),
            e("employee_answer", "2026-04-25", accepted=True),
        ],
        "2026-05-10",
        "plan_refused",
        "absent",
        None,
    ),
    (
        "refusal ends the trajectory: force majeure may follow (contract staff, 6 months)",
        [e("contact", "2026-04-20", channel="call", by="hr")],
        "2026-07-13",
        "medical_force_majeure_possible",
        OPEN,
        "2026-07-12",
    ),
]


@pytest.mark.parametrize(("name", "extra", "today", "code", "status", "due"), NO_ANSWER)
def test_no_answer_to_the_plan(name, extra, today, code, status, due):
    check(run(mk(S3, [*PLAN, *extra]), today), code, status, due)


def test_no_answer_without_contact_keeps_the_trajectory_running():
    assert "medical_force_majeure_possible" not in run(mk(S3, PLAN), "2026-07-13")


# --- 10. Relapse grace under RIT 3.0: 14 days (Codex), not 8 weeks ------------------------------
# beci.be, "Hervallen na een arbeidsongeschiktheid" (23 February 2026): the 8 weeks are the
# guaranteed-salary rule (law of 3 July 1978), not art. I.4-72 of the Codex (secondary).
GRACE = [
    ("relapse 10 days after a return continues the incapacity", "2026-03-10", "2026-07-12"),
    ("relapse 20 days after a return starts a new incapacity", "2026-03-20", "2026-09-20"),
]


@pytest.mark.parametrize(("name", "relapse_on", "fm"), GRACE)
def test_relapse_grace_rit30(name, relapse_on, fm):
    facts = mk(
        **{"absences": [{"start": S3, "end": "2026-02-28"}, {"start": relapse_on, "end": None}]}
    )
    obs = run(facts, "2026-12-01")
    assert obs["medical_force_majeure_possible"].due == D(fm)


# --- 11. "Not needed": the 8-week request with a reason ----------------------------------------
# Cohezio: the estimate is not needed when a return within 6 months is expected (secondary).
def test_work_potential_not_needed_with_reason():
    facts = mk(S3, [e("work_potential_not_needed", "2026-03-01", reason="return_expected")])
    ob = run(facts, "2026-03-20")["work_potential_request"]
    assert ob.status == NOT_APPLICABLE and "werkhervatting binnen 6 maanden verwacht" in ob.why


def test_work_potential_not_needed_needs_a_reason():
    from terugkeer.rules import FactsError

    with pytest.raises(FactsError):
        mk(S3, [e("work_potential_not_needed", "2026-03-01")])


# --- 12. Solidarity contribution ------------------------------------------------------------------
# IDEWE "Solidariteitsbijdrage" and Securex (secondary): from 1 January 2026, employers with on
# average 50 or more workers, contract staff, aged 18-54, months 2 and 3 of the incapacity.
SOLIDARITY = [
    ("contract staff, 250 workers, day 31", {}, "2026-02-11", OPEN, "2026-02-11"),
    ("not before day 31", {}, "2026-02-10", "absent", None),
    ("statutory staff: none", {"statute": "statutair"}, "2026-02-20", "absent", None),
    ("fewer than 50 workers: none", {"employer_size": 49}, "2026-02-20", "absent", None),
    ("aged 55: none", {"employee_age": 55}, "2026-02-20", "absent", None),
    ("aged 54: due", {"employee_age": 54}, "2026-02-20", OPEN, "2026-02-11"),
    ("after month 3: over", {}, "2026-04-20", NOT_APPLICABLE, "2026-02-11"),
    ("incapacity from 2025: none", {"start": "2025-12-01"}, "2026-01-20", "absent", None),
]


@pytest.mark.parametrize(("name", "kw", "today", "status", "due"), SOLIDARITY)
def test_solidarity_signal(name, kw, today, status, due):
    check(run(mk(**kw), today), "solidarity_contribution", status, due)


# --- 13. Events before the absence are not dropped silently -------------------------------------
def test_events_before_absence_are_reported():
    obs = run(mk(S3, [e("conversation", "2026-01-05", outcome="possible")]), "2026-01-20")
    assert "events_before_absence" in obs and "05/01/2026" not in obs["conversation_2m"].why


def test_facts_round_trip_with_age():
    f = mk(S3, employee_age=40)
    assert Facts.from_dict(f.to_dict()).employee_age == 40
    assert evaluate(f, None, D("2026-02-20"))


# --- 14. Each role's attention shows only what that role must do --------------------------------
ROLES = [
    (
        "contact: manager and coach, not the physician nor the adviser",
        "contact",
        {"leidinggevende", "terugkeercoach"},
    ),
    ("assessment: the physician", "assessment.2", {"arbeidsarts"}),
    ("4-week list: HR", "four_week_list", {"hr"}),
    ("follow-up conversation: the manager", "follow_up_2.3", {"leidinggevende"}),
    ("the employee's answer: no staff role", "employee_answer", set()),
]


@pytest.mark.parametrize(("name", "code", "expected"), ROLES)
def test_actors(name, code, expected):
    from terugkeer.rules import actors

    assert actors(code) == expected


def test_attention_roles_only_from_urgent_tasks():
    from terugkeer.rules import attention_roles

    obs = evaluate(
        mk(S3, [e("formal_request", "2026-02-02", by="employee")]), None, D("2026-03-30")
    )
    roles = attention_roles(obs)
    assert "arbeidsarts" in roles  # the assessment is overdue (2 February + 49 days)
    assert "hr" not in roles  # the 4-week list ended with the formal request
    done = evaluate(
        mk(S3, [e("contact", "2026-01-20", channel="call", by="manager")]), None, D("2026-01-21")
    )
    assert attention_roles(done) == frozenset()
