"""The providers, organisation links and claim mappings: for the platform administrator only.

A claim mapping grants roles without the four-eyes confirmation (the organisation's provider is
the authority, docs/sso.md), so a functioneel beheerder may not edit it: he/she could otherwise
map a claim he/she holds to the beheerder role. The secret is never here, only its variable.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from terugkeer.accounts.admin_scope import OrganisationScopedAdmin, form_changes
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.sso import clients
from terugkeer.sso.models import (
    ClaimRoleMapping,
    ExternalIdentity,
    IdentityProvider,
    ProviderOrganisation,
)


class PlatformOnlyAdmin(OrganisationScopedAdmin):
    """Visible and editable for the platform administrator (a superuser) alone; audited."""

    def has_module_permission(self, request) -> bool:
        return self._is_platform_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_platform_admin(request)

    def has_add_permission(self, request) -> bool:
        return self._is_platform_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._is_platform_admin(request)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            obj = inline_form.instance
            if obj.pk and inline_form.has_changed():
                audit_record(
                    actor=request.user,
                    action=AuditEntry.Action.UPDATE,
                    obj=obj,
                    changes=form_changes(inline_form),
                )


class ProviderOrganisationInline(admin.TabularInline):
    model = ProviderOrganisation
    extra = 0
    show_change_link = True


@admin.register(IdentityProvider)
class IdentityProviderAdmin(PlatformOnlyAdmin):
    list_display = ["name", "slug", "kind", "issuer", "active", "secret_present"]
    readonly_fields = ["secret_variable", "secret_present"]
    inlines = [ProviderOrganisationInline]

    @admin.display(description=_("geheim aanwezig in de omgeving"), boolean=True)
    def secret_present(self, obj) -> bool:
        return bool(obj.pk) and bool(clients.client_secret(obj))

    @admin.display(description=_("omgevingsvariabele met het geheim"))
    def secret_variable(self, obj) -> str:
        return obj.secret_variable if obj.slug else ""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        clients.forget(obj)  # the next sign-in fetches discovery and JWKS under the new settings


class ClaimRoleMappingInline(admin.TabularInline):
    model = ClaimRoleMapping
    extra = 1


@admin.register(ProviderOrganisation)
class ProviderOrganisationAdmin(PlatformOnlyAdmin):
    list_display = ["organisation", "provider", "external_id", "local_passwords"]
    list_filter = ["provider"]
    inlines = [ClaimRoleMappingInline]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(PlatformOnlyAdmin):
    """To link an existing Terugkeer account to its identity at a provider (by its subject)."""

    organisation_path = "user__organisation"
    list_display = ["user", "provider", "subject", "created_at", "last_sign_in"]
    list_filter = ["provider"]
    search_fields = ["subject", "user__username", "user__last_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "last_sign_in"]
