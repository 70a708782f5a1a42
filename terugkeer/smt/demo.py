"""Demo data for the SMT, the second line and intervision (called by demo_data): the VO's SMT
with a meeting held yesterday (advice with an action, a policy conclusion) and one coming up
(an anonymous case, a named case with the demo employee's agreement, a policy item), a referral
to the second line and an intervision case. Written through the services, as a user would."""

from __future__ import annotations

from datetime import timedelta

from terugkeer.accounts.models import User
from terugkeer.rules.calendar import is_working_day, next_working_day
from terugkeer.smt import services
from terugkeer.smt.models import AgendaItem, Meeting, Smt
from terugkeer.trajectories.models import Trajectory


def _previous_working_day(day):
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def demo_smt(vo) -> None:
    today = services.today()
    smt_user = User.objects.get(username="smt")
    coach = User.objects.get(username="coach")
    adviser = User.objects.get(username="adviseur")
    employee_user = User.objects.get(username="medewerker")
    smt = Smt.objects.create(organisation=vo, name="SMT Vlaamse overheid")
    coach_cases = list(
        Trajectory.objects.filter(
            organisation=vo,
            entity__name="Agentschap Overheidspersoneel",
            closed_on__isnull=True,
            kind=Trajectory.Kind.REACTIVE,
        )
        .exclude(employee_id=employee_user.employee_id)
        .order_by("pk")[:3]
    )

    # Held yesterday (or the last working day): its advice is being written this week.
    held = Meeting.objects.create(
        smt=smt, date=_previous_working_day(today), location="Herman Teirlinck, zaal 3"
    )
    held.attendees.add(smt_user)
    if coach_cases:
        item = AgendaItem.objects.create(
            meeting=held,
            kind=AgendaItem.Kind.CASE,
            trajectory=coach_cases[0],
            form=AgendaItem.Form.ANONYMOUS,
            case_code=f"SMT-{held.date.year}-001",
            question="Hoe kan de terugkeer stap voor stap worden opgebouwd?",
            summary=(
                "De medewerker is sinds enkele maanden afwezig. Een gesprek over stappen naar "
                "werk is gevoerd; de medewerker wil terugkomen maar twijfelt over de werkdruk "
                "in het huidige team."
            ),
            proposed_by=coach,
        )
        services.advice_write(
            actor=smt_user,
            item=item,
            advice=(
                "Start met een progressieve hervatting en bekijk met Team Loopbaan of een "
                "tijdelijke andere opdracht mogelijk is."
            ),
            actions=[
                services.ActionInput(
                    "Verkennend gesprek met Team Loopbaan plannen",
                    "terugkeercoach",
                    today + timedelta(days=14),
                )
            ],
            on=today,
        )
    policy = AgendaItem.objects.create(
        meeting=held,
        kind=AgendaItem.Kind.POLICY,
        title="Veel weigeringen van het plan om redenen van werkinhoud",
        summary="Opgemerkt in de rapporten van het voorbije jaar.",
        proposed_by=smt_user,
    )
    services.advice_write(
        actor=smt_user,
        item=policy,
        advice="Team Loopbaan bekijkt met de entiteiten hoe aangepast werk vaker kan.",
        actions=[],
        on=today,
    )

    # The next meeting, with an anonymous and a named case (with the employee's agreement).
    coming = services.meeting_plan(
        actor=smt_user, smt=smt, day=next_working_day(today + timedelta(days=3))
    )
    coming.location = "Herman Teirlinck, zaal 3"
    coming.save(update_fields=["location"])
    if len(coach_cases) > 1:
        services.case_propose(
            actor=coach,
            meeting=coming,
            trajectory=coach_cases[1],
            data=services.CaseProposal(
                form=AgendaItem.Form.ANONYMOUS,
                question="Welke ondersteuning raadt het SMT aan bij een tweede afwezigheid?",
                summary=(
                    "Het is de tweede afwezigheid in korte tijd. De leidinggevende houdt "
                    "contact; de medewerker vraagt zelf naar aangepast werk."
                ),
            ),
        )
    employee_trajectory = Trajectory.objects.filter(
        employee_id=employee_user.employee_id, closed_on__isnull=True
    ).first()
    if employee_trajectory is not None:
        services.case_propose(
            actor=coach,
            meeting=coming,
            trajectory=employee_trajectory,
            data=services.CaseProposal(
                form=AgendaItem.Form.NAMED,
                question="Is ander werk binnen de entiteit een optie na de beslissing A?",
                consent_on=today - timedelta(days=2),
                consent_how=AgendaItem.ConsentHow.SIGNED,
                guests="leidinggevende, HR",
            ),
        )
    services.policy_item_add(
        actor=smt_user,
        meeting=coming,
        title="Contactname tijdens de eerste weken",
        description="Hoe ondersteunen we leidinggevenden bij het eerste contact?",
    )

    # The second line and intervision.
    if len(coach_cases) > 2:
        services.referral_create(
            actor=coach,
            trajectory=coach_cases[2],
            question="Graag advies over een mogelijke herplaatsing naar een andere entiteit.",
        )
        services.intervision_case_make(
            actor=adviser,
            trajectory=coach_cases[2],
            title="Lange afwezigheid met twijfel over de werkinhoud",
            learning_question="Wanneer schakelen we de tweede lijn in?",
        )
