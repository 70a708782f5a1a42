import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terugkeer.accounts.access import is_admin
from terugkeer.audit.models import OBJECT_TYPES
from terugkeer.privacy.selectors import (
    access_watch,
    access_watch_organisations,
    audit_people,
    audit_search,
)
from terugkeer.privacy.subject_access import (
    dossier_openings,
    subject_employee,
    subject_export,
    subject_export_pdf,
)
from terugkeer.rules.facts import EVENT_TYPES

# The keys of an entry's "changes", as a reader says them (the stored keys stay as written).
CHANGE_LABELS = {
    "reden": _("reden"),
    "employee": _("medewerker"),
    "role": _("rol"),
    "unit": _("eenheid"),
    "organisation": _("organisatie"),
    "status": _("status"),
    "object": _("object"),
    "user": _("gebruiker"),
    "username": _("gebruikersnaam"),
    "email": _("e-mailadres"),
    "first_name": _("voornaam"),
    "last_name": _("familienaam"),
    "is_active": _("actief"),
    "confirmed_by": _("bevestigd door"),
    "granted_by": _("toegekend door"),
}


def _name_people(user, entries) -> None:
    """Name the employee of each row (and the employee a row is about) for those who may see it
    (privacy.selectors.audit_people): the log keeps plain ids, the reader gets a person."""
    entries = list(entries)
    about = {int(e.object_id) for e in entries if _is_employee_row(e)}
    people = audit_people(user, {e.employee_id for e in entries} | about)
    for entry in entries:
        entry.person = people.get(entry.employee_id, "")
        entry.label = entry.object_label
        if _is_employee_row(entry):
            entry.label = f"{OBJECT_TYPES['employee']} {people[int(entry.object_id)]}"
        elif entry.object_type == "event" and (entry.changes or {}).get("type") in EVENT_TYPES:
            # Which registration: "registratie 4625 (Contact met de afwezige medewerker)".
            entry.label += f" ({gettext(EVENT_TYPES[entry.changes['type']])})"
        entry.details = [
            (CHANGE_LABELS.get(key, key), _change_value(value))
            for key, value in (entry.changes or {}).items()
        ]


def _is_employee_row(entry) -> bool:
    return entry.object_type == "employee" and entry.object_id.isdigit()


def _change_value(value) -> str:
    """[before, after] as "before → after"; anything else as it was stored."""
    if isinstance(value, list) and len(value) == 2:
        before, after = (str(v) if v not in (None, "") else "—" for v in value)
        return f"{before} → {after}"
    return str(value)


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
    _name_people(request.user, page.object_list)
    return render(request, "audit/search.html", {"page": page, "q": g})


@login_required
def access_watch_view(request):
    """Role changes and refused attempts, for HR and the DPO (docs/access.md, four eyes)."""
    if access_watch_organisations(request.user) == set():
        raise PermissionDenied
    page = Paginator(access_watch(request.user), 50).get_page(request.GET.get("page"))
    _name_people(request.user, page.object_list)
    return render(request, "audit/access_watch.html", {"page": page})


@login_required
def dossier_openings_view(request, pk: int):
    employee = subject_employee(request.user, pk)
    page = Paginator(dossier_openings(request.user, employee), 50).get_page(request.GET.get("page"))
    return render(request, "audit/dossier_openings.html", {"employee": employee, "page": page})


@login_required
def subject_export_view(request, pk: int, fmt: str):
    employee = subject_employee(request.user, pk)
    if fmt not in ("json", "pdf"):
        raise Http404
    data = subject_export(actor=request.user, employee=employee, fmt=fmt)
    name = f"inzage-{employee.personnel_number}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
    else:
        response = HttpResponse(subject_export_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
