"""Writes of the SMT, the second line, intervision and the periodic alignment (docs/smt.md).

Every write checks the actor's right in accounts.access, refuses free text that looks medical
(and, for anonymous texts, identifying data), writes the audit row, and writes what concerns a
trajectory as events on its timeline, so the rules engine and the coach see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from terugkeer.accounts import access
from terugkeer.accounts.models import Role, User
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.rules import facts as rf
from terugkeer.rules.calendar import belgian_holidays, fmt, next_working_day
from terugkeer.smt.identifying import identifying_findings
from terugkeer.smt.models import (
    Action,
    AgendaItem,
    Alignment,
    IntervisionCase,
    Meeting,
    Referral,
    Smt,
)
from terugkeer.trajectories import services as trajectory_services
from terugkeer.trajectories.medical import matcher_for
from terugkeer.trajectories.models import Event, Trajectory, placed_in

EventInput = trajectory_services.EventInput


def today() -> date:
    return timezone.localdate()


def refuse_medical(organisation, **texts: str) -> None:
    """Nothing medical in what the SMT and the second line write: refused, not only warned,
    because these texts travel further than the dossier (minutes, advice, intervision)."""
    found = matcher_for(organisation).fields({k: v or "" for k, v in texts.items()})
    if found:
        raise ValidationError(
            {
                name: _(
                    "Deze tekst bevat woorden die medisch lijken (%(words)s). Een diagnose, "
                    "oorzaak of aard van een ziekte hoort niet in Terugkeer: herschrijf hem."
                )
                % {"words": ", ".join(words)}
                for name, words in found.items()
            }
        )


def refuse_identifying(organisation, employee=None, *, policy: bool = False, **texts: str) -> None:
    errors = {}
    for name, text in texts.items():
        findings = identifying_findings(
            text,
            organisation=organisation,
            employee=employee,
            units=not policy,
            dates=not policy,
        )
        if findings:
            errors[name] = _(
                "Deze tekst moet anoniem zijn, maar bevat %(what)s. Pas hem aan voor u hem indient."
            ) % {"what": "; ".join(findings)}
    if errors:
        raise ValidationError(errors)


# --- the schedule ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedDate:
    day: date
    moved_from: date | None = None
    reason: str = ""


def proposed_dates(smt: Smt, *, after: date, count: int = 3) -> list[ProposedDate]:
    """The next meeting dates in the SMT's rhythm (every `interval_weeks` weeks after its last
    meeting, or from `after` when it has none), each moved to the next working day when it falls
    on a weekend or a Belgian public holiday. The rhythm counts from the unmoved dates."""
    last = smt.meetings.aggregate(last=Max("date"))["last"]
    step = timedelta(weeks=smt.interval_weeks or 6)
    base = last if last is not None else after - step
    out: list[ProposedDate] = []
    while len(out) < count:
        base += step
        if base <= after:
            continue
        day = next_working_day(base)
        if day == base:
            out.append(ProposedDate(day))
        else:
            holiday = belgian_holidays(base.year).get(base)
            out.append(ProposedDate(day, base, holiday or _("weekend")))
    return out


def _require_member(actor, smt: Smt) -> None:
    if not access.is_smt_member(actor, smt):
        raise PermissionDenied


@transaction.atomic
def meeting_plan(*, actor, smt: Smt, day: date, location: str = "") -> Meeting:
    _require_member(actor, smt)
    if day.weekday() >= 5 or day in belgian_holidays(day.year):
        raise ValidationError(
            {
                "date": _("Op %(d)s is het weekend of een feestdag; kies een werkdag.")
                % {"d": fmt(day)}
            }
        )
    if smt.meetings.filter(date=day).exists():
        raise ValidationError({"date": _("Op die dag staat al een vergadering gepland.")})
    meeting = Meeting.objects.create(smt=smt, date=day, location=location, created_by=actor)
    meeting.attendees.add(actor)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=meeting,
        organisation_id=smt.organisation_id,
        changes={"date": day.isoformat()},
    )
    return meeting


def smt_members(smt: Smt):
    """The users with a confirmed SMT role that covers this SMT."""
    from django.db.models import Q

    covering = Q(roles__role=Role.SMT, roles__organisation_id=smt.organisation_id) & Q(
        roles__confirmed_at__isnull=False
    )
    scope = Q(roles__unit__isnull=True)
    if smt.policy_domain_id:
        scope |= Q(roles__unit_id=smt.policy_domain_id)
    return User.objects.filter(covering & scope, is_active=True).distinct().order_by("last_name")


@transaction.atomic
def meeting_attendees_set(*, actor, meeting: Meeting, user_ids) -> None:
    _require_member(actor, meeting.smt)
    members = list(smt_members(meeting.smt).filter(pk__in=list(user_ids)))
    meeting.attendees.set(members)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=meeting,
        organisation_id=meeting.smt.organisation_id,
        changes={"attendees": ", ".join(m.get_username() for m in members)},
    )


@transaction.atomic
def minutes_save(*, actor, meeting: Meeting, minutes: str) -> None:
    _require_member(actor, meeting.smt)
    refuse_medical(meeting.smt.organisation, minutes=minutes)
    trajectory_services.check_text_lengths(Meeting, minutes=minutes)
    Meeting.objects.filter(pk=meeting.pk).update(minutes=minutes)
    meeting.minutes = minutes
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=meeting,
        organisation_id=meeting.smt.organisation_id,
        changes={"minutes": "bijgewerkt"},
    )


# --- cases and policy items ------------------------------------------------------------------


@dataclass
class CaseProposal:
    form: str
    question: str
    summary: str = ""
    consent_on: date | None = None
    consent_how: str = ""
    guests: str = ""


def _next_case_code(meeting: Meeting) -> str:
    year = meeting.date.year
    count = AgendaItem.objects.filter(
        meeting__smt=meeting.smt, meeting__date__year=year, kind=AgendaItem.Kind.CASE
    ).count()
    return f"SMT-{year}-{count + 1:03d}"


@transaction.atomic
def case_propose(
    *, actor, meeting: Meeting, trajectory: Trajectory, data: CaseProposal, on: date | None = None
) -> AgendaItem:
    """Put a trajectory on an upcoming meeting's agenda, anonymously or by name."""
    on = on or today()
    trajectory = Trajectory.objects.select_related(
        "employee", "employee__unit", "employee__manager", "organisation"
    ).get(pk=trajectory.pk)
    if not access.can_propose_smt_case(actor, trajectory, meeting.smt):
        raise PermissionDenied
    if meeting.date < on:
        raise ValidationError(_("Deze vergadering is al voorbij; kies een volgende."))
    if not trajectory.is_open:
        raise ValidationError(_("Dit traject is afgesloten."))
    if meeting.items.filter(trajectory=trajectory).exists():
        raise ValidationError(_("Dit traject staat al op de agenda van deze vergadering."))
    organisation = trajectory.organisation
    texts = {"question": data.question, "summary": data.summary, "guests": data.guests}
    trajectory_services.check_text_lengths(AgendaItem, **texts)
    if not data.question.strip():
        raise ValidationError({"question": _("Welke vraag legt u aan het SMT voor?")})
    if data.form == AgendaItem.Form.ANONYMOUS:
        if not data.summary.strip():
            raise ValidationError(
                {"summary": _("Een anonieme casus heeft een samenvatting nodig.")}
            )
        refuse_identifying(
            organisation,
            trajectory.employee,
            question=data.question,
            summary=data.summary,
            guests=data.guests,
        )
        consent_on, consent_how = None, ""
    elif data.form == AgendaItem.Form.NAMED:
        if data.consent_on is None or data.consent_how not in AgendaItem.ConsentHow.values:
            raise ValidationError(
                {
                    "consent_on": _(
                        "Op naam kan alleen met het akkoord van de medewerker: vul in wanneer "
                        "en hoe het gegeven is. Zonder akkoord: anoniem."
                    )
                }
            )
        if data.consent_on > on:
            raise ValidationError({"consent_on": _("Het akkoord ligt in de toekomst.")})
        refuse_medical(organisation, question=data.question, summary=data.summary)
        consent_on, consent_how = data.consent_on, data.consent_how
    else:
        raise ValidationError({"form": _("Kies anoniem of op naam.")})
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaItem.Kind.CASE,
        trajectory=trajectory,
        form=data.form,
        case_code=_next_case_code(meeting),
        question=data.question,
        summary=data.summary,
        consent_on=consent_on,
        consent_how=consent_how,
        guests=data.guests,
        proposed_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=item,
        employee_id=trajectory.employee_id,
        organisation_id=trajectory.organisation_id,
        changes={
            "form": data.form,
            "meeting": meeting.date.isoformat(),
            **(
                {"consent_on": consent_on.isoformat(), "consent_how": consent_how}
                if consent_on
                else {}
            ),
        },
    )
    return item


