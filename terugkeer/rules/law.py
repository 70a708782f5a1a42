"""The law as data: one entry per version of the federal re-integration rules.

A trajectory is judged by the version in force on the day it started
(``law_for(trajectory_start)``). The next reform is a new entry in ``LAW_VERSIONS``, not a
rewrite of the engine. See docs/rules.md for the sources of every number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .i18n import current_gettext, gettext_noop


class Sources(dict):
    """Each law version's sources by rule; read in the reader's language (see i18n)."""

    def __getitem__(self, key: str) -> str:
        text = super().__getitem__(key)
        if not text:
            return text
        translate = current_gettext()
        return text if translate is str else translate(text)


@dataclass(frozen=True, eq=False)
class LawVersion:
    code: str  # stable identifier, stored on the trajectory ("RIT3.0")
    title: str
    effective_from: date
    effective_to: date | None
    # Formal trajectory (Codex welzijn op het werk, boek I titel 4 hfst. VI)
    assessment_days: int = 49
    appeal_days: int = 21
    appeal_decision_days: int = 42
    plan_after_A_days: int = 63
    plan_after_B_months: int = 6
    answer_days: int = 14
    ignored_invitations: int = 3
    invitations_min_gap_days: int = 14
    # Who may start a formal trajectory. The employer: after ``employer_start_after_months`` of
    # uninterrupted incapacity (None: no such way in), with a certificate of definitive
    # unfitness, and (RIT 3.0) with the employee's consent or once the work-potential estimate
    # found work potential.
    employer_start_after_months: int | None = 3
    employer_start_definitive_unfitness: bool = True
    employer_start_after_work_potential: bool = False
    relapse_grace_days: int = 14  # a relapse within the first 14 days of a resumption
    early_start_with_consent: bool = False
    # Around the trajectory
    four_week_information: bool = True
    four_week_days: int = 28
    work_potential_weeks: int | None = None
    work_potential_estimate_days: int | None = None  # no legal term found: policy.asap_days
    formal_request_deadline_months: int | None = None
    formal_request_deadline_min_workers: int = 20
    employer_may_request_visit: bool = False
    preventive_request: bool = False
    contact_procedure: bool = False
    force_majeure_months: int = 9
    # Solidarity contribution (contract staff, employers with on average >= 50 workers, workers
    # aged 18-54 at the start, months 2 and 3 of the incapacity): None = not in force.
    solidarity_min_workers: int | None = None
    solidarity_ages: tuple[int, int] = (18, 54)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The code as people write it in a sentence ("RIT 3.0")."""
        return self.code.replace("RIT", "RIT ", 1)

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def to_dict(self) -> dict:
        out = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, dict):
                value = dict(value)
            out[name] = value
        return out


