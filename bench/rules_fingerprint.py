"""Fingerprint of the rules engine's results, to compare two versions of the engine.

    .venv/bin/python bench/rules_fingerprint.py [--n 3000] [--days 6] [--out FILE]

Evaluates the benchmark's generated trajectories (bench_rules.make_case, the long cases too)
on several days of their lives, with the default and a stricter policy, and prints one SHA-256
over every obligation in full (code, title, due, status, source, why, done_on, signal). Run it
on two versions (e.g. ``git archive OLD terugkeer/rules bench | tar -x -C /tmp/old`` and run
there): equal digests mean identical obligations. ``--out`` writes them as JSON lines, for a
diff when they are not equal.

A second digest covers every third generated case again with the absence starting 30 days
later than the trajectory, so that its first events come before the absence (they do not
count and raise the ``events_before_absence`` signal).

It also evaluates every case without texts (``evaluate(..., texts=False)``, for callers that
show no text) and stops with an error on the first evaluation where that path
differs from the full one in code, due, status, done_on or signal, or carries a text.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rules import long_case, make_case  # noqa: E402

from terugkeer.rules import Facts, Policy, evaluate  # noqa: E402


def _codes(o) -> tuple:
    return (o.code, o.due, o.status, o.done_on, o.signal)


# Older engines (before issue 19's text-free path) have no ``texts``: digests only.
HAS_TEXT_FREE_PATH = "texts" in inspect.signature(evaluate).parameters


def _check(facts: Facts, policy: Policy, day, full: list, i: int) -> None:
    if not HAS_TEXT_FREE_PATH:
        return
    fast = evaluate(facts, policy, day, texts=False)
    if [_codes(o) for o in fast] != [_codes(o) for o in full] or any(
        o.title or o.source or o.why for o in fast
    ):
        sys.exit(f"texts=False differs from the full evaluation: case {i} on {day}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--days", type=int, default=6)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--out")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    policies = [Policy.default("vo"), Policy.default("local")]
    strict = Policy.from_dict({"due_soon_days": 3, "shift_to_working_day": True})
    digest = hashlib.sha256()
    out = open(args.out, "w") if args.out else None  # noqa: SIM115
    count = 0
    cases = [make_case(rng) for _ in range(args.n)]
    extra = [long_case(n, p) for n in (10, 100) for p in ("returns", "mixed")]
    for i, (raw, today) in enumerate(cases + [(f, t) for f, t in extra]):
        facts = raw if isinstance(raw, Facts) else Facts.from_dict(raw)
        for k in range(args.days):
            day = today + timedelta(days=rng.randrange(-120, 240) if k else 0)
            for policy in (policies[facts.organisation_kind == "local"], strict):
                full = evaluate(facts, policy, day)
                line = json.dumps(
                    [i, day.isoformat(), [o.to_dict() for o in full]], ensure_ascii=False
                )
                _check(facts, policy, day, full, i)
                digest.update(line.encode())
                count += 1
                if out:
                    out.write(line + "\n")
    if out:
        out.close()
    late = hashlib.sha256()
    late_count = 0
    for i, (raw, today) in enumerate(cases[::3]):
        start = date.fromisoformat(raw["absence_start"]) + timedelta(days=30)
        facts = Facts.from_dict({**raw, "absence_start": start.isoformat()})
        for day in (today, today + timedelta(days=60)):
            for policy in (policies[facts.organisation_kind == "local"], strict):
                full = evaluate(facts, policy, day)
                late.update(
                    json.dumps(
                        [i, day.isoformat(), [o.to_dict() for o in full]], ensure_ascii=False
                    ).encode()
                )
                _check(facts, policy, day, full, i)
                late_count += 1
    print(f"{count} evaluations: {digest.hexdigest()}")
    print(f"{late_count} evaluations, absence after the first events: {late.hexdigest()}")
    if HAS_TEXT_FREE_PATH:
        print(
            f"texts=False: equal to the full evaluation on all {count + late_count} "
            "(code, due, status, done_on, signal)"
        )


if __name__ == "__main__":
    main()
