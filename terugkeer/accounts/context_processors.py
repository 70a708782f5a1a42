from django.urls import reverse
from django.utils.translation import gettext as _

from terugkeer.accounts.access import DOSSIER_ROLES, can_see_reports, is_admin, roles


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    user_roles = roles(user)
    items = [(_("Start"), reverse("home"))]
    if user_roles & DOSSIER_ROLES:
        items.append((_("Trajecten"), reverse("trajectories:caseload")))
        items.append((_("Medewerkers"), reverse("organisations:employees")))
    if can_see_reports(user):
        items.append((_("Rapporten"), reverse("reports:index")))
    if is_admin(user):
        items.append((_("Beheer"), reverse("admin:index")))
        items.append((_("Auditlog"), reverse("audit:search")))
    return {"nav_items": items, "user_roles": sorted(user_roles)}