# The sources are Dutch message ids (gettext_noop): LawVersion.sources translates them when
# the engine reads one (i18n.translating); the command line and to_dict() keep the Dutch.
_SOURCES_20 = Sources(
    {
        "four_week_list": gettext_noop(
            "Codex welzijn op het werk art. I.4-4 §3 (KB 11 september 2022)"
        ),
        "physician_information": gettext_noop(
            "Codex welzijn op het werk art. I.4-71/1 (KB 11 september 2022)"
        ),
        "formal_start": gettext_noop(
            "Codex welzijn op het werk art. I.4-72 §1 (KB 11 september 2022)"
        ),
        "invitations": gettext_noop(
            "Codex welzijn op het werk art. I.4-73 (KB 11 september 2022): 3 "
            "uitnodigingen, 14 dagen"
        ),
        "assessment": gettext_noop(
            "Codex welzijn op het werk art. I.4-73 (KB 11 september 2022): 49 kalenderdagen"
        ),
        "decision_c": gettext_noop(
            "Codex welzijn op het werk art. I.4-73 (KB 11 september 2022): beslissing C"
        ),
        "appeal": gettext_noop(
            "Codex welzijn op het werk art. I.4-80 jo. I.4-63 (KB 11 september 2022):"
            " 21 kalenderdagen"
        ),
        "appeal_decision": gettext_noop(
            "Codex welzijn op het werk art. I.4-80 jo. I.4-65 (KB 11 september 2022):"
            " 42 kalenderdagen"
        ),
        "plan_after_a": gettext_noop(
            "Codex welzijn op het werk art. I.4-74 (KB 11 september 2022): 63 kalenderdagen na A"
        ),
        "plan_after_b": gettext_noop(
            "Codex welzijn op het werk art. I.4-74 (KB 11 september 2022): 6 maanden na B"
        ),
        "employee_answer": gettext_noop(
            "Codex welzijn op het werk art. I.4-75 (KB 11 september 2022): 14 kalenderdagen"
        ),
        "visit_before_return": gettext_noop(
            "Codex welzijn op het werk art. I.4-36 (bezoek voorafgaand aan de werkhervatting)"
        ),
        "force_majeure": gettext_noop("Wet 3 juli 1978 arbeidsovereenkomsten art. 34 (9 maanden)"),
        "contact": "",
        "work_potential": "",
        "formal_request_deadline": "",
        "preventive": "",
        "relapse_grace": gettext_noop(
            "Codex welzijn op het werk art. I.4-72 (KB 11 september 2022): herval "
            "binnen 14 dagen na een hervatting onderbreekt de arbeidsongeschiktheid "
            "niet"
        ),
        "plan_no_answer": gettext_noop(
            "Codex welzijn op het werk art. I.4-75 (KB 11 september 2022): geen "
            "antwoord binnen de termijn: de werkgever neemt contact op; opnieuw geen "
            "antwoord telt als weigering"
        ),
        "trajectory_ended": gettext_noop(
            "Codex welzijn op het werk art. I.4-76 (KB 11 september 2022): traject "
            "beëindigd bij weigering van het plan of een gemotiveerd verslag"
        ),
        "solidarity": "",
        "work_potential_not_needed": "",
    }
)

_SOURCES_30 = Sources(
    _SOURCES_20,
    **{
        "four_week_list": gettext_noop(
            "Codex welzijn op het werk art. I.4-4 §3 (ongewijzigd door KB 17 december 2025)"
        ),
        "physician_information": gettext_noop(
            "Codex welzijn op het werk art. I.4-71/1 (ongewijzigd door KB 17 december 2025)"
        ),
        "formal_start": gettext_noop(
            "Codex welzijn op het werk art. I.4-72 (KB 17 december 2025): werkgever "
            "vanaf dag 1 met akkoord van de medewerker, of zodra de inschatting "
            "arbeidspotentieel vaststelde, of met een attest van definitieve "
            "ongeschiktheid"
        ),
        "visit_before_return": gettext_noop(
            "Codex welzijn op het werk (KB 17 december 2025): bezoek voorafgaand aan "
            "de werkhervatting ook op vraag van de werkgever"
        ),
        "force_majeure": gettext_noop(
            "Wet 3 juli 1978 arbeidsovereenkomsten art. 34, gewijzigd door de wet van"
            " 19 december 2025 (6 maanden)"
        ),
        "contact": gettext_noop(
            "Contactprocedure in het arbeidsreglement (wet 19 december 2025, actief "
            "afwezigheidsbeleid)"
        ),
        "work_potential": gettext_noop(
            "Codex welzijn op het werk (KB 17 december 2025): inschatting "
            "arbeidspotentieel na 8 weken"
        ),
        "formal_request_deadline": gettext_noop(
            "Codex welzijn op het werk (KB 17 december 2025): werkgevers met 20 of "
            "meer werknemers vragen uiterlijk 6 maanden na de start van de "
            "arbeidsongeschiktheid een traject aan"
        ),
        "preventive": gettext_noop(
            "Codex welzijn op het werk art. I.4-36 (KB 17 december 2025): preventief verzoek"
        ),
        "relapse_grace": gettext_noop(
            "Codex welzijn op het werk art. I.4-72: herval binnen 14 dagen (de 8 "
            "weken van 2026 gelden voor het gewaarborgd loon, niet voor de Codex; zie"
            " docs/rules.md)"
        ),
        "solidarity": gettext_noop(
            "Solidariteitsbijdrage arbeidsongeschiktheid (vanaf 1 januari 2026): "
            "werkgevers met gemiddeld 50 of meer werknemers, contractuelen van 18 tot"
            " 54 jaar, tweede en derde maand arbeidsongeschiktheid"
        ),
        "work_potential_not_needed": gettext_noop(
            "Codex welzijn op het werk (KB 17 december 2025): inschatting niet nodig "
            "bij een verwachte werkhervatting binnen 6 maanden (Cohezio)"
        ),
    },
)

