"""Finds identifying data in a text meant to be anonymous (an SMT case summary, an intervision
case): names, personnel numbers, unit names, dates (a date of birth or any other full date), and
medical words (trajectories.medical). Each finding is a Dutch sentence for the form.

A name is a word written with a capital, not at the start of a sentence, that is the first or
last name of an employee or user of the organisation, or any word of the proposed employee's
own or their manager's name, whatever its case. Ordinary Dutch words that are also first names
("ben", "roos") are thus only caught when capitalised mid-sentence.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from terugkeer.trajectories.medical import matcher_for

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DATES = (
    re.compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}\b"),
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}\b", re.IGNORECASE),
)
# A run of five or more digits, or letters followed by four or more digits: what personnel
# numbers look like ("VO000123", "0012345").
_NUMBER_LIKE = re.compile(r"\b[A-Za-z]{1,4}-?\d{4,}\b|\b\d{5,}\b")


def _capitalised_words(text: str) -> set[str]:
    """Capitalised words that do not start a sentence, lower-cased."""
    found = set()
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not word[0].isupper():
            continue
        before = text[: match.start()]
        if not before.strip() or _SENTENCE_END.search(before):
            continue
        found.add(word.lower().strip("'’-"))
    return found


def _all_words(text: str) -> set[str]:
    return {m.group(0).lower() for m in _WORD.finditer(text)}


def identifying_findings(
    text: str, *, organisation, employee=None, units: bool = True, dates: bool = True
) -> list[str]:
    """What in `text` could identify a person, as sentences for the writer (empty: none).
    A policy item may name a unit and a date (units=False, dates=False): it is about an entity,
    never about a person."""
    from terugkeer.accounts.models import User
    from terugkeer.organisations.models import Employee, Unit

    text = text or ""
    if not text.strip():
        return []
    findings: list[str] = []
    words = _all_words(text)
    capitalised = _capitalised_words(text)

    names: set[str] = set()
    if employee is not None:
        own = f"{employee.first_name} {employee.last_name}"
        if employee.manager_id:
            own += f" {employee.manager.first_name} {employee.manager.last_name}"
        names |= {w for w in _all_words(own) if len(w) > 1} & words
    if capitalised:
        org_id = getattr(organisation, "pk", organisation)
        people = Employee.objects.filter(organisation_id=org_id).annotate(
            first=Lower("first_name"), last=Lower("last_name")
        )
        hits = people.filter(Q(first__in=capitalised) | Q(last__in=capitalised)).values_list(
            "first", "last"
        )[:50]
        users = (
            User.objects.filter(organisation_id=org_id)
            .annotate(first=Lower("first_name"), last=Lower("last_name"))
            .filter(Q(first__in=capitalised) | Q(last__in=capitalised))
            .values_list("first", "last")[:50]
        )
        for first, last in [*hits, *users]:
            names |= {first, last} & capitalised
    if names:
        findings.append(
            _("een naam (%(names)s): schrijf 'de medewerker', 'de leidinggevende'")
            % {"names": ", ".join(sorted(names))}
        )

    numbers = set(_NUMBER_LIKE.findall(text))
    if employee is not None and employee.personnel_number.lower() in text.lower():
        numbers.add(employee.personnel_number)
    if numbers:
        findings.append(
            _("een personeelsnummer of ander nummer (%(numbers)s)")
            % {"numbers": ", ".join(sorted(numbers))}
        )

    lowered = text.lower()
    org_id = getattr(organisation, "pk", organisation)
    unit_names = units and sorted(
        {
            name
            for name in Unit.objects.filter(organisation_id=org_id).values_list("name", flat=True)
            if len(name) >= 4
            and re.search(r"(?<!\w)" + re.escape(name.lower()) + r"(?!\w)", lowered)
        }
    )
    if unit_names:
        findings.append(
            _("de naam van een eenheid (%(units)s): schrijf 'een team van de entiteit'")
            % {"units": ", ".join(unit_names)}
        )

    if dates and any(pattern.search(text) for pattern in _DATES):
        findings.append(
            _(
                "een datum (bv. een geboortedatum): schrijf een duur, zoals 'in de vierde maand "
                "van de afwezigheid'"
            )
        )

    medical = matcher_for(organisation).terms(text)
    if medical:
        findings.append(
            _("een woord dat medisch lijkt (%(words)s)") % {"words": ", ".join(medical)}
        )
    return findings
