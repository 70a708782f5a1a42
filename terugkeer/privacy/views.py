import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from terugkeer.accounts.access import is_admin
from terugkeer.organisations.models import Employee
from terugkeer.privacy.selectors import access_watch, access_watch_organisations, audit_search
from terugkeer.privacy.subject_access import (
    dossier_openings,
    subject_employee,
    subject_export,
    subject_export_pdf,
)


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
    # The personnel number, not the database id (one query for the page; no names here: the
    # functioneel beheerder needs no employee's name to follow the log).
    numbers = dict(
        Employee.objects.filter(
            pk__in={e.employee_id for e in page.object_list if e.employee_id}
        ).values_list("pk", "personnel_number")
    )
    for entry in page.object_list:
        entry.personnel_number = numbers.get(entry.employee_id, "")
    return render(request, "audit/search.html", {"page": page, "q": g})


@login_required
def access_watch_view(request):
    """Role changes and refused attempts, for HR and the DPO (docs/access.md, four eyes)."""
    if access_watch_organisations(request.user) == set():
        raise PermissionDenied
    page = Paginator(access_watch(request.user), 50).get_page(request.GET.get("page"))
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
