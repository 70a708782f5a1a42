from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from terugkeer.accounts.admin_scope import OrganisationScopedAdmin
from terugkeer.imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(OrganisationScopedAdmin):
    """Read-only: the import log is written by the import service only."""

    list_display = [
        "created_at",
        "organisation",
        "username",
        "file_name",
        "kind",
        "dry_run",
        "status",
        "rows",
        "new",
        "changed",
        "unchanged",
        "error_count",
    ]
    list_filter = [("organisation", RelatedOnlyFieldListFilter), "status", "dry_run", "kind"]
    search_fields = ["file_name", "username", "sha256"]
    exclude = ["errors", "changes", "upload"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
