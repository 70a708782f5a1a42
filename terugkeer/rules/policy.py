"""The organisation's handelingskader (policy framework): its terms, defaults and limits.

The defaults are data (``FRAMEWORKS``): the omzendbrief re-integratie for the Vlaamse overheid
(in force 1 January 2024) and a default handelingskader for local governments that follows the
same process (seed 000). An organisation may set stricter terms, never looser ones:
``Policy.validate()`` raises ``PolicyError`` for a looser term.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any


class PolicyError(ValueError):
    """A policy term is invalid or looser than the legal / omzendbrief default."""


@dataclass(frozen=True, eq=False)
class Framework:
    code: str
    organisation_kind: str
    name: str
    framework: str  # how its steps are cited in an obligation's source
    effective_from: date
    effective_to: date | None
    terms: dict[str, Any]


_COMMON_TERMS: dict[str, Any] = {
    "contact_interval_days": 14,
    "conversation_within_months": 2,
    "conversation_followup_days": 30,
    "step_plan_within_months": 2,
    "formal_trigger_no_conversation_months": 4,
    "formal_trigger_no_plan_months": 2,
    "four_week_days": 28,
    "due_soon_days": 7,
    "follow_up_after_return_days": (14, 42, 91),
    "relapse_window_days": 91,
    "shift_to_working_day": False,
    "trajectory_threshold_days": 28,
    "asap_days": 14,
    "reassessment_after_c_months": 3,
}

FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        code="OMZ-VO-2024",
        organisation_kind="vo",
        name="Omzendbrief re-integratie Vlaamse overheid (standaard)",
        framework="Omzendbrief re-integratie",
        effective_from=date(2024, 1, 1),
        effective_to=None,
        terms=dict(_COMMON_TERMS),
    ),
    Framework(
        code="HK-LB",
        organisation_kind="local",
        name="Handelingskader re-integratie lokaal bestuur (standaard)",
        framework="Handelingskader re-integratie",
        effective_from=date(2024, 1, 1),
        effective_to=None,
        terms=dict(_COMMON_TERMS),
    ),
)

# The loosest value each term may take, and what that limit rests on.
# ("max", n): the term may not be longer than n; ("min", n): not shorter than n.
LIMITS: dict[str, tuple[str, int, str]] = {
    "conversation_within_months": ("max", 2, "omzendbrief stap 3: gesprek binnen 2 maanden"),
    "step_plan_within_months": ("max", 2, "omzendbrief stap 3: stappenplan binnen 2 maanden"),
    "formal_trigger_no_conversation_months": (
        "max",
        4,
        "omzendbrief stap 4: formeel traject na 4 maanden zonder gesprek",
    ),
    "formal_trigger_no_plan_months": (
        "max",
        2,
        "omzendbrief stap 4: formeel traject 2 maanden na inschatting zonder stappenplan",
    ),
    "four_week_days": ("max", 28, "Codex art. I.4-4 §3: arbeidsongeschiktheid van 4 weken"),
    "trajectory_threshold_days": ("max", 28, "the 4-week mark (Codex art. I.4-4 §3)"),
    "contact_interval_days": (
        "max",
        28,
        "Terugkeer: contact at least every 4 weeks (seed 000: 'wacht geen 3 maand')",
    ),
    "conversation_followup_days": ("max", 30, "Terugkeer default for a new conversation"),
    "relapse_window_days": ("min", 91, "Terugkeer default relapse window (13 weeks)"),
    "asap_days": ("max", 14, "Terugkeer reading of 'zo snel mogelijk'"),
    "reassessment_after_c_months": ("max", 3, "Terugkeer default follow-up after decision C"),
}

_INT_FIELDS = (
    "contact_interval_days",
    "conversation_within_months",
    "conversation_followup_days",
    "step_plan_within_months",
    "formal_trigger_no_conversation_months",
    "formal_trigger_no_plan_months",
    "four_week_days",
    "due_soon_days",
    "relapse_window_days",
    "trajectory_threshold_days",
    "asap_days",
    "reassessment_after_c_months",
)

_DEFAULT_CACHE: dict[str, Policy] = {}


@dataclass(frozen=True, eq=True)
class Policy:
    name: str = "Omzendbrief re-integratie Vlaamse overheid (standaard)"
    organisation_kind: str = "vo"
    framework: str = "Omzendbrief re-integratie"
    contact_interval_days: int = 14
    conversation_within_months: int = 2
    conversation_followup_days: int = 30
    step_plan_within_months: int = 2
    formal_trigger_no_conversation_months: int = 4
    formal_trigger_no_plan_months: int = 2
    four_week_days: int = 28
    due_soon_days: int = 7
    follow_up_after_return_days: tuple[int, ...] = (14, 42, 91)
    relapse_window_days: int = 91
    shift_to_working_day: bool = False
    trajectory_threshold_days: int = 28
    asap_days: int = 14
    reassessment_after_c_months: int = 3

    def __post_init__(self) -> None:
        if not isinstance(self.follow_up_after_return_days, tuple):
            object.__setattr__(
                self, "follow_up_after_return_days", tuple(self.follow_up_after_return_days)
            )
        self.validate()

    def validate(self) -> None:
        if self.organisation_kind not in ("vo", "local"):
            raise PolicyError(
                f"organisation_kind moet 'vo' of 'local' zijn / must be 'vo' or 'local' "
                f"({self.organisation_kind!r})"
            )
        for name in _INT_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise PolicyError(f"{name}: geheel getal verwacht / integer expected ({value!r})")
            lowest = 0 if name == "due_soon_days" else 1
            if value < lowest or value > 3650:
                raise PolicyError(
                    f"{name}={value} ligt buiten {lowest}..3650 / is outside {lowest}..3650"
                )
            limit = LIMITS.get(name)
            if limit is None:
                continue
            kind, bound, basis = limit
            if kind == "max" and value > bound:
                raise PolicyError(
                    f"{name}={value} is ruimer dan toegestaan (maximum {bound}; {basis}); een "
                    f"organisatie mag strenger zijn, nooit ruimer / {name}={value} is looser "
                    f"than allowed (maximum {bound}): an organisation may be stricter, never looser"
                )
            if kind == "min" and value < bound:
                raise PolicyError(
                    f"{name}={value} is ruimer dan toegestaan (minimum {bound}; {basis}); een "
                    f"organisatie mag strenger zijn, nooit ruimer / {name}={value} is looser "
                    f"than allowed (minimum {bound}): an organisation may be stricter, never looser"
                )
        days = self.follow_up_after_return_days
        if any(not isinstance(d, int) or isinstance(d, bool) or d < 1 or d > 3650 for d in days):
            raise PolicyError(
                f"follow_up_after_return_days: positieve gehele getallen / positive integers "
                f"expected ({list(days)!r})"
            )
        if list(days) != sorted(set(days)):
            raise PolicyError(
                "follow_up_after_return_days: oplopend en zonder dubbels / ascending without "
                f"duplicates ({list(days)!r})"
            )
        if not isinstance(self.shift_to_working_day, bool):
            raise PolicyError("shift_to_working_day: true/false expected")

    @classmethod
    def default(cls, organisation_kind: str = "vo", on: date | None = None) -> Policy:
        """The default framework of an organisation kind (the one in force on ``on``)."""
        key = f"{organisation_kind}:{on}"
        cached = _DEFAULT_CACHE.get(key)
        if cached is not None:
            return cached
        candidates = [f for f in FRAMEWORKS if f.organisation_kind == organisation_kind]
        if on is not None:
            candidates = [
                f
                for f in candidates
                if f.effective_from <= on and (f.effective_to is None or on <= f.effective_to)
            ] or candidates
        if not candidates:
            raise PolicyError(
                f"geen standaardkader voor {organisation_kind!r} / no default framework for "
                f"{organisation_kind!r}"
            )
        fw = candidates[-1]
        policy = cls(
            name=fw.name, organisation_kind=fw.organisation_kind, framework=fw.framework, **fw.terms
        )
        _DEFAULT_CACHE[key] = policy
        return policy

    @classmethod
    def from_dict(cls, d: dict | None, organisation_kind: str | None = None) -> Policy:
        """A policy from a (partial) dict; missing terms come from the default framework."""
        d = dict(d or {})
        kind = d.get("organisation_kind") or organisation_kind or "vo"
        base = cls.default(kind)
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise PolicyError(f"policy: onbekende velden / unknown fields {sorted(unknown)}")
        values = base.to_dict()
        values.update(d)
        values["organisation_kind"] = kind
        try:
            return cls(**values)
        except TypeError as exc:  # pragma: no cover - defensive
            raise PolicyError(str(exc)) from exc

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["follow_up_after_return_days"] = list(self.follow_up_after_return_days)
        return out
