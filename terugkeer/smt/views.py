"""Pages of the SMT, the second line, intervision and the alignment. Thin: forms, then the
services (writes) and selectors (reads); access is decided in accounts.access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from terugkeer.accounts import access
from terugkeer.accounts.models import Role
from terugkeer.smt import forms, selectors, services
from terugkeer.smt.models import Action
from terugkeer.trajectories.selectors import trajectory_open_dossier

# The roles for whom the "Samenwerking" pages hold something.
COLLABORATION_ROLES = frozenset({Role.SMT, Role.COACH, Role.ADVISER, Role.HR, Role.MANAGER})


def _errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            for err in errs:
                form.add_error(field if field in form.fields else None, err)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def index(request):
    user = request.user
    if not access.has_role(user, *COLLABORATION_ROLES):
        raise Http404
    today = services.today()
    smts = list(selectors.smts_of_member(user))
    context = {
        "today": today,
        "is_member": bool(smts),
        "smts": [
            (
                smt,
                services.proposed_dates(smt, after=today),
                forms.MeetingPlanForm(prefix=f"s{smt.pk}"),
            )
            for smt in smts
        ],
        "upcoming": list(selectors.meetings_of_member(user, since=today)),
        "past": list(selectors.past_meetings_of_member(user, before=today)),
        "is_adviser": access.has_role(user, Role.ADVISER),
        "makes_intervision": access.has_role(user, Role.COACH, Role.ADVISER),
        "holds_alignment": access.can_hold_alignment(user),
        "sees_policy": access.has_role(user, Role.SMT, Role.ADVISER),
    }
    return render(request, "smt/index.html", context)


@login_required
@require_POST
def meeting_plan(request, smt_pk: int):
    smt = selectors.smt_for_member(request.user, smt_pk)
    form = forms.MeetingPlanForm(request.POST, prefix=f"s{smt.pk}")
    if form.is_valid():
        try:
            meeting = services.meeting_plan(
                actor=request.user,
                smt=smt,
                day=form.cleaned_data["date"],
                location=form.cleaned_data["location"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De vergadering is gepland."))
            return redirect("smt:meeting", pk=meeting.pk)
    else:
        messages.error(request, _("Kies een geldige datum."))
    return redirect("smt:index")


def _meeting_context(request, meeting, **forms_given):
    today = services.today()
    members = list(services.smt_members(meeting.smt))
    attending = {u.pk for u in meeting.attendees.all()}
    return {
        "meeting": meeting,
        "today": today,
        "agenda": selectors.meeting_agenda(request.user, meeting, on=today),
        "members": [(m, m.pk in attending) for m in members],
        "attends": request.user.pk in attending,
        "read_window": meeting.read_window(),
        "minutes_form": forms_given.get("minutes_form")
        or forms.MinutesForm(initial={"minutes": meeting.minutes}),
        "policy_form": forms_given.get("policy_form") or forms.PolicyItemForm(),
    }


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_for_member(request.user, pk)
    return render(request, "smt/meeting.html", _meeting_context(request, meeting))


@login_required
@require_POST
def meeting_attendees(request, pk: int):
    meeting = selectors.meeting_for_member(request.user, pk)
    ids = [int(v) for v in request.POST.getlist("attendee") if v.isdigit()]
    services.meeting_attendees_set(actor=request.user, meeting=meeting, user_ids=ids)
    messages.success(request, _("De deelnemers zijn bewaard."))
    return redirect("smt:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_minutes(request, pk: int):
    meeting = selectors.meeting_for_member(request.user, pk)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_save(
                actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Het verslag is bewaard."))
            return redirect("smt:meeting", pk=meeting.pk)
    return render(
        request, "smt/meeting.html", _meeting_context(request, meeting, minutes_form=form)
    )


@login_required
@require_POST
def meeting_policy_item(request, pk: int):
    meeting = selectors.meeting_for_member(request.user, pk)
    form = forms.PolicyItemForm(request.POST)
    if form.is_valid():
        try:
            services.policy_item_add(
                actor=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Het beleidspunt staat op de agenda."))
            return redirect("smt:meeting", pk=meeting.pk)
    return render(request, "smt/meeting.html", _meeting_context(request, meeting, policy_form=form))


@login_required
def item_advice(request, pk: int):
    item = selectors.smt_item_for_member(request.user, pk)
    today = services.today()
    if not access.can_write_smt_advice(request.user, item, on=today):
        raise PermissionDenied
    is_case = item.kind == item.Kind.CASE
    form_class = forms.AdviceForm if is_case else forms.ConclusionForm
    form = form_class()
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            actions = []
            if is_case and data.get("action_description"):
                actions.append(
                    services.ActionInput(
                        data["action_description"], data["action_owner"], data["action_due"]
                    )
                )
            try:
                services.advice_write(
                    actor=request.user, item=item, advice=data["advice"], actions=actions
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(
                    request, _("Het advies is bewaard en naar het traject geschreven.")
                )
                return redirect("smt:meeting", pk=item.meeting_id)
    return render(request, "smt/advice.html", {"item": item, "form": form, "is_case": is_case})


@login_required
def item_dossier(request, pk: int):
    item, trajectory = selectors.smt_case_dossier(request.user, pk, on=services.today())
    events = sorted(trajectory.events.all(), key=lambda e: (e.date, e.pk), reverse=True)
    return render(
        request,
        "smt/dossier.html",
        {"item": item, "trajectory": trajectory, "employee": trajectory.employee, "events": events},
    )


# --- the coach's side: one trajectory ---------------------------------------------------------


def _trajectory_context(request, trajectory, **forms_given):
    user = request.user
    today = services.today()
    meetings = selectors.upcoming_meetings_for_proposal(user, trajectory, on=today)
    employee = trajectory.employee
    return {
        "trajectory": trajectory,
        "employee": employee,
        "items": list(
            trajectory.smt_items.select_related("meeting__smt").prefetch_related("actions")
        ),
        "referrals": list(trajectory.referrals.select_related("taken_up_by", "referred_by")),
        "can_propose": bool(meetings),
        "propose_form": forms_given.get("propose_form")
        or forms.CaseProposalForm(meetings=meetings, prefix="smt"),
        "can_refer": access.can_refer_to_second_line(user, employee) and trajectory.is_open,
        "referral_form": forms_given.get("referral_form") or forms.ReferralForm(prefix="ref"),
        "can_intervision": access.can_make_intervision_case(user, employee),
        "intervision_form": forms_given.get("intervision_form")
        or forms.IntervisionForm(prefix="int"),
        "can_mark_done": access.can_write(user, employee=employee, event_type="smt_action_done"),
    }


@login_required
def trajectory_page(request, pk: int):
    trajectory = trajectory_open_dossier(request.user, pk)
    return render(request, "smt/trajectory.html", _trajectory_context(request, trajectory))


@login_required
@require_POST
def trajectory_propose(request, pk: int):
    trajectory = trajectory_open_dossier(request.user, pk)
    meetings = selectors.upcoming_meetings_for_proposal(
        request.user, trajectory, on=services.today()
    )
    if not meetings:
        raise PermissionDenied  # not a coach or adviser of this employee, or no meeting ahead
    form = forms.CaseProposalForm(request.POST, meetings=meetings, prefix="smt")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_propose(
                actor=request.user,
                meeting=data["meeting"],
                trajectory=trajectory,
                data=services.CaseProposal(
                    form=data["form"],
                    question=data["question"],
                    summary=data["summary"],
                    consent_on=data["consent_on"],
                    consent_how=data["consent_how"],
                    guests=data["guests"],
                ),
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("De casus staat op de agenda van het SMT."))
            return redirect("smt:trajectory", pk=trajectory.pk)
    return render(
        request, "smt/trajectory.html", _trajectory_context(request, trajectory, propose_form=form)
    )


@login_required
@require_POST
def trajectory_refer(request, pk: int):
    trajectory = trajectory_open_dossier(request.user, pk)
    form = forms.ReferralForm(request.POST, prefix="ref")
    if form.is_valid():
        try:
            services.referral_create(
                actor=request.user, trajectory=trajectory, question=form.cleaned_data["question"]
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Het traject is doorverwezen naar de tweede lijn."))
            return redirect("smt:trajectory", pk=trajectory.pk)
    return render(
        request, "smt/trajectory.html", _trajectory_context(request, trajectory, referral_form=form)
    )


@login_required
@require_POST
def trajectory_intervision(request, pk: int):
    trajectory = trajectory_open_dossier(request.user, pk)
    form = forms.IntervisionForm(request.POST, prefix="int")
    if form.is_valid():
        try:
            case = services.intervision_case_make(
                actor=request.user,
                trajectory=trajectory,
                title=form.cleaned_data["title"],
                learning_question=form.cleaned_data["learning_question"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("De anonieme intervisiecasus is gemaakt."))
            return redirect("smt:intervision", pk=case.pk)
    return render(
        request,
        "smt/trajectory.html",
        _trajectory_context(request, trajectory, intervision_form=form),
    )


@login_required
@require_POST
def action_done(request, pk: int):
    action = Action.objects.select_related("item").filter(pk=pk).first()
    if action is None:
        raise Http404
    # Opening the trajectory decides (and logs) whether this user may see it at all.
    trajectory = trajectory_open_dossier(request.user, action.item.trajectory_id)
    if not access.can_write(
        request.user, employee=trajectory.employee, event_type="smt_action_done"
    ):
        raise PermissionDenied
    try:
        services.action_done(actor=request.user, action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De actie is afgerond."))
    return redirect("smt:trajectory", pk=trajectory.pk)


# --- the second line --------------------------------------------------------------------------


@login_required
def second_line(request):
    if not access.has_role(request.user, Role.ADVISER):
        raise Http404
    referrals = list(selectors.referrals_for_adviser(request.user)[:200])
    return render(
        request,
        "smt/second_line.html",
        {"referrals": referrals, "answer_form": forms.AnswerForm()},
    )


@login_required
@require_POST
def referral_take_up(request, pk: int):
    referral = selectors.referral_for_adviser(request.user, pk)
    try:
        services.referral_take_up(actor=request.user, referral=referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("U hebt het traject opgenomen in de tweede lijn."))
    return redirect("smt:second_line")


@login_required
@require_POST
def referral_answer(request, pk: int):
    referral = selectors.referral_for_adviser(request.user, pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.referral_answer(
                actor=request.user, referral=referral, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Uw antwoord staat op de tijdlijn van het traject."))
    else:
        messages.error(request, _("Schrijf het antwoord aan de coach."))
    return redirect("smt:second_line")


# --- intervision ------------------------------------------------------------------------------


@login_required
def intervision_list(request):
    if not access.has_role(request.user, Role.COACH, Role.ADVISER):
        raise Http404
    cases = selectors.intervision_cases(request.user)[:100]
    return render(request, "smt/intervision_list.html", {"cases": cases})


@login_required
def intervision_detail(request, pk: int):
    case = selectors.intervision_case(request.user, pk)
    return render(request, "smt/intervision.html", {"case": case})


@login_required
def intervision_pdf(request, pk: int):
    from weasyprint import HTML  # imported here: loading pango takes a moment

    case = selectors.intervision_case(request.user, pk)
    html = render_to_string("smt/intervision_pdf.html", {"case": case})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="intervisie-{case.pk}.pdf"'
    return response


# --- policy items and the alignment -----------------------------------------------------------


@login_required
def policy_list(request):
    if not access.has_role(request.user, Role.SMT, Role.ADVISER):
        raise Http404
    today = services.today()
    try:
        year = int(request.GET.get("jaar", today.year))
    except ValueError:
        year = today.year
    items = selectors.policy_items(request.user, year=year)
    return render(
        request,
        "smt/policy.html",
        {"items": items, "year": year, "years": range(today.year, today.year - 5, -1)},
    )


@login_required
def alignment(request):
    user = request.user
    if not access.can_hold_alignment(user):
        raise Http404
    managers = list(selectors.alignment_managers(user))
    wanted = request.GET.get("leidinggevende") or request.POST.get("leidinggevende")
    manager = next((m for m in managers if str(m.pk) == str(wanted)), None)
    if manager is None and len(managers) == 1:
        manager = managers[0]
    today = services.today()
    rows = selectors.alignment_agenda(user, manager, on=today) if manager else []
    form = forms.AlignmentForm(initial={"held_on": today})
    if request.method == "POST" and manager is not None:
        form = forms.AlignmentForm(request.POST)
        if form.is_valid():
            agreed = {t.pk: request.POST.get(f"afspraak-{t.pk}", "")[:2000] for _e, t in rows if t}
            try:
                services.alignment_record(
                    actor=user,
                    manager=manager,
                    held_on=form.cleaned_data["held_on"],
                    next_on=form.cleaned_data["next_on"],
                    agreed=agreed,
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                messages.success(request, _("De afstemming is bewaard."))
                return redirect(f"{request.path}?leidinggevende={manager.pk}")
    previous = list(selectors.alignments_of(user, manager)[:5]) if manager else []
    return render(
        request,
        "smt/alignment.html",
        {
            "managers": managers,
            "manager": manager,
            "rows": rows,
            "form": form,
            "previous": previous,
            "today": today,
        },
    )
