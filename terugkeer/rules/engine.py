"""The rules: facts + policy + day -> obligations.

Every deadline a page, a reminder or a report shows comes from here. The engine is pure: no
Django, no database, no clock (``today`` is an argument). Events dated after ``today`` are
ignored, so the same facts can be replayed day by day.

Codes of obligations that can occur more than once (a follow-up conversation after every
"not yet" conversation, a second formal trajectory, a second return to work...) get an instance
suffix from the second one on: ``conversation_next``, ``conversation_next.2``, ...
"""

from __future__ import annotations

from datetime import date, timedelta
from operator import attrgetter

from .calendar import add_days, add_months, fmt, next_working_day, today_in_belgium
from .facts import CLOSURE_OUTCOMES, REFUSAL_REASONS, Event, Facts
from .law import LawVersion, law_for
from .obligation import DONE, DUE_SOON, NOT_APPLICABLE, OPEN, OVERDUE, Obligation
from .policy import Policy

_by_date = attrgetter("date")
_NO_EVENTS: list[Event] = []


def _inst(code: str, n: int) -> str:
    return code if n == 1 else f"{code}.{n}"


def _first_from(events: list[Event], lo: date, hi: date | None = None) -> Event | None:
    """First event dated on or after ``lo`` (and before ``hi`` when given)."""
    for e in events:
        if e.date >= lo:
            if hi is not None and e.date >= hi:
                return None
            return e
    return None


def _first_of(lists: tuple[list[Event], ...], lo: date, hi: date | None = None) -> Event | None:
    best = None
    for events in lists:
        e = _first_from(events, lo, hi)
        if e is not None and (best is None or e.date < best.date):
            best = e
    return best


class _Out:
    """Collects obligations and derives their status."""

    __slots__ = ("today", "soon", "shift", "closed_why", "items")

    def __init__(self, today: date, policy: Policy) -> None:
        self.today = today
        self.soon = policy.due_soon_days
        self.shift = policy.shift_to_working_day
        self.closed_why: str | None = None
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
    ) -> None:
        if due is not None and self.shift:
            due = next_working_day(due)
        if done_on is not None:
            status = DONE
        elif self.closed_why is not None:
            status = NOT_APPLICABLE
            why = f"{why} {self.closed_why}"
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
        elif self.closed_why is not None:
            status = NOT_APPLICABLE
            why = f"{why} {self.closed_why}"
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
    law = law_for(facts.trajectory_start)
    out = _Out(today, policy)

    start = facts.absence_start
    lo = start if (start is not None and facts.kind == "reactive") else None
    ev: dict[str, list[Event]] = {}
    for e in sorted(facts.events, key=_by_date):
        if e.date > today:
            continue
        if lo is not None and e.date < lo and e.type != "contact_wishes":
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
        out.closed_why = f"Traject afgesloten op {fmt(c.date)} ({label})."

    if "preventive_request" in ev or facts.kind == "preventive":
        _preventive(out, ev, law, policy)
    if start is not None and start <= today:
        _reactive(out, facts, ev, law, policy, today)
    return out.items


# --------------------------------------------------------------------------- preventive


