"""What the engine returns: obligations (tasks with a due date) and signals."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from .i18n import gettext_noop

DONE = "done"
OPEN = "open"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
NOT_APPLICABLE = "not_applicable"
# A step that was due and not done before the process moved past it (a return to work, a
# formal request, a closure...). Not open any more, but kept for the record and the reports.
MISSED = "missed"

STATUSES: dict[str, str] = {
    DONE: gettext_noop("afgerond"),
    OPEN: gettext_noop("open"),
    DUE_SOON: gettext_noop("binnenkort"),
    OVERDUE: gettext_noop("te laat"),
    NOT_APPLICABLE: gettext_noop("niet van toepassing"),
    MISSED: gettext_noop("gemist"),
}

OPEN_STATUSES = frozenset((OPEN, DUE_SOON, OVERDUE))


class Obligation(NamedTuple):
    """One task or signal. Immutable; a named tuple because the engine builds about ten per
    evaluation and a tuple is built several times faster than a frozen dataclass."""

    code: str
    title: str
    due: date | None
    status: str
    source: str
    why: str
    done_on: date | None = None
    signal: bool = False

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "due": self.due.isoformat() if self.due is not None else None,
            "status": self.status,
            "source": self.source,
            "why": self.why,
            "done_on": self.done_on.isoformat() if self.done_on is not None else None,
            "signal": self.signal,
        }


_FAR = date.max


def _urgency(ob: Obligation) -> tuple:
    return (ob.status != OVERDUE, ob.due is None, ob.due or _FAR, ob.code)


def next_obligation(obligations: list[Obligation]) -> Obligation | None:
    """The most urgent open task: overdue first, then the earliest due date.

    Signals are not tasks and are never returned.
    """
    best = None
    best_key = None
    for ob in obligations:
        if ob.signal or ob.status not in OPEN_STATUSES:
            continue
        key = _urgency(ob)
        if best_key is None or key < best_key:
            best, best_key = ob, key
    return best


# Who must act on a task, by the role codes of terugkeer.accounts (stable strings): what each
# role's attention count shows. A task of the employee or of an outside body has no role here.
_COACH = frozenset({"terugkeercoach", "adviseur"})
_EMPLOYER = frozenset({"terugkeercoach", "adviseur", "hr"})
_MANAGER = frozenset({"leidinggevende"})
_PHYSICIAN = frozenset({"arbeidsarts"})
ACTORS: dict[str, frozenset[str]] = {
    "contact": _MANAGER | frozenset({"terugkeercoach"}),
    "four_week_list": frozenset({"hr"}),
    "physician_information": _PHYSICIAN,
    "work_potential_request": _EMPLOYER,
    "work_potential_result": _PHYSICIAN,
    "formal_request_deadline": _EMPLOYER,
    "visit_before_return": _PHYSICIAN,
    "conversation_2m": _MANAGER,
    "conversation_next": _MANAGER,
    "agreements_2m": _MANAGER,
    "step_plan_2m": _COACH,
    "assessment": _PHYSICIAN,
    "appeal_decision": frozenset(),
    "plan_after_a": _EMPLOYER,
    "plan_after_b": _EMPLOYER,
    "employee_answer": frozenset(),
    "plan_answer_reminder": _EMPLOYER,
    "reassessment_after_c": _COACH,
    "preventive_answer": _EMPLOYER,
    # The coach (or adviser) follows up the actions of an SMT advice.
    "smt_action": _COACH,
}


def actors(code: str) -> frozenset[str]:
    """The roles that must act on the obligation ``code`` (instance suffix ignored)."""
    base = code.split(".", 1)[0]
    if base.startswith("follow_up_"):
        return _MANAGER
    return ACTORS.get(base, frozenset())


def attention_roles(obligations: list[Obligation]) -> frozenset[str]:
    """Roles with at least one task overdue or due soon: who must do something now."""
    found: set[str] = set()
    for ob in obligations:
        if not ob.signal and ob.status in (OVERDUE, DUE_SOON):
            found |= actors(ob.code)
    return frozenset(found)
