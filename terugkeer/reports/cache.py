"""Reports produced once per scope, year and production day, then served from the cache.

The report page, its exports, the API and the dashboard call build_report / build_dashboard,
which keep what they produced in Django's cache (settings.CACHES: the database cache, shared by
every worker and node). The key holds the scope, the year, the production day, the suppression
threshold and minimum entity size, the language, a digest of the code that computes reports
and the organisation's *data generation*: a token that every write of the organisation's
absences, trajectories, events, plans, units, employees, catalogue and settings moves (the
model signals below, the refresh of trajectories, the import and retention). A report is
therefore never served after a write of its organisation, and at most until the end of its
production day when nothing was written (a report depends on the day: "nog niet te
beoordelen", terms passed).

The generation is read before the report is computed and the report stored under it: a write
that lands during the computation moves the generation, and the next request computes again.
With the database cache the token moves in the writer's own transaction, so it changes exactly
when the write becomes visible (docs/performance.md, "Reports cached").
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

# A day and a bit: a key holds the production day, so yesterday's entries are never read again.
TIMEOUT = 26 * 60 * 60


def _generation_key(organisation_id: int) -> str:
    return f"terugkeer:report-gen:{organisation_id}"


def generation(organisation_id: int) -> str:
    """The organisation's data generation: this module's token and the one every refresh of
    its trajectories moves (trajectories.attention_cache), read in one cache call."""
    from terugkeer.trajectories.attention_cache import _key as refresh_key

    keys = (_generation_key(organisation_id), refresh_key(organisation_id))
    found = cache.get_many(keys)
    return ".".join(str(found.get(k, 0)) for k in keys)


def organisation_changed(organisation_ids) -> None:
    """Every cached report and dashboard of these organisations is out of date."""
    ids = {i for i in organisation_ids if i is not None}
    if ids:
        token = uuid.uuid4().hex[:12]
        cache.set_many({_generation_key(i): token for i in ids}, None)


@functools.cache
def code_version() -> str:
    """A digest of the code that computes a report: a deployment that changes how a figure is
    computed or suppressed never serves a report the previous code produced that day."""
    from terugkeer.reports import compute, dashboard, suppression
    from terugkeer.rules import facts, law

    digest = hashlib.sha256()
    for module in (compute, dashboard, suppression, facts, law):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:12]


def cached(kind: str, scope, year: int, today: date, threshold: int, produce):
    """The cached value for these, or produce() stored under the generation read first."""
    key = ":".join(
        (
            "terugkeer:report",
            kind,
            scope.key,
            str(year),
            today.isoformat(),
            str(threshold),
            str(settings.TERUGKEER.get("REPORT_MIN_ENTITY_EMPLOYEES", 0)),
            translation.get_language() or "",
            code_version(),
            generation(scope.organisation_id),
        )
    )
    hit = cache.get(key)
    if hit is not None:
        return hit
    value = produce()
    cache.set(key, value, TIMEOUT)
    return value


def _on_write(sender, instance, **kwargs) -> None:
    organisation_changed([_organisation_of(instance)])


def _organisation_of(instance) -> int | None:
    if instance._meta.model_name == "organisation":
        return instance.pk
    if getattr(instance, "organisation_id", None) is not None:
        return instance.organisation_id
    # An absence knows its organisation through its employee or entity: a loaded one first.
    loaded = instance._state.fields_cache
    for relation in ("employee", "entity"):
        if loaded.get(relation) is not None:
            return loaded[relation].organisation_id
    if getattr(instance, "entity_id", None) is not None:
        from terugkeer.organisations.models import Unit

        return (
            Unit.objects.filter(pk=instance.entity_id)
            .values_list("organisation_id", flat=True)
            .first()
        )
    return None


def connect() -> None:
    """Called from ReportsConfig.ready(): the writes a report reads."""
    from terugkeer.organisations.models import Employee, Organisation, Unit
    from terugkeer.toolbox.models import SupportMeasure, WelfareActor
    from terugkeer.trajectories.models import Absence, Event, Plan, PlanStep, Trajectory

    models = (Absence, Trajectory, Event, Plan, Unit, Employee, Organisation)
    # The catalogue's names are the rows of two tables.
    for model in (*models, SupportMeasure, WelfareActor):
        post_save.connect(_on_write, sender=model, dispatch_uid=f"report-cache-{model.__name__}")
        post_delete.connect(
            _on_write, sender=model, dispatch_uid=f"report-cache-del-{model.__name__}"
        )
    for through in (Plan.support_measures.through, Plan.welfare_actors.through):
        m2m_changed.connect(_on_write, sender=through, dispatch_uid=f"report-cache-{through}")
    post_save.connect(_on_step, sender=PlanStep, dispatch_uid="report-cache-PlanStep")


def _on_step(sender, instance, **kwargs) -> None:
    organisation_changed([instance.plan.organisation_id])
