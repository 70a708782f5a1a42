"""Build a realistic demo: a Vlaamse overheid and a local government, demo users per role,
trajectories in every phase. Demo only: the passwords are printed and known to everyone."""

import random
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from faker import Faker

from terugkeer.accounts.models import Role, RoleAssignment, User
from terugkeer.organisations.models import Employee, Organisation, Unit
from terugkeer.organisations.services import unit_create
from terugkeer.portal.demo import demo_employee_account
from terugkeer.smt.demo import demo_smt
from terugkeer.toolbox.catalogue import catalogue_seed
from terugkeer.trajectories.demo import demo_trajectories

DEMO_PASSWORD = "demo-Terugkeer-2026"  # noqa: S105 - demo only, printed on purpose

# The eight policy domains of the Flemish government (demo names), each with its departement
# and agencies. AgO sits in Kanselarij, Bestuur, Buitenlandse Zaken en Justitie.
VO_DOMAINS = [
    (
        "KBBJ",
        "Kanselarij, Bestuur, Buitenlandse Zaken en Justitie",
        [
            "Agentschap Overheidspersoneel",
            "Agentschap Facilitair Bedrijf",
            "Agentschap Binnenlands Bestuur",
            "Agentschap Justitie en Handhaving",
            "Digitaal Vlaanderen",
        ],
    ),
    ("FB", "Financiën en Begroting", ["Vlaamse Belastingdienst", "Agentschap Financiering"]),
    (
        "EWI",
        "Economie, Wetenschap, Innovatie en Werk",
        ["VLAIO", "Agentschap Werk en Sociale Economie", "Agentschap Innoveren en Ondernemen"],
    ),
    (
        "OV",
        "Onderwijs en Vorming",
        ["AGODI", "AHOVOKS", "Agentschap voor Onderwijsdiensten", "Onderwijsinspectie"],
    ),
    (
        "ZORG",
        "Zorg, Welzijn en Gezin",
        [
            "Departement Zorg — Agentschap Opgroeien",
            "Agentschap Zorg en Gezondheid",
            "VAPH",
            "Agentschap Uitbetalingen",
        ],
    ),
    (
        "CJM",
        "Cultuur, Jeugd en Media",
        ["Agentschap Cultuur", "Agentschap Jeugd", "Sport Vlaanderen"],
    ),
    (
        "OMG",
        "Omgeving",
        [
            "Agentschap Natuur en Bos",
            "Vlaamse Milieumaatschappij",
            "Agentschap Onroerend Erfgoed",
            "Agentschap Landbouw en Zeevisserij",
            "OVAM",
        ],
    ),
    (
        "MOW",
        "Mobiliteit en Openbare Werken",
        [
            "Agentschap Wegen en Verkeer",
            "De Vlaamse Waterweg",
            "Agentschap Maritieme Dienstverlening",
            "Vlaams Verkeerscentrum",
        ],
    ),
]
TEAMS = ["Team Beleid", "Team Uitvoering", "Team Ondersteuning", "Team Klantendienst"]
LOCAL_SERVICES = [
    "Burgerzaken",
    "Technische dienst",
    "Groendienst",
    "Sociale dienst",
    "Financiën",
    "Personeelsdienst",
    "Onderwijs en kinderopvang",
    "Woonzorgcentrum",
]


