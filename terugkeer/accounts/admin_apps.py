"""The admin app with Terugkeer's site (kept apart: INSTALLED_APPS imports it before models)."""

from django.contrib.admin.apps import AdminConfig


class TerugkeerAdminConfig(AdminConfig):
    default_site = "terugkeer.accounts.admin_scope.TerugkeerAdminSite"
