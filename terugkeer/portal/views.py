"""The employee's own portal (/mijn-traject/) and the digest setting of staff users.

Every read goes through terugkeer.portal.selectors, which only return the signed-in
employee's own records; every write goes through the trajectories' services, which ask
accounts.access.can_write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from terugkeer.portal import selectors, services
from terugkeer.portal.forms import DigestSettingsForm, OwnContactWishesForm, PlanAnswerForm
from terugkeer.rules import facts as rf
from terugkeer.trajectories import documents
from terugkeer.trajectories import services as trajectory_services
from terugkeer.trajectories.labels import label


@login_required
def portal_home(request):
    employee = selectors.own_employee(request.user)
    trajectory = selectors.own_trajectory(request.user)
    context = {"employee": employee, "trajectory": trajectory}
    if trajectory is not None:
        today = trajectory_services.today()
        events = trajectory.public_events
        plans = list(trajectory.plans.all())
        latest = plans[0] if plans else None
        answerable, why, term = (False, "", None)
        if latest is not None:
            answerable, why, term = services.plan_answerable(latest)
        context.update(
            {
                "agreements": [e for e in events if e.type in ("agreements", "conversation")],
                "timeline": sorted(events, key=lambda e: (e.date, e.pk), reverse=True),
                "upcoming": selectors.upcoming(trajectory, today, latest),
                "plans": plans,
                "latest": latest,
                "answerable": answerable,
                "answer_term": term,
                "answers": [
                    (a, label(rf.REFUSAL_REASONS, a.reason))
                    for a in selectors.plan_answers(trajectory)
                ],
            }
        )
    context["openings"] = selectors.dossier_openings(request.user)
    return render(request, "portal/home.html", context)


def _current(request):
    trajectory = selectors.own_trajectory(request.user, log=False)
    if trajectory is None or not trajectory.is_open:
        raise Http404
    return trajectory


@login_required
def contact_wishes(request):
    selectors.own_employee(request.user)
    trajectory = _current(request)
    by_value = trajectory.contact_by if trajectory.contact_by in rf.CONTACT_BY.values() else ""
    form = OwnContactWishesForm(
        initial={
            "version": trajectory.version,
            "pause": trajectory.contact_pause,
            "frequency_days": trajectory.contact_frequency_days,
            "channel": trajectory.contact_channel,
            "by": by_value,
        }
    )
    if request.method == "POST":
        form = OwnContactWishesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                trajectory_services.contact_wishes_set(
                    actor=request.user,
                    trajectory=trajectory,
                    expected_version=data["version"],
                    frequency_days=data["frequency_days"],
                    pause=data["pause"],
                    channel=data["channel"],
                    by=data["by"],
                )
            except trajectory_services.ConflictError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Uw contactwensen zijn bewaard."))
                return redirect("portal:home")
    return render(request, "portal/contact_wishes.html", {"form": form})


@login_required
def plan_detail(request, number: int):
    selectors.own_employee(request.user)
    plan = selectors.own_plan(request.user, number)
    trajectory = plan.trajectory
    answerable, why, term = services.plan_answerable(plan)
    form = PlanAnswerForm(initial={"version": trajectory.version}) if answerable else None
    if answerable and request.method == "POST":
        form = PlanAnswerForm(request.POST)
        if form.is_valid():
            accepted = form.cleaned_data["answer"] == "accept"
            try:
                services.plan_answer(
                    actor=request.user,
                    plan=plan,
                    accepted=accepted,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except (ValidationError, trajectory_services.ConflictError) as error:
                if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                    for field, errs in error.error_dict.items():
                        for err in errs:
                            form.add_error(field if field in form.fields else None, err)
                else:
                    form.add_error(None, getattr(error, "messages", [str(error)]))
            else:
                messages.success(
                    request,
                    _("U hebt het plan aanvaard.")
                    if accepted
                    else _("Uw weigering is geregistreerd. Uw terugkeercoach neemt contact op."),
                )
                return redirect("portal:home")
    return render(
        request,
        "portal/plan.html",
        {
            "plan": plan,
            "trajectory": trajectory,
            "doc": documents.plan_document(plan),
            "answerable": answerable,
            "why": why,
            "term": term,
            "form": form,
            "answer_given": None if answerable else selectors.plan_answer_given(plan),
            "refusal_reasons": {c: label(rf.REFUSAL_REASONS, c) for c in rf.REFUSAL_REASONS},
        },
    )


@login_required
def plan_download(request, number: int, fmt: str):
    selectors.own_employee(request.user)
    plan = selectors.own_plan(request.user, number)
    return documents.plan_export(actor=request.user, plan=plan, fmt=fmt)


@login_required
def digest_settings(request):
    """Staff choose whether they get the daily digest e-mail (User.wants_digest)."""
    form = DigestSettingsForm(initial={"wants_digest": request.user.wants_digest})
    if request.method == "POST":
        form = DigestSettingsForm(request.POST)
        if form.is_valid():
            request.user.wants_digest = form.cleaned_data["wants_digest"]
            request.user.save(update_fields=["wants_digest"])
            messages.success(request, _("Uw keuze is bewaard."))
            return redirect("digest_settings")
    return render(request, "portal/digest_settings.html", {"form": form})
