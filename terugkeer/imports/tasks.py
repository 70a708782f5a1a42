"""Imports in the background: the page stores the file and queues a run; the task worker
(`manage.py run_tasks`, django-tasks' database backend) checks and imports it, writing its
progress on the ImportRun row, which the page polls.

A run is claimed by moving it from "queued" to "running" in one UPDATE, so a task delivered
twice (or run by two workers on two nodes) imports once. The worker itself takes its tasks with
SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL (django-tasks-db), so several nodes may run one.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from terugkeer.accounts.access import SYSTEM
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.imports import services
from terugkeer.imports.models import ImportRun

logger = logging.getLogger(__name__)

# The page needs no more than a figure or two a second.
PROGRESS_EVERY_SECONDS = 0.5
# A running run without progress for this long lost its worker (killed, node gone): its
# transaction was rolled back, so nothing was imported; run_tasks marks it failed at start.
ABANDONED_AFTER = timedelta(minutes=30)


class _ProgressWriter:
    """Writes a run's progress to its row, at most every PROGRESS_EVERY_SECONDS.

    The import writes in one transaction; what it writes there is seen by the page only at the
    end. On PostgreSQL the progress therefore goes through a second connection of its own (in
    autocommit), so that the page sees the write phase advance too. On SQLite a second
    connection would wait for the import's write lock, so the progress stays on the import's
    connection: the page sees the rows checked and compared, then the write phase at once."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.last = 0.0
        self.side = None
        if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()

    def __call__(self, step: services.Step) -> None:
        now = time.monotonic()
        finished_phase = step.total and step.done >= step.total
        if now - self.last < PROGRESS_EVERY_SECONDS and not finished_phase and step.done:
            return
        self.last = now
        values = {
            "phase": step.phase,
            "progress_done": step.done,
            "progress_total": step.total,
            "error_count": step.errors,
            "progress_at": timezone.now(),
        }
        if self.side is None:
            ImportRun.objects.filter(pk=self.run_id).update(**values)
            return
        table = ImportRun._meta.db_table
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET phase = %s, progress_done = %s, progress_total = %s, "  # noqa: S608
                "error_count = %s, progress_at = %s WHERE id = %s",
                [*values.values(), self.run_id],
            )


def _fail(run: ImportRun, message: str, status: str = ImportRun.Status.FAILED) -> None:
    run.refresh_from_db()
    run.status = status
    run.phase = ""
    run.error_count = max(run.error_count, 1)
    run.errors = [*run.errors, [0, "", "", message]]
    if run.upload:
        run.upload.delete(save=False)  # nothing can confirm a run that did not finish
    run.save()
    audit_record(
        actor=run.user or SYSTEM,
        action=AuditEntry.Action.IMPORT,
        obj=run,
        organisation_id=run.organisation_id,
        changes={"file_name": run.file_name, "dry_run": run.dry_run, "status": status},
    )
    if run.preview_id:
        ImportRun.objects.filter(pk=run.preview_id, confirmed_by=run).update(confirmed_by=None)


def import_run_execute(run_id: int) -> str:
    """Check (dry run) or import (confirmation) one queued run; returns its final status."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, progress_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    run = ImportRun.objects.select_related("organisation", "user", "preview").get(pk=run_id)
    actor = run.user
    if actor is None or not actor.is_active:
        _fail(run, _("De gebruiker die dit bestand opliet, bestaat niet meer of is inactief."))
        return run.status
    progress = _ProgressWriter(run.pk)
    try:
        if run.preview_id:
            result = services.import_confirm(
                actor=actor, preview=run.preview, progress=progress, run=run
            )
        else:
            result = services.import_file(
                actor=actor,
                organisation=run.organisation,
                path=run.upload.path,
                file_name=run.file_name,
                dry_run=True,
                keep_upload=True,
                progress=progress,
                run=run,
            )
    except PermissionDenied:
        _fail(run, _("U mag niet (meer) importeren voor deze organisatie."))
        return ImportRun.Status.FAILED
    except ValidationError as exc:
        _fail(run, " ".join(exc.messages), ImportRun.Status.REJECTED)
        return ImportRun.Status.REJECTED
    except Exception:
        logger.exception("Import run %s failed", run_id)
        _fail(run, _("Er liep iets onverwachts mis; er is niets ingelezen. Probeer het opnieuw."))
        raise
    finally:
        progress.close()
    return result.status


def import_runs_abandon(now=None) -> int:
    """Mark runs left "running" by a worker that died as failed (nothing of them was written:
    the import is one transaction). Called when a worker starts; returns how many."""
    before = (now or timezone.now()) - ABANDONED_AFTER
    count = 0
    for run in ImportRun.objects.filter(
        status=ImportRun.Status.RUNNING, progress_at__lt=before
    ).select_related("user"):
        _fail(
            run,
            _(
                "De verwerking is onderbroken (geen voortgang sinds %(at)s); er is niets "
                "ingelezen. Laad het bestand opnieuw op."
            )
            % {"at": timezone.localtime(run.progress_at).strftime("%d/%m/%Y %H:%M")},
        )
        count += 1
    return count


@task()
def import_run_task(run_id: int) -> str:
    """The background task (queued by services.import_enqueue / import_confirm_enqueue)."""
    return import_run_execute(run_id)
