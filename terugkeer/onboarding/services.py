"""Writes of the guided set-up of an organisation (docs/onboarding.md).

Every write goes through the services of the app that owns the data where one exists (units:
organisations.services, catalogue and handelingskader: toolbox.services, role grants:
accounts.services with its four-eyes rule) and is audited in the same transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from terugkeer.accounts.access import SYSTEM, can_set_up_organisation
from terugkeer.accounts.models import Role, RoleAssignment, User
from terugkeer.accounts.services import role_assignment_save
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.onboarding.models import OrganisationSetup
from terugkeer.onboarding.steps import STEP_SLUGS
from terugkeer.organisations.models import Organisation, Unit
from terugkeer.organisations.services import unit_create
from terugkeer.toolbox import catalogue
from terugkeer.toolbox.models import SupportMeasure, WelfareActor
from terugkeer.toolbox.services import entry_save


def _require(actor, organisation_id: int) -> None:
    if actor is not SYSTEM and not can_set_up_organisation(actor, organisation_id):
        raise PermissionDenied(_("Alleen de functioneel beheerder van deze organisatie mag dit."))


def setup_of(organisation: Organisation) -> OrganisationSetup:
    setup, _created = OrganisationSetup.objects.get_or_create(organisation=organisation)
    return setup


@transaction.atomic
def setup_step_complete(*, actor, organisation: Organisation, step: str) -> OrganisationSetup:
    """Remember that the beheerder finished a step (the page resumes after it)."""
    _require(actor, organisation.pk)
    if step not in STEP_SLUGS:
        raise ValueError(step)
    setup = OrganisationSetup.objects.select_for_update().get(pk=setup_of(organisation).pk)
    if step not in setup.completed_steps:
        setup.completed_steps = [s for s in STEP_SLUGS if s in {*setup.completed_steps, step}]
        setup.save(update_fields=["completed_steps", "updated_at"])
    return setup


# --- the first functioneel beheerder (platform administrator, manage.py onboard_organisation) --


@dataclass(frozen=True)
class Onboarded:
    organisation: Organisation
    user: User
    created_organisation: bool


def password_set_path(user: User) -> str:
    """The path of a single-use link to choose a password (Django's reset token: valid for
    PASSWORD_RESET_TIMEOUT; afterwards "Wachtwoord vergeten" sends a new one)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def _new_user(*, actor, organisation, username, email, first_name, last_name) -> User:
    """A new account of the organisation, its creation in the audit log."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Deze gebruikersnaam bestaat al.")})
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
    )
    # A random password nobody knows: the user chooses one through the link (and can always ask
    # a new link with "Wachtwoord vergeten", which an unusable password would not allow).
    user.set_password(secrets.token_urlsafe(32))
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=user,
        organisation_id=organisation.pk,
        changes={"gebruikersnaam": username, "e-mail": email},
    )
    return user


@transaction.atomic
def organisation_onboard(
    *,
    name: str,
    kind: str,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    employer_size: int | None = None,
) -> Onboarded:
    """The platform administrator's one command: an organisation (new, or an existing one
    without a beheerder yet) and its first functioneel beheerder, granted by the platform (no
    second confirmation is possible yet: nobody else administers it)."""
    organisation = Organisation.objects.filter(name=name).first()
    created = organisation is None
    if created:
        organisation = Organisation(name=name, kind=kind)
        if employer_size is not None:
            organisation.employer_size = employer_size
        organisation.full_clean()
        organisation.save()
        audit_record(
            actor=SYSTEM,
            action=AuditEntry.Action.CREATE,
            obj=organisation,
            organisation_id=organisation.pk,
            changes={"naam": name, "soort": kind},
        )
    user = _new_user(
        actor=SYSTEM,
        organisation=organisation,
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    role_assignment_save(
        actor=SYSTEM,
        assignment=RoleAssignment(user=user, role=Role.ADMIN, organisation=organisation),
    )
    setup_of(organisation)
    return Onboarded(organisation, user, created)


# --- the steps ------------------------------------------------------------------------------


@transaction.atomic
def organisation_details_save(*, actor, organisation: Organisation, before: dict) -> Organisation:
    _require(actor, organisation.pk)
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=organisation,
        organisation_id=organisation.pk,
        changes={
            "voordien": before,
            "naam": organisation.name,
            "korte naam": organisation.short_name,
            "aantal werknemers": organisation.employer_size,
            "aansluitingsnummer": organisation.prevention_affiliation,
        },
    )
    return organisation


@transaction.atomic
def unit_add(
    *,
    actor,
    organisation: Organisation,
    name: str,
    code: str,
    kind: str,
    parent: Unit | None,
    is_entity: bool,
) -> Unit:
    """A unit typed in the set-up (the import adds them from a file: imports.services)."""
    _require(actor, organisation.pk)
    if parent is not None and parent.organisation_id != organisation.pk:
        raise PermissionDenied
    if Unit.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": _("Deze code bestaat al in uw organisatie.")})
    unit = unit_create(
        organisation=organisation,
        name=name,
        code=code,
        kind=kind,
        parent=parent,
        is_entity=is_entity,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=unit,
        organisation_id=organisation.pk,
        changes={"naam": name, "code": code, "soort": kind, "entiteit": is_entity},
    )
    return unit


def catalogue_choices() -> tuple[list[str], list[str]]:
    """The names in the starting catalogue (seed 004's actors, seed 000's measures)."""
    return (
        [name for name, _description in catalogue.WELFARE_ACTORS],
        [name for _category, name, _description, _url in catalogue.SUPPORT_MEASURES],
    )


@transaction.atomic
def catalogue_adopt(
    *, actor, organisation: Organisation, actors: list[str], measures: list[str]
) -> tuple[int, int]:
    """Take the chosen entries of the starting catalogue into the organisation's own (each
    created once, then the organisation's to edit in the toolbox); entries of the starting
    catalogue that were taken before and are now left out become inactive. Returns how many
    entries were created and how many were switched off."""
    _require(actor, organisation.pk)
    created = switched = 0
    rows = [
        (WelfareActor, name, {"description": description}, name in actors)
        for name, description in catalogue.WELFARE_ACTORS
    ] + [
        (
            SupportMeasure,
            name,
            {"description": description, "category": category, "url": url},
            name in measures,
        )
        for category, name, description, url in catalogue.SUPPORT_MEASURES
    ]
    for model, name, defaults, wanted in rows:
        entry = model.objects.filter(organisation=organisation, name=name).first()
        if entry is None and wanted:
            entry_save(actor=actor, entry=model(organisation=organisation, name=name, **defaults))
            created += 1
        elif entry is not None and entry.active != wanted:
            entry.active = wanted
            entry_save(actor=actor, entry=entry)
            switched += 0 if wanted else 1
    return created, switched


def _send_invitation(user: User, organisation: Organisation) -> None:
    # Links point at the configured address, never at a Host header sent by the visitor.
    base_url = settings.TERUGKEER["BASE_URL"]
    context = {
        "user": user,
        "organisation": organisation,
        "link": base_url.rstrip("/") + password_set_path(user),
        "login": base_url.rstrip("/") + reverse("login"),
    }
    send_mail(
        _("Uw account voor Terugkeer bij %(organisation)s") % {"organisation": organisation},
        render_to_string("onboarding/invitation_email.txt", context),
        None,
        [user.email],
    )


@transaction.atomic
def user_invite(
    *,
    actor,
    organisation: Organisation,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    unit: Unit | None,
) -> RoleAssignment:
    """A first user of the organisation with one role. The grant goes through the four-eyes
    service (accounts.services.role_assignment_save): with a single beheerder a dossier role
    takes effect at once and is listed on "Rollen en toegang"; otherwise it waits for a second
    beheerder. The user chooses a password through a link sent to his/her own address only
    (the beheerder never sets or sees it)."""
    _require(actor, organisation.pk)
    if unit is not None and unit.organisation_id != organisation.pk:
        raise PermissionDenied
    user = _new_user(
        actor=actor,
        organisation=organisation,
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
    )
    assignment = role_assignment_save(
        actor=actor,
        assignment=RoleAssignment(user=user, role=role, organisation=organisation, unit=unit),
    )
    transaction.on_commit(lambda: _send_invitation(user, organisation))
    return assignment


@transaction.atomic
def alignment_save(*, actor, organisation: Organisation, weeks: int) -> OrganisationSetup:
    _require(actor, organisation.pk)
    setup = setup_of(organisation)
    before = setup.alignment_interval_weeks
    setup.alignment_interval_weeks = weeks
    setup.full_clean()
    setup.save(update_fields=["alignment_interval_weeks", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=setup,
        organisation_id=organisation.pk,
        changes={"afstemming om de ... weken": weeks, "voordien": before},
    )
    return setup
