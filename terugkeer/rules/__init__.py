"""Terugkeer rules engine: facts + policy + day -> obligations. Pure Python, no Django.

from terugkeer.rules import evaluate, Facts, Policy
obligations = evaluate(Facts.from_dict(d), None, date(2026, 3, 1))
"""

from .engine import evaluate
from .facts import (
    CLOSURE_OUTCOMES,
    CONTACT_BY,
    CONTACT_CHANNELS,
    CONVERSATION_OUTCOMES,
    DECISIONS,
    EVENT_TYPES,
    FORMAL_REQUESTERS,
    KINDS,
    MOTIVATED_REPORT_REASONS,
    ORGANISATION_KINDS,
    REFUSAL_REASONS,
    RETURN_TYPES,
    STATUTES,
    VISIT_REQUESTERS,
    WORK_POTENTIAL_RESULTS,
    Absence,
    ContactWishes,
    Event,
    Facts,
    FactsError,
)
from .law import LAW_VERSIONS, LawVersion, UnknownLawVersion, law_for
from .obligation import (
    DONE,
    DUE_SOON,
    NOT_APPLICABLE,
    OPEN,
    OVERDUE,
    STATUSES,
    Obligation,
    next_obligation,
)
from .policy import FRAMEWORKS, LIMITS, Policy, PolicyError

__all__ = [
    "CLOSURE_OUTCOMES",
    "CONTACT_BY",
    "CONTACT_CHANNELS",
    "CONVERSATION_OUTCOMES",
    "DECISIONS",
    "DONE",
    "DUE_SOON",
    "EVENT_TYPES",
    "FORMAL_REQUESTERS",
    "FRAMEWORKS",
    "KINDS",
    "LAW_VERSIONS",
    "LIMITS",
    "MOTIVATED_REPORT_REASONS",
    "NOT_APPLICABLE",
    "OPEN",
    "ORGANISATION_KINDS",
    "OVERDUE",
    "REFUSAL_REASONS",
    "RETURN_TYPES",
    "STATUSES",
    "STATUTES",
    "VISIT_REQUESTERS",
    "WORK_POTENTIAL_RESULTS",
    "Absence",
    "ContactWishes",
    "Event",
    "Facts",
    "FactsError",
    "LawVersion",
    "Obligation",
    "Policy",
    "PolicyError",
    "UnknownLawVersion",
    "evaluate",
    "law_for",
    "next_obligation",
]