def _preventive(out: _Out, ev: dict, law: LawVersion, policy: Policy) -> None:
    answers = ev.get("preventive_answer", _NO_EVENTS)
    for n, req in enumerate(ev.get("preventive_request", _NO_EVENTS), 1):
        code = _inst("preventive_answer", n)
        title = "Antwoord op het preventief verzoek"
        if not law.preventive_request:
            out.task(
                code,
                title,
                None,
                "Codex welzijn op het werk (RIT 2.0)",
                f"Preventief verzoek van {fmt(req.date)}.",
                na="Het preventief verzoek bestaat pas vanaf RIT 3.0; dit traject volgt "
                f"{law.code}.",
            )
            continue
        due = add_days(req.date, policy.asap_days)
        ans = _first_from(answers, req.date)
        out.task(
            code,
            title,
            due,
            law.sources["preventive"],
            f"Preventief verzoek ontvangen op {fmt(req.date)}; 'zo snel mogelijk' antwoorden "
            f"(kader: {policy.asap_days} dagen).",
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
                periods.append((cur, e.date - timedelta(days=1)))
                cur = None
        elif cur is None:
            cur = e.date
    if cur is not None:
        periods.append((cur, None))
    return periods


def _chains(periods: list, grace: int) -> list[list]:
    """Uninterrupted incapacity: periods joined when the relapse falls within ``grace`` days."""
    chains: list[list] = []
    for s, e in periods:
        if chains:
            last = chains[-1]
            if last[1] is None or s <= last[1] + timedelta(days=grace):
                if last[1] is not None and (e is None or e > last[1]):
                    last[1] = e
                continue
        chains.append([s, e])
    return chains


def _reactive(
    out: _Out, facts: Facts, ev: dict, law: LawVersion, policy: Policy, today: date
) -> None:
    start: date = facts.absence_start  # type: ignore[assignment]
    fw = policy.framework
    get = ev.get
    periods = _periods(facts, ev, today)
    if not periods:
        periods = [(start, None)]
    chains = _chains(periods, law.relapse_grace_days)
    last_start, last_end = periods[-1]
    absent_now = last_end is None or last_end >= today
    returned_on = None if absent_now else last_end + timedelta(days=1)
    back = None if absent_now else f"Werk hervat op {fmt(returned_on)}."

    # The uninterrupted incapacity the trajectory started with, and the current one.
    traj = chains[0]
    for ch in chains:
        if ch[1] is None or ch[1] >= start:
            traj = ch
            break
    cur = chains[-1]
    t_start, t_end = traj
    covered_until = t_end if t_end is not None else today
    covered_days = (covered_until - t_start).days + 1

    conversations = get("conversation", _NO_EVENTS)
    formal_requests = get("formal_request", _NO_EVENTS)
    first_formal = formal_requests[0] if formal_requests else None
    process = covered_days >= policy.trajectory_threshold_days or any(
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
    if law.contact_procedure:
        contact_source += "; " + law.sources["contact"]
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
        interval = frequency or policy.contact_interval_days
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
            add_days(base, interval),
            contact_source,
            f"Volgend contact: {basis} + {interval} dagen ({wish}).",
            na=back,
        )

    if not process:
        return

    # 2. Four weeks: names to the external prevention service; physician informs the employee.
    fl = _first_from(get("four_week_list", _NO_EVENTS), t_start)
    if law.four_week_information and (covered_days >= policy.four_week_days or fl is not None):
        due4 = add_days(t_start, policy.four_week_days)
        out.task(
            "four_week_list",
            "Namen doorgeven aan de externe preventiedienst (4 weken)",
            due4,
            f"{law.sources['four_week_list']}; {fw}, stap 2",
            f"Arbeidsongeschikt sinds {fmt(t_start)}: 4 weken bereikt op {fmt(due4)}.",
            done_on=fl.date if fl else None,
            na=back,
        )
        if fl is not None or today >= due4:
            base = fl.date if fl else due4
            pi = _first_from(get("physician_information", _NO_EVENTS), t_start)
            out.task(
                "physician_information",
                "Arbeidsarts informeert de medewerker over de re-integratiemogelijkheden",
                add_days(base, policy.asap_days),
                f"{law.sources['physician_information']}; {fw}, stap 2",
                f"{'Namen doorgegeven' if fl else '4 weken bereikt'} op {fmt(base)}; 'zo snel "
                f"mogelijk' (kader: {policy.asap_days} dagen).",
                done_on=pi.date if pi else None,
                na=back,
            )

    # 3. Eight weeks (RIT 3.0): ask the occupational physician to estimate the work potential.
    if law.work_potential_weeks:
        wp_days = 7 * law.work_potential_weeks
        if covered_days >= wp_days:
            due8 = add_days(t_start, wp_days)
            wreq = _first_from(get("work_potential_request", _NO_EVENTS), t_start)
            na8 = back
            if wreq is None and first_formal is not None and first_formal.date <= due8:
                na8 = f"Formeel traject al gevraagd op {fmt(first_formal.date)}."
            out.task(
                "work_potential_request",
                "Inschatting arbeidspotentieel vragen aan de arbeidsarts (8 weken)",
                due8,
                law.sources["work_potential"],
                f"Arbeidsongeschikt sinds {fmt(t_start)}: {law.work_potential_weeks} weken "
                f"bereikt op {fmt(due8)}.",
                done_on=wreq.date if wreq else None,
                na=na8,
            )
            if wreq is not None:
                term = law.work_potential_estimate_days or policy.asap_days
                res = _first_from(get("work_potential_result", _NO_EVENTS), wreq.date)
                out.task(
                    "work_potential_result",
                    "Inschatting arbeidspotentieel door de arbeidsarts",
                    add_days(wreq.date, term),
                    law.sources["work_potential"],
                    f"Gevraagd op {fmt(wreq.date)}; geen wettelijke termijn gevonden, kader: "
                    f"{term} dagen.",
                    done_on=res.date if res else None,
                    na=back,
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
                        law.sources["work_potential"],
                        f"Arbeidspotentieel vastgesteld op {fmt(res.date)}.",
                        done_on=follow.date if follow else None,
                        na=back,
                    )
                    months = law.formal_request_deadline_months
                    if months and facts.employer_size >= law.formal_request_deadline_min_workers:
                        due6 = add_months(t_start, months)
                        fr = _first_from(formal_requests, t_start)
                        out.task(
                            "formal_request_deadline",
                            f"Formeel re-integratietraject aanvragen (uiterlijk {months} maanden)",
                            due6,
                            law.sources["formal_request_deadline"],
                            f"Arbeidspotentieel vastgesteld op {fmt(res.date)}; werkgever met "
                            f"{facts.employer_size} werknemers; arbeidsongeschikt sinds "
                            f"{fmt(t_start)} + {months} maanden.",
                            done_on=fr.date if fr else None,
                            na=back,
                        )

    # 4. Visit before return to work: "as soon as possible".
    held = get("visit_before_return_held", _NO_EVENTS)
    for n, vr in enumerate(get("visit_before_return_requested", _NO_EVENTS), 1):
        h = _first_from(held, vr.date)
        note = ""
        if vr.by == "employer" and not law.employer_may_request_visit:
            note = f" Onder {law.code} kan enkel de medewerker dit bezoek vragen."
        out.task(
            _inst("visit_before_return", n),
            "Bezoek voorafgaand aan de werkhervatting",
            add_days(vr.date, policy.asap_days),
            law.sources["visit_before_return"],
            f"Gevraagd op {fmt(vr.date)}; 'zo snel mogelijk' (kader: {policy.asap_days} "
            f"dagen).{note}",
            done_on=h.date if h else None,
            na=back,
        )

    # 5. The conversation within 2 months, and what follows from its outcome.
    months = policy.conversation_within_months
    due_c = add_months(start, months)
    first_conv = conversations[0] if conversations else None
    out.task(
        "conversation_2m",
        "Gesprek over stappen naar werk",
        due_c,
        f"{fw}, stap 3",
        f"Start afwezigheid {fmt(start)} + {months} maanden.",
        done_on=first_conv.date if first_conv else None,
        na=back,
    )
    nth = 0
    for i, c in enumerate(conversations):
        if c.outcome != "not_yet":
            continue
        nth += 1
        nxt = conversations[i + 1] if i + 1 < len(conversations) else None
        if c.next_date is not None:
            due_n, basis = c.next_date, f"volgende datum afgesproken op {fmt(c.next_date)}"
        else:
            due_n = add_days(c.date, policy.conversation_followup_days)
            basis = f"+ {policy.conversation_followup_days} dagen"
        out.task(
            _inst("conversation_next", nth),
            "Nieuw gesprek (stappen naar werk nog niet mogelijk)",
            due_n,
            f"{fw}, stap 3",
            f"Gesprek van {fmt(c.date)}: nog niet mogelijk; {basis}.",
            done_on=nxt.date if nxt else None,
            na=back,
        )
    agreements = get("agreements", _NO_EVENTS)
    step_plans = get("step_plan", _NO_EVENTS)
    sp_months = policy.step_plan_within_months
    seen: set[str] = set()
    inschatting = None
    for c in conversations:
        if c.outcome not in ("possible", "attention") or c.outcome in seen:
            continue
        seen.add(c.outcome)
        if inschatting is None:
            inschatting = c
        due_s = add_months(c.date, sp_months)
        if c.outcome == "possible":
            done = _first_of((agreements, step_plans), c.date)
            out.task(
                "agreements_2m",
                "Afspraken over de re-integratie (leidinggevende en medewerker)",
                due_s,
                f"{fw}, stap 3",
                f"Gesprek van {fmt(c.date)}: stappen mogelijk zonder specifieke aandachtspunten; "
                f"+ {sp_months} maanden.",
                done_on=done.date if done else None,
                na=back,
            )
        else:
            done = _first_from(step_plans, c.date)
            out.task(
                "step_plan_2m",
                "Stappenplan voor werkhervatting (terugkeercoach)",
                due_s,
                f"{fw}, stap 3",
                f"Gesprek van {fmt(c.date)}: stappen mogelijk met specifieke aandachtspunten; "
                f"+ {sp_months} maanden.",
                done_on=done.date if done else None,
                na=back,
            )

    # 6. The omzendbrief's two triggers for a formal trajectory (signals).
    t1 = add_months(start, policy.formal_trigger_no_conversation_months)
    if today > t1 and not (first_conv is not None and first_conv.date <= t1):
        if first_formal is None or first_formal.date > t1:
            late = _first_from(conversations, t1)
            out.signal(
                "formal_required_no_conversation",
                "Formeel re-integratietraject moet gestart worden (geen gesprek)",
                t1,
                f"{fw}, stap 4",
                f"Start afwezigheid {fmt(start)} + "
                f"{policy.formal_trigger_no_conversation_months} maanden = {fmt(t1)} zonder "
                "gesprek.",
                done_on=first_formal.date if first_formal else None,
                na=back
                or (f"Alsnog gesprek gehouden op {fmt(late.date)}." if late is not None else None),
            )
    if inschatting is not None:
        t2 = add_months(inschatting.date, policy.formal_trigger_no_plan_months)
        made = _first_of((agreements, step_plans), inschatting.date)
        if today > t2 and not (made is not None and made.date <= t2):
            fr = _first_from(formal_requests, inschatting.date)
            out.signal(
                "formal_required_no_plan",
                "Formeel re-integratietraject moet gestart worden (geen stappenplan of afspraken)",
                t2,
                f"{fw}, stap 4",
                f"Inschatting 'stappen mogelijk' op {fmt(inschatting.date)} + "
                f"{policy.formal_trigger_no_plan_months} maanden = {fmt(t2)} zonder stappenplan "
                "of afspraken.",
                done_on=fr.date if fr else None,
                na=back
                or (
                    f"Alsnog stappenplan of afspraken op {fmt(made.date)}."
                    if made is not None
                    else None
                ),
            )

    # 7. When the employer may start a formal trajectory.
    certificates = get("definitive_unfitness_certificate", _NO_EVENTS)
    consents = get("early_start_consent", _NO_EVENTS) if law.early_start_with_consent else []

    def employer_may_from(on: date) -> tuple[date | None, str]:
        options: list[tuple[date, str]] = []
        for ch in chains:
            if ch[0] <= on and (ch[1] is None or ch[1] >= on):
                d3 = add_months(ch[0], law.employer_start_after_months)
                options.append(
                    (
                        d3,
                        f"{law.employer_start_after_months} maanden ononderbroken "
                        f"arbeidsongeschikt sinds {fmt(ch[0])}",
                    )
                )
        for e in certificates:
            if e.date <= on:
                options.append((e.date, f"attest definitieve ongeschiktheid van {fmt(e.date)}"))
                break
        for e in consents:
            if e.date <= on:
                options.append((e.date, f"akkoord van de medewerker op {fmt(e.date)}"))
                break
        if not options:
            return None, "geen ononderbroken arbeidsongeschiktheid"
        return min(options)

    if first_formal is None and absent_now:
        may, basis = employer_may_from(today)
        if may is not None and may <= today:
            out.signal(
                "employer_may_start_formal",
                "Werkgever mag een formeel re-integratietraject aanvragen",
                may,
                law.sources["formal_start"],
                f"Vanaf {fmt(may)}: {basis} ({law.code}).",
            )

    # 8. Formal trajectories: one cycle per request.
    running = False
    invitations = get("invitation", _NO_EVENTS)
    assessments = get("assessment", _NO_EVENTS)
    appeals = get("appeal", _NO_EVENTS)
    appeal_outcomes = get("appeal_outcome", _NO_EVENTS)
    plans = get("plan", _NO_EVENTS)
    reports = get("motivated_report", _NO_EVENTS)
    answers = get("employee_answer", _NO_EVENTS)
    c_followups = (conversations, get("follow_up", _NO_EVENTS))
    for n, req in enumerate(formal_requests, 1):
        nxt_req = formal_requests[n] if n < len(formal_requests) else None
        hi = nxt_req.date if nxt_req is not None else None
        before = out.closed_why
        if nxt_req is not None and before is None:
            out.closed_why = f"Vervangen door een nieuw verzoek op {fmt(nxt_req.date)}."
        finished = _formal_cycle(
            out,
            n,
            req,
            hi,
            law,
            policy,
            employer_may_from,
            invitations,
            assessments,
            appeals,
            appeal_outcomes,
            plans,
            reports,
            answers,
            c_followups,
            formal_requests,
        )
        out.closed_why = before
        if nxt_req is None:
            running = not finished

    # 9. Return to work: follow-up conversations.
    returns = get("return_to_work", _NO_EVENTS)
    follow_ups = get("follow_up", _NO_EVENTS)
    for n, r in enumerate(returns, 1):
        hi = returns[n].date if n < len(returns) else None
        mine = [f for f in follow_ups if f.date >= r.date and (hi is None or f.date < hi)]
        relapse_on = None
        for s, _e in periods:
            if s > r.date:
                relapse_on = s
                break
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
    for (_s0, e0), (s1, _e1) in zip(periods, periods[1:], strict=False):
        if e0 is None or s1 < start:  # older history before this trajectory: not ours
            continue
        back_on = e0 + timedelta(days=1)
        if (s1 - back_on).days <= policy.relapse_window_days:
            nth += 1
            conv = _first_from(conversations, s1)
            out.signal(
                _inst("relapse", nth),
                "Herval na werkhervatting: traject opnieuw bekijken",
                s1,
                f"{fw}, stap 5",
                f"Werk hervat op {fmt(back_on)}, opnieuw afwezig vanaf {fmt(s1)} "
                f"({(s1 - back_on).days} dagen later; venster {policy.relapse_window_days} dagen).",
                done_on=conv.date if conv else None,
            )

    # 11. Medical force majeure (contract staff only, no formal trajectory running).
    if facts.statute == "contractueel" and absent_now and not running:
        fm = add_months(cur[0], law.force_majeure_months)
        if today >= fm:
            out.signal(
                "medical_force_majeure_possible",
                "Medische overmacht mogelijk (procedure)",
                fm,
                law.sources["force_majeure"],
                f"Ononderbroken arbeidsongeschikt sinds {fmt(cur[0])} + "
                f"{law.force_majeure_months} maanden = {fmt(fm)}; contractueel; geen formeel "
                f"traject lopend ({law.code}).",
            )


def _formal_cycle(
    out: _Out,
    n: int,
    req: Event,
    hi: date | None,
    law: LawVersion,
    policy: Policy,
    employer_may_from,
    invitations: list[Event],
    assessments: list[Event],
    appeals: list[Event],
    appeal_outcomes: list[Event],
    plans: list[Event],
    reports: list[Event],
    answers: list[Event],
    c_followups: tuple[list[Event], ...],
    formal_requests: list[Event],
) -> bool:
    """Obligations of one formal trajectory; returns whether it is finished."""
    src = law.sources
    if req.by == "employer":
        may, basis = employer_may_from(req.date)
        if may is None or req.date < may:
            out.signal(
                _inst("formal_request_premature", n),
                "Verzoek van de werkgever te vroeg",
                req.date,
                src["formal_start"],
                f"Verzoek van {fmt(req.date)}; werkgever mag pas vanaf "
                f"{fmt(may) if may else '-'} ({basis}; {law.code}).",
            )

    # Ignored invitations: law.ignored_invitations, at least N days apart, end the trajectory.
    ended_on = None
    count = 0
    last = None
    for inv in invitations:
        if inv.date < req.date or (hi is not None and inv.date >= hi):
            continue
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

    a = _first_from(assessments, req.date, hi)
    due_a = add_days(req.date, law.assessment_days)
    out.task(
        _inst("assessment", n),
        "Re-integratiebeoordeling door de arbeidsarts",
        due_a,
        src["assessment"],
        f"Verzoek ontvangen op {fmt(req.date)} + {law.assessment_days} kalenderdagen.",
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
        ap = _first_from(appeals, a.date, hi)
        due_ap = add_days(a.date, law.appeal_days)
        late = ""
        if ap is not None and ap.date > due_ap:
            late = f" Beroep van {fmt(ap.date)} is laattijdig."
        out.signal(
            _inst("appeal_period", n),
            "Beroepstermijn tegen beslissing B",
            due_ap,
            src["appeal"],
            f"Beslissing B ontvangen op {fmt(a.date)} + {law.appeal_days} kalenderdagen.{late}",
            done_on=ap.date if ap else None,
            na="Geen beroep ingesteld." if ap is None and out.today > due_ap else None,
        )
        if ap is not None:
            outcome = _first_from(appeal_outcomes, ap.date, hi)
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
        due_r = add_months(plan_from, policy.reassessment_after_c_months)
        nxt = _first_of(c_followups + (formal_requests,), plan_from + timedelta(days=1))
        out.task(
            _inst("reassessment_after_c", n),
            "Opvolging na beslissing C (nieuwe inschatting)",
            due_r,
            f"{src['decision_c']}; {policy.framework}",
            f"{plan_basis} + {policy.reassessment_after_c_months} maanden.",
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
    p = _first_of((plans, reports), a.date, hi)
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
    ans = _first_from(answers, p.date, hi)
    due_ans = add_days(p.date, law.answer_days)
    out.task(
        _inst("employee_answer", n),
        "Antwoord van de medewerker op het re-integratieplan",
        due_ans,
        src["employee_answer"],
        f"Plan bezorgd op {fmt(p.date)} + {law.answer_days} kalenderdagen; geen antwoord telt "
        "als weigering.",
        done_on=ans.date if ans else None,
    )
    if ans is not None and ans.accepted is False:
        reason = REFUSAL_REASONS.get(ans.reason or "", "geen reden opgegeven")
        out.signal(
            _inst("plan_refused", n),
            "Re-integratieplan geweigerd",
            ans.date,
            src["employee_answer"],
            f"Geweigerd op {fmt(ans.date)} ({reason}).",
        )
    return ans is not None