RIT20 = LawVersion(
    code="RIT2.0",
    title=gettext_noop("Re-integratietraject 2.0 (KB 11 september 2022)"),
    effective_from=date(2022, 10, 1),
    effective_to=date(2025, 12, 31),
    sources=_SOURCES_20,
)

RIT30 = LawVersion(
    code="RIT3.0",
    title=gettext_noop("Re-integratietraject 3.0 (KB 17 december 2025, wet 19 december 2025)"),
    effective_from=date(2026, 1, 1),
    effective_to=None,
    ignored_invitations=3,  # not changed by the 3.0 summaries consulted: see docs/rules.md
    employer_start_after_months=None,  # no 3-month wait: see docs/rules.md, decision 4
    employer_start_after_work_potential=True,
    early_start_with_consent=True,
    four_week_information=True,  # no 3.0 summary lists its repeal: see docs/rules.md
    work_potential_weeks=8,
    formal_request_deadline_months=6,
    employer_may_request_visit=True,
    preventive_request=True,
    contact_procedure=True,
    force_majeure_months=6,
    solidarity_min_workers=50,
    sources=_SOURCES_30,
)

LAW_VERSIONS: tuple[LawVersion, ...] = (RIT20, RIT30)


def law_on(day: date | None, fallback: LawVersion) -> LawVersion:
    """The law version in force on ``day``, or ``fallback`` when none covers it.

    The transitional rule (docs/rules.md, "Which date decides"): a formal trajectory is judged by
    the law on its request date, the rules that run on the incapacity by its first day.
    """
    if day is None:
        return fallback
    found = _LAW_ON.get(day, _UNKNOWN)
    if found is _UNKNOWN:
        found = _version_on(day)
        if len(_LAW_ON) > 50_000:  # a few decades of days: never in practice
            _LAW_ON.clear()
        _LAW_ON[day] = found
    return found if found is not None else fallback


# The version in force per day (None: none), filled as the engine asks: law_on and law_for run
# a few times per evaluation.
_LAW_ON: dict[date, LawVersion | None] = {}
_UNKNOWN = object()


def _version_on(day: date) -> LawVersion | None:
    for version in LAW_VERSIONS:
        if version.covers(day):
            return version
    return None


class UnknownLawVersion(ValueError):
    """No law version covers the trajectory's start date."""


def law_for(trajectory_start: date) -> LawVersion:
    """The law version in force on ``trajectory_start``."""
    if trajectory_start is not None:
        found = law_on(trajectory_start, None)
        if found is not None:
            return found
    for version in LAW_VERSIONS:
        if version.covers(trajectory_start):
            return version
    raise UnknownLawVersion(
        f"Geen wetsversie voor een traject gestart op {trajectory_start.isoformat()} "
        f"(RIT 2.0 vanaf {RIT20.effective_from.isoformat()}) / no law version covers a "
        f"trajectory started on {trajectory_start.isoformat()}"
    )


def law_code(trajectory_start: date) -> str:
    """The code of the law version in force on ``trajectory_start``; '' before the first one
    (the engine then returns only the ``law_not_covered`` signal)."""
    for version in LAW_VERSIONS:
        if version.covers(trajectory_start):
            return version.code
    return ""
