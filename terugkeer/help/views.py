"""Help pages: the accessibility statement (public, linked from every footer) and the user
guide per role, rendered from docs/guide/*.md."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from terugkeer.accounts.access import own_guide_slugs
from terugkeer.help.markdown import render as render_markdown

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "guide"

# One guide per role (the role codes of accounts.models.Role) and one for the employee.
GUIDES = {
    "terugkeercoach": _("Terugkeercoach"),
    "leidinggevende": _("Leidinggevende"),
    "hr": _("HR / personeelsdienst"),
    "adviseur": _("Adviseur re-integratie"),
    "arbeidsarts": _("Arbeidsarts"),
    "smt": _("SMT-lid"),
    "rapporteur": _("Rapporteur"),
    "beheerder": _("Functioneel beheerder"),
    "medewerker": _("Medewerker: mijn traject"),
}

# The day the accessibility evaluation below was last run and its findings written down
# (docs/accessibility.md says how to run it again).
EVALUATED_ON = date(2026, 11, 30)


def accessibility(request):
    contact = settings.TERUGKEER.get("ACCESSIBILITY_CONTACT") or settings.DEFAULT_FROM_EMAIL
    return render(
        request,
        "help/accessibility.html",
        {"evaluated_on": EVALUATED_ON, "contact": contact},
    )


@login_required
def guide_index(request):
    own = own_guide_slugs(request.user)
    return render(
        request,
        "help/index.html",
        {
            "own": [(slug, GUIDES[slug]) for slug in own if slug in GUIDES],
            "others": [(slug, title) for slug, title in GUIDES.items() if slug not in own],
        },
    )


def _guide_url(slug: str) -> str:
    return reverse("help:guide", kwargs={"slug": slug}) if slug in GUIDES else "#"


def _guide_file(slug: str) -> Path:
    """The guide in the reader's language: docs/guide/en/ for English (the same sections and
    screenshots), the Dutch original otherwise or where no translation exists."""
    if get_language().startswith("en"):
        english = GUIDE_DIR / "en" / f"{slug}.md"
        if english.exists():
            return english
    return GUIDE_DIR / f"{slug}.md"


@login_required
def guide(request, slug: str):
    if slug not in GUIDES:
        raise Http404
    source = _guide_file(slug).read_text(encoding="utf-8")
    body = render_markdown(
        source,
        link_for_guide=_guide_url,
        # docs/guide/img/ is served as static/guide/img/ (STATICFILES_DIRS).
        url_for_image=lambda name: static(f"guide/img/{name}"),
    )
    return render(
        request,
        "help/guide.html",
        {"title": GUIDES[slug], "body": mark_safe(body), "slug": slug},  # noqa: S308 - escaped by render_markdown
    )
