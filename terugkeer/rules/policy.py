"""The organisation's handelingskader (policy framework): its terms, defaults and limits.

The defaults are data (``FRAMEWORKS``): the omzendbrief re-integratie for the Vlaamse overheid
(in force 1 January 2024) and a default handelingskader for local governments that follows the
same process (seed 000). An organisation may set stricter terms, never looser ones:
``Policy.validate()`` raises ``PolicyError`` for a looser term.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache
from typing import Any

from .calendar import add_months
from .i18n import current_gettext, gettext_noop


class PolicyError(ValueError):
    """A policy term is invalid or looser than the legal / omzendbrief default."""


UNITS = ("days", "weeks", "months")
_UNIT_LABELS = {
    "days": (gettext_noop("{n} dag"), gettext_noop("{n} dagen")),
    "weeks": (gettext_noop("{n} week"), gettext_noop("{n} weken")),
    "months": (gettext_noop("{n} maand"), gettext_noop("{n} maanden")),
}
_MAX_VALUE = {"days": 3650, "weeks": 522, "months": 120}


@cache
def _month_span(months: int) -> tuple[int, int]:
    """The shortest and longest length in days of ``months`` calendar months (any start)."""
    lengths = set()
    start = date(2024, 1, 1)  # a 4-year cycle covers every month-length pattern of 1901-2099
    for i in range(1461):
        d = start + timedelta(days=i)
        lengths.add((add_months(d, months) - d).days)
    return min(lengths), max(lengths)


class Term(int):
    """A policy term with its unit: ``Term(6, "weeks")``.

    An int (its longest length in days) so that code comparing day terms keeps working; the
    engine always goes through ``add()`` and ``label()``.
    """

    value: int
    unit: str

    def __new__(cls, value: int, unit: str) -> Term:
        if unit not in UNITS:
            raise PolicyError(f"onbekende eenheid {unit!r} / unknown unit (days, weeks, months)")
        longest = value if unit == "days" else 7 * value if unit == "weeks" else 31 * value
        obj = super().__new__(cls, longest)
        obj.value = value
        obj.unit = unit
        # What add() adds, worked out once: the engine adds terms ~8 times per evaluation.
        obj._step = (
            None if unit == "months" else timedelta(days=value * (7 if unit == "weeks" else 1))
        )
        return obj

    def add(self, d: date) -> date:
        step = self._step
        if step is None:
            return add_months(d, self.value)
        return d + step

    def span(self) -> tuple[int, int]:
        """Shortest and longest length in days."""
        if self.unit == "months":
            return _month_span(self.value)
        n = self.value * (7 if self.unit == "weeks" else 1)
        return n, n

    def label(self) -> str:
        translate = current_gettext()
        if translate is str:  # Dutch: the same text every time, kept on the term
            found = self.__dict__.get("_label_nl")
            if found is None:
                one, many = _UNIT_LABELS[self.unit]
                found = self._label_nl = (one if self.value == 1 else many).format(n=self.value)
            return found
        one, many = _UNIT_LABELS[self.unit]
        return translate(one if self.value == 1 else many).format(n=self.value)

    def to_json(self) -> dict:
        return {self.unit: self.value}

    def __repr__(self) -> str:
        return f"Term({self.value}, {self.unit!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Term):
            return (self.value, self.unit) == (other.value, other.unit)
        return NotImplemented if not isinstance(other, int) else False

    def __hash__(self) -> int:
        return hash((self.value, self.unit))


def native_unit(name: str) -> str:
    return "months" if name.endswith("_months") else "days"


def as_term(name: str, value: Any) -> Term:
    """A policy value (a whole number in the term's own unit, or ``{"weeks": 6}``) as a Term."""
    if isinstance(value, Term):
        return value
    if isinstance(value, dict):
        if len(value) != 1:
            raise PolicyError(
                f'{name}: één eenheid verwacht, bv. {{"weeks": 6}} / exactly one unit '
                f'expected, e.g. {{"weeks": 6}} ({value!r})'
            )
        ((unit, n),) = value.items()
        if unit not in UNITS:
            raise PolicyError(
                f"{name}: eenheid {unit!r} onbekend (days, weeks, months) / unknown unit"
            )
    else:
        unit, n = native_unit(name), value
    if not isinstance(n, int) or isinstance(n, bool):
        raise PolicyError(f"{name}: geheel getal verwacht / integer expected ({n!r})")
    return Term(n, unit)


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
        framework=gettext_noop("Omzendbrief re-integratie"),
        effective_from=date(2024, 1, 1),
        effective_to=None,
        terms=dict(_COMMON_TERMS),
    ),
    Framework(
        code="HK-LB",
        organisation_kind="local",
        name="Handelingskader re-integratie lokaal bestuur (standaard)",
        framework=gettext_noop("Handelingskader re-integratie"),
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
        # Terms asked by the engine, once per policy (not a field: no part of eq or to_dict).
        object.__setattr__(self, "_terms", {})

    def term(self, name: str) -> Term:
        """A term as a ``Term`` (value and unit), whatever unit the organisation gave it in."""
        found = self._terms.get(name)
        if found is None:
            found = self._terms[name] = as_term(name, getattr(self, name))
        return found

    def validate(self) -> None:
        if not all(isinstance(v, str) for v in (self.name, self.framework)):
            raise PolicyError("name, framework: tekst verwacht / text expected")
        if self.organisation_kind not in ("vo", "local"):
            raise PolicyError(
                f"organisation_kind moet 'vo' of 'local' zijn / must be 'vo' or 'local' "
                f"({self.organisation_kind!r})"
            )
        for name in _INT_FIELDS:
            value = getattr(self, name)
            if name == "due_soon_days":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise PolicyError(
                        f"{name}: geheel getal verwacht / integer expected ({value!r})"
                    )
                if value < 0 or value > 3650:
                    raise PolicyError(f"{name}={value} ligt buiten 0..3650 / is outside 0..3650")
                continue
            term = as_term(name, value)
            if term.value < 1 or term.value > _MAX_VALUE[term.unit]:
                raise PolicyError(
                    f"{name}={term.label()} ligt buiten 1..{_MAX_VALUE[term.unit]} / is outside "
                    f"1..{_MAX_VALUE[term.unit]} {term.unit}"
                )
            limit = LIMITS.get(name)
            if limit is None:
                continue
            kind, bound, basis = limit
            floor = Term(bound, native_unit(name))
            shortest, longest = term.span()
            floor_short, floor_long = floor.span()
            # Stricter means: never a later date than the limit, whatever the start day.
            if term.unit == floor.unit:
                looser = term.value > bound if kind == "max" else term.value < bound
            else:
                looser = longest > floor_short if kind == "max" else shortest < floor_long
            if looser:
                word = "maximum" if kind == "max" else "minimum"
                raise PolicyError(
                    f"{name}={term.label()} is ruimer dan toegestaan ({word} {floor.label()}; "
                    f"{basis}); een organisatie mag strenger zijn, nooit ruimer / {name}="
                    f"{term.value} {term.unit} is looser than allowed ({word} {bound} "
                    f"{floor.unit}): an organisation may be stricter, never looser"
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
        if not isinstance(kind, str):
            raise PolicyError("organisation_kind: 'vo' of 'local' / 'vo' or 'local'")
        values = {f.name: getattr(base, f.name) for f in fields(cls)}
        for name, value in d.items():
            if name in _INT_FIELDS and name != "due_soon_days":
                value = as_term(name, value)
                if value.unit == native_unit(name):
                    value = value.value  # plain numbers stay plain
            elif name == "follow_up_after_return_days":
                if not isinstance(value, list | tuple):
                    raise PolicyError(
                        "follow_up_after_return_days: lijst van dagen / list of days expected"
                    )
                value = tuple(value)
            values[name] = value
        values["organisation_kind"] = kind
        try:
            return cls(**values)
        except TypeError as exc:  # pragma: no cover - defensive
            raise PolicyError(str(exc)) from exc

    def to_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        for name, value in out.items():
            if isinstance(value, Term):
                out[name] = value.to_json()
        out["follow_up_after_return_days"] = list(self.follow_up_after_return_days)
        return out
