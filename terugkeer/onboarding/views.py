"""The guided set-up of an organisation by its functioneel beheerder: an overview with the
checklist, and one page per step that can be left and resumed (docs/onboarding.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from terugkeer.accounts.access import can_set_up_organisation, set_up_organisation_ids
from terugkeer.accounts.models import RoleAssignment
from terugkeer.onboarding import services
from terugkeer.onboarding.checklist import checklist, missing_required
from terugkeer.onboarding.forms import (
    AlignmentForm,
    CatalogueForm,
    OrganisationDetailsForm,
    UnitForm,
    UserInviteForm,
)
from terugkeer.onboarding.steps import STEPS, next_step, step_by_slug
from terugkeer.onboarding.template import framework_text
from terugkeer.organisations.models import Organisation, Unit
from terugkeer.rules import Policy, PolicyError
from terugkeer.toolbox import selectors as toolbox_selectors
from terugkeer.toolbox import services as toolbox_services
from terugkeer.toolbox.forms import TERM_LABELS, FrameworkForm
from terugkeer.trajectories.services import today


def _organisation(user, pk: int) -> Organisation:
    if not can_set_up_organisation(user, pk):
        raise Http404
    try:
        return Organisation.objects.get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


@login_required
def index(request):
    ids = set_up_organisation_ids(request.user)
    if ids is not None and not ids:
        raise Http404
    organisations = (
        Organisation.objects.all() if ids is None else (Organisation.objects.filter(pk__in=ids))
    )
    organisations = list(organisations.order_by("name"))
    if len(organisations) == 1:
        return redirect("onboarding:overview", pk=organisations[0].pk)
    return render(request, "onboarding/index.html", {"organisations": organisations})


@login_required
def overview(request, pk: int):
    organisation = _organisation(request.user, pk)
    setup = services.setup_of(organisation)
    done = set(setup.completed_steps)
    items = checklist(organisation)
    resume = next((step for step in STEPS if step.slug not in done), None)
    return render(
        request,
        "onboarding/overview.html",
        {
            "organisation": organisation,
            "steps": [(step, _step_state(step.slug, done, items)) for step in STEPS],
            "resume": resume,
            "items": items,
            "missing": missing_required(items),
        },
    )


def _step_state(slug: str, done: set, items) -> str:
    """ "done" once walked through; "ready" when the data it asks is already there (an import, the
    admin): otherwise the step says "nog te doen" beside a checklist that says "klaar"."""
    if slug in done:
        return "done"
    own = [item for item in items if item.step == slug and item.required]
    return "ready" if own and all(item.ready for item in own) else "todo"


def _after(request, organisation, slug):
    """Finished a step: remember it, and go on to the next one (or the checklist)."""
    services.setup_step_complete(actor=request.user, organisation=organisation, step=slug)
    following = next_step(slug)
    if following is None:
        return redirect("onboarding:overview", pk=organisation.pk)
    return redirect("onboarding:step", pk=organisation.pk, slug=following.slug)


def _wants_to_finish(request) -> bool:
    return "afronden" in request.POST


@login_required
def step(request, pk: int, slug: str):
    organisation = _organisation(request.user, pk)
    current = step_by_slug(slug)
    if current is None:
        raise Http404
    services.setup_of(organisation)
    handler = HANDLERS[slug]
    response, context = handler(request, organisation)
    if response is not None:
        return response
    number = [s.slug for s in STEPS].index(slug) + 1
    return render(
        request,
        f"onboarding/step_{slug}.html",
        {
            "organisation": organisation,
            "step": current,
            "number": number,
            "total": len(STEPS),
            "overview_url": reverse("onboarding:overview", kwargs={"pk": organisation.pk}),
            **context,
        },
    )


def _details(request, organisation):
    before = model_to_dict(organisation, fields=OrganisationDetailsForm.Meta.fields)
    form = OrganisationDetailsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_details_save(
            actor=request.user, organisation=form.save(commit=False), before=before
        )
        messages.success(request, _("De gegevens van de organisatie zijn bewaard."))
        return _after(request, organisation, "organisatie"), {}
    return None, {"form": form}


def _units(request, organisation):
    form = UnitForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and _wants_to_finish(request):
        return _after(request, organisation, "eenheden"), {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_add(actor=request.user, organisation=organisation, **data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field, message)
        else:
            messages.success(request, _("%(name)s is toegevoegd.") % {"name": unit.name})
            return redirect(request.path), {}
    units = Unit.objects.filter(organisation=organisation).select_related("parent")
    return None, {"form": form, "tree": _tree(list(units))}


def _tree(units):
    """(unit, depth) in tree order, for an indented list."""
    children: dict[int | None, list] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered = []

    def walk(parent_id, depth):
        for unit in sorted(children.get(parent_id, []), key=lambda u: u.name):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def _employees(request, organisation):
    if request.method == "POST":
        return _after(request, organisation, "medewerkers"), {}
    items = [item for item in checklist(organisation) if item.step == "medewerkers"]
    return None, {"items": items}


def _framework(request, organisation):
    latest = toolbox_selectors.frameworks_of(organisation).first()
    try:
        policy = Policy.from_dict(latest.terms if latest else {}, organisation.kind)
    except PolicyError:
        policy = Policy.default(organisation.kind)
    initial = {name: getattr(policy, name) for name in TERM_LABELS}
    initial.update(
        effective_from=today(),
        follow_up_after_return_days=", ".join(str(d) for d in policy.follow_up_after_return_days),
        shift_to_working_day=policy.shift_to_working_day,
        text=latest.text if latest else framework_text(name=organisation.name),
    )
    if latest:
        initial.update(
            physician_contact=latest.physician_contact,
            welfare_contacts=latest.welfare_contacts,
            documents_location=latest.documents_location,
        )
    form = FrameworkForm(request.POST or None, initial=initial, organisation_kind=organisation.kind)
    if request.method == "POST" and latest and _wants_to_finish(request):
        return _after(request, organisation, "handelingskader"), {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        framework = toolbox_services.framework_save(
            actor=request.user,
            organisation=organisation,
            effective_from=data["effective_from"],
            text=data["text"],
            terms=form.terms(),
            physician_contact=data["physician_contact"],
            welfare_contacts=data["welfare_contacts"],
            documents_location=data["documents_location"],
        )
        messages.success(
            request,
            _("Versie %(n)s van het handelingskader is bewaard.") % {"n": framework.number},
        )
        return _after(request, organisation, "handelingskader"), {}
    return None, {"form": form, "latest": latest}


def _catalogue(request, organisation):
    actor_names, measure_names = services.catalogue_choices()
    actors, measures = toolbox_selectors.catalogue_of(organisation, include_inactive=True)
    taken = {e.name: e.active for e in [*actors, *measures]}
    if taken:
        initial = {
            "actors": [n for n in actor_names if taken.get(n)],
            "measures": [n for n in measure_names if taken.get(n)],
        }
    else:
        initial = {"actors": actor_names, "measures": measure_names}
    form = CatalogueForm(
        request.POST or None,
        initial=initial,
        actor_names=actor_names,
        measure_names=measure_names,
    )
    if request.method == "POST" and form.is_valid():
        created, switched = services.catalogue_adopt(
            actor=request.user,
            organisation=organisation,
            actors=form.cleaned_data["actors"],
            measures=form.cleaned_data["measures"],
        )
        messages.success(
            request,
            _("De catalogus is bewaard: %(created)d toegevoegd, %(off)d uitgezet.")
            % {"created": created, "off": switched},
        )
        return _after(request, organisation, "catalogus"), {}
    return None, {"form": form}


def _users(request, organisation):
    form = UserInviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and _wants_to_finish(request):
        return _after(request, organisation, "gebruikers"), {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.user_invite(
                actor=request.user,
                organisation=organisation,
                **data,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            if assignment.is_pending:
                text = _(
                    "%(name)s is aangemaakt en krijgt een e-mail om een wachtwoord te kiezen. "
                    "De rol wacht op de bevestiging van een tweede functioneel beheerder."
                )
            else:
                text = _(
                    "%(name)s is aangemaakt en krijgt een e-mail om een wachtwoord te kiezen. "
                    "De rol geldt meteen."
                )
            messages.success(request, text % {"name": assignment.user})
            return redirect(request.path), {}
    assignments = (
        RoleAssignment.objects.filter(organisation=organisation)
        .select_related("user", "unit")
        .order_by("user__last_name", "user__first_name", "role")
    )
    return None, {"form": form, "assignments": assignments}


def _alignment(request, organisation):
    setup = services.setup_of(organisation)
    form = AlignmentForm(
        request.POST or None, initial={"weeks": setup.alignment_interval_weeks or 6}
    )
    if request.method == "POST" and form.is_valid():
        services.alignment_save(
            actor=request.user, organisation=organisation, weeks=form.cleaned_data["weeks"]
        )
        messages.success(request, _("Het ritme van de afstemming is bewaard."))
        return _after(request, organisation, "afstemming"), {}
    return None, {"form": form}


HANDLERS = {
    "organisatie": _details,
    "eenheden": _units,
    "medewerkers": _employees,
    "handelingskader": _framework,
    "catalogus": _catalogue,
    "gebruikers": _users,
    "afstemming": _alignment,
}
