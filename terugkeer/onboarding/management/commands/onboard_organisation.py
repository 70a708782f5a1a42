"""The platform administrator's one command to let a new organisation in: the organisation and
its first functioneel beheerder, who then runs the guided set-up (/inrichten/)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from terugkeer.onboarding.services import organisation_onboard, password_set_path
from terugkeer.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Create an organisation (or take an existing one) and its first functioneel beheerder; "
        "prints a single-use link for the beheerder to choose a password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="the organisation's name")
        parser.add_argument(
            "--kind",
            default=Organisation.Kind.LOCAL,
            choices=[k.value for k in Organisation.Kind],
            help="local (lokaal bestuur, default) or vo",
        )
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--employer-size", type=int, default=None)
        parser.add_argument(
            "--base-url",
            default=None,
            help="the address users reach Terugkeer at (default: TERUGKEER_BASE_URL)",
        )

    def handle(self, *args, **options):
        try:
            onboarded = organisation_onboard(
                name=options["name"],
                kind=options["kind"],
                username=options["username"],
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                employer_size=options["employer_size"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        organisation, user = onboarded.organisation, onboarded.user
        verb = "created" if onboarded.created_organisation else "existing"
        self.stdout.write(f"Organisation ({verb}): {organisation.name} (#{organisation.pk})")
        self.stdout.write(f"Functioneel beheerder: {user.username} <{user.email}>")
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        self.stdout.write(
            f"Give this link to the beheerder only (single use, valid {hours} h; afterwards "
            "'Wachtwoord vergeten' sends a new one to the address above):"
        )
        base_url = options["base_url"] or settings.TERUGKEER["BASE_URL"]
        self.stdout.write(base_url.rstrip("/") + password_set_path(user))
        self.stdout.write("After signing in, the guided set-up is at /inrichten/.")
