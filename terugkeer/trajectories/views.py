from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terugkeer.accounts.access import can_write, grants, roles, writable_event_types
from terugkeer.accounts.models import Role
from terugkeer.organisations.selectors import entities_of, policy_domains_of
from terugkeer.rules import facts as rf
from terugkeer.trajectories import services
from terugkeer.trajectories.forms import EVENT_FORMS, ContactWishesForm, EventForm, PlanForm
from terugkeer.trajectories.labels import label
from terugkeer.trajectories.models import Trajectory
from terugkeer.trajectories.selectors import (
    case_table_rows,
    case_table_source,
    caseload,
    plan_latest_read,
    plan_work_percentage,
    trajectory_for_write,
    trajectory_open_dossier,
)

# The actions offered on the trajectory page, grouped as the process runs.
ACTION_GROUPS = [
    (gettext_lazy("Contact en gesprek"), ["contact", "conversation", "agreements", "follow_up"]),
    (
        gettext_lazy("Arbeidsarts en wettelijke stappen"),
        [
            "four_week_list",
            "physician_information",
            "early_start_consent",
            "work_potential_request",
            "work_potential_result",
            "visit_before_return_requested",
            "visit_before_return_held",
            "preventive_answer",
        ],
    ),
    (
        gettext_lazy("Formeel re-integratietraject"),
        [
            "definitive_unfitness_certificate",
            "formal_request",
            "invitation",
            "assessment",
            "appeal",
            "appeal_outcome",
            "motivated_report",
            "employee_answer",
        ],
    ),
    (gettext_lazy("Hervatting en afsluiting"), ["return_to_work", "closure"]),
]


# The action that completes an open obligation, by the obligation's code (without its ".n"
# instance suffix): an event type, or "plan" for the plan form.
OBLIGATION_ACTIONS = {
    "contact": "contact",
    "conversation_2m": "conversation",
    "conversation_next": "conversation",
    "relapse": "conversation",
    "agreements_2m": "agreements",
    "step_plan_2m": "plan",
    "plan_after_b": "plan",
    "four_week_list": "four_week_list",
    "physician_information": "physician_information",
    "work_potential_request": "work_potential_request",
    "work_potential_result": "work_potential_result",
    "visit_before_return": "visit_before_return_held",
    "preventive_answer": "preventive_answer",
    "assessment": "assessment",
    "appeal_decision": "appeal_outcome",
    "employee_answer": "employee_answer",
    "follow_up_1": "follow_up",
    "follow_up_2": "follow_up",
    "follow_up_3": "follow_up",
}

# Which action groups fit each phase: offered first, the others folded away.
PHASE_GROUPS = {
    Trajectory.Phase.CONTACT: {0, 1},
    Trajectory.Phase.CONVERSATION: {0, 1},
    Trajectory.Phase.PLAN: {0, 1, 3},
    Trajectory.Phase.FORMAL: {0, 2, 3},
    Trajectory.Phase.FOLLOW_UP: {0, 3},
}


def _obligation_action(trajectory, obligation, allowed) -> dict | None:
    """The link beside an open obligation that completes it, if this user may."""
    if not obligation.is_open or not trajectory.is_open:
        return None
    target = OBLIGATION_ACTIONS.get(obligation.code.split(".")[0])
    if obligation.code.split(".")[0] == "smt_action" and allowed.get("smt_action_done"):
        # An action of the SMT's advice is marked done on the collaboration page (docs/smt.md).
        return {
            "url": reverse("smt:trajectory", args=[trajectory.pk]),
            "label": _("Afronden"),
            "type": obligation.title,
        }
    if target is None:
        return None
    if target == "plan":
        if not allowed["plan" if trajectory.is_formal else "step_plan"]:
            return None
        return {
            "url": reverse("trajectories:plan", args=[trajectory.pk]),
            "label": _("Plan opmaken"),
            "type": _("Re-integratieplan") if trajectory.is_formal else _("Stappenplan"),
        }
    if not allowed.get(target):
        return None
    return {
        "url": reverse("trajectories:event", args=[trajectory.pk, target]),
        "label": _("Registreren"),
        "type": label(rf.EVENT_TYPES, target),
    }


