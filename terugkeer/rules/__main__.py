"""Command line: ``python -m terugkeer.rules FILE.json`` (or ``-`` for standard input).

Input: {"facts": {...}, "policy": {... optional, partial}, "today": "YYYY-MM-DD" (optional)}.
Output: {"law": ..., "policy": ..., "today": ..., "obligations": [...], "next": ...} as JSON.
Bad input: exit code 2 and a message on standard error.
"""

from __future__ import annotations

import json
import sys

from .calendar import today_in_belgium
from .engine import evaluate
from .facts import Facts, FactsError, parse_date
from .law import UnknownLawVersion, law_for
from .obligation import next_obligation
from .policy import Policy, PolicyError

USAGE = "usage: python -m terugkeer.rules FILE.json | -"


def run(data: object) -> dict:
    if not isinstance(data, dict):
        raise FactsError(
            "invoer moet een JSON-object zijn met 'facts' (en eventueel 'policy', 'today') / "
            "input must be a JSON object with 'facts' (and optional 'policy', 'today')"
        )
    unknown = set(data) - {"facts", "policy", "today"}
    if unknown:
        raise FactsError(f"onbekende velden / unknown top-level keys {sorted(unknown)!r:.200}")
    if "facts" not in data:
        raise FactsError("'facts' ontbreekt / 'facts' is missing")
    facts = Facts.from_dict(data["facts"])
    policy_in = data.get("policy")
    if policy_in is not None and not isinstance(policy_in, dict):
        raise PolicyError("'policy' moet een object of null zijn / must be an object or null")
    policy = Policy.from_dict(policy_in, facts.organisation_kind)
    today = parse_date(data.get("today"), "today") or today_in_belgium()
    if facts.absence_start is not None and (today - facts.absence_start).days > 36500:
        raise FactsError("today: meer dan 100 jaar na absence_start / more than 100 years after")
    law = law_for(facts.trajectory_start)
    obligations = evaluate(facts, policy, today)
    nxt = next_obligation(obligations)
    return {
        "law": law.code,
        "policy": policy.to_dict(),
        "today": today.isoformat(),
        "obligations": [o.to_dict() for o in obligations],
        "next": nxt.to_dict() if nxt else None,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 2
    try:
        if args[0] == "-":
            text = sys.stdin.read()
        else:
            with open(args[0], encoding="utf-8") as fh:
                text = fh.read()
    except OSError as exc:
        print(f"error: cannot read {args[0]}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"error: ongeldige JSON / invalid JSON: {exc}", file=sys.stderr)
        return 2
    except (ValueError, RecursionError) as exc:  # e.g. an integer of 5,000 digits
        print(f"error: ongeldige JSON / invalid JSON: {str(exc)[:200]}", file=sys.stderr)
        return 2
    try:
        result = run(data)
    except (FactsError, PolicyError, UnknownLawVersion) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        # Should not happen: the input checks above are meant to catch every bad input. Still
        # no traceback for the user, and the same exit code as for any bad input.
        print(
            f"error: invoer niet te verwerken / input cannot be evaluated "
            f"({type(exc).__name__}: {str(exc)[:200]})",
            file=sys.stderr,
        )
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
