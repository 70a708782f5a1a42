"""The Django admin as the functioneel beheerder may use it: one organisation's register only.

A functioneel beheerder is a user with a `beheerder` role assignment; the admin does not look at
Django's is_staff, groups or model permissions for him/her (those belong to the installation's
platform administrator, a superuser). What the beheerder reaches is decided here, from the same
`accounts.access` functions as the pages: every list, form, autocomplete and delete is limited to
the organisations of his/her assignments; anything else answers 404 and the attempt is logged.
Every change is written to Terugkeer's audit log with before and after.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from terugkeer.accounts.access import administered_organisation_ids
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record, audit_refused

# Never written to the audit log, whatever the model.
SECRET_FIELDS = frozenset({"password", "password1", "password2", "key_hash", "token"})


class TerugkeerAdminSite(admin.AdminSite):
    site_header = _("Terugkeer — beheer")
    site_title = _("Terugkeer")
    index_title = _("Functioneel beheer")

    def has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        orgs = administered_organisation_ids(user)
        return orgs is None or bool(orgs)


def _value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return f"{value} (#{value.pk})"
    if isinstance(value, list | tuple | set) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(sorted(str(v) for v in items))
    return str(value)


def form_changes(form) -> dict[str, list[str]]:
    """{field: [before, after]} for the fields a form changed, secrets left out."""
    changes = {}
    for name in form.changed_data:
        if name in SECRET_FIELDS:
            changes[name] = ["***", "***"]
            continue
        before = form.initial.get(name)
        field = form.fields.get(name)
        if before is not None and hasattr(field, "queryset") and not hasattr(before, "pk"):
            # ModelChoiceField initials are primary keys: show the object.
            try:
                if isinstance(before, list | tuple):
                    before = list(field.queryset.model._default_manager.filter(pk__in=before))
                else:
                    before = field.queryset.model._default_manager.filter(pk=before).first()
            except (TypeError, ValueError):
                pass
        changes[name] = [_value(before), _value(form.cleaned_data.get(name))]
    return changes


def scope_choices(db_field, request, kwargs) -> None:
    """Limit a relation's choices (select, autocomplete and the value posted) to the
    beheerder's organisations; the organisation itself is then required."""
    orgs = administered_organisation_ids(request.user)
    if orgs is None:
        return
    model = db_field.related_model
    queryset = kwargs.get("queryset")
    queryset = queryset if queryset is not None else model._default_manager.all()
    if model is apps.get_model("organisations", "Organisation"):
        queryset = queryset.filter(pk__in=orgs)
        kwargs["required"] = True
    elif any(f.name == "organisation" for f in model._meta.get_fields()):
        queryset = queryset.filter(organisation_id__in=orgs)
    kwargs["queryset"] = queryset


class OrganisationScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin limited to the beheerder's organisations, audited.

    `organisation_path` is the lookup from the model to its organisation ("pk" for the
    organisation itself). A platform administrator (superuser) sees everything.
    """

    organisation_path = "organisation"
    beheerder_may_add = True
    beheerder_may_delete = True

    # -- scope ------------------------------------------------------------------------------

    @staticmethod
    def organisations(request) -> set[int] | None:
        return administered_organisation_ids(request.user)

    def organisation_id_of(self, obj) -> int | None:
        if self.organisation_path == "pk":
            return obj.pk
        value = obj
        for part in self.organisation_path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value.pk if hasattr(value, "pk") else value

    def in_scope(self, request, obj) -> bool:
        orgs = self.organisations(request)
        return orgs is None or self.organisation_id_of(obj) in orgs

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        orgs = self.organisations(request)
        if orgs is None:
            return qs
        return qs.filter(**{f"{self.organisation_path}__in": orgs})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another organisation's object (or none at all) is a 404, never a hint that it exists;
        # the attempt is logged (Django's default is a redirect with "doesn't exist").
        audit_refused(
            actor=request.user,
            object_type=opts.model_name,
            object_id=object_id,
            reason="beheer: object buiten de eigen organisatie of onbestaand",
        )
        raise Http404

    def delete_view(self, request, object_id, extra_context=None):
        # Django checks the delete permission before it looks the object up; outside the
        # organisation the answer must be the same 404 as for viewing or changing.
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().delete_view(request, object_id, extra_context)

    # -- permissions: from the role assignment, not from Django's permission tables ------------

    def _is_platform_admin(self, request) -> bool:
        return self.organisations(request) is None

    def has_module_permission(self, request) -> bool:
        return self._is_platform_admin(request) or bool(self.organisations(request))

    def has_view_permission(self, request, obj=None) -> bool:
        if self._is_platform_admin(request):
            return True
        return bool(self.organisations(request)) and (obj is None or self.in_scope(request, obj))

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        if self._is_platform_admin(request):
            return True
        return self.beheerder_may_add and bool(self.organisations(request))

    def has_delete_permission(self, request, obj=None) -> bool:
        if self._is_platform_admin(request):
            return True
        return self.beheerder_may_delete and self.has_view_permission(request, obj)

    # -- Terugkeer's audit log --------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            obj=obj,
            organisation_id=self.organisation_id_of(obj),
            changes=form_changes(form),
        )

    def delete_model(self, request, obj):
        organisation_id = self.organisation_id_of(obj)
        object_id, label = obj.pk, str(obj)
        super().delete_model(request, obj)
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.DELETE,
            object_type=obj._meta.model_name,
            object_id=object_id,
            organisation_id=organisation_id,
            changes={"object": label},
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
