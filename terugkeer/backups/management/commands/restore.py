"""Load a dump made by `manage.py backup` into the database; see docs/operations.md."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terugkeer.backups.dumps import BackupError, Target, backup_restore


class Command(BaseCommand):
    help = (
        "Zet een back-up terug: wat in de dump staat vervangt de inhoud van de databank "
        "(of van de databank van --database-url)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="het bestand van manage.py backup")
        parser.add_argument(
            "--database-url",
            help="zet terug in deze databank i.p.v. de ingestelde (om een herstel te testen)",
        )
        parser.add_argument(
            "--noinput", action="store_true", help="vraag niet om bevestiging (voor scripts)"
        )

    def handle(self, *args, **options):
        url = options["database_url"]
        target = Target.from_url(url) if url else Target.from_alias()
        where = f"{target.vendor}-databank {target.settings['NAME']}"
        if not options["noinput"]:
            answer = input(
                f"Alle gegevens in de {where} worden vervangen door {options['dump']}. "
                "Typ 'ja' om verder te gaan: "
            )
            if answer.strip().lower() != "ja":
                raise CommandError("Afgebroken; er is niets veranderd.")
        try:
            backup_restore(options["dump"], url=url)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Teruggezet in de {where}.")
