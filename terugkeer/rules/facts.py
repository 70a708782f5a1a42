"""The facts of one trajectory: absence periods, settings and events (with their code lists).

The code lists below are the contract with the Django models: they store exactly these codes.
Labels are Dutch (the UI language); the codes are English and stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from .i18n import gettext_noop

EVENT_TYPES: dict[str, str] = {
    "contact": gettext_noop("Contact met de afwezige medewerker"),
    "contact_wishes": gettext_noop("Contactwensen van de medewerker"),
    "four_week_list": gettext_noop("Namen doorgegeven aan de externe preventiedienst (4 weken)"),
    "physician_information": gettext_noop(
        "Arbeidsarts informeerde de medewerker over re-integratie"
    ),
    "early_start_consent": gettext_noop("Akkoord medewerker met start traject vanaf dag 1"),
    "work_potential_request": gettext_noop(
        "Inschatting arbeidspotentieel gevraagd aan de arbeidsarts"
    ),
    "work_potential_result": gettext_noop("Resultaat inschatting arbeidspotentieel"),
    "work_potential_not_needed": gettext_noop(
        "Inschatting arbeidspotentieel niet nodig (met reden)"
    ),
    "visit_before_return_requested": gettext_noop(
        "Bezoek voorafgaand aan de werkhervatting gevraagd"
    ),
    "visit_before_return_held": gettext_noop("Bezoek voorafgaand aan de werkhervatting gebeurd"),
    "preventive_request": gettext_noop("Preventief verzoek van de medewerker"),
    "preventive_answer": gettext_noop("Antwoord op het preventief verzoek"),
    "conversation": gettext_noop("Gesprek over stappen naar werk"),
    "agreements": gettext_noop("Afspraken over de re-integratie gemaakt"),
    "step_plan": gettext_noop("Stappenplan voor werkhervatting opgemaakt"),
    "definitive_unfitness_certificate": gettext_noop(
        "Attest van definitieve ongeschiktheid ontvangen"
    ),
    "formal_request": gettext_noop("Verzoek tot formeel re-integratietraject"),
    "invitation": gettext_noop("Uitnodiging door de arbeidsarts"),
    "assessment": gettext_noop("Re-integratiebeoordeling ontvangen"),
    "appeal": gettext_noop("Beroep tegen beslissing B ingesteld"),
    "appeal_outcome": gettext_noop("Uitspraak in beroep ontvangen"),
    "plan": gettext_noop("Re-integratieplan bezorgd"),
    "motivated_report": gettext_noop("Gemotiveerd verslag (geen plan mogelijk)"),
    "employee_answer": gettext_noop("Antwoord van de medewerker op het plan"),
    "return_to_work": gettext_noop("Werkhervatting"),
    "follow_up": gettext_noop("Opvolggesprek na werkhervatting"),
    "relapse": gettext_noop("Herval"),
    "closure": gettext_noop("Afsluiting van het traject"),
    # Working together on a trajectory (docs/smt.md): the SMT's advice and its actions, the
    # second line's referral and answer, and the action agreed at a periodic alignment.
    "smt_advice": gettext_noop("Advies van het Sociaal Medisch Team"),
    "smt_action": gettext_noop("Actie uit advies SMT"),
    "smt_action_done": gettext_noop("Actie uit advies SMT afgerond"),
    "second_line_referral": gettext_noop(
        "Doorverwezen naar de tweede lijn (adviseur re-integratie)"
    ),
    "second_line_taken_up": gettext_noop("Opgenomen door de tweede lijn"),
    "second_line_answer": gettext_noop("Antwoord van de tweede lijn"),
    "alignment_action": gettext_noop("Afspraak uit de periodieke afstemming"),
}

CONTACT_CHANNELS: dict[str, str] = {
    "call": gettext_noop("telefoon"),
    "card": gettext_noop("kaartje"),
    "visit": gettext_noop("bezoek"),
    "mail": gettext_noop("e-mail of brief"),
    "other": gettext_noop("andere"),
}

CONTACT_BY: dict[str, str] = {
    "manager": gettext_noop("leidinggevende"),
    "coach": gettext_noop("terugkeercoach"),
    "hr": gettext_noop("HR / personeelsdienst"),
    "other": gettext_noop("andere"),
}

CONVERSATION_OUTCOMES: dict[str, str] = {
    "not_yet": gettext_noop("stappen naar werk nog niet mogelijk"),
    "possible": gettext_noop("stappen mogelijk, geen specifieke aandachtspunten"),
    "attention": gettext_noop("stappen mogelijk, met specifieke aandachtspunten"),
}

FORMAL_REQUESTERS: dict[str, str] = {
    "employee": gettext_noop("medewerker"),
    "employer": gettext_noop("werkgever"),
    "physician": gettext_noop("behandelend arts (met akkoord van de medewerker)"),
    # Codex art. I.4-72 §1: the advising physician of the health insurer (contract staff under
    # the ZIV law; statutory staff have none) may start a formal trajectory too.
    "insurer": gettext_noop("adviserend arts van het ziekenfonds"),
}

VISIT_REQUESTERS: dict[str, str] = {
    "employee": gettext_noop("medewerker"),
    "employer": gettext_noop("werkgever"),
}

DECISIONS: dict[str, str] = {
    "A": gettext_noop(
        "A: tijdelijk ongeschikt voor het overeengekomen werk, intussen aangepast of ander werk"
    ),
    "B": gettext_noop(
        "B: definitief ongeschikt voor het overeengekomen werk, aangepast of ander werk mogelijk"
    ),
    "C": gettext_noop("C: beoordeling (nog) niet mogelijk om medische redenen"),
}

WORK_POTENTIAL_RESULTS: dict[str, str] = {
    "found": gettext_noop("arbeidspotentieel vastgesteld"),
    "not_found": gettext_noop("geen arbeidspotentieel"),
    "unknown": gettext_noop("(nog) niet in te schatten"),
}

# Why the 8-week work-potential request is not needed (recorded by the coach, with a reason).
WORK_POTENTIAL_NOT_NEEDED_REASONS: dict[str, str] = {
    "return_expected": gettext_noop("werkhervatting binnen 6 maanden verwacht"),
    "formal_running": gettext_noop("een formeel re-integratietraject loopt al"),
    "other": gettext_noop("andere reden"),
}

RETURN_TYPES: dict[str, str] = {
    "full": gettext_noop("volledige hervatting"),
    "progressive": gettext_noop("progressieve / deeltijdse hervatting"),
    "adapted": gettext_noop("aangepast werk"),
    "other_work": gettext_noop("ander werk"),
    "other_unit": gettext_noop("ander werk in een andere dienst (mobiliteit)"),
}

CLOSURE_OUTCOMES: dict[str, str] = {
    "sustainable_return": gettext_noop("duurzame terugkeer"),
    "other_job_inside": gettext_noop("andere functie binnen de organisatie"),
    "leaving": gettext_noop("uitdiensttreding"),
    "medical_pension": gettext_noop("pensioen om medische redenen"),
    "medical_force_majeure": gettext_noop("medische overmacht"),
    "retirement": gettext_noop("pensioen"),
    "death": gettext_noop("overlijden"),
    "other": gettext_noop("andere"),
}

MOTIVATED_REPORT_REASONS: dict[str, str] = {
    "technically_impossible": gettext_noop("technisch onmogelijk"),
    "objectively_impossible": gettext_noop("objectief onmogelijk"),
    "not_reasonable": gettext_noop("om gegronde redenen redelijkerwijs niet te eisen"),
    "no_adapted_work": gettext_noop("geen aangepast of ander werk mogelijk"),
}

REFUSAL_REASONS: dict[str, str] = {
    "health": gettext_noop("om gezondheidsredenen (zonder details)"),
    "work_content": gettext_noop("inhoud van het aangepast of ander werk"),
    "conditions": gettext_noop("arbeidsvoorwaarden, uurrooster of verplaatsing"),
    "other": gettext_noop("andere"),
}

KINDS: dict[str, str] = {
    "reactive": gettext_noop("na ziekte"),
    "preventive": gettext_noop("preventief"),
}
STATUTES: dict[str, str] = {
    "statutair": gettext_noop("statutair"),
    "contractueel": gettext_noop("contractueel"),
}
ORGANISATION_KINDS: dict[str, str] = {
    "vo": gettext_noop("Vlaamse overheid"),
    "local": gettext_noop("lokaal bestuur"),
}

# Which field of which event type is checked against which code list.
_EVENT_CHOICES: dict[str, dict[str, dict[str, str]]] = {
    "contact": {"channel": CONTACT_CHANNELS, "by": CONTACT_BY},
    "conversation": {"outcome": CONVERSATION_OUTCOMES},
    "formal_request": {"by": FORMAL_REQUESTERS},
    "visit_before_return_requested": {"by": VISIT_REQUESTERS},
    "assessment": {"decision": DECISIONS},
    "appeal_outcome": {"decision": DECISIONS},
    "work_potential_result": {"result": WORK_POTENTIAL_RESULTS},
    "work_potential_not_needed": {"reason": WORK_POTENTIAL_NOT_NEEDED_REASONS},
    "return_to_work": {"return_type": RETURN_TYPES},
    "closure": {"outcome": CLOSURE_OUTCOMES},
    "motivated_report": {"reason": MOTIVATED_REPORT_REASONS},
    "employee_answer": {"reason": REFUSAL_REASONS},
}


class FactsError(ValueError):
    """The facts are not well formed (bad date, unknown code...)."""


# Dates outside this range are refused: terms of months or years must stay computable.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)


def parse_date(value: Any, what: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        found = value
    elif isinstance(value, str) and len(value) == 10:
        try:
            found = date.fromisoformat(value)
        except ValueError:
            found = None
    else:
        found = None
    if found is not None:
        if not (MIN_DATE <= found <= MAX_DATE):
            raise FactsError(
                f"{what}: datum {found.isoformat()} buiten {MIN_DATE.year}..{MAX_DATE.year} / "
                f"date {found.isoformat()} outside {MIN_DATE.year}..{MAX_DATE.year}"
            )
        return found
    raise FactsError(
        f"{what}: ongeldige datum {value!r} (verwacht JJJJ-MM-DD) / invalid date {value!r} "
        "(expected YYYY-MM-DD)"
    )


class Absence(NamedTuple):
    """One period of sickness absence; ``end`` is the last day absent (None: ongoing)."""

    start: date
    end: date | None = None

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat() if self.end else None}


class ContactWishes(NamedTuple):
    frequency_days: int | None = None
    pause: bool = False

    def to_dict(self) -> dict:
        return {"frequency_days": self.frequency_days, "pause": self.pause}


# The type of every optional event field (strict: "50" is not a number, "false" not a bool).
_FIELD_TYPES: dict[str, type] = {
    "outcome": str,
    "by": str,
    "decision": str,
    "accepted": bool,
    "reason": str,
    "percentage": int,
    "next_date": date,
    "attended": bool,
    "result": str,
    "granted": bool,
    "channel": str,
    "return_type": str,
    "frequency_days": int,
    "pause": bool,
}


def check_int(value: Any, what: str, lo: int, hi: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise FactsError(f"{what}: geheel getal verwacht / integer expected ({value!r:.60})")
    if not (lo <= value <= hi):
        raise FactsError(f"{what}: {lo}..{hi} verwacht / expected ({value!r:.60})")
    return value


def check_bool(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise FactsError(f"{what}: true/false verwacht / true or false expected ({value!r:.60})")
    return value


def check_str(value: Any, what: str, max_len: int = 100) -> str:
    if not isinstance(value, str):
        raise FactsError(f"{what}: tekst verwacht / text expected ({value!r:.60})")
    if len(value) > max_len:
        raise FactsError(f"{what}: hoogstens {max_len} tekens / at most {max_len} characters")
    return value


_EVENT_OPTIONAL = (
    "outcome",
    "by",
    "decision",
    "accepted",
    "reason",
    "percentage",
    "next_date",
    "attended",
    "result",
    "granted",
    "channel",
    "return_type",
    "frequency_days",
    "pause",
)


@dataclass(slots=True)
class Event:
    type: str
    date: date
    outcome: str | None = None
    by: str | None = None
    decision: str | None = None
    accepted: bool | None = None
    reason: str | None = None
    percentage: int | None = None
    next_date: date | None = None
    attended: bool | None = None
    result: str | None = None
    granted: bool | None = None
    channel: str | None = None
    return_type: str | None = None
    frequency_days: int | None = None  # for contact_wishes events
    pause: bool | None = None  # for contact_wishes events

    def __post_init__(self) -> None:
        if not isinstance(self.date, date):
            self.date = parse_date(self.date, f"event {self.type}.date")
        if self.next_date is not None and not isinstance(self.next_date, date):
            self.next_date = parse_date(self.next_date, f"event {self.type}.next_date")

    def validate(self) -> None:
        if self.type not in EVENT_TYPES:
            raise FactsError(
                f"onbekend gebeurtenistype {self.type!r} / unknown event type {self.type!r}; "
                f"expected one of {', '.join(EVENT_TYPES)}"
            )
        if self.date is None:
            raise FactsError(f"event {self.type}: datum ontbreekt / date is missing")
        for fname, ftype in _FIELD_TYPES.items():
            value = getattr(self, fname)
            if value is None:
                continue
            what = f"event {self.type}.{fname}"
            if ftype is bool:
                check_bool(value, what)
            elif ftype is int:
                check_int(
                    value,
                    what,
                    0 if fname == "percentage" else 1,
                    100 if fname == "percentage" else 3650,
                )
            elif ftype is str:
                check_str(value, what)
            elif not isinstance(value, date):
                raise FactsError(f"{what}: datum verwacht / date expected")
        if self.next_date is not None and self.next_date < self.date:
            raise FactsError(
                f"event {self.type}.next_date {self.next_date.isoformat()} ligt voor het gesprek "
                f"van {self.date.isoformat()} / is before the conversation"
            )
        if self.type == "work_potential_not_needed" and not self.reason:
            raise FactsError(
                "event work_potential_not_needed: reden ontbreekt / reason missing; expected one "
                f"of {', '.join(WORK_POTENTIAL_NOT_NEEDED_REASONS)}"
            )
        for fname, choices in _EVENT_CHOICES.get(self.type, {}).items():
            value = getattr(self, fname)
            if value is not None and value not in choices:
                raise FactsError(
                    f"event {self.type}.{fname}: onbekende waarde {value!r} / unknown value "
                    f"{value!r}; expected one of {', '.join(choices)}"
                )
        if self.type == "assessment" and self.decision is None:
            raise FactsError("event assessment: beslissing (A/B/C) ontbreekt / decision missing")
        if self.type == "conversation" and self.outcome is None:
            raise FactsError("event conversation: uitkomst ontbreekt / outcome missing")
        if self.percentage is not None and not (0 <= self.percentage <= 100):
            raise FactsError(f"event {self.type}.percentage: 0..100 ({self.percentage})")
        if self.frequency_days is not None and self.frequency_days < 1:
            raise FactsError(f"event {self.type}.frequency_days: minstens 1 / must be >= 1")

    @classmethod
    def from_dict(cls, d: dict) -> Event:
        if not isinstance(d, dict):
            raise FactsError(
                f"gebeurtenis moet een object zijn / event must be an object ({d!r:.60})"
            )
        unknown = set(d) - {"type", "date", *_EVENT_OPTIONAL}
        if unknown:
            raise FactsError(f"event: onbekende velden / unknown fields {sorted(unknown)}")
        if "type" not in d or "date" not in d:
            raise FactsError(
                f"gebeurtenis zonder 'type' of 'date' / event needs 'type' and 'date': {d!r:.200}"
            )
        etype = d["type"]
        if not isinstance(etype, str) or etype not in EVENT_TYPES:
            raise FactsError(
                f"onbekend gebeurtenistype {etype!r:.60} / unknown event type; expected one of "
                f"{', '.join(EVENT_TYPES)}"
            )
        kwargs = {k: d[k] for k in _EVENT_OPTIONAL if d.get(k) is not None}
        if "next_date" in kwargs:
            kwargs["next_date"] = parse_date(kwargs["next_date"], f"event {etype}.next_date")
        ev = cls(type=etype, date=parse_date(d["date"], f"event {etype}.date"), **kwargs)
        ev.validate()
        return ev

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"type": self.type, "date": self.date.isoformat()}
        for name in _EVENT_OPTIONAL:
            value = getattr(self, name)
            if value is not None:
                out[name] = value.isoformat() if isinstance(value, date) else value
        return out


@dataclass
class Facts:
    absence_start: date | None = None
    trajectory_start: date | None = None
    kind: str = "reactive"
    statute: str = "contractueel"
    organisation_kind: str = "vo"
    employer_size: int = 250
    employee_age: int | None = None  # age at the start of the incapacity (solidarity contribution)
    absences: list[Absence] = field(default_factory=list)
    contact_wishes: ContactWishes | None = None
    events: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Be lenient with callers that pass plain dicts and ISO strings.
        if self.absence_start is not None and not isinstance(self.absence_start, date):
            self.absence_start = parse_date(self.absence_start, "absence_start")
        if self.trajectory_start is not None and not isinstance(self.trajectory_start, date):
            self.trajectory_start = parse_date(self.trajectory_start, "trajectory_start")
        if self.trajectory_start is None:
            self.trajectory_start = self.absence_start
        absences = []
        for a in self.absences:
            if isinstance(a, dict):
                a = Absence(
                    parse_date(a.get("start"), "absences.start"),
                    parse_date(a.get("end"), "absences.end"),
                )
            elif not isinstance(a, Absence):
                a = Absence(*a)
            absences.append(a)
        self.absences = absences
        if isinstance(self.contact_wishes, dict):
            cw = self.contact_wishes
            self.contact_wishes = ContactWishes(cw.get("frequency_days"), bool(cw.get("pause")))
        self.events = [Event.from_dict(e) if isinstance(e, dict) else e for e in self.events]

    def validate(self) -> None:
        for name in ("kind", "statute", "organisation_kind"):
            check_str(getattr(self, name), name)
        if self.kind not in KINDS:
            raise FactsError(f"kind: onbekend / unknown {self.kind!r:.40}; expected {list(KINDS)}")
        if self.statute not in STATUTES:
            raise FactsError(
                f"statute: onbekend / unknown {self.statute!r:.40}; expected {list(STATUTES)}"
            )
        if self.organisation_kind not in ORGANISATION_KINDS:
            raise FactsError(
                f"organisation_kind: onbekend / unknown {self.organisation_kind!r:.40}; expected "
                f"{list(ORGANISATION_KINDS)}"
            )
        if self.trajectory_start is None:
            raise FactsError(
                "trajectory_start ontbreekt (en geen absence_start) / trajectory_start is "
                "missing (and no absence_start)"
            )
        if self.kind == "reactive" and self.absence_start is None:
            raise FactsError(
                "een traject na ziekte heeft een absence_start nodig / a reactive trajectory "
                "needs absence_start"
            )
        check_int(self.employer_size, "employer_size", 1, 10_000_000)
        if self.employee_age is not None:
            check_int(self.employee_age, "employee_age", 0, 150)
        for a in self.absences:
            if a.start is None:
                raise FactsError("absences: start ontbreekt / start is missing")
            if a.end is not None and a.end < a.start:
                raise FactsError(f"absences: einde {a.end} voor begin {a.start} / end before start")
        cw = self.contact_wishes
        if cw is not None and cw.frequency_days is not None:
            check_int(cw.frequency_days, "contact_wishes.frequency_days", 1, 3650)
        for e in self.events:
            e.validate()

    @classmethod
    def from_dict(cls, d: dict) -> Facts:
        if not isinstance(d, dict):
            raise FactsError("'facts' moet een JSON-object zijn / facts must be a JSON object")
        known = set(cls.__dataclass_fields__)
        unknown = set(d) - known
        if unknown:
            raise FactsError(f"facts: onbekende velden / unknown fields {sorted(unknown)}")
        absences = d.get("absences") or []
        events = d.get("events") or []
        if not isinstance(absences, list) or not isinstance(events, list):
            raise FactsError("facts.absences en facts.events moeten lijsten zijn / must be lists")
        for a in absences:
            if not isinstance(a, dict):
                raise FactsError(
                    f"absences: objecten {{start, end}} verwacht / expected objects ({a!r:.60})"
                )
            if set(a) - {"start", "end"}:
                raise FactsError(f"absences: onbekende velden / unknown fields {sorted(a)!r:.80}")
        cw = d.get("contact_wishes")
        if cw is not None and not isinstance(cw, dict):
            raise FactsError(
                "contact_wishes: object {frequency_days, pause} of null verwacht / expected an "
                "object {frequency_days, pause} or null"
            )
        if cw is not None:
            if set(cw) - {"frequency_days", "pause"}:
                raise FactsError("contact_wishes: onbekende velden / unknown fields")
            if cw.get("pause") is not None:
                check_bool(cw["pause"], "contact_wishes.pause")
            if cw.get("frequency_days") is not None:
                check_int(cw["frequency_days"], "contact_wishes.frequency_days", 1, 3650)
        facts = cls(
            absence_start=parse_date(d.get("absence_start"), "absence_start"),
            trajectory_start=parse_date(d.get("trajectory_start"), "trajectory_start"),
            kind=d.get("kind", "reactive"),
            statute=d.get("statute", "contractueel"),
            organisation_kind=d.get("organisation_kind", "vo"),
            employer_size=d.get("employer_size", 250),
            employee_age=d.get("employee_age"),
            absences=absences,
            contact_wishes=cw,
            events=[Event.from_dict(e) for e in events],
        )
        facts.validate()
        return facts

    def to_dict(self) -> dict:
        return {
            "absence_start": self.absence_start.isoformat() if self.absence_start else None,
            "trajectory_start": self.trajectory_start.isoformat()
            if self.trajectory_start
            else None,
            "kind": self.kind,
            "statute": self.statute,
            "organisation_kind": self.organisation_kind,
            "employer_size": self.employer_size,
            "absences": [a.to_dict() for a in self.absences],
            "contact_wishes": self.contact_wishes.to_dict() if self.contact_wishes else None,
            "events": [e.to_dict() for e in self.events],
            **({"employee_age": self.employee_age} if self.employee_age is not None else {}),
        }
