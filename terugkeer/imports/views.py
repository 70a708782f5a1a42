"""Upload → dry-run preview → confirm, for HR and the functioneel beheerder."""

import csv
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terugkeer.health.worker import worker_recent
from terugkeer.imports import parsing, prevention
from terugkeer.imports.forms import ImportForm
from terugkeer.imports.models import ImportRun
from terugkeer.imports.selectors import import_runs_visible_to
from terugkeer.imports.services import (
    import_confirm_enqueue,
    import_enqueue,
    import_organisations,
    may_import,
)
from terugkeer.reports.scopes import can_see_four_week_list
from terugkeer.trajectories.services import today

ERRORS_ON_PAGE = 500


def _require_import_right(user) -> list:
    organisations = import_organisations(user) if may_import(user) else []
    if not organisations:
        raise PermissionDenied
    return organisations


@login_required
def index(request):
    organisations = _require_import_right(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Checked by the task worker; the run's page shows the progress and then the preview.
        run = import_enqueue(
            actor=request.user,
            organisation=form.cleaned_data["organisation"],
            upload=upload,
            file_name=Path(upload.name).name,
        )
        return redirect("imports:detail", pk=run.pk)
    runs = import_runs_visible_to(request.user)[:20]
    return render(
        request,
        "imports/index.html",
        {
            "form": form,
            "runs": runs,
            # An administrator imports but does not see the 4-week list: no link to a 403.
            "sees_prevention_file": can_see_four_week_list(request.user),
        },
    )


@login_required
def detail(request, pk: int):
    _require_import_right(request.user)
    run = get_object_or_404(import_runs_visible_to(request.user), pk=pk)
    can_confirm = (
        run.status == ImportRun.Status.PREVIEW and not run.confirmed_by_id and bool(run.upload)
    )
    return render(
        request,
        "imports/detail.html",
        {
            "run": run,
            "can_confirm": can_confirm,
            "kind_label": _(parsing.KIND_LABELS[run.kind])
            if run.kind in parsing.KIND_LABELS
            else None,
            "errors_shown": run.errors[:ERRORS_ON_PAGE],
            "worker_alive": worker_recent() if run.in_progress else True,
        },
    )


@login_required
def progress(request, pk: int):
    """The progress block alone, polled by the run's page (htmx) while the run is queued or
    running; once it is done the page is reloaded to show the result.

    A poll reads and never writes: no context processors (the navigation's cached counts) and
    no session refresh (a page left open is not activity, and on SQLite any write would wait
    for the import's write transaction and fail the poll)."""
    _require_import_right(request.user)
    run = get_object_or_404(import_runs_visible_to(request.user), pk=pk)
    html = render_to_string("imports/_progress.html", {"run": run, "worker_alive": worker_recent()})
    response = HttpResponse(html)
    if not run.in_progress:
        response["HX-Refresh"] = "true"
    request.session.modified = False
    return response


@login_required
@require_POST
def confirm(request, pk: int):
    _require_import_right(request.user)
    preview = get_object_or_404(import_runs_visible_to(request.user), pk=pk)
    try:
        run = import_confirm_enqueue(actor=request.user, preview=preview)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:detail", pk=preview.pk)
    return redirect("imports:detail", pk=run.pk)


@login_required
def errors_csv(request, pk: int):
    _require_import_right(request.user)
    run = get_object_or_404(import_runs_visible_to(request.user), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-fouten.csv"'
    response.write("\ufeff")
    out = csv.writer(response, delimiter=";")
    out.writerow([_("Rij"), _("Kolom"), _("Waarde"), _("Reden")])
    for row in run.errors:
        out.writerow([parsing.csv_safe(v) for v in row])
    return response


@login_required
def prevention_file(request):
    """The file for the external prevention service (inactivity periods, IDEWE's layout), and
    marking the 4-week step done "doorgegeven via het personeelsbestand"."""
    if not can_see_four_week_list(request.user):
        raise PermissionDenied
    on = today()
    four_weeks_only = request.GET.get("alleen") == "4weken"
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("trajectory") if v.isdigit()]
        try:
            done = prevention.four_week_step_mark(actor=request.user, trajectory_ids=ids, on=on)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request,
                _("De 4-wekenstap is geregistreerd voor %(n)s trajecten.") % {"n": done},
            )
        return redirect("imports:prevention")
    fmt = request.GET.get("formaat", "")
    if fmt:
        if fmt not in prevention.FORMATS:
            raise Http404
        try:
            name, content_type, content = prevention.prevention_export(
                actor=request.user, fmt=fmt, on=on, four_weeks_only=four_weeks_only
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("imports:prevention")
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    lines = prevention.prevention_lines(request.user, on=on, four_weeks_only=four_weeks_only)
    return render(
        request,
        "imports/prevention.html",
        {
            "columns": prevention.COLUMNS,
            "rows": [line.values() for line in lines],
            "missing": prevention.organisations_without_affiliation(lines),
            "pending": prevention.four_week_step_pending(request.user, lines),
            "four_weeks_only": four_weeks_only,
            "today": on,
            "recent_days": prevention.RECENT_DAYS,
        },
    )