class Command(BaseCommand):
    help = "Laadt demogegevens (alleen voor een demo: de wachtwoorden zijn publiek)."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=5000)
        parser.add_argument("--local-employees", type=int, default=800)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet", action="store_true")

    def say(self, message):
        if not self.quiet:
            self.stdout.write(message)

    def handle(self, *args, employees, local_employees, seed, quiet, **options):
        self.quiet = quiet
        started = time.monotonic()
        if Organisation.objects.exists():
            self.say("Er zijn al gegevens: de demo wordt niet opnieuw geladen.")
            self.print_accounts()
            return
        random.seed(seed)
        fake = Faker("nl_BE")
        Faker.seed(seed)
        self.password_hash = make_password(DEMO_PASSWORD)
        with transaction.atomic():
            vo = Organisation.objects.create(
                name="Vlaamse overheid (demo)",
                short_name="VO",
                kind=Organisation.Kind.VO,
                employer_size=employees,
                # Without it the file for the prevention service cannot be downloaded.
                prevention_affiliation="8216753",
            )
            local = Organisation.objects.create(
                name="Stad Demostad (demo)",
                short_name="Demostad",
                kind=Organisation.Kind.LOCAL,
                employer_size=local_employees,
                prevention_affiliation="8216754",
            )
            self.say("1/5 Organisaties en eenheden…")
            vo_teams = self.build_vo(vo)
            local_teams = self.build_local(local)
            self.say("2/5 Medewerkers en leidinggevenden…")
            self.build_employees(vo, vo_teams, employees, fake, "VO")
            self.build_employees(local, local_teams, local_employees, fake, "DS")
            self.say("3/5 Catalogus van welzijnsactoren en ondersteuning…")
            catalogue_seed(vo)
            catalogue_seed(local)
            self.say("4/5 Demogebruikers per rol…")
            self.build_demo_users(vo, local)
        self.say("5/5 Trajecten in elke fase…")
        count = demo_trajectories([vo, local], progress=self.say)
        demo_employee_account(vo, password_hash=self.password_hash)
        demo_smt(vo)
        self.say(
            f"Klaar in {time.monotonic() - started:.1f} s: "
            f"{Employee.objects.count()} medewerkers, {count} trajecten."
        )
        self.print_accounts()

    def build_vo(self, vo):
        teams = []
        for code, name, agencies in VO_DOMAINS:
            domain = unit_create(
                organisation=vo,
                name=f"Beleidsdomein {name}",
                code=code,
                kind=Unit.Kind.POLICY_DOMAIN,
            )
            entities = [
                unit_create(
                    organisation=vo,
                    parent=domain,
                    name=f"Departement {name}",
                    code=f"{code}-DEP",
                    kind=Unit.Kind.DEPARTMENT,
                    is_entity=True,
                )
            ]
            for i, agency in enumerate(agencies, start=1):
                entities.append(
                    unit_create(
                        organisation=vo,
                        parent=domain,
                        name=agency,
                        code=f"{code}-AG{i}",
                        kind=Unit.Kind.AGENCY,
                        is_entity=True,
                    )
                )
            for entity in entities:
                for j, team in enumerate(TEAMS[: random.randint(2, 4)], start=1):
                    teams.append(
                        unit_create(
                            organisation=vo,
                            parent=entity,
                            name=team,
                            code=f"{entity.code}-T{j}",
                            kind=Unit.Kind.TEAM,
                        )
                    )
        return teams

    def build_local(self, local):
        bestuur = unit_create(
            organisation=local,
            name="Stad en OCMW Demostad",
            code="DS",
            kind=Unit.Kind.ADMINISTRATION,
            is_entity=True,
        )
        return [
            unit_create(
                organisation=local,
                parent=bestuur,
                name=name,
                code=f"DS-{i}",
                kind=Unit.Kind.SERVICE,
            )
            for i, name in enumerate(LOCAL_SERVICES, start=1)
        ]

    def build_employees(self, organisation, teams, count, fake, prefix):
        managers = []
        for team in teams:
            first, last = fake.first_name(), fake.last_name()
            managers.append(
                User(
                    username=f"lg-{team.code.lower()}",
                    first_name=first,
                    last_name=last,
                    email=f"lg-{team.code.lower()}@demo.invalid",
                    organisation=organisation,
                    password=self.password_hash,
                )
            )
        User.objects.bulk_create(managers)
        managers = list(User.objects.filter(username__in=[m.username for m in managers]))
        by_name = {m.username: m for m in managers}
        RoleAssignment.objects.bulk_create(
            RoleAssignment(
                user=by_name[f"lg-{t.code.lower()}"],
                role=Role.MANAGER,
                organisation=organisation,
                unit=t,
            )
            for t in teams
        )
        people = []
        for n in range(count):
            team = teams[n % len(teams)]
            first, last = fake.first_name(), fake.last_name()
            people.append(
                Employee(
                    organisation=organisation,
                    personnel_number=f"{prefix}{n + 1:06d}",
                    first_name=first,
                    last_name=last,
                    email=f"{prefix.lower()}{n + 1:06d}@demo.invalid",
                    unit=team,
                    entity_id=team.entity_id,
                    manager=by_name[f"lg-{team.code.lower()}"],
                    statute=random.choice(["statutair", "statutair", "contractueel"]),
                    work_regime=random.choice([100, 100, 100, 80, 50]),
                )
            )
        Employee.objects.bulk_create(people, batch_size=1000)

    def build_demo_users(self, vo, local):
        ago = Unit.objects.get(organisation=vo, name="Agentschap Overheidspersoneel")
        ago_team = Unit.objects.filter(parent=ago).order_by("code").first()
        demos = [
            ("coach", "Chris", "Coach", vo, [(Role.COACH, ago)]),
            ("hr", "Hanne", "Hermans", vo, [(Role.HR, ago)]),
            ("adviseur", "Ann", "Adriaens", vo, [(Role.ADVISER, None)]),
            ("arts", "Dokter", "Arbeidsarts", vo, [(Role.PHYSICIAN, None)]),
            ("smt", "Sam", "Smet", vo, [(Role.SMT, None)]),
            ("rapporteur", "Rita", "Rapport", vo, [(Role.REPORTER, None)]),
            ("beheerder", "Bart", "Beheer", vo, [(Role.ADMIN, None)]),
            # A second beheerder: grants of dossier access need a second pair of eyes.
            ("beheerder2", "Bea", "Beheer", vo, [(Role.ADMIN, None)]),
            (
                "coach-demostad",
                "Dirk",
                "Demo",
                local,
                [(Role.COACH, Unit.objects.get(organisation=local, code="DS"))],
            ),
        ]
        for username, first, last, org, grants in demos:
            user = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.invalid",
                organisation=org,
                password=self.password_hash,
            )
            for role, unit in grants:
                RoleAssignment.objects.create(user=user, role=role, organisation=org, unit=unit)
        # The demo manager is the line manager of the first team of AgO.
        manager = User.objects.get(username=f"lg-{ago_team.code.lower()}")
        manager.username = "leidinggevende"
        manager.save(update_fields=["username"])

    def print_accounts(self):
        self.stdout.write(
            "\nDemo-accounts (ALLEEN VOOR DE DEMO), wachtwoord voor allemaal: "
            f"{DEMO_PASSWORD}\n"
            "  coach           terugkeercoach van het Agentschap Overheidspersoneel\n"
            "  leidinggevende  leidinggevende van een team van AgO\n"
            "  hr              HR van het Agentschap Overheidspersoneel\n"
            "  adviseur        adviseur re-integratie, hele Vlaamse overheid\n"
            "  arts            arbeidsarts (formele trajecten)\n"
            "  smt             SMT-lid (vergaderingen, agenda, dossier op naam met akkoord)\n"
            "  rapporteur      rapporteur (alleen anonieme cijfers)\n"
            "  beheerder       functioneel beheerder\n"
            "  beheerder2      tweede functioneel beheerder (bevestigt toegang tot dossiers)\n"
            "  coach-demostad  terugkeercoach van Stad Demostad\n"
            "  medewerker      medewerker van AgO met een formeel traject "
            "(portaal /mijn-traject/)\n"
        )
