from __future__ import annotations

from datetime import date, timedelta

from terugkeer.rules import Facts, Policy, evaluate

D = date.fromisoformat


def e(type_: str, d: str | date, **kw) -> dict:
    return {"type": type_, "date": d if isinstance(d, str) else d.isoformat(), **kw}


def mk(start: str | None = "2026-01-12", events=(), traj: str | None = None, **kw) -> Facts:
    return Facts.from_dict(
        {"absence_start": start, "trajectory_start": traj or start, "events": list(events), **kw}
    )


def run(facts: Facts, today: str | date, policy: Policy | None = None) -> dict:
    """The obligations by code. Every scenario also checks that the text-free path (for
    callers that show no text) gives the same codes, dates and statuses, without texts."""
    if isinstance(today, str):
        today = D(today)
    full = evaluate(facts, policy, today)
    fast = evaluate(facts, policy, today, texts=False)
    assert [_essentials(o) for o in fast] == [_essentials(o) for o in full]
    assert not any(o.title or o.source or o.why for o in fast)
    return {o.code: o for o in full}


def _essentials(o) -> tuple:
    return (o.code, o.due, o.status, o.done_on, o.signal)


def plus(d: str, days: int) -> str:
    return (D(d) + timedelta(days=days)).isoformat()
