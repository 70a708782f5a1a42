from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from terugkeer.accounts.admin_scope import OrganisationScopedAdmin
from terugkeer.organisations.models import Employee, Organisation, Unit
from terugkeer.organisations.services import unit_derive_scope, unit_rescope


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    list_display = ["name", "kind", "employer_size"]
    organisation_path = "pk"
    # A new tenant, or removing one, is the platform administrator's work.
    beheerder_may_add = False
    beheerder_may_delete = False


@admin.register(Unit)
class UnitAdmin(OrganisationScopedAdmin):
    list_display = ["name", "code", "kind", "is_entity", "parent", "organisation"]
    list_filter = [("organisation", RelatedOnlyFieldListFilter), "kind", "is_entity"]
    search_fields = ["name", "code"]
    exclude = ["entity", "policy_domain"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        unit_derive_scope(obj)
        super().save_model(request, obj, form, change)
        # A new entity or policy domain points at itself, which needs its primary key first;
        # a moved unit carries its subtree and its employees along.
        unit_rescope(obj)


@admin.register(Employee)
class EmployeeAdmin(OrganisationScopedAdmin):
    """The functioneel beheerder manages the employee register; dossiers are not shown here."""

    list_display = ["personnel_number", "last_name", "first_name", "unit", "statute", "active"]
    list_filter = [("organisation", RelatedOnlyFieldListFilter), "statute", "active"]
    # An employee with a dossier is switched off (actief), never deleted: retention decides.
    beheerder_may_delete = False
    search_fields = ["personnel_number", "last_name", "first_name"]
    exclude = ["entity", "anonymised"]
    autocomplete_fields = ["unit", "manager"]

    def save_model(self, request, obj, form, change):
        obj.entity_id = obj.unit.entity_id
        super().save_model(request, obj, form, change)
