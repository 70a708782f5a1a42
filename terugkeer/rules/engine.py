"""The rules: facts + policy + day -> obligations.

Every deadline a page, a reminder or a report shows comes from here. The engine is pure: no
Django, no database, no clock (``today`` is an argument). Events dated after ``today`` are
ignored, so the same facts can be replayed day by day.

Codes of obligations that can occur more than once (a follow-up conversation after every
"not yet" conversation, a second formal trajectory, a second return to work...) get an instance
suffix from the second one on: ``conversation_next``, ``conversation_next.2``, ...

Evaluation is linear (times a logarithm) in the number of events: events are sorted once, and
every "first event of a type on or after a date" is a binary search.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import date, timedelta
from operator import attrgetter

from .calendar import add_days, add_months, fmt, next_working_day, today_in_belgium
from .facts import (
    CLOSURE_OUTCOMES,
    EVENT_TYPES,
    REFUSAL_REASONS,
    WORK_POTENTIAL_NOT_NEEDED_REASONS,
    Event,
    Facts,
)
from .law import LAW_VERSIONS, RIT20, LawVersion, UnknownLawVersion, law_for, law_on
from .obligation import DONE, DUE_SOON, MISSED, NOT_APPLICABLE, OPEN, OVERDUE, Obligation
from .policy import Policy

_by_date = attrgetter("date")
_NO_EVENTS: list[Event] = []
_DAY = timedelta(days=1)

# (date, reason): the day the process moved past an obligation, and why.
End = tuple[date, str] | None


def _inst(code: str, n: int) -> str:
    return code if n == 1 else f"{code}.{n}"


def _first_from(events: list[Event], lo: date, hi: date | None = None) -> Event | None:
    """First event dated on or after ``lo`` (and before ``hi`` when given); binary search."""
    i = bisect_left(events, lo, key=_by_date)
    if i == len(events):
        return None
    e = events[i]
    if hi is not None and e.date >= hi:
        return None
    return e


def _between(events: list[Event], lo: date, hi: date | None) -> list[Event]:
    """Events dated in [lo, hi) (hi None: no upper bound)."""
    i = bisect_left(events, lo, key=_by_date)
    j = len(events) if hi is None else bisect_left(events, hi, key=_by_date)
    return events[i:j]


def _first_of(lists: tuple[list[Event], ...], lo: date, hi: date | None = None) -> Event | None:
    best = None
    for events in lists:
        e = _first_from(events, lo, hi)
        if e is not None and (best is None or e.date < best.date):
            best = e
    return best


def _earliest(*ends: End) -> End:
    """The first of the given ends by date (the first given on a tie); None when none."""
    best = None
    for e in ends:
        if e is not None and (best is None or e[0] < best[0]):
            best = e
    return best


class _Out:
    """Collects obligations and derives their status."""

    __slots__ = ("today", "soon", "shift", "closed", "items")

    def __init__(self, today: date, policy: Policy) -> None:
        self.today = today
        self.soon = policy.due_soon_days
        self.shift = policy.shift_to_working_day
        self.closed: End = None  # (closure date, why): everything not done ends
        self.items: list[Obligation] = []

    def task(
        self,
        code: str,
        title: str,
        due: date | None,
        source: str,
        why: str,
        done_on: date | None = None,
        na: str | None = None,
        ended: End = None,
        missable: bool = True,
    ) -> None:
        """A task. ``na``: not applicable at all. ``ended``: the process moved past it on that
        day; a task that was due before then and not done is ``missed``, else not applicable."""
        if due is not None and self.shift:
            due = next_working_day(due)
        ended = _earliest(self.closed, ended)
        if done_on is not None:
            status = DONE
        elif missable and ended is not None and due is not None and due < ended[0]:
            status = MISSED
            why = f"{why} Niet gedaan voor {fmt(due)}; {ended[1]}"
        elif ended is not None:
            status = NOT_APPLICABLE
            why = f"{why} {ended[1][0].upper()}{ended[1][1:]}"
        elif na is not None:
            status = NOT_APPLICABLE
            why = f"{why} {na}"
        elif due is None:
            status = OPEN
        else:
            left = (due - self.today).days
            if left < 0:
                status = OVERDUE
            elif left <= self.soon:
                status = DUE_SOON
            else:
                status = OPEN
        self.items.append(Obligation(code, title, due, status, source, why, done_on, False))

    def signal(
        self,
        code: str,
        title: str,
        since: date,
        source: str,
        why: str,
        done_on: date | None = None,
        na: str | None = None,
    ) -> None:
        if done_on is not None:
            status = DONE
        elif self.closed is not None:
            status = NOT_APPLICABLE
            why = f"{why} {self.closed[1][0].upper()}{self.closed[1][1:]}"
        elif na is not None:
            status = NOT_APPLICABLE
            why = f"{why} {na}"
        else:
            status = OPEN
        self.items.append(Obligation(code, title, since, status, source, why, done_on, True))


def evaluate(facts: Facts, policy: Policy | None = None, today: date | None = None) -> list:
    """All obligations and signals of one trajectory on ``today``."""
    if policy is None:
        policy = Policy.default(facts.organisation_kind)
    if today is None:
        today = today_in_belgium()
    try:
        law = law_for(facts.trajectory_start)
    except UnknownLawVersion:
        return [_before_first_law(facts.trajectory_start)]
    out = _Out(today, policy)

    start = facts.absence_start
    lo = start if (start is not None and facts.kind == "reactive") else None
    ev: dict[str, list[Event]] = {}
    ignored: list[Event] = []
    for e in sorted(facts.events, key=_by_date):
        if e.date > today:
            continue
        if lo is not None and e.date < lo and e.type != "contact_wishes":
            ignored.append(e)
            continue
        lst = ev.get(e.type)
        if lst is None:
            ev[e.type] = [e]
        else:
            lst.append(e)

    closures = ev.get("closure")
    if closures:
        c = closures[0]
        label = CLOSURE_OUTCOMES.get(c.outcome or "", "afgesloten")
        out.closed = (c.date, f"traject afgesloten op {fmt(c.date)} ({label}).")

    if ignored:
        kinds = sorted({EVENT_TYPES[e.type] for e in ignored})
        out.signal(
            "events_before_absence",
            "Gebeurtenissen vóór de start van de afwezigheid niet meegeteld",
            ignored[0].date,
            "Terugkeer: een traject na ziekte telt vanaf de eerste dag afwezigheid",
            f"{len(ignored)} gebeurtenis(sen) vóór {fmt(start)} ({'; '.join(kinds)}) tellen "
            "niet mee voor dit traject.",
            na="Ter informatie.",
        )

    if "preventive_request" in ev or facts.kind == "preventive":
        _preventive(out, ev, law, policy)
    if start is not None and start <= today:
        _reactive(out, facts, ev, law, policy, today)
    return out.items


def _before_first_law(started: date) -> Obligation:
    """A trajectory that started before the first law version Terugkeer knows (RIT 2.0, 1
    October 2022), e.g. a relapse of an incapacity of 2022 registered later or imported: the
    rules of 2016 that applied then are not in the registry, so no term is computed, and the
    trajectory gets this one signal instead of stopping the page or the daily run."""
    first = LAW_VERSIONS[0]
    return Obligation(
        "law_not_covered",
        "Geen wettelijke termijnen: traject gestart voor RIT 2.0",
        started,
        NOT_APPLICABLE,
        f"{first.title}: in voege vanaf {fmt(first.effective_from)}",
        f"Traject gestart op {fmt(started)}, voor {fmt(first.effective_from)}; Terugkeer kent "
        "de regels van voor die datum niet en berekent voor dit traject geen termijnen.",
        None,
        True,
    )


# --------------------------------------------------------------------------- preventive


def _preventive(out: _Out, ev: dict, law: LawVersion, policy: Policy) -> None:
    answers = ev.get("preventive_answer", _NO_EVENTS)
    asap = policy.term("asap_days")
    for n, req in enumerate(ev.get("preventive_request", _NO_EVENTS), 1):
        code = _inst("preventive_answer", n)
        title = "Antwoord op het preventief verzoek"
        # Transitional rule: the request's own date decides (a new right since RIT 3.0).
        req_law = law_on(req.date, law)
        if not req_law.preventive_request:
            out.task(
                code,
                title,
                None,
                "Codex welzijn op het werk (RIT 2.0)",
                f"Preventief verzoek van {fmt(req.date)}.",
                na="Het preventief verzoek bestaat pas vanaf RIT 3.0 (1 januari 2026); dit "
                f"verzoek valt onder {req_law.code}.",
            )
            continue
        due = asap.add(req.date)
        ans = _first_from(answers, req.date)
        out.task(
            code,
            title,
            due,
            req_law.sources["preventive"],
            f"Preventief verzoek ontvangen op {fmt(req.date)}; 'zo snel mogelijk' antwoorden "
            f"(kader: {asap.label()}).",
            done_on=ans.date if ans else None,
        )


# --------------------------------------------------------------------------- reactive


def _periods(facts: Facts, ev: dict, today: date) -> list[tuple[date, date | None]]:
    if facts.absences:
        return sorted((a.start, a.end) for a in facts.absences if a.start <= today)
    # Derive the periods from absence_start and the return / relapse events.
    marks = ev.get("return_to_work", _NO_EVENTS) + ev.get("relapse", _NO_EVENTS)
    if len(marks) > 1:
        marks = sorted(marks, key=_by_date)
    periods: list[tuple[date, date | None]] = []
    cur: date | None = facts.absence_start
    for e in marks:
        if e.type == "return_to_work":
            if cur is not None and e.date > cur:
                periods.append((cur, e.date - _DAY))
                cur = None
        elif cur is None:
            cur = e.date
    if cur is not None:
        periods.append((cur, None))
    return periods


def _chains(periods: list, within: Callable[[date], date]) -> list[list]:
    """Periods joined when the next one starts on or before ``within(previous end)``."""
    chains: list[list] = []
    for s, e in periods:
        if chains:
            last = chains[-1]
            if last[1] is None or s <= within(last[1]):
                if last[1] is not None and (e is None or e > last[1]):
                    last[1] = e
                continue
        chains.append([s, e])
    return chains


def _reactive(
    out: _Out, facts: Facts, ev: dict, law: LawVersion, policy: Policy, today: date
) -> None:
    fw = policy.framework
    get = ev.get
    periods = _periods(facts, ev, today)
    if not periods:
        periods = [(facts.absence_start, None)]
    # Uninterrupted incapacity in the law's sense: a relapse within 14 days does not interrupt.
    grace = law.relapse_grace_days
    chains = _chains(periods, lambda end: end + timedelta(days=grace))
    # An episode in the omzendbrief's sense: a new absence within the relapse window continues
    # the count, one after it starts a new count (conversation within 2 months, triggers).
    window = policy.term("relapse_window_days")
    episodes = _chains(periods, window.add)
    start: date = facts.absence_start  # type: ignore[assignment]
    ep_start = episodes[-1][0]
    if ep_start > start:
        start = ep_start
    last_start, last_end = periods[-1]
    absent_now = last_end is None or last_end >= today
    returned_on = None if absent_now else last_end + _DAY
    back = None if absent_now else f"Werk hervat op {fmt(returned_on)}."
    back_end: End = None if absent_now else (returned_on, f"werk hervat op {fmt(returned_on)}.")

    # The uninterrupted incapacity this count started with, and the current one.
    traj = chains[-1]
    for ch in chains:
        if ch[1] is None or ch[1] >= start:
            traj = ch
            break
    cur = chains[-1]
    t_start, t_end = traj
    open_ended = t_end is None
    covered_until = t_end if t_end is not None else today
    # The law of the incapacity's first day decides the rules that run on the incapacity (the
    # 4 and 8 weeks, force majeure, solidarity); a formal request is judged by its own date.
    law_inc = law_on(t_start, law)
    inc_note = f"{law_inc.code}: eerste dag arbeidsongeschiktheid {fmt(t_start)}"

    def reaches(mark: date) -> bool:
        """The incapacity lasts until ``mark`` (inclusive of the day before): or has no end."""
        return open_ended or covered_until + _DAY >= mark

    conversations = _between(get("conversation", _NO_EVENTS), start, None)
    formal_requests = get("formal_request", _NO_EVENTS)
    first_formal = formal_requests[0] if formal_requests else None
    formal_here = _first_from(formal_requests, start)
    formal_end: End = (
        (formal_here.date, f"formeel re-integratietraject gevraagd op {fmt(formal_here.date)}.")
        if formal_here is not None
        else None
    )
    threshold = policy.term("trajectory_threshold_days").add(t_start)
    process = reaches(threshold) or any(
        t not in ("contact", "contact_wishes", "closure") for t in ev
    )

    # 1. Contact per the contact procedure, adjusted to the employee's wishes.
    wishes = facts.contact_wishes
    wish_events = get("contact_wishes")
    if wish_events:
        w = wish_events[-1]
        frequency = w.frequency_days
        pause = bool(w.pause)
    elif wishes is not None:
        frequency, pause = wishes.frequency_days, wishes.pause
    else:
        frequency, pause = None, False
    contacts = get("contact", _NO_EVENTS)
    contact_source = f"{fw}, stap 1 (contact)"
    if law_inc.contact_procedure:
        contact_source += "; " + law_inc.sources["contact"]
    if pause:
        out.task(
            "contact",
            "Contact houden met de afwezige medewerker",
            None,
            contact_source,
            "Contact volgens de wensen van de medewerker.",
            na="De medewerker vroeg een pauze in het contact (volledige ontkoppeling).",
        )
    else:
        if frequency:
            next_after, interval_label = (
                lambda d: add_days(d, frequency),
                f"{frequency} dagen",
            )
        else:
            term = policy.term("contact_interval_days")
            next_after, interval_label = term.add, term.label()
        base = last_start
        basis = f"start afwezigheid {fmt(last_start)}"
        if wish_events and wish_events[-1].date > base:
            base = wish_events[-1].date
            basis = f"contactwensen gewijzigd op {fmt(base)}"
        if contacts and contacts[-1].date >= base:
            base = contacts[-1].date
            basis = f"laatste contact {fmt(base)}"
        wish = "wens van de medewerker" if frequency else "contactprocedure"
        out.task(
            "contact",
            "Contact houden met de afwezige medewerker",
            next_after(base),
            contact_source,
            f"Volgend contact: {basis} + {interval_label} ({wish}).",
            na=back,
            missable=False,  # rolling: the next contact, never a missed step
        )

    if not process:
        return

    asap = policy.term("asap_days")

    # 2. Four weeks: names to the external prevention service; physician informs the employee.
    fl = _first_from(get("four_week_list", _NO_EVENTS), t_start)
    four = policy.term("four_week_days")
    due4 = four.add(t_start)
    if law_inc.four_week_information and (reaches(due4) or fl is not None):
        out.task(
            "four_week_list",
            "Namen doorgeven aan de externe preventiedienst (4 weken)",
            due4,
            f"{law_inc.sources['four_week_list']}; {fw}, stap 2",
            f"Arbeidsongeschikt sinds {fmt(t_start)}: {four.label()} bereikt op {fmt(due4)}"
            f"{'' if t_end is not None else ' (einde afwezigheid niet gekend)'}.",
            done_on=fl.date if fl else None,
            ended=_earliest(back_end, formal_end),
        )
        base = fl.date if fl else due4
        pi = _first_from(get("physician_information", _NO_EVENTS), t_start)
        seen = _first_of(
            (
                get("work_potential_result", _NO_EVENTS),
                get("visit_before_return_held", _NO_EVENTS),
            ),
            t_start,
        )
        seen_end: End = (
            (seen.date, f"de arbeidsarts zag de medewerker op {fmt(seen.date)}.") if seen else None
        )
        out.task(
            "physician_information",
            "Arbeidsarts informeert de medewerker over de re-integratiemogelijkheden",
            asap.add(base),
            f"{law_inc.sources['physician_information']}; {fw}, stap 2",
            f"{'Namen doorgegeven' if fl else '4 weken bereikt'} op {fmt(base)}; 'zo snel "
            f"mogelijk' (kader: {asap.label()}).",
            done_on=pi.date if pi else None,
            ended=_earliest(back_end, formal_end, seen_end),
        )

    # 3. Eight weeks (RIT 3.0, by the incapacity's first day): ask for the work-potential
    # estimate, unless the coach recorded that it is not needed.
    wp_results = get("work_potential_result", _NO_EVENTS)
    if law_inc.work_potential_weeks:
        wp_days = 7 * law_inc.work_potential_weeks
        due8 = add_days(t_start, wp_days)
        wreq = _first_from(get("work_potential_request", _NO_EVENTS), t_start)
        skip = _first_from(get("work_potential_not_needed", _NO_EVENTS), t_start)
        if reaches(due8) or wreq is not None or skip is not None:
            na8 = None
            if wreq is None and skip is not None:
                reason = WORK_POTENTIAL_NOT_NEEDED_REASONS.get(skip.reason or "", skip.reason)
                na8 = f"Niet nodig volgens de terugkeercoach op {fmt(skip.date)}: {reason}."
            out.task(
                "work_potential_request",
                "Inschatting arbeidspotentieel vragen aan de arbeidsarts (8 weken)",
                due8,
                law_inc.sources["work_potential"]
                + ("; " + law_inc.sources["work_potential_not_needed"] if na8 else ""),
                f"Arbeidsongeschikt sinds {fmt(t_start)}: {law_inc.work_potential_weeks} weken "
                f"bereikt op {fmt(due8)} ({inc_note}).",
                done_on=wreq.date if wreq else None,
                na=na8,
                ended=_earliest(back_end, formal_end),
            )
        if wreq is not None:
            term = law_inc.work_potential_estimate_days
            res = _first_from(wp_results, wreq.date)
            due_res = add_days(wreq.date, term) if term else asap.add(wreq.date)
            out.task(
                "work_potential_result",
                "Inschatting arbeidspotentieel door de arbeidsarts",
                due_res,
                law_inc.sources["work_potential"],
                f"Gevraagd op {fmt(wreq.date)}; geen wettelijke termijn gevonden, kader: "
                f"{asap.label() if not term else f'{term} dagen'}.",
                done_on=res.date if res else None,
                ended=_earliest(back_end, formal_end),
            )
            if res is not None and res.result == "found":
                follow = _first_of(
                    (formal_requests, get("visit_before_return_requested", _NO_EVENTS)),
                    res.date,
                )
                out.signal(
                    "work_potential_options",
                    "Arbeidspotentieel vastgesteld: bezoek voor werkhervatting of formeel "
                    "traject mogelijk",
                    res.date,
                    law_inc.sources["work_potential"],
                    f"Arbeidspotentieel vastgesteld op {fmt(res.date)}.",
                    done_on=follow.date if follow else None,
                    na=back,
                )
                months = law_inc.formal_request_deadline_months
                if months and facts.employer_size >= law_inc.formal_request_deadline_min_workers:
                    due6 = add_months(t_start, months)
                    fr = _first_from(formal_requests, t_start)
                    out.task(
                        "formal_request_deadline",
                        f"Formeel re-integratietraject aanvragen (uiterlijk {months} maanden)",
                        due6,
                        law_inc.sources["formal_request_deadline"],
                        f"Arbeidspotentieel vastgesteld op {fmt(res.date)}; werkgever met "
                        f"{facts.employer_size} werknemers; arbeidsongeschikt sinds "
                        f"{fmt(t_start)} + {months} maanden.",
                        done_on=fr.date if fr else None,
                        ended=back_end,
                    )

    # 4. Visit before return to work: "as soon as possible".
    held = get("visit_before_return_held", _NO_EVENTS)
    for n, vr in enumerate(get("visit_before_return_requested", _NO_EVENTS), 1):
        h = _first_from(held, vr.date)
        vr_law = law_on(vr.date, law)
        note = ""
        if vr.by == "employer" and not vr_law.employer_may_request_visit:
            note = f" Onder {vr_law.code} kan enkel de medewerker dit bezoek vragen."
        out.task(
            _inst("visit_before_return", n),
            "Bezoek voorafgaand aan de werkhervatting",
            asap.add(vr.date),
            vr_law.sources["visit_before_return"],
            f"Gevraagd op {fmt(vr.date)}; 'zo snel mogelijk' (kader: {asap.label()}).{note}",
            done_on=h.date if h else None,
            ended=back_end,
        )

    # 5. The conversation within 2 months, and what follows from its outcome.
    informal_end = _earliest(back_end, formal_end)
    within = policy.term("conversation_within_months")
    due_c = within.add(start)
    first_conv = conversations[0] if conversations else None
    count_note = "" if start == facts.absence_start else " (nieuwe telling na een hervatting)"
    out.task(
        "conversation_2m",
        "Gesprek over stappen naar werk",
        due_c,
        f"{fw}, stap 3",
        f"Start afwezigheid {fmt(start)} + {within.label()}{count_note}.",
        done_on=first_conv.date if first_conv else None,
        ended=informal_end,
    )
    followup = policy.term("conversation_followup_days")
    nth = 0
    for i, c in enumerate(conversations):
        if c.outcome != "not_yet":
            continue
        nth += 1
        nxt = conversations[i + 1] if i + 1 < len(conversations) else None
        if c.next_date is not None:
            due_n, basis = c.next_date, f"volgende datum afgesproken op {fmt(c.next_date)}"
        else:
            due_n = followup.add(c.date)
            basis = f"+ {followup.label()}"
        out.task(
            _inst("conversation_next", nth),
            "Nieuw gesprek (stappen naar werk nog niet mogelijk)",
            due_n,
            f"{fw}, stap 3",
            f"Gesprek van {fmt(c.date)}: nog niet mogelijk; {basis}.",
            done_on=nxt.date if nxt else None,
            ended=informal_end,
        )
    agreements = get("agreements", _NO_EVENTS)
    step_plans = get("step_plan", _NO_EVENTS)
    sp = policy.term("step_plan_within_months")
    seen_outcomes: set[str] = set()
    inschatting = None
    for c in conversations:
        if c.outcome not in ("possible", "attention") or c.outcome in seen_outcomes:
            continue
        seen_outcomes.add(c.outcome)
        if inschatting is None:
            inschatting = c
        due_s = sp.add(c.date)
        if c.outcome == "possible":
            done = _first_of((agreements, step_plans), c.date)
            out.task(
                "agreements_2m",
                "Afspraken over de re-integratie (leidinggevende en medewerker)",
                due_s,
                f"{fw}, stap 3",
                f"Gesprek van {fmt(c.date)}: stappen mogelijk zonder specifieke aandachtspunten; "
                f"+ {sp.label()}.",
                done_on=done.date if done else None,
                ended=informal_end,
            )
        else:
            done = _first_from(step_plans, c.date)
            out.task(
                "step_plan_2m",
                "Stappenplan voor werkhervatting (terugkeercoach)",
                due_s,
                f"{fw}, stap 3",
                f"Gesprek van {fmt(c.date)}: stappen mogelijk met specifieke aandachtspunten; "
                f"+ {sp.label()}.",
                done_on=done.date if done else None,
                ended=informal_end,
            )

    # 6. The omzendbrief's two triggers for a formal trajectory (signals).
    trig1 = policy.term("formal_trigger_no_conversation_months")
    t1 = trig1.add(start)
    if today > t1 and not (first_conv is not None and first_conv.date <= t1):
        if formal_here is None or formal_here.date > t1:
            late = _first_from(conversations, t1)
            out.signal(
                "formal_required_no_conversation",
                "Formeel re-integratietraject moet gestart worden (geen gesprek)",
                t1,
                f"{fw}, stap 4",
                f"Start afwezigheid {fmt(start)} + {trig1.label()} = {fmt(t1)} zonder "
                f"gesprek{count_note}.",
                done_on=formal_here.date if formal_here else None,
                na=back
                or (f"Alsnog gesprek gehouden op {fmt(late.date)}." if late is not None else None),
            )
    if inschatting is not None:
        trig2 = policy.term("formal_trigger_no_plan_months")
        t2 = trig2.add(inschatting.date)
        made = _first_of((agreements, step_plans), inschatting.date)
        if today > t2 and not (made is not None and made.date <= t2):
            fr = _first_from(formal_requests, inschatting.date)
            out.signal(
                "formal_required_no_plan",
                "Formeel re-integratietraject moet gestart worden (geen stappenplan of afspraken)",
                t2,
                f"{fw}, stap 4",
                f"Inschatting 'stappen mogelijk' op {fmt(inschatting.date)} + "
                f"{trig2.label()} = {fmt(t2)} zonder stappenplan of afspraken.",
                done_on=fr.date if fr else None,
                na=back
                or (
                    f"Alsnog stappenplan of afspraken op {fmt(made.date)}."
                    if made is not None
                    else None
                ),
            )

    # 7. When the employer may start a formal trajectory (by the law on that day).
    certificates = get("definitive_unfitness_certificate", _NO_EVENTS)
    consents = get("early_start_consent", _NO_EVENTS)
    found = [r for r in wp_results if r.result == "found"]

    def employer_may_from(on: date, rlaw: LawVersion) -> tuple[date | None, str]:
        options: list[tuple[date, str]] = []
        ch = None
        for c in chains:
            if c[0] <= on and (c[1] is None or c[1] >= on):
                ch = c
                break
        months = rlaw.employer_start_after_months
        transitional = False
        if ch is not None and months is None and ch[0] < rlaw.effective_from:
            # An incapacity from before RIT 3.0 had no 8-week estimate: it keeps the 3 months
            # of RIT 2.0 (Terugkeer's reading of the transition; docs/rules.md).
            months, transitional = RIT20.employer_start_after_months, True
        if ch is not None and months:
            d3 = add_months(ch[0], months)
            note = f"; overgang: arbeidsongeschikt sinds vóór {fmt(rlaw.effective_from)}"
            options.append(
                (
                    d3,
                    f"{months} maanden ononderbroken arbeidsongeschikt sinds {fmt(ch[0])}"
                    + (note if transitional else ""),
                )
            )
        if rlaw.employer_start_definitive_unfitness:
            e = certificates[0] if certificates and certificates[0].date <= on else None
            if e is not None:
                options.append((e.date, f"attest definitieve ongeschiktheid van {fmt(e.date)}"))
        if rlaw.early_start_with_consent:
            e = consents[0] if consents and consents[0].date <= on else None
            if e is not None and e.date >= rlaw.effective_from:
                options.append((e.date, f"akkoord van de medewerker op {fmt(e.date)}"))
        if rlaw.employer_start_after_work_potential and ch is not None:
            e = _first_from(found, ch[0])
            if e is not None and e.date <= on:
                options.append((e.date, f"arbeidspotentieel vastgesteld op {fmt(e.date)}"))
        if not options:
            if rlaw.employer_start_after_months is None:
                return None, (
                    "nog geen akkoord van de medewerker, geen vastgesteld arbeidspotentieel en "
                    "geen attest van definitieve ongeschiktheid"
                )
            return None, "geen ononderbroken arbeidsongeschiktheid"
        return min(options)

    if first_formal is None and absent_now:
        today_law = law_on(today, law)
        may, basis = employer_may_from(today, today_law)
        if may is not None and may <= today:
            out.signal(
                "employer_may_start_formal",
                "Werkgever mag een formeel re-integratietraject aanvragen",
                may,
                today_law.sources["formal_start"],
                f"Vanaf {fmt(may)}: {basis} ({today_law.code} volgens de datum van vandaag "
                f"{fmt(today)}; eerste dag arbeidsongeschiktheid {fmt(t_start)}).",
            )

    # 8. Formal trajectories: one cycle per request, each under the law on its request date.
    running = False
    cycle_data = _CycleData(
        invitations=get("invitation", _NO_EVENTS),
        assessments=get("assessment", _NO_EVENTS),
        appeals=get("appeal", _NO_EVENTS),
        appeal_outcomes=get("appeal_outcome", _NO_EVENTS),
        plans=get("plan", _NO_EVENTS),
        reports=get("motivated_report", _NO_EVENTS),
        answers=get("employee_answer", _NO_EVENTS),
        contacts=contacts,
        c_followups=(get("conversation", _NO_EVENTS), get("follow_up", _NO_EVENTS)),
        formal_requests=formal_requests,
    )
    for n, req in enumerate(formal_requests, 1):
        nxt_req = formal_requests[n] if n < len(formal_requests) else None
        hi = nxt_req.date if nxt_req is not None else None
        before = out.closed
        if nxt_req is not None:
            out.closed = _earliest(
                before, (nxt_req.date, f"vervangen door een nieuw verzoek op {fmt(nxt_req.date)}.")
            )
        rlaw = law_on(req.date, law)
        finished = _formal_cycle(
            out, n, req, hi, rlaw, policy, employer_may_from, cycle_data, t_start
        )
        out.closed = before
        if nxt_req is None:
            running = not finished

    # 9. Return to work: follow-up conversations (each return and its own follow-ups).
    returns = get("return_to_work", _NO_EVENTS)
    follow_ups = get("follow_up", _NO_EVENTS)
    period_starts = [s for s, _e in periods]
    for n, r in enumerate(returns, 1):
        hi = returns[n].date if n < len(returns) else None
        mine = _between(follow_ups, r.date, hi)
        k = bisect_right(period_starts, r.date)
        relapse_on = period_starts[k] if k < len(period_starts) else None
        for j, days in enumerate(policy.follow_up_after_return_days):
            due_f = add_days(r.date, days)
            done = mine[j] if j < len(mine) else None
            na = None
            if relapse_on is not None and relapse_on <= due_f:
                na = f"Herval op {fmt(relapse_on)}."
            out.task(
                _inst(f"follow_up_{j + 1}", n),
                f"Opvolggesprek {j + 1} na werkhervatting",
                due_f,
                f"{fw}, stap 5",
                f"Werkhervatting op {fmt(r.date)} + {days} dagen.",
                done_on=done.date if done else None,
                na=na,
            )

    # 10. Relapse: a new absence soon after a return.
    nth = 0
    all_conversations = get("conversation", _NO_EVENTS)
    for (_s0, e0), (s1, _e1) in zip(periods, periods[1:], strict=False):
        if e0 is None or s1 < facts.absence_start:  # older history: not ours
            continue
        back_on = e0 + _DAY
        if s1 <= window.add(back_on):
            nth += 1
            conv = _first_from(all_conversations, s1)
            out.signal(
                _inst("relapse", nth),
                "Herval na werkhervatting: traject opnieuw bekijken",
                s1,
                f"{fw}, stap 5",
                f"Werk hervat op {fmt(back_on)}, opnieuw afwezig vanaf {fmt(s1)} "
                f"({(s1 - back_on).days} dagen later; venster {window.label()}).",
                done_on=conv.date if conv else None,
            )

    # 11. Medical force majeure (contract staff only, no formal trajectory running).
    if facts.statute == "contractueel" and absent_now and not running:
        fm_law = law_on(cur[0], law)
        fm = add_months(cur[0], fm_law.force_majeure_months)
        if today >= fm:
            out.signal(
                "medical_force_majeure_possible",
                "Medische overmacht mogelijk (procedure)",
                fm,
                fm_law.sources["force_majeure"],
                f"Ononderbroken arbeidsongeschikt sinds {fmt(cur[0])} + "
                f"{fm_law.force_majeure_months} maanden = {fmt(fm)}; contractueel; geen formeel "
                f"traject lopend ({fm_law.code}: eerste dag arbeidsongeschiktheid).",
            )

    # 12. Solidarity contribution (from 2026, by the incapacity's first day).
    _solidarity(out, facts, law_on(t_start, law), t_start, t_end, today)


def _solidarity(
    out: _Out, facts: Facts, law: LawVersion, t_start: date, t_end: date | None, today: date
) -> None:
    workers = law.solidarity_min_workers
    if workers is None or facts.statute != "contractueel" or facts.employer_size < workers:
        return
    day31 = add_days(t_start, 30)
    if today < day31 or (t_end is not None and t_end < day31):
        return
    lo_age, hi_age = law.solidarity_ages
    age = facts.employee_age
    if age is not None and not (lo_age <= age <= hi_age):
        return
    until = add_months(t_start, 3) - _DAY
    age_note = (
        f"leeftijd {age}"
        if age is not None
        else f"leeftijd niet gekend: enkel voor {lo_age} tot {hi_age} jaar"
    )
    na = None
    if t_end is not None and t_end < today:
        na = f"Werk hervat op {fmt(t_end + _DAY)}."
    elif today > until:
        na = f"Tweede en derde maand voorbij op {fmt(until)}."
    out.signal(
        "solidarity_contribution",
        "Solidariteitsbijdrage arbeidsongeschiktheid (maand 2 en 3)",
        day31,
        law.sources["solidarity"],
        f"Arbeidsongeschikt sinds {fmt(t_start)}: dag 31 op {fmt(day31)}, tot {fmt(until)}; "
        f"contractueel; werkgever met {facts.employer_size} werknemers; {age_note} "
        f"({law.code}: eerste dag arbeidsongeschiktheid).",
        na=na,
    )


class _CycleData:
    __slots__ = (
        "invitations",
        "assessments",
        "appeals",
        "appeal_outcomes",
        "plans",
        "reports",
        "answers",
        "contacts",
        "c_followups",
        "formal_requests",
    )

    def __init__(self, **kw: object) -> None:
        for k, v in kw.items():
            setattr(self, k, v)


def _formal_cycle(
    out: _Out,
    n: int,
    req: Event,
    hi: date | None,
    law: LawVersion,
    policy: Policy,
    employer_may_from,
    d: _CycleData,
    t_start: date | None,
) -> bool:
    """Obligations of one formal trajectory; returns whether it is finished."""
    src = law.sources
    # The transitional rule: the request's date picks the law; both dates go in the "why".
    dates = f"{law.code} volgens de datum van het verzoek {fmt(req.date)}"
    if t_start is not None:
        dates += f"; eerste dag arbeidsongeschiktheid {fmt(t_start)}"
    if req.by == "employer":
        may, basis = employer_may_from(req.date, law)
        if may is None or req.date < may:
            out.signal(
                _inst("formal_request_premature", n),
                "Verzoek van de werkgever te vroeg",
                req.date,
                src["formal_start"],
                f"Verzoek van {fmt(req.date)}; werkgever mag pas vanaf "
                f"{fmt(may) if may else '-'} ({basis}; {dates}).",
            )

    # Ignored invitations: law.ignored_invitations, at least N days apart, end the trajectory.
    ended_on = None
    count = 0
    last = None
    for inv in _between(d.invitations, req.date, hi):
        if inv.attended is False:
            if last is None or (inv.date - last).days >= law.invitations_min_gap_days:
                count += 1
                last = inv.date
                if count >= law.ignored_invitations:
                    ended_on = inv.date
                    break
    if ended_on is not None:
        out.signal(
            _inst("formal_ended_no_show", n),
            "Formeel traject beëindigd: uitnodigingen niet beantwoord",
            ended_on,
            src["invitations"],
            f"{law.ignored_invitations} uitnodigingen zonder gevolg, telkens minstens "
            f"{law.invitations_min_gap_days} dagen uit elkaar; laatste op {fmt(ended_on)}.",
        )
    no_show = f"Traject beëindigd op {fmt(ended_on)} (uitnodigingen)." if ended_on else None

    a = _first_from(d.assessments, req.date, hi)
    due_a = add_days(req.date, law.assessment_days)
    out.task(
        _inst("assessment", n),
        "Re-integratiebeoordeling door de arbeidsarts",
        due_a,
        src["assessment"],
        f"Verzoek ontvangen op {fmt(req.date)} + {law.assessment_days} kalenderdagen ({dates}).",
        done_on=a.date if a else None,
        na=no_show,
    )
    if a is None:
        return ended_on is not None

    decision = a.decision
    if decision not in ("A", "B", "C"):
        return False
    plan_from = a.date
    plan_basis = f"beslissing {decision} ontvangen op {fmt(a.date)}"
    plan_due: date | None = None
    suspended = False
    if decision == "B":
        ap = _first_from(d.appeals, a.date, hi)
        due_ap = add_days(a.date, law.appeal_days)
        late = ap is not None and ap.date > due_ap
        why_ap = f"Beslissing B ontvangen op {fmt(a.date)} + {law.appeal_days} kalenderdagen."
        if late:
            out.signal(
                _inst("appeal_inadmissible", n),
                "Beroep laattijdig: onontvankelijk",
                ap.date,
                src["appeal"],
                f"Beroep ingesteld op {fmt(ap.date)}, na het einde van de beroepstermijn "
                f"({fmt(due_ap)}): onontvankelijk; de termijn voor het plan loopt door.",
            )
        out.signal(
            _inst("appeal_period", n),
            "Beroepstermijn tegen beslissing B",
            due_ap,
            src["appeal"],
            why_ap,
            done_on=ap.date if ap is not None and not late else None,
            na=(
                f"Geen tijdig beroep ingesteld (beroep van {fmt(ap.date)} is laattijdig)."
                if late
                else ("Geen beroep ingesteld." if ap is None and out.today > due_ap else None)
            ),
        )
        if ap is not None and not late:
            outcome = _first_from(d.appeal_outcomes, ap.date, hi)
            out.task(
                _inst("appeal_decision", n),
                "Beslissing in beroep",
                add_days(ap.date, law.appeal_decision_days),
                src["appeal_decision"],
                f"Beroep ingesteld op {fmt(ap.date)} + {law.appeal_decision_days} kalenderdagen.",
                done_on=outcome.date if outcome else None,
            )
            if outcome is None:
                suspended = True
            else:
                decision = outcome.decision or "B"
                plan_from = outcome.date
                plan_basis = f"uitspraak in beroep ({decision}) op {fmt(outcome.date)}"
        else:
            plan_from = due_ap
            plan_basis = f"einde beroepstermijn {fmt(due_ap)} (beslissing B van {fmt(a.date)})"

    if decision == "C":
        out.signal(
            _inst("decision_c", n),
            "Beslissing C: geen re-integratieplan; opvolging en herbeoordeling",
            a.date,
            src["decision_c"],
            f"Beslissing C ontvangen op {fmt(a.date)}: beoordeling (nog) niet mogelijk.",
        )
        reassess = policy.term("reassessment_after_c_months")
        due_r = reassess.add(plan_from)
        nxt = _first_of(d.c_followups + (d.formal_requests,), plan_from + _DAY)
        out.task(
            _inst("reassessment_after_c", n),
            "Opvolging na beslissing C (nieuwe inschatting)",
            due_r,
            f"{src['decision_c']}; {policy.framework}",
            f"{plan_basis} + {reassess.label()}.",
            done_on=nxt.date if nxt else None,
        )
        return True

    if decision == "A":
        code, title = "plan_after_a", "Re-integratieplan (na beslissing A)"
        if not suspended:
            plan_due = add_days(plan_from, law.plan_after_A_days)
            why = f"{plan_basis} + {law.plan_after_A_days} kalenderdagen."
        source = src["plan_after_a"]
    else:
        code, title = "plan_after_b", "Re-integratieplan (na beslissing B)"
        if not suspended:
            plan_due = add_months(plan_from, law.plan_after_B_months)
            why = f"{plan_basis} + {law.plan_after_B_months} maanden."
        source = src["plan_after_b"]
    if suspended:
        why = f"Beslissing B van {fmt(a.date)}: termijn opgeschort door het beroep."
    p = _first_of((d.plans, d.reports), a.date, hi)
    out.task(
        _inst(code, n),
        title,
        plan_due,
        source,
        why + " Of een gemotiveerd verslag.",
        done_on=p.date if p else None,
    )
    if p is None:
        return False
    if p.type == "motivated_report":
        return True
    ans = _first_from(d.answers, p.date, hi)
    due_ans = add_days(p.date, law.answer_days)
    asap = policy.term("asap_days")
    # No answer within the term: the employer contacts the employee; no answer again counts as
    # a refusal (Codex art. I.4-75 since the KB of 11 September 2022), which ends the trajectory
    # (art. I.4-76) and so opens the way to medical force majeure (art. 34 of the law of 1978).
    on_time = ans is not None and ans.date <= due_ans
    reminder = None if on_time else _first_from(d.contacts, due_ans + _DAY, hi)
    limit = asap.add(reminder.date) if reminder is not None else None
    deemed_on = None
    if not on_time and ans is not None and limit is not None and ans.date > limit:
        ans = None  # answered after it already counted as a refusal
    if not on_time and ans is None and limit is not None and out.today > limit:
        deemed_on = limit + _DAY
    out.task(
        _inst("employee_answer", n),
        "Antwoord van de medewerker op het re-integratieplan",
        due_ans,
        src["employee_answer"],
        f"Plan bezorgd op {fmt(p.date)} + {law.answer_days} kalenderdagen.",
        done_on=ans.date if ans is not None else None,
        ended=(due_ans + _DAY, "termijn verstreken zonder antwoord.")
        if out.today > due_ans
        else None,
    )
    if not on_time and out.today > due_ans:
        out.task(
            _inst("plan_answer_reminder", n),
            "Medewerker contacteren: geen antwoord op het re-integratieplan",
            asap.add(due_ans),
            src["plan_no_answer"],
            f"Geen antwoord binnen {law.answer_days} kalenderdagen na {fmt(p.date)} (termijn tot "
            f"{fmt(due_ans)}); de werkgever neemt contact op, 'zo snel mogelijk' (kader: "
            f"{asap.label()}).",
            done_on=reminder.date if reminder else (ans.date if ans is not None else None),
        )
    if deemed_on is not None:
        out.signal(
            _inst("plan_refused", n),
            "Re-integratieplan geweigerd (geen antwoord)",
            deemed_on,
            f"{src['plan_no_answer']}; {src['trajectory_ended']}",
            f"Geen antwoord op het plan van {fmt(p.date)}, ook niet binnen {asap.label()} na het "
            "contact van de werkgever: geldt als weigering; het traject is beëindigd "
            "(medische overmacht kan daarna onderzocht worden).",
        )
        return True
    if ans is not None and ans.accepted is False:
        reason = REFUSAL_REASONS.get(ans.reason or "", "geen reden opgegeven")
        out.signal(
            _inst("plan_refused", n),
            "Re-integratieplan geweigerd",
            ans.date,
            f"{src['employee_answer']}; {src['trajectory_ended']}",
            f"Geweigerd op {fmt(ans.date)} ({reason}); het traject is beëindigd.",
        )
    return ans is not None
