"""A formal trajectory whose re-integration plan was delivered, and the employee's account."""

from datetime import date, timedelta

from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory
from tests.factories import UserFactory


def formal_case(world, *, today: date | None = None, employee=None, username="eva", actor=None):
    """emp_a (by default): absent 170 days ago, formal trajectory, decision A, plan delivered
    today; alice (coach of A) recorded it all. Returns (trajectory, employee user)."""
    today = today or services.today()
    employee = employee or world.emp_a
    actor = actor or world.alice
    start = today - timedelta(days=170)
    services.absence_register(actor=actor, employee=employee, first_day=start, on=today)
    trajectory = Trajectory.objects.get(employee=employee, closed_on__isnull=True)

    def record(type_, day, note="", internal=False, **fields):
        services.event_record(
            actor=actor,
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

    record(
        "conversation",
        45,
        note="Afspraak: geleidelijke terugkeer.",
        outcome="attention",
        next_date=today + timedelta(days=10),
    )
    record("agreements", 47, note="Om de twee weken bellen.")
    record("contact", 60, note="GEHEIM-INTERN: alleen voor de coach.", internal=True)
    record("formal_request", 120, by="employer")
    record("invitation", 128, attended=True)
    record("assessment", 150, decision="A")
    services.plan_save(
        actor=actor,
        trajectory=trajectory,
        expected_version=None,
        data=services.PlanInput(
            work_percentage=60,
            adapted_work="Halftijds dossierwerk.",
            valid_until=today + timedelta(days=120),
            review_dates=[today + timedelta(days=30)],
            steps=[
                {
                    "description": "Kennismaking met het team",
                    "owner": "leidinggevende",
                    "due": today + timedelta(days=14),
                },
                {
                    "description": "Start op 60 procent",
                    "owner": "medewerker",
                    "due": today + timedelta(days=21),
                },
            ],
        ),
        on=today,
    )
    user = UserFactory(username=username, employee=employee)
    trajectory.refresh_from_db()
    return trajectory, user
