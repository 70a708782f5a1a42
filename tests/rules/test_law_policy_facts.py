from datetime import date

import pytest

from terugkeer.rules import (
    EVENT_TYPES,
    LAW_VERSIONS,
    Event,
    Facts,
    FactsError,
    Policy,
    PolicyError,
    UnknownLawVersion,
    evaluate,
    law_code,
    law_for,
    next_obligation,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "code"),
    [
        ("2022-10-01", "RIT2.0"),
        ("2024-06-30", "RIT2.0"),
        ("2025-12-31", "RIT2.0"),
        ("2026-01-01", "RIT3.0"),
        ("2030-01-01", "RIT3.0"),
    ],
)
def test_law_for_picks_by_trajectory_start(day, code):
    assert law_for(D(day)).code == code


def test_law_before_rit20_is_refused():
    with pytest.raises(UnknownLawVersion):
        law_for(D("2022-09-30"))
    assert law_code(D("2022-09-30")) == ""
    assert law_code(D("2022-10-01")) == "RIT2.0"


def test_evaluate_before_rit20_gives_one_signal_and_no_task():
    """No term is invented for a trajectory the known law versions do not cover."""
    facts = Facts.from_dict(
        {
            "absence_start": "2022-09-23",
            "trajectory_start": "2022-09-23",
            "events": [{"type": "contact", "date": "2022-09-25", "channel": "call"}],
        }
    )
    (only,) = evaluate(facts, None, D("2026-11-30"))
    assert (only.code, only.signal, only.status, only.due) == (
        "law_not_covered",
        True,
        "not_applicable",
        D("2022-09-23"),
    )
    assert "01/10/2022" in only.why
    assert next_obligation([only]) is None


def test_law_versions_are_contiguous_and_differ_where_the_domain_says():
    for a, b in zip(LAW_VERSIONS, LAW_VERSIONS[1:], strict=False):
        assert (b.effective_from - a.effective_to).days == 1
    r2, r3 = LAW_VERSIONS
    assert (r2.force_majeure_months, r3.force_majeure_months) == (9, 6)
    assert (r2.work_potential_weeks, r3.work_potential_weeks) == (None, 8)
    assert (r2.formal_request_deadline_months, r3.formal_request_deadline_months) == (None, 6)
    assert not r2.early_start_with_consent and r3.early_start_with_consent
    assert not r2.preventive_request and r3.preventive_request
    for v in LAW_VERSIONS:
        assert (v.assessment_days, v.appeal_days, v.appeal_decision_days) == (49, 21, 42)
        assert (v.plan_after_A_days, v.plan_after_B_months, v.answer_days) == (63, 6, 14)
        assert v.ignored_invitations == 3 and v.invitations_min_gap_days == 14
        assert set(v.to_dict()) >= {"code", "effective_from", "sources"}


def test_policy_defaults():
    vo = Policy.default("vo")
    assert vo.conversation_within_months == 2 and vo.contact_interval_days == 14
    assert vo.shift_to_working_day is False
    local = Policy.default("local")
    assert local.organisation_kind == "local" and local.framework.startswith("Handelingskader")
    assert Policy.default("vo") is vo  # cached


def test_policy_may_be_stricter():
    p = Policy.from_dict({"conversation_within_months": 1, "contact_interval_days": 7}, "local")
    assert p.conversation_within_months == 1 and p.organisation_kind == "local"
    assert Policy.from_dict(p.to_dict()) == p


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("conversation_within_months", 3),
        ("step_plan_within_months", 3),
        ("formal_trigger_no_conversation_months", 5),
        ("formal_trigger_no_plan_months", 3),
        ("four_week_days", 35),
        ("contact_interval_days", 29),
        ("relapse_window_days", 60),
        ("trajectory_threshold_days", 40),
    ],
)
def test_policy_refuses_looser_terms(field, value):
    with pytest.raises(PolicyError) as exc:
        Policy.from_dict({field: value})
    msg = str(exc.value)
    assert "ruimer" in msg and "looser" in msg and field in msg


@pytest.mark.parametrize(
    "bad",
    [
        {"due_soon_days": -1},
        {"contact_interval_days": "14"},
        {"follow_up_after_return_days": [42, 14]},
        {"follow_up_after_return_days": [0]},
        {"unknown_term": 1},
        {"organisation_kind": "federal"},
        {"shift_to_working_day": "yes"},
    ],
)
def test_policy_refuses_bad_values(bad):
    with pytest.raises(PolicyError):
        Policy.from_dict(bad)


def test_facts_round_trip():
    d = {
        "absence_start": "2026-01-12",
        "trajectory_start": "2026-01-12",
        "kind": "reactive",
        "statute": "statutair",
        "organisation_kind": "local",
        "employer_size": 40,
        "absences": [{"start": "2026-01-12", "end": None}],
        "contact_wishes": {"frequency_days": 21, "pause": False},
        "events": [
            {"type": "contact", "date": "2026-01-14", "channel": "card", "by": "manager"},
            {
                "type": "conversation",
                "date": "2026-02-01",
                "outcome": "not_yet",
                "next_date": "2026-02-20",
            },
        ],
    }
    f = Facts.from_dict(d)
    assert f.events[1].next_date == D("2026-02-20")
    assert f.to_dict() == d
    assert Facts.from_dict(f.to_dict()).to_dict() == d


def test_trajectory_start_defaults_to_absence_start():
    f = Facts.from_dict({"absence_start": "2026-01-12"})
    assert f.trajectory_start == D("2026-01-12")


def test_facts_accept_plain_dicts_when_constructed_directly():
    f = Facts(
        absence_start="2026-01-12",
        absences=[{"start": "2026-01-12", "end": "2026-01-30"}],
        events=[{"type": "contact", "date": "2026-01-13"}],
        contact_wishes={"frequency_days": 7},
    )
    assert f.absences[0].end == D("2026-01-30")
    assert isinstance(f.events[0], Event) and f.contact_wishes.frequency_days == 7


@pytest.mark.parametrize(
    "bad",
    [
        {"absence_start": "12/01/2026"},
        {"absence_start": "2026-01-12", "events": [{"type": "party", "date": "2026-01-13"}]},
        {
            "absence_start": "2026-01-12",
            "events": [{"type": "conversation", "date": "2026-01-13", "outcome": "maybe"}],
        },
        {"absence_start": "2026-01-12", "events": [{"type": "assessment", "date": "2026-01-13"}]},
        {"absence_start": "2026-01-12", "events": [{"type": "contact"}]},
        {"absence_start": "2026-01-12", "events": [{"type": "contact", "date": "x"}]},
        {
            "absence_start": "2026-01-12",
            "events": [{"type": "contact", "date": "2026-01-13", "diagnosis": "flu"}],
        },
        {"absence_start": "2026-01-12", "absences": [{"start": "2026-01-12", "end": "2026-01-01"}]},
        {"absence_start": "2026-01-12", "kind": "other"},
        {"absence_start": "2026-01-12", "statute": "interim"},
        {"absence_start": "2026-01-12", "employer_size": 0},
        {"kind": "reactive"},
        {"absence_start": "2026-01-12", "colour": "red"},
    ],
)
def test_facts_refuse_bad_input(bad):
    with pytest.raises(FactsError):
        Facts.from_dict(bad)


def test_event_types_have_dutch_labels():
    assert len(EVENT_TYPES) == 35
    assert all(isinstance(v, str) and v for v in EVENT_TYPES.values())