@transaction.atomic
def policy_item_add(*, actor, meeting: Meeting, title: str, description: str) -> AgendaItem:
    _require_member(actor, meeting.smt)
    if not title.strip():
        raise ValidationError({"title": _("Geef het beleidspunt een titel.")})
    trajectory_services.check_text_lengths(AgendaItem, title=title, summary=description)
    refuse_medical(meeting.smt.organisation, title=title, summary=description)
    refuse_identifying(meeting.smt.organisation, policy=True, title=title, summary=description)
    item = AgendaItem.objects.create(
        meeting=meeting,
        kind=AgendaItem.Kind.POLICY,
        title=title,
        summary=description,
        proposed_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=item,
        organisation_id=meeting.smt.organisation_id,
        changes={"kind": "policy"},
    )
    return item


@dataclass
class ActionInput:
    description: str
    owner: str
    due: date


def _write_event(*, actor, trajectory: Trajectory, **fields) -> Event:
    """An event written by the SMT, which has no right to write in the dossier otherwise
    (access.can_write_smt_advice decided): placed in the trajectory, logged, refreshed."""
    event = Event.objects.create(**placed_in(trajectory), created_by=actor, internal=True, **fields)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=event,
        employee_id=trajectory.employee_id,
        organisation_id=trajectory.organisation_id,
        changes={"type": event.type, "date": event.date.isoformat(), "via": "SMT"},
    )
    return event


