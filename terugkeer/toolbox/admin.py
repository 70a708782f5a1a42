from django.contrib import admin

from terugkeer.toolbox.models import Handelingskader, MedicalWord, SupportMeasure, WelfareActor


@admin.register(WelfareActor)
class WelfareActorAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "active"]
    list_filter = ["organisation", "active"]


@admin.register(SupportMeasure)
class SupportMeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "organisation", "active"]
    list_filter = ["organisation", "category", "active"]


@admin.register(Handelingskader)
class HandelingskaderAdmin(admin.ModelAdmin):
    list_display = ["organisation", "number", "effective_from"]


@admin.register(MedicalWord)
class MedicalWordAdmin(admin.ModelAdmin):
    """The organisation's own additions to the medical-text warning (docs/architecture.md)."""

    list_display = ["word", "organisation", "created_at"]
    list_filter = ["organisation"]
    search_fields = ["word"]
    fields = ["organisation", "word"]
