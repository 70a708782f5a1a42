from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from terugkeer.accounts.access import can_write, subject_access_employees
from terugkeer.trajectories import services
from terugkeer.trajectories.forms import AbsenceForm, PreventiveForm
from terugkeer.trajectories.models import Trajectory
from terugkeer.trajectories.selectors import (
    absences_of,
    employee_open_dossier,
    employees_with_case_status,
)


@login_required
def employee_list(request):
    search = request.GET.get("q", "").strip()
    employees = employees_with_case_status(request.user, on=services.today())
    if search:
        employees = employees.filter(
            Q(last_name__icontains=search)
            | Q(first_name__icontains=search)
            | Q(personnel_number__iexact=search)
        )
    page = Paginator(
        employees.order_by("last_name", "first_name", "pk"), settings.TERUGKEER["PAGE_SIZE"]
    ).get_page(request.GET.get("page"))
    phases = dict(Trajectory.Phase.choices)
    for employee in page.object_list:
        employee.phase_label = phases.get(employee.open_trajectory_phase, "")
    return render(request, "trajectories/employee_list.html", {"page": page, "search": search})


@login_required
def employee_detail(request, pk: int):
    employee = employee_open_dossier(request.user, pk)
    absence_form = AbsenceForm(prefix="absence")
    preventive_form = PreventiveForm(prefix="preventive")
    if request.method == "POST":
        try:
            if "absence-first_day" in request.POST:
                absence_form = AbsenceForm(request.POST, prefix="absence")
                if absence_form.is_valid():
                    absence = services.absence_register(
                        actor=request.user, employee=employee, **absence_form.cleaned_data
                    )
                    messages.success(request, _("De afwezigheid is geregistreerd."))
                    # Straight on to the case it opened or joined, if any.
                    absence.refresh_from_db(fields=["trajectory"])
                    if absence.trajectory_id:
                        return redirect("trajectories:detail", pk=absence.trajectory_id)
                    return redirect("employees:detail", pk=employee.pk)
            else:
                preventive_form = PreventiveForm(request.POST, prefix="preventive")
                if preventive_form.is_valid():
                    trajectory = services.trajectory_open(
                        actor=request.user,
                        employee=employee,
                        kind="preventive",
                        started_on=preventive_form.cleaned_data["request_date"],
                        preventive_request_on=preventive_form.cleaned_data["request_date"],
                    )
                    messages.success(request, _("Het preventieve traject is geopend."))
                    return redirect("trajectories:detail", pk=trajectory.pk)
        except ValidationError as error:
            form = absence_form if "absence-first_day" in request.POST else preventive_form
            if hasattr(error, "error_dict"):
                for field, errs in error.error_dict.items():
                    for err in errs:
                        form.add_error(field if field in form.fields else None, err)
            else:
                form.add_error(None, error)
    context = {
        "employee": employee,
        "absences": absences_of(employee),
        "trajectories": employee.trajectories.order_by("-started_on"),
        "absence_form": absence_form,
        "preventive_form": preventive_form,
        "can_register": can_write(request.user, employee=employee),
        "can_subject_access": subject_access_employees(request.user).filter(pk=pk).exists(),
        "can_open_preventive": can_write(
            request.user, employee=employee, event_type="preventive_request"
        ),
    }
    return render(request, "trajectories/employee_detail.html", context)