@transaction.atomic
def advice_write(
    *, actor, item: AgendaItem, advice: str, actions: list[ActionInput], on: date | None = None
) -> AgendaItem:
    """The SMT's advice on a case (or conclusion on a policy item). A case's advice and its
    actions go to the trajectory's timeline; an action with a due date becomes an obligation
    ("advies SMT van …") until the coach marks it done."""
    on = on or today()
    item = AgendaItem.objects.select_related(
        "meeting__smt__organisation", "trajectory__organisation"
    ).get(pk=item.pk)
    if not access.can_write_smt_advice(actor, item, on=on):
        raise PermissionDenied
    if item.advice:
        raise ValidationError(_("Het advies bij dit punt is al geschreven."))
    if not advice.strip():
        raise ValidationError({"advice": _("Schrijf het advies of de conclusie.")})
    organisation = item.meeting.smt.organisation
    texts = {"advice": advice}
    for n, action in enumerate(actions):
        texts[f"action_{n}"] = f"{action.description} {action.owner}"
        if not action.description.strip() or not action.owner.strip():
            raise ValidationError(_("Elke actie heeft een omschrijving en een eigenaar."))
        if action.due < item.meeting.date:
            raise ValidationError(_("Een actie is te doen na de vergadering, niet ervoor."))
    trajectory_services.check_text_lengths(AgendaItem, advice=advice)
    refuse_medical(organisation, **texts)
    if item.kind == AgendaItem.Kind.POLICY and actions:
        raise ValidationError(
            _("Acties horen bij een casus; een beleidspunt krijgt een conclusie.")
        )
    item.advice = advice
    item.advice_by = actor
    item.advice_at = timezone.now()
    item.save(update_fields=["advice", "advice_by", "advice_at"])
    if item.kind == AgendaItem.Kind.CASE:
        trajectory = item.trajectory
        day = min(item.meeting.date, on)
        _write_event(
            actor=actor,
            trajectory=trajectory,
            type="smt_advice",
            date=day,
            note=advice,
            participants=str(item.meeting.smt),
        )
        for action in actions:
            row = Action.objects.create(
                item=item,
                description=action.description[:300],
                owner=action.owner[:100],
                due=action.due,
            )
            _write_event(
                actor=actor,
                trajectory=trajectory,
                type="smt_action",
                date=day,
                note=row.description,
                by=row.owner,
                next_date=row.due,
                reason=row.reference,
            )
        trajectory_services.trajectory_refresh(trajectory, on=on)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=item,
        employee_id=item.trajectory.employee_id if item.trajectory_id else None,
        organisation_id=organisation.pk,
        changes={"advice": "geschreven", "actions": str(len(actions))},
    )
    return item


