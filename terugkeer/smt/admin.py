from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from terugkeer.accounts.admin_scope import OrganisationScopedAdmin
from terugkeer.smt.models import Smt


@admin.register(Smt)
class SmtAdmin(OrganisationScopedAdmin):
    """The SMTs of an organisation (one for it, or one per policy domain) and their rhythm. The
    meetings themselves hold cases and are kept on the SMT's own pages, never in the admin."""

    list_display = ["name", "organisation", "policy_domain", "interval_weeks", "active"]
    list_filter = [("organisation", RelatedOnlyFieldListFilter), "active"]
    fields = [
        "organisation",
        "policy_domain",
        "name",
        "interval_weeks",
        "read_days_before",
        "read_days_after",
        "active",
    ]
    # Deleting would take the meetings and their advice with it: switch an SMT off instead.
    beheerder_may_delete = False
