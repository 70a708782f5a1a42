from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import gettext as _

from terugkeer.accounts.access import (
    DOSSIER_ROLES,
    can_see_reports,
    grants,
    is_admin,
    roles,
    trajectory_scope,
)
from terugkeer.accounts.models import Role


def reverse(name: str) -> str:
    """The menu's links, reversed once per URL configuration and script prefix: the menu is on
    every page and a reverse() costs ~0.03 ms (a dozen a page)."""
    return _reversed(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@memoize
def _reversed(name: str, urlconf: str, prefix: str) -> str:
    return django_reverse(name, urlconf=urlconf)


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    user_roles = roles(user)
    # An employee without a staff role starts on the own trajectory (accounts.views.home):
    # "Start" would be a second link to "Mijn traject".
    items = (
        [(_("Start"), reverse("home"))]
        if user_roles or not getattr(user, "employee_id", None)
        else []
    )
    attention = 0
    if getattr(user, "employee_id", None):
        items.append((_("Mijn traject"), reverse("portal:home")))
    if user_roles & DOSSIER_ROLES:
        items.append((_("Trajecten"), reverse("trajectories:caseload")))
        items.append((_("Medewerkers"), reverse("employees:list")))
        attention = _attention_count(user)
    if user_roles or getattr(user, "employee_id", None) or user.organisation_id:
        items.append((_("Handelingskader"), reverse("toolbox:framework")))
    if user_roles:
        items.append((_("Toolbox"), reverse("toolbox:catalogue")))
    if user_roles & COLLABORATION_ROLES:
        items.append((_("Samenwerking"), reverse("smt:index")))
    if can_see_reports(user):
        items.append((_("Rapporten"), reverse("reports:index")))
    if Role.HR in user_roles or is_admin(user):
        items.append((_("Importeren"), reverse("imports:index")))
        items.append((_("Rollen en toegang"), reverse("audit:access_watch")))
    if is_admin(user):
        items.append((_("Inrichten"), reverse("onboarding:index")))
        items.append((_("Beheer"), reverse("admin:index")))
        items.append((_("Auditlog"), reverse("audit:search")))
    if user_roles & DIGEST_ROLES:
        items.append((_("Herinneringen"), reverse("digest_settings")))
    return {"nav_items": items, "user_roles": sorted(user_roles), "attention_count": attention}


DIGEST_ROLES = frozenset({Role.MANAGER, Role.COACH})
# SMT, second line, intervision and the periodic alignment (terugkeer.smt).
COLLABORATION_ROLES = frozenset({Role.SMT, Role.COACH, Role.ADVISER, Role.HR, Role.MANAGER})


# The count in the navigation runs on every page: cached per user for a minute, and kept with
# the generation of the user's organisations so that any refresh of their trajectories (every
# write, the daily run) shows at once (trajectories.attention_cache).
ATTENTION_CACHE_SECONDS = 60


def _attention_count(user) -> int:
    """Open trajectories in scope where one of the user's roles has a task overdue or due soon
    (Trajectory.attention_roles, kept by the rules engine): one COUNT query, cached per user
    for a minute in Django's cache (shared by the workers when CACHES is the database). The
    cached count is stored with the generation it was counted at and read together with the
    current generation: one cache read a page."""
    from terugkeer.trajectories.attention_cache import generation_keys, generation_of

    keys = generation_keys(g.organisation_id for g in grants(user))
    key = f"terugkeer:attention:{user.pk}"
    found = cache.get_many([*keys, key])
    generation = generation_of(found, keys)
    cached = found.get(key)
    if isinstance(cached, tuple) and cached[0] == generation:
        return cached[1]
    count = _attention_count_query(user)
    cache.set(key, (generation, count), ATTENTION_CACHE_SECONDS)
    return count


def _attention_count_query(user) -> int:
    from django.db.models import Q

    from terugkeer.trajectories.models import Trajectory

    mine = Q()
    for role in roles(user):
        mine |= Q(attention_roles__contains=f",{role},")
    if not mine:
        return 0
    return (
        Trajectory.objects.filter(trajectory_scope(user))
        .filter(mine, closed_on__isnull=True)
        .count()
    )
