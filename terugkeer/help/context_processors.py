""" "Hoe werkt dit?" on the main pages: a link to the user guide (docs/guide/) of the role the
user works in on that page, at the section about that page when the guide has one.

Set in base.html for the pages below only (the home page has its own link in its text), so
no page template needs to know about it."""

from django.urls import reverse

from terugkeer.accounts.access import own_guide_slugs
from terugkeer.help.markdown import heading_id

# URL name of a main page -> the guides that describe it, most specific first, each with the
# heading of its section about the page (or None: the guide's top).
PAGE_GUIDES = {
    "trajectories:caseload": [
        ("terugkeercoach", "Uw startpagina"),
        ("leidinggevende", "Uw trajecten"),
        ("hr", "Periodieke afstemming"),
        ("adviseur", None),
        ("arbeidsarts", None),
    ],
    "trajectories:detail": [
        ("terugkeercoach", "Een traject opvolgen"),
        ("leidinggevende", "Contact houden"),
        ("arbeidsarts", "Wat u registreert"),
        ("hr", None),
        ("adviseur", None),
    ],
    "employees:list": [
        ("terugkeercoach", "Een afwezigheid registreren"),
        ("hr", None),
        ("leidinggevende", None),
    ],
    "employees:detail": [
        ("terugkeercoach", "Een afwezigheid registreren"),
        ("hr", None),
        ("leidinggevende", None),
    ],
    "reports:index": [("rapporteur", None), ("smt", None), ("hr", None), ("beheerder", None)],
    "reports:report": [("rapporteur", "Een jaarrapport maken"), ("smt", None), ("hr", None)],
    "reports:dashboard": [("rapporteur", None), ("smt", None), ("hr", None)],
    "portal:home": [("medewerker", None)],
    "smt:index": [
        ("smt", "Samenwerking"),
        ("adviseur", None),
        ("terugkeercoach", None),
        ("hr", "Periodieke afstemming"),
        ("leidinggevende", None),
    ],
    "smt:alignment": [("hr", "Periodieke afstemming"), ("leidinggevende", None)],
    "imports:index": [("hr", "Medewerkers en afwezigheden inlezen"), ("beheerder", None)],
    "onboarding:index": [("beheerder", "Een nieuwe organisatie inrichten")],
    "onboarding:overview": [("beheerder", "Een nieuwe organisatie inrichten")],
    "onboarding:step": [("beheerder", "Een nieuwe organisatie inrichten")],
}


def page_help(request):
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    if match is None or user is None or not user.is_authenticated:
        return {}
    guides = PAGE_GUIDES.get(match.view_name)
    if guides is None:
        return {}
    own = own_guide_slugs(user)
    for slug, section in guides:
        if slug in own:
            url = reverse("help:guide", kwargs={"slug": slug})
            return {"page_help_url": f"{url}#{heading_id(section)}" if section else url}
    # None of the page's guides is the user's own: the list of guides, own roles first.
    return {"page_help_url": reverse("help:index")}
