"""Scheduled imports: `python manage.py import_hr FILE --organisation NAME [--dry-run]`.

Runs in the foreground (not through the task worker), printing its progress per chunk."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terugkeer.accounts.access import SYSTEM
from terugkeer.imports.models import ImportRun
from terugkeer.imports.services import import_file
from terugkeer.organisations.models import Organisation


class Command(BaseCommand):
    help = "Import units, employees or absences from a CSV or xlsx file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="name or short name")
        parser.add_argument("--dry-run", action="store_true", help="validate and compare only")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        name = options["organisation"]
        organisation = (
            Organisation.objects.filter(name=name).first()
            or Organisation.objects.filter(short_name=name).first()
        )
        if organisation is None:
            raise CommandError(f"Unknown organisation: {name}")

        def progress(step) -> None:
            percent = f" ({step.done * 100 // step.total} %)" if step.total else ""
            self.stdout.write(f"  {step.message()}{percent}")

        run = import_file(
            actor=SYSTEM,
            organisation=organisation,
            path=path,
            file_name=path.name,
            dry_run=options["dry_run"],
            progress=progress if options["verbosity"] >= 1 else None,
        )
        self.stdout.write(
            f"{run.get_status_display()}: {run.kind or '?'}, {run.rows} rows, new {run.new}, "
            f"changed {run.changed}, unchanged {run.unchanged}, merged {run.merged}, "
            f"trajectories {run.trajectories}, errors {run.error_count} "
            f"({run.duration_ms} ms, import #{run.pk}, sha256 {run.sha256[:12]}…)"
        )
        if run.ignored_columns:
            self.stdout.write(f"  ignored columns: {', '.join(run.ignored_columns)}")
        if run.nothing_changed:
            self.stdout.write("  nothing changed (niets gewijzigd)")
        for row, column, value, message in run.errors[:50]:
            self.stdout.write(f"  row {row} [{column}] {value!r}: {message}")
        if run.error_count > 50:
            self.stdout.write(f"  … and {run.error_count - 50} more errors")
        if run.status == ImportRun.Status.REJECTED:
            raise CommandError("Nothing was imported: fix the errors above.")
