from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from terugkeer.accounts.admin_scope import OrganisationScopedAdmin
from terugkeer.toolbox.models import Handelingskader, MedicalWord, SupportMeasure, WelfareActor


@admin.register(WelfareActor)
class WelfareActorAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation", "active"]
    list_filter = [("organisation", RelatedOnlyFieldListFilter), "active"]


@admin.register(SupportMeasure)
class SupportMeasureAdmin(OrganisationScopedAdmin):
    list_display = ["name", "category", "organisation", "active"]
    list_filter = [("organisation", RelatedOnlyFieldListFilter), "category", "active"]


@admin.register(Handelingskader)
class HandelingskaderAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "number", "effective_from"]


@admin.register(MedicalWord)
class MedicalWordAdmin(OrganisationScopedAdmin):
    """The organisation's own additions to the medical-text warning (docs/architecture.md)."""

    list_display = ["word", "organisation", "created_at"]
    list_filter = [("organisation", RelatedOnlyFieldListFilter)]
    search_fields = ["word"]
    fields = ["organisation", "word"]
