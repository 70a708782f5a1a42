from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _employee_entity_triggers(sender, using, **kwargs):
    """Put back the triggers that keep Trajectory.employee_entity, should a migration have
    rebuilt one of their tables (SQLite drops a table's triggers with it)."""
    from django.db import connections

    from terugkeer.trajectories import employee_entity

    employee_entity.ensure(connections[using])


class TrajectoriesConfig(AppConfig):
    name = "terugkeer.trajectories"
    verbose_name = _("Trajecten")

    def ready(self) -> None:
        post_migrate.connect(
            _employee_entity_triggers, sender=self, dispatch_uid="employee_entity_triggers"
        )
