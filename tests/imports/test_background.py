"""Imports in the background: the page queues the file, the real task worker (manage.py
run_tasks) checks it and, after the confirmation, imports it; the page shows the progress and
then the result. The worker closes its database connection between tasks, so these tests run
in real transactions (as tests/reminders does)."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from terugkeer.accounts.access import SYSTEM
from terugkeer.imports.models import ImportRun
from terugkeer.imports.services import Step, import_file
from terugkeer.imports.tasks import import_run_execute, import_run_task
from terugkeer.trajectories.models import Absence

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run_worker():
    call_command("run_tasks", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def upload(client, text, name="afwezigheden.csv"):
    return client.post(
        reverse("imports:index"),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def absence_file(number, days):
    lines = ["Personeelsnummer;Eerste dag;Laatste dag"]
    lines += [f"{number};{first};{last}" for first, last in days]
    return "\n".join(lines) + "\n"


def test_the_worker_checks_the_upload_then_imports_it_after_the_confirmation(client, world):
    client.force_login(world.hannah)
    number = world.emp_a.personnel_number
    response = upload(client, absence_file(number, [("02/03/2026", "06/03/2026")]))
    run = ImportRun.objects.get()
    assert response.url == reverse("imports:detail", args=[run.pk])
    # Queued: the file is stored, nothing is checked yet, the page says so in a live region.
    assert run.status == ImportRun.Status.QUEUED and run.dry_run and run.upload
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(response.url).content.decode()
    assert "In de wachtrij" in page and 'aria-live="polite"' in page
    # No worker has run yet: the page says that the file waits for one.
    assert "geen verwerkingsproces" in page
    assert "Bevestigen en inlezen" not in page
    session = client.session
    session["_terugkeer_refreshed"] = 0  # due for the once-a-minute session refresh
    session.save()
    poll = client.get(reverse("imports:progress", args=[run.pk]))
    assert poll.status_code == 200 and "HX-Refresh" not in poll
    assert "In de wachtrij" in poll.content.decode()
    assert not poll.cookies  # a poll writes nothing, not even the session
    assert client.get(response.url).cookies  # (a page view does refresh it)

    run_worker()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PREVIEW and run.new == 1 and run.upload
    assert run.progress_done == run.progress_total == 1
    assert client.get(reverse("imports:progress", args=[run.pk]))["HX-Refresh"] == "true"
    page = client.get(response.url).content.decode()
    assert "Bevestigen en inlezen" in page and "02/03/2026–06/03/2026" in page
    assert not Absence.objects.exists()

    response = client.post(reverse("imports:confirm", args=[run.pk]))
    confirmation = ImportRun.objects.get(dry_run=False)
    assert response.url == reverse("imports:detail", args=[confirmation.pk])
    assert confirmation.status == ImportRun.Status.QUEUED and confirmation.preview == run
    # A second click queues nothing more.
    client.post(reverse("imports:confirm", args=[run.pk]))
    assert ImportRun.objects.filter(dry_run=False).count() == 1
    assert not Absence.objects.exists()

    run_worker()
    confirmation.refresh_from_db()
    assert confirmation.status == ImportRun.Status.IMPORTED and confirmation.new == 1
    assert Absence.objects.get().employee == world.emp_a
    run.refresh_from_db()
    assert run.confirmed_by == confirmation and not run.upload
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    page = client.get(reverse("imports:detail", args=[confirmation.pk])).content.decode()
    assert "Het bestand is ingelezen." in page and "In de wachtrij" not in page
    # A worker beat a moment ago: a newly queued file is not said to wait for one.
    response = upload(client, absence_file(number, [("09/03/2026", "09/03/2026")]))
    page = client.get(response.url).content.decode()
    assert "In de wachtrij" in page and "geen verwerkingsproces" not in page
    # The worker noted that it was alive; /health/ready reports it.
    assert client.get("/health/ready").json()["worker"] is True


def test_one_bad_row_in_the_background_imports_nothing_and_names_row_and_column(client, world):
    client.force_login(world.hannah)
    number = world.emp_a.personnel_number
    days = [(f"{d:02d}/01/2026", f"{d:02d}/01/2026") for d in range(1, 29, 3)]
    days[4] = ("31/02/2026", "")  # row 6 (the header is row 1)
    upload(client, absence_file(number, days))
    run_worker()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REJECTED and run.error_count == 1
    assert run.errors[0][:2] == [6, "Eerste dag"]
    assert not run.upload  # a refused file is not kept
    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "Er is niets ingelezen" in page and "Deze datum bestaat niet." in page
    assert not Absence.objects.exists()


def test_a_run_whose_uploader_left_fails_keeps_nothing_and_is_audited(client, world):
    from terugkeer.audit.models import AuditEntry

    client.force_login(world.hannah)
    upload(client, absence_file(world.emp_a.personnel_number, [("02/03/2026", "")]))
    world.hannah.is_active = False
    world.hannah.save()
    run_worker()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and not run.upload
    assert "inactief" in run.errors[-1][3]
    assert AuditEntry.objects.filter(
        object_type="importrun", object_id=str(run.pk), changes__status="failed"
    ).exists()
    client.force_login(world.bert)
    page = client.get(reverse("imports:detail", args=[run.pk])).content.decode()
    assert "De verwerking is mislukt" in page
    assert not Absence.objects.exists()


def test_a_run_left_running_by_a_dead_worker_is_failed_when_a_worker_starts(world):
    from datetime import timedelta

    from django.utils import timezone

    stale, fresh = (
        ImportRun.objects.create(
            organisation=world.vo,
            user=world.hannah,
            username="hannah",
            file_name=f"{name}.csv",
            sha256="0" * 64,
            status=ImportRun.Status.RUNNING,
            progress_at=timezone.now() - age,
        )
        for name, age in (("stale", timedelta(hours=1)), ("fresh", timedelta(minutes=1)))
    )
    run_worker()
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == ImportRun.Status.FAILED and "onderbroken" in stale.errors[-1][3]
    assert fresh.status == ImportRun.Status.RUNNING  # another node may be running it


def test_a_run_is_imported_once_even_when_its_task_is_delivered_twice(world, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(absence_file(world.emp_a.personnel_number, [("02/03/2026", "")]))
    preview = import_file(
        actor=world.hannah,
        organisation=world.vo,
        path=path,
        file_name="a.csv",
        dry_run=True,
        keep_upload=True,
    )
    from terugkeer.imports.services import import_confirm_enqueue

    confirmation = import_confirm_enqueue(actor=world.hannah, preview=preview)
    import_run_task.enqueue(confirmation.pk)  # the same run a second time
    run_worker()
    confirmation.refresh_from_db()
    assert confirmation.status == ImportRun.Status.IMPORTED
    assert Absence.objects.count() == 1
    assert import_run_execute(confirmation.pk) == "not queued"
    assert sorted(r.return_value for r in DBTaskResult.objects.all()) == [
        "imported",
        "not queued",
    ]


def test_progress_is_reported_per_chunk_up_to_the_total(world, tmp_path):
    number = world.emp_a.personnel_number
    lines = ["Personeelsnummer;Eerste dag;Laatste dag"]
    # 4,500 one-day absences a week apart (2,000 rows a chunk).
    from datetime import date, timedelta

    start = date(2000, 1, 3)
    for i in range(4500):
        day = start + timedelta(days=2 * i)
        lines.append(f"{number};{day:%d/%m/%Y};{day:%d/%m/%Y}")
    path = tmp_path / "a.csv"
    path.write_text("\n".join(lines) + "\n")
    steps: list[Step] = []
    run = import_file(
        actor=SYSTEM,
        organisation=world.vo,
        path=path,
        file_name="a.csv",
        dry_run=True,
        progress=steps.append,
    )
    assert run.status == ImportRun.Status.PREVIEW and run.rows == 4500
    checking = [(s.done, s.total) for s in steps if s.phase == ImportRun.Phase.CHECKING]
    assert checking == [(2000, 4500), (4000, 4500), (4500, 4500)]
    assert steps[-1].phase == ImportRun.Phase.COMPARING and steps[-1].done == steps[-1].total
    assert "rijen gelezen" in steps[0].message()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two workers at once need two real connections (SQLite's test database is shared)",
)
def test_two_workers_on_postgresql_each_take_other_runs(world, tmp_path):
    """Two workers (as on two nodes) run four queued imports: each exactly once (SELECT …
    FOR UPDATE SKIP LOCKED in the worker, the queued → running claim on the run)."""
    from terugkeer.imports.services import import_confirm_enqueue

    numbers = [world.emp_a.personnel_number, world.emp_a_other_team.personnel_number]
    confirmations = []
    for i in range(4):
        path = tmp_path / f"a{i}.csv"
        day = f"0{i + 1}/03/2025"  # one day each, two days apart per employee: not merged
        path.write_text(absence_file(numbers[i % 2], [(day, day)]))
        preview = import_file(
            actor=world.hannah,
            organisation=world.vo,
            path=path,
            file_name=path.name,
            dry_run=True,
            keep_upload=True,
        )
        confirmations.append(import_confirm_enqueue(actor=world.hannah, preview=preview))
        import_run_task.enqueue(confirmations[-1].pk)  # delivered twice

    def work(worker_id):
        try:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"node{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    statuses = {r.pk: r.status for r in ImportRun.objects.filter(dry_run=False)}
    assert set(statuses.values()) == {ImportRun.Status.IMPORTED}
    assert Absence.objects.count() == 4
    results = list(DBTaskResult.objects.all())
    assert len(results) == 8 and {r.status for r in results} == {"SUCCESSFUL"}
    assert sorted(r.return_value for r in results).count("imported") == 4
    # Every task ran on exactly one worker.
    assert all(len(r.worker_ids) == 1 for r in results)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="on SQLite the progress stays on the import's connection",
)
def test_progress_is_seen_outside_the_import_transaction_on_postgresql(world):
    from django.db import connections, transaction

    from terugkeer.imports.tasks import _ProgressWriter

    run = ImportRun.objects.create(
        organisation=world.vo,
        username="hannah",
        file_name="a.csv",
        sha256="0" * 64,
        status=ImportRun.Status.RUNNING,
    )
    writer = _ProgressWriter(run.pk)
    other = connections.create_connection("default")
    try:
        with transaction.atomic():  # as the import's write transaction
            writer(Step(ImportRun.Phase.WRITING, 500, 1000))
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT phase, progress_done FROM imports_importrun WHERE id = %s", [run.pk]
                )
                assert cursor.fetchone() == ("writing", 500)
    finally:
        writer.close()
        other.close()