@transaction.atomic
def action_done(*, actor, action: Action, day: date | None = None) -> Event:
    """The coach marks an SMT action done: the obligation closes on that day."""
    action = Action.objects.select_related("item__trajectory").get(pk=action.pk)
    if action.done_on:
        raise ValidationError(_("Deze actie is al afgerond."))
    day = day or today()
    event = trajectory_services.event_record(
        actor=actor,
        trajectory=action.item.trajectory,
        expected_version=None,
        data=EventInput(
            type="smt_action_done",
            date=day,
            note=action.description,
            internal=True,
            fields={"reason": action.reference, "by": action.owner},
        ),
    )
    Action.objects.filter(pk=action.pk).update(done_on=day)
    return event


# --- the second line -------------------------------------------------------------------------


@transaction.atomic
def referral_create(*, actor, trajectory: Trajectory, question: str) -> Referral:
    trajectory = Trajectory.objects.select_related("employee", "organisation").get(pk=trajectory.pk)
    if not access.can_refer_to_second_line(actor, trajectory.employee):
        raise PermissionDenied
    if not question.strip():
        raise ValidationError({"question": _("Welke vraag legt u aan de tweede lijn voor?")})
    refuse_medical(trajectory.organisation, question=question)
    if trajectory.referrals.filter(answered_on__isnull=True).exists():
        raise ValidationError(_("Er loopt al een doorverwijzing voor dit traject."))
    day = today()
    referral = Referral.objects.create(
        trajectory=trajectory,
        organisation_id=trajectory.organisation_id,
        question=question,
        referred_by=actor,
        referred_on=day,
    )
    trajectory_services.event_record(
        actor=actor,
        trajectory=trajectory,
        expected_version=None,
        data=EventInput(type="second_line_referral", date=day, note=question, internal=True),
    )
    return referral


@transaction.atomic
def referral_take_up(*, actor, referral: Referral) -> Referral:
    referral = Referral.objects.select_related("trajectory__employee").get(pk=referral.pk)
    if not access.is_second_line_for(actor, referral.trajectory.employee):
        raise PermissionDenied
    if referral.taken_up_by_id:
        raise ValidationError(_("Deze doorverwijzing is al opgenomen."))
    day = today()
    Referral.objects.filter(pk=referral.pk).update(taken_up_by=actor, taken_up_on=day)
    referral.taken_up_by, referral.taken_up_on = actor, day
    trajectory_services.event_record(
        actor=actor,
        trajectory=referral.trajectory,
        expected_version=None,
        data=EventInput(type="second_line_taken_up", date=day, internal=True),
    )
    return referral


@transaction.atomic
def referral_answer(*, actor, referral: Referral, answer: str) -> Referral:
    referral = Referral.objects.select_related("trajectory__employee", "organisation").get(
        pk=referral.pk
    )
    if referral.taken_up_by_id != actor.pk:
        raise PermissionDenied
    if referral.answered_on:
        raise ValidationError(_("Deze doorverwijzing is al beantwoord."))
    if not answer.strip():
        raise ValidationError({"answer": _("Schrijf het antwoord aan de coach.")})
    refuse_medical(referral.organisation, answer=answer)
    day = today()
    Referral.objects.filter(pk=referral.pk).update(answer=answer, answered_on=day)
    referral.answer, referral.answered_on = answer, day
    trajectory_services.event_record(
        actor=actor,
        trajectory=referral.trajectory,
        expected_version=None,
        data=EventInput(type="second_line_answer", date=day, note=answer, internal=True),
    )
    return referral


# --- intervision -----------------------------------------------------------------------------


