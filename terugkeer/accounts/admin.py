from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from terugkeer.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["organisation", "is_active", "roles__role"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Terugkeer", {"fields": ["organisation", "employee", "wants_digest"]}),
    )
    raw_id_fields = ["employee"]