def _lead_person(trajectory, events) -> str:
    """The lead as a person with the role: the manager, or the coach who acts in the case."""
    if trajectory.lead == Trajectory.Lead.MANAGER and trajectory.employee.manager_id:
        person = str(trajectory.employee.manager)
    else:
        manager_id = trajectory.employee.manager_id
        acting = [e.created_by for e in events if e.created_by_id and e.created_by_id != manager_id]
        person = str(acting[0]) if acting else _("nog niet bekend")
    return _("%(person)s (%(role)s)") % {"person": person, "role": trajectory.get_lead_display()}


def _planned_return(events, today):
    """The next return to work still to come, or None when the employee is already back: a
    return registered earlier than the one planned makes the plan stale (the absence ended)."""
    marks = sorted(
        (e for e in events if e.type in ("return_to_work", "relapse") and e.date <= today),
        key=lambda e: (e.date, e.pk),
    )
    if marks and marks[-1].type == "return_to_work":
        return None
    return next(
        (
            e
            for e in sorted(events, key=lambda e: e.date)
            if e.type == "return_to_work" and e.date > today
        ),
        None,
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def caseload_view(request):
    g = request.GET
    filters = {
        "search": g.get("q", "").strip(),
        "phase": g.get("fase", ""),
        "formal": g.get("formeel", ""),
        "status": g.get("status", ""),
        "entity_id": _int(g.get("entiteit")),
        "policy_domain_id": _int(g.get("domein")),
    }
    # "Alleen waar ik iets moet doen": the trajectories the menu's attention count counts.
    attention = g.get("aandacht") == "1"
    cases = caseload(request.user, **filters, attention_of=roles(request.user) if attention else ())
    page = Paginator(cases, settings.TERUGKEER["PAGE_SIZE"]).get_page(g.get("page"))
    # The page as values (the count above stays on the trajectories: a count of the values
    # query would join every listed trajectory's employee, unit and manager).
    page.object_list = case_table_rows(list(case_table_source(page.object_list)))
    # Entity and policy-domain filters only for those who see more than one entity.
    wide = [g.organisation_id for g in grants(request.user) if g.unit_id is None]
    context = {
        "page": page,
        "filters": filters,
        "attention": attention,
        "phases": Trajectory.Phase.choices,
        "statuses": Trajectory.Status.choices,
        "entities": entities_of(wide) if wide else [],
        "policy_domains": policy_domains_of(wide) if wide else [],
        "querystring": g.urlencode()
        if "page" not in g
        else "&".join(f"{k}={v}" for k, v in g.items() if k != "page"),
    }
    return render(request, "trajectories/caseload.html", context)


def _page_context(request, trajectory, **extra):
    events = list(trajectory.events.all())
    employee_absences = trajectory.employee.absences_in_order  # trajectory_open_dossier
    absences = [a for a in employee_absences if a.trajectory_id == trajectory.pk]
    obligations = services.obligations_for(
        trajectory, events=events, absences=employee_absences, in_user_language=True
    )
    order = {"overdue": 0, "due_soon": 1, "open": 2, "done": 3, "missed": 4, "not_applicable": 5}
    obligations.sort(key=lambda o: (order.get(o.status, 9), o.due or trajectory.started_on))
    user = request.user
    all_types = [t for group in ACTION_GROUPS for t in group[1]]
    all_types += ["step_plan", "plan", "contact_wishes", "smt_action_done"]
    writable = writable_event_types(user, employee=trajectory.employee, event_types=all_types)
    allowed = {t: t in writable for t in all_types}
    fitting = PHASE_GROUPS.get(trajectory.phase, set(range(len(ACTION_GROUPS))))
    actions = [
        (title, [(t, label(rf.EVENT_TYPES, t)) for t in types if allowed[t]], i in fitting)
        for i, (title, types) in enumerate(ACTION_GROUPS)
    ]
    actions = [a for a in actions if a[1]]
    today = services.today()
    events_newest_first = sorted(events, key=lambda e: (e.date, e.pk), reverse=True)
    shown = [o for o in obligations if o.status != "not_applicable"]
    context = {
        "today": today,
        "planned_return": _planned_return(events, today),
        "lead_person": _lead_person(trajectory, events_newest_first),
        "obligation_rows": [(o, _obligation_action(trajectory, o, allowed)) for o in shown],
        "trajectory": trajectory,
        "employee": trajectory.employee,
        "events": events_newest_first,
        "absences": absences,
        "obligations": shown,
        "has_signal": any(o.signal for o in shown),
        "not_applicable": [o for o in obligations if o.status == "not_applicable"],
        "plans": list(trajectory.plans.all()),
        "actions_fitting": [a for a in actions if a[2]],
        "actions_other": [a for a in actions if not a[2]],
        "can_plan": allowed["plan" if trajectory.is_formal else "step_plan"],
        "can_wishes": allowed["contact_wishes"],
    }
    context.update(extra)
    return context


@login_required
def trajectory_detail(request, pk: int):
    trajectory = trajectory_open_dossier(request.user, pk)
    return render(request, "trajectories/detail.html", _page_context(request, trajectory))


def _apply_service_errors(form, error):
    if isinstance(error, services.ConflictError):
        form.add_error(None, str(error))
    elif isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            for err in errs:
                form.add_error(field if field in form.fields else None, err)
    else:
        form.add_error(None, error.messages if hasattr(error, "messages") else str(error))


# Who made the contact, proposed from the role of who registers it (one of these roles only).
CONTACT_BY_ROLE = {Role.MANAGER: "manager", Role.COACH: "coach", Role.HR: "hr"}


def _event_initial(trajectory, event_type: str, user=None) -> dict:
    """Today proposed as the date; a return proposes the plan's percentage and type; a contact
    proposes the registering user's own role as "door wie"."""
    initial = {"version": trajectory.version, "date": services.today()}
    if event_type == "contact" and user is not None:
        by = {CONTACT_BY_ROLE[r] for r in roles(user) if r in CONTACT_BY_ROLE}
        if len(by) == 1:
            initial["contact_by"] = by.pop()
    if event_type == "return_to_work":
        percentage = plan_work_percentage(trajectory)
        if percentage and percentage < 100:
            initial.update(return_type="progressive", percentage=percentage)
        else:
            initial["return_type"] = "full"
    return initial


@login_required
def event_create(request, pk: int, event_type: str):
    if event_type not in EVENT_FORMS:
        raise Http404
    trajectory = trajectory_for_write(request.user, pk)
    if not can_write(request.user, employee=trajectory.employee, event_type=event_type):
        raise PermissionDenied
    organisation = trajectory.organisation
    form = EventForm(
        event_type=event_type,
        organisation=organisation,
        initial=_event_initial(trajectory, event_type, request.user),
    )
    if request.method == "POST":
        form = EventForm(request.POST, event_type=event_type, organisation=organisation)
        if form.is_valid():
            data = services.EventInput(
                type=event_type,
                date=form.cleaned_data["date"],
                note=form.cleaned_data.get("note", ""),
                participants=form.cleaned_data.get("participants", ""),
                fields=form.event_fields(),
            )
            try:
                services.event_record(
                    actor=request.user,
                    trajectory=trajectory,
                    expected_version=form.cleaned_data["version"],
                    data=data,
                )
            except (services.ConflictError, ValidationError) as error:
                _apply_service_errors(form, error)
                if isinstance(error, services.ConflictError):
                    form.data = form.data.copy()
                    trajectory.refresh_from_db(fields=["version"])
                    form.data["version"] = trajectory.version
            else:
                messages.success(
                    request,
                    _("%(what)s is geregistreerd.") % {"what": label(rf.EVENT_TYPES, event_type)},
                )
                return redirect("trajectories:detail", pk=trajectory.pk)
    context = {
        "trajectory": trajectory,
        "form": form,
        "event_type": event_type,
        "title": label(rf.EVENT_TYPES, event_type),
    }
    return render(request, "trajectories/event_form.html", context)


@login_required
def contact_wishes(request, pk: int):
    trajectory = trajectory_for_write(request.user, pk)
    if not can_write(request.user, employee=trajectory.employee, event_type="contact_wishes"):
        raise PermissionDenied
    form = ContactWishesForm(
        organisation=trajectory.organisation,
        initial={
            "version": trajectory.version,
            "pause": trajectory.contact_pause,
            "frequency_days": trajectory.contact_frequency_days,
            "channel": trajectory.contact_channel,
            "by": trajectory.contact_by,
        },
    )
    if request.method == "POST":
        form = ContactWishesForm(request.POST, organisation=trajectory.organisation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contact_wishes_set(
                    actor=request.user,
                    trajectory=trajectory,
                    expected_version=data["version"],
                    frequency_days=data["frequency_days"],
                    pause=data["pause"],
                    channel=data["channel"],
                    by=data["by"],
                )
            except (services.ConflictError, ValidationError) as error:
                _apply_service_errors(form, error)
            else:
                messages.success(request, _("De contactwensen zijn bewaard."))
                return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "trajectories/event_form.html",
        {
            "trajectory": trajectory,
            "form": form,
            "title": _("Contactwensen van de medewerker"),
            "action_url": request.path,
        },
    )


@login_required
def plan_edit(request, pk: int):
    trajectory = trajectory_for_write(request.user, pk)
    event_type = "plan" if trajectory.is_formal else "step_plan"
    if not can_write(request.user, employee=trajectory.employee, event_type=event_type):
        raise PermissionDenied
    latest = plan_latest_read(request.user, trajectory)
    initial = {"version": trajectory.version}
    if latest:
        initial.update(
            {
                "work_percentage": latest.work_percentage,
                "workplace_adaptations": latest.workplace_adaptations,
                "adapted_work": latest.adapted_work,
                "other_work": latest.other_work,
                "training": latest.training,
                "valid_until": latest.valid_until,
                "review_dates": ", ".join(
                    f"{d[8:10]}/{d[5:7]}/{d[0:4]}" for d in latest.review_dates
                ),
                "support_measures": list(latest.support_measures.all()),
                "welfare_actors": list(latest.welfare_actors.all()),
            }
        )
        for i, step in enumerate(latest.steps.all()[: PlanForm.STEP_COUNT]):
            initial[f"step_{i}_description"] = step.description
            initial[f"step_{i}_owner"] = step.owner
            initial[f"step_{i}_due"] = step.due
    form = PlanForm(initial=initial, organisation=trajectory.organisation, trajectory=trajectory)
    if request.method == "POST":
        form = PlanForm(request.POST, organisation=trajectory.organisation, trajectory=trajectory)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.plan_save(
                    actor=request.user,
                    trajectory=trajectory,
                    expected_version=data["version"],
                    data=services.PlanInput(
                        work_percentage=data["work_percentage"],
                        workplace_adaptations=data["workplace_adaptations"],
                        adapted_work=data["adapted_work"],
                        other_work=data["other_work"],
                        training=data["training"],
                        valid_until=data["valid_until"],
                        review_dates=data["review_dates"],
                        steps=form.steps(),
                        support_measure_ids=[m.pk for m in data["support_measures"]],
                        welfare_actor_ids=[a.pk for a in data["welfare_actors"]],
                        delivered_on=data["delivered_on"],
                    ),
                )
            except (services.ConflictError, ValidationError) as error:
                _apply_service_errors(form, error)
            else:
                messages.success(request, _("Het plan is bewaard als nieuwe versie."))
                return redirect("trajectories:detail", pk=trajectory.pk)
    return render(
        request,
        "trajectories/plan_form.html",
        {
            "trajectory": trajectory,
            "form": form,
            "latest": latest,
            "title": _("Re-integratieplan") if trajectory.is_formal else _("Stappenplan"),
        },
    )


@login_required
def plan_document(request, pk: int, number: int, fmt: str):
    """Download a version of the plan as PDF or docx (terugkeer.trajectories.documents)."""
    from terugkeer.trajectories import documents

    plan = documents.plan_for_export(request.user, pk, number)
    return documents.plan_export(actor=request.user, plan=plan, fmt=fmt)