def _anonymous_details(event: Event) -> list[str]:
    """The structured outcome of an event without anything typed by a person."""
    out = []
    if event.outcome:
        labels = rf.CLOSURE_OUTCOMES if event.type == "closure" else rf.CONVERSATION_OUTCOMES
        out.append(labels.get(event.outcome, ""))
    if event.decision:
        out.append(rf.DECISIONS.get(event.decision, ""))
    if event.result:
        out.append(rf.WORK_POTENTIAL_RESULTS.get(event.result, ""))
    if event.accepted is not None and event.type == "employee_answer":
        out.append("aanvaard" if event.accepted else "geweigerd")
    if event.return_type:
        out.append(rf.RETURN_TYPES.get(event.return_type, ""))
    if event.percentage and event.type in ("return_to_work", "step_plan"):
        out.append(f"{event.percentage} %")
    return [d for d in out if d]


def intervision_steps(trajectory: Trajectory) -> list[dict]:
    """The timeline's structure: day since the first day of absence (or the start), event type,
    outcomes and decisions; no names, dates, units or notes."""
    origin = trajectory.absence_start or trajectory.started_on
    return [
        {
            "day": (event.date - origin).days,
            "type": event.type,
            "label": rf.EVENT_TYPES.get(event.type, event.type),
            "details": _anonymous_details(event),
        }
        for event in trajectory.events.order_by("date", "id")
    ]


@transaction.atomic
def intervision_case_make(
    *, actor, trajectory: Trajectory, title: str, learning_question: str = ""
) -> IntervisionCase:
    trajectory = Trajectory.objects.select_related(
        "employee", "employee__manager", "organisation"
    ).get(pk=trajectory.pk)
    if not access.can_make_intervision_case(actor, trajectory.employee):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": _("Geef de casus een titel.")})
    texts = {"title": title, "learning_question": learning_question}
    trajectory_services.check_text_lengths(IntervisionCase, **texts)
    refuse_identifying(trajectory.organisation, trajectory.employee, **texts)
    case = IntervisionCase.objects.create(
        organisation_id=trajectory.organisation_id,
        title=title,
        learning_question=learning_question,
        kind=trajectory.kind,
        is_formal=trajectory.is_formal,
        law_version=trajectory.law_label,
        steps=intervision_steps(trajectory),
        created_by=actor,
    )
    # Reading the dossier to build the case is a read of it; the case itself keeps no link.
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        obj=trajectory,
        employee_id=trajectory.employee_id,
        organisation_id=trajectory.organisation_id,
        changes={"intervisiecasus": str(case.pk)},
    )
    return case


# --- the periodic alignment ------------------------------------------------------------------


@transaction.atomic
def alignment_record(
    *,
    actor,
    manager: User,
    held_on: date,
    next_on: date | None,
    agreed: dict[int, str],
) -> Alignment:
    """Record an alignment: the action agreed per trajectory (an event on each) and the date of
    the next one. Only trajectories of the manager's team within the actor's scope count."""
    from terugkeer.organisations.models import Employee

    if not access.can_hold_alignment(actor):
        raise PermissionDenied
    team = Employee.objects.filter(access.alignment_team_scope(actor, manager))
    if not team.exists():
        raise PermissionDenied
    if held_on > today():
        raise ValidationError({"held_on": _("De afstemming ligt in de toekomst.")})
    if next_on is not None and next_on <= held_on:
        raise ValidationError({"next_on": _("De volgende afstemming komt na deze.")})
    organisation_id = team.values_list("organisation_id", flat=True).first()
    texts = {f"agreed_{pk}": text for pk, text in agreed.items() if text.strip()}
    from terugkeer.organisations.models import Organisation

    refuse_medical(Organisation.objects.get(pk=organisation_id), **texts)
    trajectories = Trajectory.objects.filter(
        pk__in=[pk for pk, text in agreed.items() if text.strip()],
        employee__in=team,
        closed_on__isnull=True,
    )
    count = 0
    for trajectory in trajectories:
        trajectory_services.event_record(
            actor=actor,
            trajectory=trajectory,
            expected_version=None,
            data=EventInput(
                type="alignment_action",
                date=held_on,
                note=agreed[trajectory.pk].strip(),
                internal=True,
                participants=_("leidinggevende en HR"),
            ),
        )
        count += 1
    alignment = Alignment.objects.create(
        organisation_id=organisation_id,
        manager=manager,
        held_on=held_on,
        next_on=next_on,
        recorded_by=actor,
        cases=count,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=alignment,
        organisation_id=organisation_id,
        changes={"manager": manager.get_username(), "cases": str(count)},
    )
    return alignment
