from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter

from terugkeer.accounts.admin_scope import OrganisationScopedAdmin
from terugkeer.toolbox.models import Handelingskader, SupportMeasure, WelfareActor


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
