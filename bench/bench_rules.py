"""Benchmark of the rules engine: evaluations per second on one core.

    .venv/bin/python bench/bench_rules.py [--n 2000] [--rounds 5] [--scaling-only]

First prints the time of one evaluation of a single trajectory with 10, 100, 1,000 and
10,000 events (returns and relapses alternating, and a mix with formal cycles): the growth
must be linear (the engine sorts once and finds events by binary search).

Generates a realistic mix of trajectories (informal with and without points of attention,
formal A / B with appeal / C, relapses, closures, RIT 2.0 and 3.0, VO and local), each looked
at on a random day of its life, and times ``evaluate`` on pre-built facts (what a page or the
daily reminder job does after loading the facts), the same without texts
(``evaluate(..., texts=False)``: codes, due dates and statuses only, for a caller that shows no
text), and separately ``Facts.from_dict`` + ``evaluate`` (what the CLI and the API
do). The two ``evaluate`` rates are measured in alternating rounds, so that they see the same
machine. Rates are CPU time of this process
(``time.process_time``), so that other work on a shared machine does not count.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from terugkeer.rules import Facts, Policy, evaluate  # noqa: E402


def _ev(start: date, day: int, type_: str, **kw) -> dict:
    return {"type": type_, "date": (start + timedelta(days=day)).isoformat(), **kw}


def make_case(rng: random.Random) -> tuple[dict, date]:
    rit3 = rng.random() < 0.6
    base = date(2026, 1, 1) if rit3 else date(2022, 10, 1)
    start = base + timedelta(days=rng.randrange(0, 700 if rit3 else 1150))
    kind = rng.choices(
        ["informal_plain", "informal_attention", "formal_A", "formal_B", "formal_C", "no_reg"],
        weights=[30, 25, 15, 10, 5, 15],
    )[0]
    events = []
    day = 1
    while day < 120:
        events.append(_ev(start, day, "contact", channel="call", by="manager"))
        day += rng.randint(7, 21)
    events.append(_ev(start, 28 + rng.randint(0, 5), "four_week_list"))
    events.append(_ev(start, 35 + rng.randint(0, 10), "physician_information"))
    if rit3:
        events.append(_ev(start, 56, "work_potential_request"))
        events.append(_ev(start, 70, "work_potential_result", result="found"))
    end = 400
    absences = []
    if kind == "informal_plain":
        events += [
            _ev(start, 30, "conversation", outcome="possible"),
            _ev(start, 50, "agreements"),
            _ev(start, 70, "return_to_work", return_type="full"),
            _ev(start, 85, "follow_up"),
            _ev(start, 115, "follow_up"),
        ]
        end = 200
    elif kind == "informal_attention":
        events += [
            _ev(start, 40, "conversation", outcome="not_yet"),
            _ev(start, 70, "conversation", outcome="attention"),
            _ev(start, 100, "step_plan", percentage=50),
            _ev(start, 130, "return_to_work", return_type="progressive", percentage=50),
            _ev(start, 145, "follow_up"),
        ]
        if rng.random() < 0.3:
            absences = [
                {"start": start.isoformat(), "end": (start + timedelta(days=129)).isoformat()},
                {"start": (start + timedelta(days=160)).isoformat(), "end": None},
            ]
        end = 260
    elif kind in ("formal_A", "formal_B", "formal_C"):
        decision = kind[-1]
        events += [
            _ev(start, 45, "conversation", outcome="not_yet"),
            _ev(start, 100, "formal_request", by=rng.choice(["employee", "employer"])),
            _ev(start, 110, "invitation", attended=True),
            _ev(start, 140, "assessment", decision=decision),
        ]
        if decision == "A":
            events += [
                _ev(start, 190, "plan"),
                _ev(start, 200, "employee_answer", accepted=True),
                _ev(start, 210, "return_to_work", return_type="adapted"),
            ]
        elif decision == "B":
            events += [
                _ev(start, 150, "appeal"),
                _ev(start, 185, "appeal_outcome", decision="B"),
                _ev(start, 330, "plan"),
                _ev(start, 340, "employee_answer", accepted=rng.random() < 0.7, reason="other"),
            ]
        else:
            events += [_ev(start, 200, "follow_up")]
        end = 420
    if rng.random() < 0.2:
        events.append(_ev(start, end - 10, "closure", outcome="sustainable_return"))
    facts = {
        "absence_start": start.isoformat(),
        "trajectory_start": start.isoformat(),
        "statute": rng.choice(["statutair", "contractueel"]),
        "organisation_kind": rng.choice(["vo", "vo", "local"]),
        "employer_size": rng.choice([15, 250, 5000]),
        "absences": absences,
        "events": events,
    }
    today = start + timedelta(days=rng.randrange(0, end))
    return facts, today


def long_case(n_events: int, pattern: str) -> tuple[Facts, date]:
    """One trajectory with ``n_events`` events: the worst shapes for the engine.

    ``returns``: returns to work and relapses alternating (every return with its follow-ups);
    ``mixed``: also conversations, contacts, formal requests with invitations and assessments.
    """
    start = date(2026, 1, 5)
    events: list[dict] = []
    day = 1
    kinds = ["return_to_work", "follow_up", "relapse", "contact"]
    if pattern == "mixed":
        kinds += ["conversation", "formal_request", "invitation", "assessment", "plan"]
    i = 0
    while len(events) < n_events:
        t = kinds[i % len(kinds)]
        extra: dict = {}
        if t == "conversation":
            extra = {"outcome": "not_yet"}
        elif t == "formal_request":
            extra = {"by": "employee"}
        elif t == "invitation":
            extra = {"attended": False}
        elif t == "assessment":
            extra = {"decision": "A"}
        elif t == "contact":
            extra = {"channel": "call", "by": "manager"}
        events.append(_ev(start, day, t, **extra))
        day += 3
        i += 1
    facts = Facts.from_dict({"absence_start": start.isoformat(), "events": events})
    return facts, start + timedelta(days=day + 1)


def scaling(rounds: int) -> None:
    """Time of one evaluation against the number of events: should grow linearly."""
    print("events   returns-pattern        mixed-pattern          (one evaluation, best of rounds)")
    for n in (10, 100, 1_000, 10_000):
        row = []
        for pattern in ("returns", "mixed"):
            facts, today = long_case(n, pattern)
            best = float("inf")
            for _ in range(max(1, rounds if n < 10_000 else 2)):
                t0 = time.perf_counter()
                evaluate(facts, None, today)
                best = min(best, time.perf_counter() - t0)
            row.append(best)
        print(
            f"{n:>6}  {row[0] * 1000:>9.2f} ms {row[0] / n * 1e6:>5.1f} µs/ev"
            f"  {row[1] * 1000:>9.2f} ms {row[1] / n * 1e6:>5.1f} µs/ev"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="trajectories")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--scaling-only", action="store_true", help="only the events scaling")
    args = parser.parse_args()
    scaling(args.rounds)
    if args.scaling_only:
        return

    rng = random.Random(args.seed)
    raw = [make_case(rng) for _ in range(args.n)]
    cases = [(Facts.from_dict(f), t) for f, t in raw]
    policies = {k: Policy.default(k) for k in ("vo", "local")}
    obligations = sum(len(evaluate(f, policies[f.organisation_kind], t)) for f, t in cases)

    best = best_codes = 0.0
    for _ in range(args.rounds):
        t0 = time.process_time()
        for facts, today in cases:
            evaluate(facts, policies[facts.organisation_kind], today)
        best = max(best, len(cases) / (time.process_time() - t0))
        t0 = time.process_time()
        for facts, today in cases:
            evaluate(facts, policies[facts.organisation_kind], today, texts=False)
        best_codes = max(best_codes, len(cases) / (time.process_time() - t0))

    best_full = 0.0
    for _ in range(max(1, args.rounds // 2)):
        t0 = time.process_time()
        for f, today in raw:
            facts = Facts.from_dict(f)
            evaluate(facts, policies[facts.organisation_kind], today)
        best_full = max(best_full, len(raw) / (time.process_time() - t0))

    print(f"trajectories: {len(cases)}, obligations per evaluation: {obligations / len(cases):.1f}")
    print(f"evaluate (pre-built facts): {best:,.0f} evaluations/s (best of {args.rounds})")
    print(
        f"evaluate(texts=False), codes, due dates, statuses: {best_codes:,.0f} evaluations/s "
        f"(best of {args.rounds}; {best_codes / best:.1f}x)"
    )
    print(f"Facts.from_dict + evaluate: {best_full:,.0f} evaluations/s")
    print(f"python {sys.version.split()[0]}, one core, CPU time (time.process_time)")


if __name__ == "__main__":
    main()
