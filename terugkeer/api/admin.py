from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.utils.translation import gettext_lazy as _

from terugkeer.accounts.admin_scope import OrganisationScopedAdmin
from terugkeer.api.models import SCOPES, ApiKey


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Rechten"),
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ApiKey
        fields = ["organisation", "name", "scopes", "active"]


@admin.register(ApiKey)
class ApiKeyAdmin(OrganisationScopedAdmin):
    form = ApiKeyForm
    list_display = [
        "name",
        "organisation",
        "prefix",
        "scope_list",
        "active",
        "last_used_at",
    ]
    list_filter = [("organisation", RelatedOnlyFieldListFilter), "active"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at"]

    # A key reads named trajectories: creating one is granting dossier access to a machine,
    # which is the platform administrator's (on the organisation's request), not the beheerder's.
    def has_module_permission(self, request):
        return self._is_platform_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_platform_admin(request)

    def has_add_permission(self, request):
        return self._is_platform_admin(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_platform_admin(request)

    @admin.display(description=_("rechten"))
    def scope_list(self, obj: ApiKey) -> str:
        return ", ".join(obj.scopes or [])

    def save_model(self, request, obj: ApiKey, form, change):
        if not change:
            token = obj.set_new_token()
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            # The only moment the token is known in clear: it is stored as its sha256 only.
            messages.warning(
                request,
                _(
                    "Nieuwe API-sleutel: %(token)s — kopieer ze nu; ze wordt nergens bewaard "
                    "en kan niet opnieuw getoond worden."
                )
                % {"token": token},
            )
        else:
            super().save_model(request, obj, form, change)
