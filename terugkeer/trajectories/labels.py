"""The rules engine's texts in the user's language (Dutch, or English when chosen).

The engine stays free of Django (terugkeer/rules/i18n.py): its code labels are Dutch message
ids kept as data, its titles, "why" and sources are Dutch message ids filled in with
str.format. This module is where the Django layer reads them through gettext, so that the
English catalogue (locale/en) carries them with every other string. The stored copies on a
trajectory (next_title, next_why) stay Dutch: they are written by whoever triggers a refresh,
in any language, and compared by the reports.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.utils.functional import lazy
from django.utils.translation import gettext

from terugkeer.rules import facts as rf
from terugkeer.rules import obligation as ro
from terugkeer.rules.i18n import translating

# Every code list of the engine whose labels a page shows, by name (tests/test_english.py
# renders each of them in both languages).
CODE_LISTS: dict[str, dict[str, str]] = {
    "EVENT_TYPES": rf.EVENT_TYPES,
    "CONTACT_CHANNELS": rf.CONTACT_CHANNELS,
    "CONTACT_BY": rf.CONTACT_BY,
    "CONVERSATION_OUTCOMES": rf.CONVERSATION_OUTCOMES,
    "FORMAL_REQUESTERS": rf.FORMAL_REQUESTERS,
    "VISIT_REQUESTERS": rf.VISIT_REQUESTERS,
    "DECISIONS": rf.DECISIONS,
    "WORK_POTENTIAL_RESULTS": rf.WORK_POTENTIAL_RESULTS,
    "WORK_POTENTIAL_NOT_NEEDED_REASONS": rf.WORK_POTENTIAL_NOT_NEEDED_REASONS,
    "RETURN_TYPES": rf.RETURN_TYPES,
    "CLOSURE_OUTCOMES": rf.CLOSURE_OUTCOMES,
    "MOTIVATED_REPORT_REASONS": rf.MOTIVATED_REPORT_REASONS,
    "REFUSAL_REASONS": rf.REFUSAL_REASONS,
    "KINDS": rf.KINDS,
    "STATUTES": rf.STATUTES,
    "ORGANISATION_KINDS": rf.ORGANISATION_KINDS,
    "STATUSES": ro.STATUSES,
}

# gettext of a variable, evaluated when shown (model and form choices are built at import).
gettext_later = lazy(gettext, str)


def label(mapping: dict[str, str], code: str | None) -> str:
    """The label of an engine code in the active language (the code itself if unknown)."""
    if not code:
        return ""
    text = mapping.get(code)
    return gettext(text) if text else code


def choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    """(code, label) pairs for a model or form field, translated when rendered."""
    return [(code, gettext_later(text)) for code, text in mapping.items()]


def in_active_language() -> AbstractContextManager[None]:
    """Run the rules engine so that its titles, "why" and sources come out in the active
    language (Django's gettext as the engine's translator)."""
    return translating(gettext)
