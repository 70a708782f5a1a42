"""Dump the whole database into one file (encrypted when a key is set); see docs/operations.md."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terugkeer.backups.dumps import BackupError, backup_create, backup_directory, backups_prune


class Command(BaseCommand):
    help = "Maakt een back-up van de hele databank in één bestand (versleuteld met een sleutel)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="map voor de dump (standaard TERUGKEER_BACKUP_DIR)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="houd alleen de N nieuwste dumps in de map en wis de oudere",
        )

    def handle(self, *args, **options):
        directory = options["output"] or backup_directory()
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep moet minstens 1 zijn.")
        try:
            path = backup_create(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        encrypted = "versleuteld" if path.name.endswith(".gpg") else "NIET versleuteld"
        self.stdout.write(f"Back-up geschreven: {path} ({path.stat().st_size} bytes, {encrypted}).")
        if options["keep"] is not None:
            for removed in backups_prune(directory, keep=options["keep"]):
                self.stdout.write(f"Oude back-up gewist: {removed}")
