"""The toolbox pages: the catalogue of welfare actors and support measures, and the
organisation's handelingskader. Readable by every user of the organisation; editable by its
functioneel beheerder (accounts.access.can_manage_organisation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from terugkeer.accounts.access import can_manage_organisation
from terugkeer.rules import Policy, PolicyError
from terugkeer.toolbox import selectors, services
from terugkeer.toolbox.forms import TERM_LABELS, FrameworkForm, SupportMeasureForm, WelfareActorForm
from terugkeer.toolbox.models import SupportMeasure, WelfareActor
from terugkeer.trajectories.services import today

KINDS = {
    "welzijnsactor": (WelfareActor, WelfareActorForm, _("welzijnsactor")),
    "maatregel": (SupportMeasure, SupportMeasureForm, _("ondersteuningsmaatregel")),
}


def _org_id(request):
    try:
        return int(request.GET.get("organisatie") or request.POST.get("organisatie") or 0)
    except ValueError:
        return 0


def _with_org(url: str, organisation) -> str:
    return f"{url}?organisatie={organisation.pk}"


@login_required
def catalogue(request):
    organisation = selectors.organisation_for(request.user, _org_id(request))
    can_edit = can_manage_organisation(request.user, organisation.pk)
    actors, measures = selectors.catalogue_of(organisation, include_inactive=can_edit)
    return render(
        request,
        "toolbox/catalogue.html",
        {
            "organisation": organisation,
            "organisations": selectors.organisations_for(request.user),
            "actors": actors,
            "measures": measures,
            "can_edit": can_edit,
        },
    )


@login_required
def entry_edit(request, kind: str, pk: int | None = None):
    if kind not in KINDS:
        raise Http404
    model, form_class, label = KINDS[kind]
    organisation = selectors.organisation_for(request.user, _org_id(request))
    if not can_manage_organisation(request.user, organisation.pk):
        raise PermissionDenied
    instance = model(organisation=organisation)
    if pk is not None:
        try:
            instance = model.objects.get(pk=pk, organisation=organisation)
        except model.DoesNotExist:
            raise Http404 from None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.entry_save(actor=request.user, entry=form.save(commit=False))
        messages.success(request, _("%(name)s is bewaard.") % {"name": form.instance.name})
        return redirect(_with_org(reverse("toolbox:catalogue"), organisation))
    return render(
        request,
        "toolbox/entry_form.html",
        {
            "form": form,
            "organisation": organisation,
            "title": (_("Nieuwe %(what)s") if pk is None else _("%(what)s bewerken"))
            % {"what": label},
        },
    )


def _terms_table(terms: dict, kind: str):
    try:
        policy = Policy.from_dict(terms or {}, organisation_kind=kind)
    except PolicyError:
        policy = Policy.default(kind)
    rows = [(label, getattr(policy, name)) for name, label in TERM_LABELS.items()]
    rows.append(
        (
            _("Opvolgingsgesprekken na de hervatting (dagen)"),
            ", ".join(str(d) for d in policy.follow_up_after_return_days),
        )
    )
    rows.append(
        (
            _("Termijn schuift naar de volgende werkdag"),
            _("ja") if policy.shift_to_working_day else _("nee"),
        )
    )
    return rows


@login_required
def framework_detail(request):
    organisation = selectors.organisation_for(request.user, _org_id(request))
    versions = list(selectors.frameworks_of(organisation))
    shown = versions[0] if versions else None
    wanted = request.GET.get("versie")
    if wanted:
        shown = next((v for v in versions if str(v.number) == wanted), None)
        if shown is None:
            raise Http404
    return render(
        request,
        "toolbox/framework.html",
        {
            "organisation": organisation,
            "organisations": selectors.organisations_for(request.user),
            "framework": shown,
            "versions": versions,
            "terms": _terms_table(shown.terms if shown else {}, organisation.kind),
            "can_edit": can_manage_organisation(request.user, organisation.pk),
        },
    )


@login_required
def framework_edit(request):
    organisation = selectors.organisation_for(request.user, _org_id(request))
    if not can_manage_organisation(request.user, organisation.pk):
        raise PermissionDenied
    latest = selectors.frameworks_of(organisation).first()
    try:
        policy = Policy.from_dict(latest.terms if latest else {}, organisation.kind)
    except PolicyError:
        policy = Policy.default(organisation.kind)
    initial = {name: getattr(policy, name) for name in TERM_LABELS}
    initial.update(
        effective_from=today(),
        follow_up_after_return_days=", ".join(str(d) for d in policy.follow_up_after_return_days),
        shift_to_working_day=policy.shift_to_working_day,
    )
    if latest:
        initial.update(
            text=latest.text,
            physician_contact=latest.physician_contact,
            welfare_contacts=latest.welfare_contacts,
            documents_location=latest.documents_location,
        )
    form = FrameworkForm(request.POST or None, initial=initial, organisation_kind=organisation.kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        framework = services.framework_save(
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
            _(
                "Versie %(n)s van het handelingskader is bewaard. De termijnen gelden voor alle "
                "trajecten vanaf de volgende herberekening."
            )
            % {"n": framework.number},
        )
        return redirect(_with_org(reverse("toolbox:framework"), organisation))
    return render(
        request,
        "toolbox/framework_form.html",
        {"form": form, "organisation": organisation, "latest": latest},
    )
