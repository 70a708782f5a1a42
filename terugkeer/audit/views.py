from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from terugkeer.accounts.access import is_admin
from terugkeer.audit.selectors import audit_search


@login_required
def search(request):
    if not is_admin(request.user):
        raise PermissionDenied
    g = request.GET
    entries = audit_search(
        request.user,
        username=g.get("gebruiker", "").strip(),
        employee_id=g.get("medewerker", "").strip(),
        date_from=g.get("van", "").strip(),
        date_to=g.get("tot", "").strip(),
    )
    page = Paginator(entries, 50).get_page(g.get("page"))
    return render(request, "audit/search.html", {"page": page, "q": g})
