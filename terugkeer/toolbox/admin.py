from django.contrib import admin

from terugkeer.toolbox.models import Handelingskader, SupportMeasure, WelfareActor


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
