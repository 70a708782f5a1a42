"""The demo employee account "medewerker": an employee of AgO with a formal trajectory whose
re-integration plan was just delivered, so the portal has something to accept or refuse."""

from __future__ import annotations

from datetime import timedelta

from terugkeer.accounts.access import SYSTEM
from terugkeer.accounts.models import User
from terugkeer.organisations.models import Employee, Organisation
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory


def demo_employee_account(vo: Organisation, *, password_hash: str) -> User:
    today = services.today()
    employee = (
        Employee.objects.filter(
            organisation=vo,
            entity__name="Agentschap Overheidspersoneel",
            manager__isnull=False,
            active=True,
        )
        .exclude(trajectories__isnull=False)
        .exclude(absences__isnull=False)
        .order_by("pk")
        .first()
    )
    start = today - timedelta(days=170)
    services.absence_register(actor=SYSTEM, employee=employee, first_day=start, on=today)
    trajectory = Trajectory.objects.get(employee=employee, closed_on__isnull=True)

    def record(type_, day, note="", internal=False, **fields):
        services.event_record(
            actor=SYSTEM,
            trajectory=trajectory,
            expected_version=None,
            data=services.EventInput(
                type=type_,
                date=start + timedelta(days=day),
                note=note,
                internal=internal,
                fields=fields,
            ),
            on=today,
        )

    record("contact", 6, channel="call", by="manager")
    record("four_week_list", 29)
    record(
        "conversation",
        45,
        note="Samen gekeken naar een geleidelijke terugkeer.",
        outcome="attention",
        next_date=today + timedelta(days=10),
    )
    record("agreements", 47, note="Om de twee weken een telefoontje van de coach.")
    record(
        "contact", 60, note="Interne notitie van de coach: niet voor het portaal.", internal=True
    )
    record("formal_request", 120, by="employer")
    record("invitation", 128, attended=True)
    record("assessment", 150, decision="A")
    services.plan_save(
        actor=SYSTEM,
        trajectory=trajectory,
        expected_version=None,
        data=services.PlanInput(
            work_percentage=50,
            adapted_work="Halftijds starten met dossierwerk, zonder loketdienst.",
            workplace_adaptations="Een rustige werkplek en een aangepaste stoel.",
            valid_until=today + timedelta(days=120),
            review_dates=[today + timedelta(days=30), today + timedelta(days=60)],
            steps=[
                {
                    "description": "Kennismaking met het team",
                    "owner": "leidinggevende",
                    "due": today + timedelta(days=14),
                },
                {
                    "description": "Start op 50 %",
                    "owner": "medewerker",
                    "due": today + timedelta(days=21),
                },
                {
                    "description": "Evaluatie en opbouw naar 80 %",
                    "owner": "terugkeercoach",
                    "due": today + timedelta(days=60),
                },
            ],
        ),
        on=today,
    )
    return User.objects.create(
        username="medewerker",
        first_name=employee.first_name,
        last_name=employee.last_name,
        email="medewerker@demo.invalid",
        password=password_hash,
        employee=employee,
        wants_digest=False,
    )
