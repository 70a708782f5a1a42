"""What the engine returns: obligations (tasks with a due date) and signals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DONE = "done"
OPEN = "open"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
NOT_APPLICABLE = "not_applicable"
# A step that was due and not done before the process moved past it (a return to work, a
# formal request, a closure...). Not open any more, but kept for the record and the reports.
MISSED = "missed"

STATUSES: dict[str, str] = {
    DONE: "afgerond",
    OPEN: "open",
    DUE_SOON: "binnenkort",
    OVERDUE: "te laat",
    NOT_APPLICABLE: "niet van toepassing",
    MISSED: "gemist",
}

OPEN_STATUSES = frozenset((OPEN, DUE_SOON, OVERDUE))


@dataclass(frozen=True, slots=True)
class Obligation:
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
