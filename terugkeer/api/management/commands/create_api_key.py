"""`python manage.py create_api_key --organisation NAME --name NAME --scope read [--scope ...]`."""

from django.core.management.base import BaseCommand, CommandError

from terugkeer.api.models import SCOPES, ApiKey
from terugkeer.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create an API key for an organisation and print its token (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="name or short name")
        parser.add_argument("--name", required=True, help="what uses the key, e.g. the payroll")
        parser.add_argument(
            "--scope", action="append", choices=sorted(SCOPES), required=True, dest="scopes"
        )

    def handle(self, *args, **options):
        name = options["organisation"]
        organisation = (
            Organisation.objects.filter(name=name).first()
            or Organisation.objects.filter(short_name=name).first()
        )
        if organisation is None:
            raise CommandError(f"Unknown organisation: {name}")
        key = ApiKey(
            organisation=organisation, name=options["name"], scopes=sorted(set(options["scopes"]))
        )
        token = key.set_new_token()
        key.save()
        self.stderr.write(
            f"API key {key.name!r} for {organisation} with scopes {', '.join(key.scopes)}. "
            "The token below is shown only now; it is stored as its sha256 only."
        )
        self.stdout.write(token)
