"""Configure the OpenID Connect providers from a JSON file (docs/sso.md, "Configuration")."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from terugkeer.sso.configuration import sso_configure


class Command(BaseCommand):
    help = (
        "Stelt de OpenID Connect-providers, hun organisaties en rollen uit claims in vanuit een "
        "JSON-bestand (docs/sso.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON file (docs/sso.md)")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as f:
                data = json.load(f)
            lines = sso_configure(data)
        except (OSError, ValueError, KeyError, ValidationError) as error:
            raise CommandError(str(error)) from error
        for line in lines:
            self.stdout.write(line)
