"""Users and role assignments in the admin: a functioneel beheerder manages his/her own
organisation's accounts, never his/her own roles, never Django's staff, superuser, group or
permission flags (those stay with the platform administrator). Grants go through
accounts.services (four eyes, audit log)."""

from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terugkeer.accounts import services
from terugkeer.accounts.access import administered_organisation_ids
from terugkeer.accounts.admin_scope import OrganisationScopedAdmin, scope_choices
from terugkeer.accounts.models import RoleAssignment, User
from terugkeer.audit.services import audit_refused

ROLE_FIELDS = ("role", "organisation", "unit")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 1
    fields = [*ROLE_FIELDS, "status"]
    readonly_fields = ["status"]
    autocomplete_fields = ["unit"]
    verbose_name = _("rol")
    verbose_name_plural = _(
        "rollen (een nieuwe toegang tot dossiers wacht op een tweede beheerder)"
    )

    @admin.display(description=_("status"))
    def status(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return gettext("wacht op bevestiging") if obj.is_pending else gettext("actief")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None):
        return True  # the page itself is scoped by UserAdmin

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        platform = administered_organisation_ids(request.user) is None

        class OwnRolesRefused(formset):
            def clean(self):
                super().clean()
                if platform or obj is None or obj.pk != request.user.pk:
                    return
                touched = [f for f in self.forms if f.has_changed() or self._should_delete_form(f)]
                if touched:
                    audit_refused(
                        actor=request.user,
                        object_type="roleassignment",
                        object_id="",
                        organisation_id=obj.organisation_id,
                        reason="eigen rollen wijzigen",
                    )
                    raise ValidationError(
                        gettext("U kunt uw eigen rollen niet toekennen, wijzigen of intrekken.")
                    )

        return OwnRolesRefused


@admin.register(User)
class UserAdmin(OrganisationScopedAdmin, BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = [("organisation", RelatedOnlyFieldListFilter), "is_active", "roles__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["employee"]
    beheerder_may_delete = False  # an account is switched off (actief), never deleted
    platform_fieldsets = BaseUserAdmin.fieldsets + (
        (_("Terugkeer"), {"fields": ["organisation", "employee", "wants_digest"]}),
    )
    beheerder_fieldsets = (
        (None, {"fields": ["username"]}),
        (_("Persoon"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Terugkeer"), {"fields": ["organisation", "employee", "wants_digest", "is_active"]}),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    )
    beheerder_add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "organisation", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        if self._is_platform_admin(request):
            return self.add_fieldsets if obj is None else self.platform_fieldsets
        return self.beheerder_add_fieldsets if obj is None else self.beheerder_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if self._is_platform_admin(request) or obj is None:
            return ()
        # A changed name or e-mail address would let the beheerder take the account over
        # through a password reset: that goes through the platform administrator.
        return ("username", "email", "last_login", "date_joined")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        actor = request.user

        class Guarded(form):
            def clean(self):
                cleaned = super().clean()
                employee = cleaned.get("employee")
                organisation = cleaned.get("organisation") or getattr(obj, "organisation", None)
                if "employee" in self.changed_data and obj is not None and obj.pk == actor.pk:
                    raise ValidationError(
                        {
                            "employee": gettext(
                                "U kunt uw eigen account niet aan een medewerker koppelen."
                            )
                        }
                    )
                if employee and organisation and employee.organisation_id != organisation.pk:
                    raise ValidationError(
                        {
                            "employee": gettext(
                                "Deze medewerker hoort niet bij de organisatie van de gebruiker."
                            )
                        }
                    )
                return cleaned

        return Guarded

    def user_change_password(self, request, id, form_url=""):
        # Setting someone else's password is taking over the account: only the platform
        # administrator may; users reset their own by e-mail.
        if not self._is_platform_admin(request):
            audit_refused(
                actor=request.user, object_type="user", object_id=id, reason="wachtwoord instellen"
            )
            raise Http404
        return super().user_change_password(request, id, form_url)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        try:
            for assignment in formset.deleted_objects:
                services.role_assignment_revoke(actor=request.user, assignment=assignment)
            for inline_form in formset.forms:
                assignment = inline_form.instance
                if inline_form in formset.deleted_forms or not inline_form.has_changed():
                    continue
                if assignment.user_id is None:
                    assignment.user = form.instance
                before = (
                    {f: str(inline_form.initial.get(f, "")) for f in ROLE_FIELDS}
                    if assignment.pk
                    else None
                )
                services.role_assignment_save(
                    actor=request.user, assignment=assignment, before=before
                )
                if assignment.is_pending:
                    messages.warning(
                        request,
                        gettext(
                            "De rol %(role)s voor %(user)s wacht op bevestiging door een tweede "
                            "functioneel beheerder."
                        )
                        % {"role": assignment.get_role_display(), "user": assignment.user},
                    )
        except PermissionDenied as refused:
            messages.error(request, str(refused))


class PendingFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("wacht", _("wacht op bevestiging")), ("actief", _("actief"))]

    def queryset(self, request, queryset):
        if self.value() == "wacht":
            return queryset.filter(confirmed_at__isnull=True)
        if self.value() == "actief":
            return queryset.filter(confirmed_at__isnull=False)
        return queryset


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(OrganisationScopedAdmin):
    """The list of grants, with the second beheerder's confirmation as an action."""

    list_display = ["user", "role", "organisation", "unit", "granted_by", "granted_at", "status"]
    list_filter = [
        ("organisation", RelatedOnlyFieldListFilter),
        "role",
        PendingFilter,
    ]
    search_fields = ["user__username", "user__last_name"]
    actions = ["confirm"]
    beheerder_may_add = False  # grants are made on the user's page
    beheerder_may_delete = False

    @admin.display(description=_("status"))
    def status(self, obj):
        return gettext("wacht op bevestiging") if obj.is_pending else gettext("actief")

    def has_change_permission(self, request, obj=None):
        # Read-only list: a change is made on the user's page (through the same service).
        return self._is_platform_admin(request)

    @admin.action(description=_("Geselecteerde toewijzingen bevestigen (tweede beheerder)"))
    def confirm(self, request, queryset):
        done = 0
        for assignment in queryset.filter(confirmed_at__isnull=True):
            try:
                services.role_assignment_confirm(actor=request.user, assignment=assignment)
                done += 1
            except PermissionDenied as refused:
                messages.error(request, f"{assignment}: {refused}")
        if done:
            messages.success(request, gettext("%(n)d toewijzing(en) bevestigd.") % {"n": done})
