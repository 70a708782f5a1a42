"""Writes from the employee's portal: the answer to the formal re-integration plan.

The answer is an ``employee_answer`` event recorded through trajectories.services.event_record,
so that access (accounts.access.can_write), the audit row and the rules engine's refresh are
the same as when the coach records it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from terugkeer.rules import facts as rf
from terugkeer.trajectories import services as trajectory_services
from terugkeer.trajectories.models import Event, Plan


def answer_term(plan: Plan, *, on: date | None = None):
    """The rules engine's obligation for the employee's answer to this plan (or None). Its due
    date and done_on only: the portal shows no engine text, so none is built."""
    trajectory = plan.trajectory
    obligations = trajectory_services.obligations_for(trajectory, on=on, texts=False)
    answers = [o for o in obligations if o.code.split(".")[0] == "employee_answer"]
    # The newest formal cycle's answer is the one that counts.
    return answers[-1] if answers else None


def plan_answerable(plan: Plan, *, on: date | None = None) -> tuple[bool, str, object]:
    """May the employee answer this plan now? (ok, why-not message, the term obligation)."""
    trajectory = plan.trajectory
    if not (trajectory.is_formal and plan.formal):
        return False, _("Alleen een formeel re-integratieplan vraagt uw antwoord."), None
    if trajectory.closed_on:
        return False, _("Dit traject is afgesloten."), None
    latest = trajectory.plans.order_by("-number").values_list("number", flat=True).first()
    if plan.number != latest:
        return False, _("U kunt alleen op de nieuwste versie van het plan antwoorden."), None
    term = answer_term(plan, on=on)
    if term is None:
        return False, _("Het plan is nog niet bezorgd."), None
    if term.done_on is not None:
        return False, _("U hebt al op dit plan geantwoord."), term
    today = on or trajectory_services.today()
    if term.due is not None and today > term.due:
        return (
            False,
            _(
                "De termijn om te antwoorden liep af op %(day)s. Neem contact op met uw "
                "terugkeercoach."
            )
            % {"day": term.due.strftime("%d/%m/%Y")},
            term,
        )
    return True, "", term


def plan_answer(
    *,
    actor,
    plan: Plan,
    accepted: bool,
    reason: str = "",
    expected_version: int | None = None,
    on: date | None = None,
) -> Event:
    """The employee accepts or refuses the formal re-integration plan within the term."""
    ok, why, _term = plan_answerable(plan, on=on)
    if not ok:
        raise ValidationError(why)
    if not accepted and reason not in rf.REFUSAL_REASONS:
        raise ValidationError({"reason": _("Kies de reden waarom u het plan weigert.")})
    day = on or trajectory_services.today()
    return trajectory_services.event_record(
        actor=actor,
        trajectory=plan.trajectory,
        expected_version=expected_version,
        data=trajectory_services.EventInput(
            type="employee_answer",
            date=day,
            fields={"accepted": accepted, "reason": "" if accepted else reason},
        ),
        on=on,
    )
