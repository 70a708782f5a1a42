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
    if isinstance(today, str):
        today = D(today)
    return {o.code: o for o in evaluate(facts, policy, today)}


def plus(d: str, days: int) -> str:
    return (D(d) + timedelta(days=days)).isoformat()
