"""Create the audit table's monthly partitions ahead (PostgreSQL; docs/privacy.md). Every
retention run (manage.py apply_retention, daily) does this too; idempotent."""

from django.core.management.base import BaseCommand

from terugkeer.audit.partitions import MONTHS_AHEAD, is_partitioned, partitions_ensure


class Command(BaseCommand):
    help = (
        "Maakt de maandpartities van het auditlog aan (deze maand en de komende maanden) en "
        "verplaatst regels uit de standaardpartitie naar hun maand. Alleen op PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months-ahead",
            type=int,
            default=MONTHS_AHEAD,
            help=f"hoeveel maanden na deze maand (standaard {MONTHS_AHEAD})",
        )

    def handle(self, *args, **options):
        if not is_partitioned():
            self.stdout.write("Het auditlog is hier niet in partities verdeeld: niets te doen.")
            return
        created = partitions_ensure(months_ahead=max(0, options["months_ahead"]))
        if created:
            self.stdout.write(f"{len(created)} partities aangemaakt: {', '.join(created)}.")
        else:
            self.stdout.write("Alle partities bestonden al.")
