"""Writes to users and roles."""

from django.contrib.auth.models import Group, Permission

# What the functioneel beheerder manages in the admin: configuration, never dossiers.
ADMIN_MODELS = [
    ("organisations", "organisation"),
    ("organisations", "unit"),
    ("organisations", "employee"),
    ("accounts", "user"),
    ("accounts", "roleassignment"),
    ("toolbox", "welfareactor"),
    ("toolbox", "supportmeasure"),
    ("toolbox", "handelingskader"),
]


def functional_admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name="Functioneel beheer")
    perms = Permission.objects.none()
    for app_label, model in ADMIN_MODELS:
        perms |= Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model
        )
    group.permissions.set(perms)
    return group
