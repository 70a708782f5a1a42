"""The handelingskader template a local government starts from.

Built from the success factors of the re-integration toolbox for local governments (seed 000:
"Toolbox re-integratie van medewerkers", Diverscity/VVSG): contact from the first day, a known
procedure, the occupational physician's role, the manager's role and the periodic alignment
with HR. It is the organisation's own document, in Dutch, which the beheerder edits before
saving; the process terms beside it are checked by the rules engine (rules.Policy) as in the
toolbox's handelingskader form.
"""

from __future__ import annotations

TEMPLATE = """\
Handelingskader re-integratie van {name}

Dit handelingskader beschrijft hoe {name} medewerkers begeleidt die na ziekte terugkeren naar
het werk. Het biedt houvast voor iedereen die erbij betrokken is en omschrijft onze interne
afspraken en spelregels.

1. Contact houden met de afwezige medewerker
- Re-integratie start op de eerste dag van de ziektemelding. We wachten geen drie maanden om
  contact op te nemen.
- We vragen nooit naar de reden van de afwezigheid. We vragen wel, vanuit oprechte zorg, hoe
  het herstel verloopt.
- De leidinggevende houdt contact zoals de medewerker dat wenst (hoe, hoe vaak, door wie): een
  kaartje, een attentie, een telefoontje of een bezoek.

2. De procedure is gekend
- Iedereen kent de weg voor een informele en een formele terugkeer. Alle documenten staan op
  {documents}.
- Een informeel traject heeft altijd voorrang. Een formeel re-integratietraject volgt de
  termijnen van de wet.

3. De rol van de arbeidsarts
- Onze externe preventiedienst: {physician}. De contactgegevens van de arbeidsarts zijn bekend
  bij het personeel.
- De arbeidsarts zegt ons alleen of iemand arbeidsgeschikt is en onder welke voorwaarden, nooit
  waarom.

4. De rol van de leidinggevende en van HR
- De leidinggevende houdt contact en voert het gesprek over stappen naar werk.
- De terugkeercoach coördineert trajecten met specifieke aandachtspunten en maakt samen met
  de medewerker een stappenplan.
- Bij een vertroebelde relatie met de leidinggevende is de dienst HR het contactpunt voor de
  medewerker.
- Leidinggevenden en de dienst HR stemmen periodiek af over de lopende afwezigheden en
  trajecten.

5. Interne en externe hefbomen
- We gebruiken de ondersteuning van de VDAB (individueel maatwerk, job- en taalcoach,
  aanpassing van de werkplek, vervoerskosten) en doen waar nodig beroep op de externe
  preventiedienst, de terug-naar-werk-coördinator van het ziekenfonds of een jobcoach.
- Re-integratie is een deel van ons preventief welzijnsbeleid: loopbaanbegeleiding,
  jobcrafting en een wendbare arbeidsorganisatie.
"""


def framework_text(*, name: str, physician: str = "", documents: str = "") -> str:
    """The template filled in with what the organisation already told us."""
    return TEMPLATE.format(
        name=name,
        physician=physician.strip() or "[naam van de externe preventiedienst]",
        documents=documents.strip() or "[het intranet: plaats van de documenten]",
    )
