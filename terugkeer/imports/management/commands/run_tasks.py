"""`manage.py run_tasks`: the background task worker (imports, digests) with a heartbeat.

It is django-tasks-db's `db_worker` (same options: --batch, --interval, --queue-name …), which
takes each task with SELECT … FOR UPDATE SKIP LOCKED, so one worker per node is safe; it also
notes in the shared cache that it is alive, which /health/ready reports (docs/operations.md),
and at start marks imports left running by a worker that died as failed.
"""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from terugkeer.health.worker import Heartbeat, worker_beat
from terugkeer.imports.tasks import import_runs_abandon


class Command(DbWorkerCommand):
    help = "Run the background task worker (django-tasks-db's db_worker with a heartbeat)."

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        worker_beat(worker_id)
        if abandoned := import_runs_abandon():
            self.stderr.write(f"{abandoned} import run(s) left running by a dead worker: failed")
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
