"""The steps of an organisation's guided set-up, in order (docs/onboarding.md)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    slug: str
    title: str | Promise
    summary: str | Promise


STEPS = (
    Step(
        "organisatie",
        _("Gegevens van de organisatie"),
        _("Naam, aantal werknemers en het aansluitingsnummer bij de externe preventiedienst."),
    ),
    Step(
        "eenheden",
        _("Eenheden"),
        _("Het bestuur en zijn diensten: getypt of ingelezen uit een bestand."),
    ),
    Step(
        "medewerkers",
        _("Medewerkers"),
        _("De personeelslijst inlezen uit het HR- of loonpakket."),
    ),
    Step(
        "handelingskader",
        _("Handelingskader"),
        _("De afspraken en spelregels, vanuit het sjabloon van de toolbox, met uw termijnen."),
    ),
    Step(
        "catalogus",
        _("Welzijnsactoren en ondersteuning"),
        _("Welke welzijnsactoren en ondersteuningsmaatregelen uw organisatie gebruikt."),
    ),
    Step(
        "gebruikers",
        _("Eerste gebruikers en rollen"),
        _("Terugkeercoach, HR, leidinggevenden en wie verder meewerkt."),
    ),
    Step(
        "afstemming",
        _("Periodieke afstemming"),
        _("Hoe vaak leidinggevenden en HR samen de lopende afwezigheden bespreken."),
    ),
)
STEP_SLUGS = tuple(step.slug for step in STEPS)


def step_by_slug(slug: str) -> Step | None:
    return next((step for step in STEPS if step.slug == slug), None)


def next_step(slug: str) -> Step | None:
    index = STEP_SLUGS.index(slug)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None
