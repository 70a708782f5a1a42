"""Table-driven tests: one row per rule and edge. Start 2026-01-12 (RIT 3.0) unless stated."""

from datetime import date

import pytest

from terugkeer.rules import (
    DONE,
    DUE_SOON,
    NOT_APPLICABLE,
    OPEN,
    OVERDUE,
    Obligation,
    Policy,
    evaluate,
    next_obligation,
)

from ._helpers import D, e, mk, run

S3 = "2026-01-12"  # RIT 3.0, a Monday
S2 = "2025-03-03"  # RIT 2.0, a Monday

# (id, facts kwargs, today, code, status, due) -- status/due None means "don't check";
# status "absent" means the code must not be in the result.
CASES = [
    # 1. contact
    ("contact first due", {}, "2026-01-13", "contact", OPEN, "2026-01-26"),
    ("contact due soon", {}, "2026-01-19", "contact", DUE_SOON, "2026-01-26"),
    ("contact due today", {}, "2026-01-26", "contact", DUE_SOON, "2026-01-26"),
    ("contact overdue", {}, "2026-01-27", "contact", OVERDUE, "2026-01-26"),
    (
        "contact after last contact",
        {"events": [e("contact", "2026-02-01", channel="call", by="manager")]},
        "2026-02-03",
        "contact",
        OPEN,
        "2026-02-15",
    ),
    (
        "contact wishes frequency",
        {"contact_wishes": {"frequency_days": 30, "pause": False}},
        "2026-01-13",
        "contact",
        OPEN,
        "2026-02-11",
    ),
    (
        "contact pause",
        {"contact_wishes": {"frequency_days": None, "pause": True}},
        "2026-01-13",
        "contact",
        NOT_APPLICABLE,
        None,
    ),
    (
        "contact wishes event overrides",
        {
            "contact_wishes": {"frequency_days": None, "pause": True},
            "events": [e("contact_wishes", "2026-01-20", frequency_days=7)],
        },
        "2026-01-21",
        "contact",
        DUE_SOON,
        "2026-01-27",
    ),
    (
        "contact after return",
        {"absences": [{"start": S3, "end": "2026-01-20"}]},
        "2026-01-25",
        "contact",
        NOT_APPLICABLE,
        None,
    ),
    (
        "contact restarts at relapse",
        {
            "absences": [{"start": S3, "end": "2026-01-20"}, {"start": "2026-02-02", "end": None}],
            "events": [e("contact", "2026-01-15")],
        },
        "2026-02-03",
        "contact",
        OPEN,
        "2026-02-16",
    ),
    # trajectory threshold: before 28 days only contact
    (
        "threshold not reached: short absence with a known end",
        {"absences": [{"start": S3, "end": "2026-01-20"}]},
        "2026-01-15",
        "conversation_2m",
        "absent",
        None,
    ),
    ("threshold reached", {}, "2026-02-08", "conversation_2m", OPEN, "2026-03-12"),
    (
        "threshold reached by known end",
        {"absences": [{"start": S3, "end": "2026-03-01"}]},
        "2026-01-20",
        "conversation_2m",
        OPEN,
        "2026-03-12",
    ),
    (
        "threshold: short absence",
        {"absences": [{"start": S3, "end": "2026-01-20"}]},
        "2026-03-01",
        "conversation_2m",
        "absent",
        None,
    ),
    # 2. four weeks
    ("four week list due", {}, "2026-02-08", "four_week_list", DUE_SOON, "2026-02-09"),
    ("four week list overdue", {}, "2026-02-10", "four_week_list", OVERDUE, "2026-02-09"),
    (
        "four week list done",
        {"events": [e("four_week_list", "2026-02-05")]},
        "2026-02-10",
        "four_week_list",
        DONE,
        "2026-02-09",
    ),
    (
        "physician info not for a short known absence",
        {"absences": [{"start": S3, "end": "2026-01-30"}]},
        "2026-01-25",
        "physician_information",
        "absent",
        None,
    ),
    ("physician info after 4 weeks", {}, "2026-02-09", "physician_information", OPEN, "2026-02-23"),
    (
        "physician info from list date",
        {"events": [e("four_week_list", "2026-02-05")]},
        "2026-02-06",
        "physician_information",
        OPEN,
        "2026-02-19",
    ),
    (
        "physician info done",
        {"events": [e("four_week_list", "2026-02-05"), e("physician_information", "2026-02-12")]},
        "2026-02-20",
        "physician_information",
        DONE,
        None,
    ),
    # 3. eight weeks (RIT 3.0 only)
    ("work potential 8 weeks", {}, "2026-03-09", "work_potential_request", DUE_SOON, "2026-03-09"),
    (
        "work potential not for a known end before 8 weeks",
        {"absences": [{"start": S3, "end": "2026-02-27"}]},
        "2026-02-20",
        "work_potential_request",
        "absent",
        None,
    ),
    (
        "work potential not in 2.0",
        {"start": S2},
        "2025-06-01",
        "work_potential_request",
        "absent",
        None,
    ),
    (
        "work potential n/a when formal already asked",
        {"events": [e("formal_request", "2026-02-20", by="employee")]},
        "2026-03-10",
        "work_potential_request",
        NOT_APPLICABLE,
        None,
    ),
    (
        "work potential result term",
        {"events": [e("work_potential_request", "2026-03-09")]},
        "2026-03-10",
        "work_potential_result",
        OPEN,
        "2026-03-23",
    ),
    (
        "formal deadline 6 months (>=20 workers)",
        {
            "events": [
                e("work_potential_request", "2026-03-09"),
                e("work_potential_result", "2026-03-20", result="found"),
            ]
        },
        "2026-03-21",
        "formal_request_deadline",
        OPEN,
        "2026-07-12",
    ),
    (
        "no formal deadline under 20 workers",
        {
            "employer_size": 19,
            "events": [
                e("work_potential_request", "2026-03-09"),
                e("work_potential_result", "2026-03-20", result="found"),
            ],
        },
        "2026-03-21",
        "formal_request_deadline",
        "absent",
        None,
    ),
    (
        "no formal deadline when no potential",
        {
            "events": [
                e("work_potential_request", "2026-03-09"),
                e("work_potential_result", "2026-03-20", result="not_found"),
            ]
        },
        "2026-03-21",
        "formal_request_deadline",
        "absent",
        None,
    ),
    (
        "work potential options signal",
        {
            "events": [
                e("work_potential_request", "2026-03-09"),
                e("work_potential_result", "2026-03-20", result="found"),
            ]
        },
        "2026-03-21",
        "work_potential_options",
        OPEN,
        "2026-03-20",
    ),
    (
        "visit before return asap",
        {"events": [e("visit_before_return_requested", "2026-02-10", by="employer")]},
        "2026-02-11",
        "visit_before_return",
        OPEN,
        "2026-02-24",
    ),
    # 5. conversation
    ("conversation 2 months", {}, "2026-03-05", "conversation_2m", DUE_SOON, "2026-03-12"),
    ("conversation overdue", {}, "2026-03-13", "conversation_2m", OVERDUE, "2026-03-12"),
    (
        "conversation end-of-month clamp",
        {"start": "2025-12-31"},
        "2026-02-01",
        "conversation_2m",
        OPEN,
        "2026-02-28",
    ),
    (
        "conversation done",
        {"events": [e("conversation", "2026-02-20", outcome="not_yet")]},
        "2026-03-20",
        "conversation_2m",
        DONE,
        "2026-03-12",
    ),
    (
        "next conversation default term",
        {"events": [e("conversation", "2026-02-20", outcome="not_yet")]},
        "2026-02-21",
        "conversation_next",
        OPEN,
        "2026-03-22",
    ),
    (
        "next conversation planned date",
        {"events": [e("conversation", "2026-02-20", outcome="not_yet", next_date="2026-03-05")]},
        "2026-02-21",
        "conversation_next",
        OPEN,
        "2026-03-05",
    ),
    (
        "second next conversation",
        {
            "events": [
                e("conversation", "2026-02-20", outcome="not_yet"),
                e("conversation", "2026-03-20", outcome="not_yet"),
            ]
        },
        "2026-03-21",
        "conversation_next.2",
        OPEN,
        "2026-04-19",
    ),
    (
        "first next conversation done by the second",
        {
            "events": [
                e("conversation", "2026-02-20", outcome="not_yet"),
                e("conversation", "2026-03-20", outcome="not_yet"),
            ]
        },
        "2026-03-21",
        "conversation_next",
        DONE,
        None,
    ),
    (
        "agreements within 2 months",
        {"events": [e("conversation", "2026-01-31", outcome="possible")]},
        "2026-02-01",
        "agreements_2m",
        OPEN,
        "2026-03-31",
    ),
    (
        "step plan within 2 months (clamp)",
        {"events": [e("conversation", "2025-12-31", outcome="attention")], "start": "2025-12-15"},
        "2026-01-15",
        "step_plan_2m",
        OPEN,
        "2026-02-28",
    ),
    (
        "step plan done",
        {
            "events": [
                e("conversation", "2026-02-10", outcome="attention"),
                e("step_plan", "2026-03-01", percentage=50),
            ]
        },
        "2026-03-02",
        "step_plan_2m",
        DONE,
        "2026-04-10",
    ),
    (
        "informal n/a after return",
        {
            "absences": [{"start": S3, "end": "2026-02-28"}],
            "events": [e("conversation", "2026-02-10", outcome="possible")],
        },
        "2026-03-05",
        "agreements_2m",
        NOT_APPLICABLE,
        None,
    ),
    # 6. omzendbrief triggers for a formal trajectory
    (
        "trigger 1 not on the day",
        {},
        "2026-05-12",
        "formal_required_no_conversation",
        "absent",
        None,
    ),
    (
        "trigger 1 the day after",
        {},
        "2026-05-13",
        "formal_required_no_conversation",
        OPEN,
        "2026-05-12",
    ),
    (
        "trigger 1 resolved by formal request",
        {"events": [e("formal_request", "2026-05-20", by="employer")]},
        "2026-05-21",
        "formal_required_no_conversation",
        DONE,
        None,
    ),
    (
        "trigger 1 n/a after late conversation",
        {"events": [e("conversation", "2026-05-15", outcome="not_yet")]},
        "2026-05-21",
        "formal_required_no_conversation",
        NOT_APPLICABLE,
        None,
    ),
    (
        "trigger 1 absent when conversation in time",
        {"events": [e("conversation", "2026-05-12", outcome="not_yet")]},
        "2026-05-21",
        "formal_required_no_conversation",
        "absent",
        None,
    ),
    (
        "trigger 2 no plan",
        {"events": [e("conversation", "2026-02-20", outcome="possible")]},
        "2026-04-21",
        "formal_required_no_plan",
        OPEN,
        "2026-04-20",
    ),
    (
        "trigger 2 not when agreements in time",
        {
            "events": [
                e("conversation", "2026-02-20", outcome="possible"),
                e("agreements", "2026-04-20"),
            ]
        },
        "2026-04-21",
        "formal_required_no_plan",
        "absent",
        None,
    ),
    # 7. employer may start a formal trajectory
    (
        "employer waits 3 months (2.0)",
        {"start": S2},
        "2025-06-02",
        "employer_may_start_formal",
        "absent",
        None,
    ),
    (
        "employer after 3 months (2.0)",
        {"start": S2},
        "2025-06-03",
        "employer_may_start_formal",
        OPEN,
        "2025-06-03",
    ),
    (
        "no 3-month way in under 3.0",
        {},
        "2026-04-12",
        "employer_may_start_formal",
        "absent",
        None,
    ),
    (
        "employer with certificate",
        {"start": S2, "events": [e("definitive_unfitness_certificate", "2025-04-01")]},
        "2025-04-02",
        "employer_may_start_formal",
        OPEN,
        "2025-04-01",
    ),
    (
        "employer from day 1 with consent (3.0)",
        {"events": [e("early_start_consent", "2026-01-14")]},
        "2026-01-15",
        "employer_may_start_formal",
        OPEN,
        "2026-01-14",
    ),
    (
        "consent does not count under 2.0",
        {"start": S2, "events": [e("early_start_consent", "2025-03-05")]},
        "2025-03-10",
        "employer_may_start_formal",
        "absent",
        None,
    ),
    (
        "relapse within 14 days keeps the 3 months",
        {
            "start": S2,
            "absences": [{"start": S2, "end": "2025-03-31"}, {"start": "2025-04-14", "end": None}],
        },
        "2025-06-03",
        "employer_may_start_formal",
        OPEN,
        "2025-06-03",
    ),
    (
        "relapse after 14 days restarts the 3 months",
        {
            "start": S2,
            "absences": [{"start": S2, "end": "2025-03-31"}, {"start": "2025-04-15", "end": None}],
        },
        "2025-06-03",
        "employer_may_start_formal",
        "absent",
        None,
    ),
    (
        "relapse after 14 days: new date",
        {
            "start": S2,
            "absences": [{"start": S2, "end": "2025-03-31"}, {"start": "2025-04-15", "end": None}],
        },
        "2025-07-15",
        "employer_may_start_formal",
        OPEN,
        "2025-07-15",
    ),
    (
        "premature employer request",
        {"start": S2, "events": [e("formal_request", "2025-04-01", by="employer")]},
        "2025-04-02",
        "formal_request_premature",
        OPEN,
        "2025-04-01",
    ),
    (
        "employee may request any time",
        {"start": S2, "events": [e("formal_request", "2025-03-05", by="employee")]},
        "2025-03-06",
        "formal_request_premature",
        "absent",
        None,
    ),
    # 8. formal trajectory
    (
        "assessment 49 days",
        {"events": [e("formal_request", "2026-04-15", by="employee")]},
        "2026-04-16",
        "assessment",
        OPEN,
        "2026-06-03",
    ),
    (
        "assessment across year end",
        {"start": S2, "events": [e("formal_request", "2025-12-01", by="employee")]},
        "2025-12-02",
        "assessment",
        OPEN,
        "2026-01-19",
    ),
    (
        "three ignored invitations end it",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("invitation", "2026-02-03", attended=False),
                e("invitation", "2026-02-17", attended=False),
                e("invitation", "2026-03-03", attended=False),
            ]
        },
        "2026-03-04",
        "formal_ended_no_show",
        OPEN,
        "2026-03-03",
    ),
    (
        "ignored invitations too close do not count",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("invitation", "2026-02-03", attended=False),
                e("invitation", "2026-02-16", attended=False),
                e("invitation", "2026-03-02", attended=False),
            ]
        },
        "2026-03-04",
        "formal_ended_no_show",
        "absent",
        None,
    ),
    (
        "assessment n/a after no-show",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("invitation", "2026-02-03", attended=False),
                e("invitation", "2026-02-17", attended=False),
                e("invitation", "2026-03-03", attended=False),
            ]
        },
        "2026-03-04",
        "assessment",
        NOT_APPLICABLE,
        None,
    ),
    (
        "plan 63 days after A",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-01", decision="A"),
            ]
        },
        "2026-03-02",
        "plan_after_a",
        OPEN,
        "2026-05-03",
    ),
    (
        "plan 6 months after end of appeal period (B)",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-10", decision="B"),
            ]
        },
        "2026-04-01",
        "plan_after_b",
        OPEN,
        "2026-09-30",
    ),
    (
        "appeal period open",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-10", decision="B"),
            ]
        },
        "2026-03-12",
        "appeal_period",
        OPEN,
        "2026-03-31",
    ),
    (
        "appeal period lapsed",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-10", decision="B"),
            ]
        },
        "2026-04-01",
        "appeal_period",
        NOT_APPLICABLE,
        None,
    ),
    (
        "appeal decided within 42 days",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-10", decision="B"),
                e("appeal", "2026-03-20"),
            ]
        },
        "2026-03-21",
        "appeal_decision",
        OPEN,
        "2026-05-01",
    ),
    (
        "appeal suspends the plan term",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-10", decision="B"),
                e("appeal", "2026-03-20"),
            ]
        },
        "2026-03-21",
        "plan_after_b",
        OPEN,
        None,
    ),
    (
        "plan 6 months after appeal outcome",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-10", decision="B"),
                e("appeal", "2026-03-20"),
                e("appeal_outcome", "2026-04-30", decision="B"),
            ]
        },
        "2026-05-01",
        "plan_after_b",
        OPEN,
        "2026-10-30",
    ),
    (
        "decision C: no plan",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-10", decision="C"),
            ]
        },
        "2026-03-11",
        "plan_after_a",
        "absent",
        None,
    ),
    (
        "decision C: signal",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-10", decision="C"),
            ]
        },
        "2026-03-11",
        "decision_c",
        OPEN,
        "2026-03-10",
    ),
    (
        "decision C: follow-up",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-10", decision="C"),
            ]
        },
        "2026-03-11",
        "reassessment_after_c",
        OPEN,
        "2026-06-10",
    ),
    (
        "employee answers within 14 days",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-01", decision="A"),
                e("plan", "2026-04-01"),
            ]
        },
        "2026-04-02",
        "employee_answer",
        OPEN,
        "2026-04-15",
    ),
    (
        "plan refused",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-01", decision="A"),
                e("plan", "2026-04-01"),
                e("employee_answer", "2026-04-10", accepted=False, reason="work_content"),
            ]
        },
        "2026-04-11",
        "plan_refused",
        OPEN,
        "2026-04-10",
    ),
    (
        "motivated report satisfies the plan",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-01", decision="A"),
                e("motivated_report", "2026-04-01", reason="objectively_impossible"),
            ]
        },
        "2026-04-02",
        "plan_after_a",
        DONE,
        "2026-05-03",
    ),
    (
        "no answer after motivated report",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-01", decision="A"),
                e("motivated_report", "2026-04-01", reason="objectively_impossible"),
            ]
        },
        "2026-04-02",
        "employee_answer",
        "absent",
        None,
    ),
    (
        "second formal cycle gets a suffix",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-01", decision="C"),
                e("formal_request", "2026-06-01", by="employee"),
            ]
        },
        "2026-06-02",
        "assessment.2",
        OPEN,
        "2026-07-20",
    ),
    (
        "first cycle follow-up replaced",
        {
            "events": [
                e("formal_request", "2026-02-01", by="employee"),
                e("assessment", "2026-03-01", decision="C"),
                e("formal_request", "2026-06-15", by="employee"),
            ]
        },
        "2026-06-16",
        "reassessment_after_c",
        DONE,
        None,
    ),
    # 9. follow-up after return
    (
        "follow-up 1",
        {"events": [e("return_to_work", "2026-05-01", return_type="progressive", percentage=50)]},
        "2026-05-02",
        "follow_up_1",
        OPEN,
        "2026-05-15",
    ),
    (
        "follow-up 3",
        {"events": [e("return_to_work", "2026-05-01", return_type="full")]},
        "2026-05-02",
        "follow_up_3",
        OPEN,
        "2026-07-31",
    ),
    (
        "follow-up done in order",
        {
            "events": [
                e("return_to_work", "2026-05-01", return_type="full"),
                e("follow_up", "2026-05-14"),
            ]
        },
        "2026-05-20",
        "follow_up_1",
        DONE,
        None,
    ),
    # 10. relapse
    (
        "relapse signal",
        {"absences": [{"start": S3, "end": "2026-04-30"}, {"start": "2026-06-01", "end": None}]},
        "2026-06-02",
        "relapse",
        OPEN,
        "2026-06-01",
    ),
    (
        "no relapse signal outside the window",
        {"absences": [{"start": S3, "end": "2026-04-30"}, {"start": "2026-08-01", "end": None}]},
        "2026-08-02",
        "relapse",
        "absent",
        None,
    ),
    (
        "relapse from events",
        {
            "events": [
                e("return_to_work", "2026-05-01", return_type="full"),
                e("relapse", "2026-05-20"),
            ]
        },
        "2026-05-21",
        "relapse",
        OPEN,
        "2026-05-20",
    ),
    (
        "follow-up n/a after relapse",
        {
            "events": [
                e("return_to_work", "2026-05-01", return_type="full"),
                e("relapse", "2026-05-10"),
            ]
        },
        "2026-05-21",
        "follow_up_1",
        NOT_APPLICABLE,
        None,
    ),
    # 11. medical force majeure
    (
        "force majeure 6 months (3.0)",
        {},
        "2026-07-12",
        "medical_force_majeure_possible",
        OPEN,
        "2026-07-12",
    ),
    (
        "force majeure not before",
        {},
        "2026-07-11",
        "medical_force_majeure_possible",
        "absent",
        None,
    ),
    (
        "force majeure 9 months (2.0)",
        {"start": S2},
        "2025-12-03",
        "medical_force_majeure_possible",
        OPEN,
        "2025-12-03",
    ),
    (
        "force majeure not at 6 months in 2.0",
        {"start": S2},
        "2025-09-03",
        "medical_force_majeure_possible",
        "absent",
        None,
    ),
    (
        "no force majeure for statutory staff",
        {"statute": "statutair"},
        "2026-08-01",
        "medical_force_majeure_possible",
        "absent",
        None,
    ),
    (
        "no force majeure while formal runs",
        {"events": [e("formal_request", "2026-05-01", by="employee")]},
        "2026-08-01",
        "medical_force_majeure_possible",
        "absent",
        None,
    ),
    (
        "force majeure after the formal trajectory ended",
        {
            "events": [
                e("formal_request", "2026-05-01", by="employee"),
                e("assessment", "2026-06-01", decision="C"),
            ]
        },
        "2026-08-01",
        "medical_force_majeure_possible",
        OPEN,
        "2026-07-12",
    ),
    # preventive (3.0)
    (
        "preventive answer",
        {
            "start": None,
            "traj": "2026-02-01",
            "kind": "preventive",
            "events": [e("preventive_request", "2026-02-02")],
        },
        "2026-02-03",
        "preventive_answer",
        OPEN,
        "2026-02-16",
    ),
    (
        "preventive answered",
        {
            "start": None,
            "traj": "2026-02-01",
            "kind": "preventive",
            "events": [
                e("preventive_request", "2026-02-02"),
                e("preventive_answer", "2026-02-10", granted=True),
            ],
        },
        "2026-02-11",
        "preventive_answer",
        DONE,
        "2026-02-16",
    ),
    (
        "preventive not under 2.0",
        {
            "start": None,
            "traj": "2025-02-01",
            "kind": "preventive",
            "events": [e("preventive_request", "2025-02-02")],
        },
        "2025-02-03",
        "preventive_answer",
        NOT_APPLICABLE,
        None,
    ),
    # closure
    (
        "closure makes open n/a",
        {"events": [e("closure", "2026-02-20", outcome="leaving")]},
        "2026-03-20",
        "conversation_2m",
        NOT_APPLICABLE,
        None,
    ),
    (
        "closure keeps done",
        {
            "events": [
                e("four_week_list", "2026-02-09"),
                e("closure", "2026-02-20", outcome="leaving"),
            ]
        },
        "2026-03-20",
        "four_week_list",
        DONE,
        None,
    ),
    # events after today are ignored
    (
        "future events ignored",
        {"events": [e("conversation", "2026-03-01", outcome="possible")]},
        "2026-02-20",
        "conversation_2m",
        OPEN,
        "2026-03-12",
    ),
]


@pytest.mark.parametrize(
    ("facts_kw", "today", "code", "status", "due"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_rule(facts_kw, today, code, status, due):
    kw = dict(facts_kw)
    start = kw.pop("start", S3)
    facts = mk(start, kw.pop("events", ()), traj=kw.pop("traj", None), **kw)
    result = run(facts, today)
    if status == "absent":
        assert code not in result, result.get(code)
        return
    assert code in result, sorted(result)
    ob = result[code]
    assert ob.status == status, ob
    if due is not None:
        assert ob.due == D(due), ob
    assert ob.source and ob.why and ob.title


def test_signals_are_marked():
    result = run(mk(S3), "2026-07-12")
    assert result["medical_force_majeure_possible"].signal
    assert result["formal_required_no_conversation"].signal
    assert not result["conversation_2m"].signal


def test_why_mentions_the_dates():
    ob = run(mk(S3), "2026-02-10")["conversation_2m"]
    assert "12/01/2026" in ob.why and "2 maanden" in ob.why


def test_shift_to_working_day():
    # conversation due 2026-04-04 (Saturday) -> Tuesday 2026-04-07 after Easter Monday.
    facts = mk("2026-02-04")
    strict = Policy.from_dict({"shift_to_working_day": True})
    assert run(facts, "2026-03-10")["conversation_2m"].due == D("2026-04-04")
    assert run(facts, "2026-03-10", strict)["conversation_2m"].due == D("2026-04-07")


def test_stricter_policy_gives_earlier_dues():
    strict = Policy.from_dict({"conversation_within_months": 1, "contact_interval_days": 7})
    r = run(mk(S3), "2026-02-08", strict)
    assert r["conversation_2m"].due == D("2026-02-12")
    assert r["contact"].due == D("2026-01-19")


def test_local_policy_source():
    r = run(mk(S3, organisation_kind="local"), "2026-02-08")
    assert r["conversation_2m"].source.startswith("Handelingskader re-integratie")


def test_due_soon_window_boundary():
    policy = Policy.from_dict({"due_soon_days": 7})
    facts = mk(S3)
    assert run(facts, "2026-03-04", policy)["conversation_2m"].status == OPEN  # 8 days left
    assert run(facts, "2026-03-05", policy)["conversation_2m"].status == DUE_SOON  # 7 days
    assert run(facts, "2026-03-12", policy)["conversation_2m"].status == DUE_SOON  # today
    assert run(facts, "2026-03-13", policy)["conversation_2m"].status == OVERDUE


def test_evaluate_with_default_policy_and_to_dict():
    obs = evaluate(mk(S3), None, D("2026-03-01"))
    d = obs[0].to_dict()
    assert set(d) == {"code", "title", "due", "status", "source", "why", "done_on", "signal"}
    assert isinstance(d["due"], str)


def _ob(code, status, due, signal=False):
    return Obligation(code, code, D(due) if due else None, status, "s", "w", None, signal)


def test_next_obligation():
    obs = [
        _ob("a", OPEN, "2026-03-01"),
        _ob("b", DUE_SOON, "2026-02-10"),
        _ob("c", OVERDUE, "2026-02-05"),
        _ob("d", OVERDUE, "2026-01-05"),
        _ob("e", DONE, "2025-01-01"),
        _ob("f", OPEN, "2025-01-01", signal=True),
        _ob("g", NOT_APPLICABLE, "2025-01-01"),
        _ob("h", OPEN, None),
    ]
    assert next_obligation(obs).code == "d"
    assert next_obligation(obs[:3][:2]).code == "b"
    assert next_obligation([obs[0], obs[7]]).code == "a"
    assert next_obligation([obs[4], obs[5], obs[6]]) is None
    assert next_obligation([]) is None


def test_older_absence_history_is_not_a_relapse_of_this_trajectory():
    history = [
        {"start": "2025-01-06", "end": "2025-01-31"},
        {"start": "2025-03-03", "end": "2025-03-14"},
        {"start": "2025-11-03", "end": "2025-11-30"},
        {"start": S3, "end": None},
    ]
    r = run(mk(S3, absences=history), "2026-03-01")
    assert "relapse" in r and r["relapse"].due == D(S3)  # 2025-11-30 -> 2026-01-12: 42 days
    assert "relapse.2" not in r
    assert all(o.due is None or o.due >= D(S3) for o in r.values())


def test_before_absence_start_nothing_is_due():
    assert evaluate(mk(S3), None, date(2026, 1, 1)) == []


def test_two_absences_starting_the_same_day_one_without_end_evaluate():
    """Found by the command line's property test: the periods were sorted as (start, end)
    tuples, and an end of None against a date stopped the evaluation. No end sorts last, so
    the employee is still absent."""
    facts = mk(absences=[{"start": "2026-01-12"}, {"start": "2026-01-12", "end": "2026-01-12"}])
    obs = run(facts, "2026-03-01")
    assert obs["contact"].status != "not_applicable"  # not back at work: contact still due
    reversed_ = mk(absences=[{"start": "2026-01-12", "end": "2026-01-12"}, {"start": "2026-01-12"}])
    assert run(reversed_, "2026-03-01") == obs
