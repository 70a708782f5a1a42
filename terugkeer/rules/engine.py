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
from .i18n import _, current_gettext, gettext_noop
from .law import LAW_VERSIONS, RIT20, LawVersion, UnknownLawVersion, law_for, law_on
from .obligation import DONE, DUE_SOON, MISSED, NOT_APPLICABLE, OPEN, OVERDUE, Obligation
from .policy import Policy

_by_date = attrgetter("date")
_new = tuple.__new__  # Obligation is a named tuple: built without its __new__'s argument parsing
_NO_EVENTS: list[Event] = []
_DAY = timedelta(days=1)
_FOLLOW_UPS = tuple(f"follow_up_{j}" for j in range(1, 10))

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


# What a text argument becomes when the texts are not built (``evaluate(..., texts=False)``):
# truthy like every real text, so that ``back or ...`` and ``na is not None`` decide the same.
_X = "\u2026"


class _Out:
    """Collects obligations and derives their status.

    ``texts``: build titles, sources and "why" lines. Without them (codes, due dates and
    statuses only) every text argument is the placeholder ``_X`` and the obligations carry
    empty texts; the rules and the statuses are the same code either way.
    """

    __slots__ = ("today", "soon", "shift", "closed", "items", "texts", "gettext")

    def __init__(self, today: date, policy: Policy, texts: bool = True) -> None:
        self.today = today
        self.soon = policy.due_soon_days
        self.shift = policy.shift_to_working_day
        self.closed: End = None  # (closure date, why): everything not done ends
        self.items: list[Obligation] = []
        self.texts = texts
        # The translator, looked up once per evaluation: every function of the rules binds it
        # to a local ``_`` (the catalogue tools still find ``_("...")``).
        self.gettext = current_gettext()

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
        closed = self.closed
        if closed is not None and (ended is None or closed[0] <= ended[0]):
            ended = closed
        if done_on is not None:
            status = DONE
        elif missable and ended is not None and due is not None and due < ended[0]:
            status = MISSED
            if self.texts:
                why = self.gettext("{why} Niet gedaan voor {due}; {ended_1}").format(
                    why=why, due=fmt(due), ended_1=ended[1]
                )
        elif ended is not None:
            status = NOT_APPLICABLE
            if self.texts:
                why = f"{why} {ended[1][0].upper()}{ended[1][1:]}"
        elif na is not None:
            status = NOT_APPLICABLE
            if self.texts:
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
        if self.texts:
            self.items.append(
                _new(Obligation, (code, title, due, status, source, why, done_on, False))
            )
        else:
            self.items.append(_new(Obligation, (code, "", due, status, "", "", done_on, False)))

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
            if self.texts:
                why = f"{why} {self.closed[1][0].upper()}{self.closed[1][1:]}"
        elif na is not None:
            status = NOT_APPLICABLE
            if self.texts:
                why = f"{why} {na}"
        else:
            status = OPEN
        if self.texts:
            self.items.append(
                _new(Obligation, (code, title, since, status, source, why, done_on, True))
            )
        else:
            self.items.append(_new(Obligation, (code, "", since, status, "", "", done_on, True)))


def evaluate(
    facts: Facts, policy: Policy | None = None, today: date | None = None, *, texts: bool = True
) -> list:
    """All obligations and signals of one trajectory on ``today``.

    ``texts=False``: the same obligations (code, due, status, done_on, signal) with empty
    title, source and "why", about twice as fast; for a caller that shows no text (the portal's
    answer term). ``tests/rules`` and ``bench/rules_fingerprint.py`` check that both paths agree.
    """
    if policy is None:
        policy = Policy.default(facts.organisation_kind)
    if today is None:
        today = today_in_belgium()
    try:
        law = law_for(facts.trajectory_start)
    except UnknownLawVersion:
        return [_before_first_law(facts.trajectory_start)]
    out = _Out(today, policy, texts)
    T = texts
    _ = out.gettext

    start = facts.absence_start
    lo = start if (start is not None and facts.kind == "reactive") else None
    ev: dict[str, list[Event]] = {}
    ignored: list[Event] = []
    events = sorted(facts.events, key=_by_date)
    if events and events[-1].date > today:  # planned ahead: not yet
        del events[bisect_right(events, today, key=_by_date) :]
    if lo is not None and events and events[0].date < lo:
        # Events before the absence do not count, except the employee's contact wishes.
        cut = bisect_left(events, lo, key=_by_date)
        before = events[:cut]
        ignored = [e for e in before if e.type != "contact_wishes"]
        events = [e for e in before if e.type == "contact_wishes"] + events[cut:]
    for e in events:
        lst = ev.get(e.type)
        if lst is None:
            ev[e.type] = [e]
        else:
            lst.append(e)

    closures = ev.get("closure")
    if closures:
        c = closures[0]
        if T:
            label = _(CLOSURE_OUTCOMES.get(c.outcome or "", gettext_noop("afgesloten")))
            out.closed = (
                c.date,
                _("traject afgesloten op {c_date} ({label}).").format(
                    c_date=fmt(c.date), label=label
                ),
            )
        else:
            out.closed = (c.date, _X)

    if ignored:
        if T:
            kinds = sorted({_(EVENT_TYPES[e.type]) for e in ignored})
            out.signal(
                "events_before_absence",
                _("Gebeurtenissen vóór de start van de afwezigheid niet meegeteld"),
                ignored[0].date,
                _("Terugkeer: een traject na ziekte telt vanaf de eerste dag afwezigheid"),
                (
                    _(
                        "{count} gebeurtenis(sen) vóór {start} ({kinds}) tellen "
                        "niet mee voor dit traject."
                    ).format(count=len(ignored), start=fmt(start), kinds="; ".join(kinds))
                ),
                na=_("Ter informatie."),
            )
        else:
            out.signal("events_before_absence", _X, ignored[0].date, _X, _X, na=_X)

    if "smt_action" in ev:
        _smt_actions(out, ev)
    if "preventive_request" in ev or facts.kind == "preventive":
        _preventive(out, ev, law, policy)
    if start is not None and start <= today:
        _reactive(out, facts, ev, law, policy, today)
    return out.items


# --------------------------------------------------------------------------- SMT advice


def _smt_actions(out: _Out, ev: dict) -> None:
    """Each action of an SMT advice with a due date is a task (docs/smt.md). The action and its
    completion carry the same reference in ``reason``; ``by`` is the action's owner."""
    done: dict[str, date] = {}
    for e in ev.get("smt_action_done", _NO_EVENTS):
        if e.reason:
            done.setdefault(e.reason, e.date)
    T = out.texts
    _ = out.gettext
    for n, action in enumerate(ev["smt_action"], 1):
        if not T:
            out.task(
                _inst("smt_action", n),
                _X,
                action.next_date,
                _X,
                _X,
                done_on=done.get(action.reason) if action.reason else None,
                missable=False,
            )
            continue
        title = (
            _("Actie uit advies SMT ({owner})").format(owner=action.by)
            if action.by
            else _("Actie uit advies SMT")
        )
        out.task(
            _inst("smt_action", n),
            title,
            action.next_date,
            _("advies SMT van {day}").format(day=fmt(action.date)),
            (
                _("Het Sociaal Medisch Team gaf deze actie mee, uit te voeren tegen {day}.").format(
                    day=fmt(action.next_date)
                )
                if action.next_date
                else _("Het Sociaal Medisch Team gaf deze actie mee.")
            ),
            done_on=done.get(action.reason) if action.reason else None,
            missable=False,
        )


def _before_first_law(started: date) -> Obligation:
    """A trajectory that started before the first law version Terugkeer knows (RIT 2.0, 1
    October 2022), e.g. a relapse of an incapacity of 2022 registered later or imported: the
    rules of 2016 that applied then are not in the registry, so no term is computed, and the
    trajectory gets this one signal instead of stopping the page or the daily run."""
    first = LAW_VERSIONS[0]
    return Obligation(
        "law_not_covered",
        _("Geen wettelijke termijnen: traject gestart voor RIT 2.0"),
        started,
        NOT_APPLICABLE,
        _("{law}: in voege vanaf {day}").format(law=_(first.title), day=fmt(first.effective_from)),
        _(
            "Traject gestart op {start}, voor {day}; Terugkeer kent de regels van voor die datum "
            "niet en berekent voor dit traject geen termijnen."
        ).format(start=fmt(started), day=fmt(first.effective_from)),
        None,
        True,
    )


# --------------------------------------------------------------------------- preventive


def _preventive(out: _Out, ev: dict, law: LawVersion, policy: Policy) -> None:
    answers = ev.get("preventive_answer", _NO_EVENTS)
    asap = policy.term("asap_days")
    T = out.texts
    _ = out.gettext
    for n, req in enumerate(ev.get("preventive_request", _NO_EVENTS), 1):
        code = _inst("preventive_answer", n)
        # Transitional rule: the request's own date decides (a new right since RIT 3.0).
        req_law = law_on(req.date, law)
        if not T:
            ans = _first_from(answers, req.date)
            if not req_law.preventive_request:
                out.task(code, _X, None, _X, _X, na=_X)
            else:
                out.task(code, _X, asap.add(req.date), _X, _X, done_on=ans.date if ans else None)
            continue
        title = _("Antwoord op het preventief verzoek")
        if not req_law.preventive_request:
            out.task(
                code,
                title,
                None,
                _("Codex welzijn op het werk (RIT 2.0)"),
                _("Preventief verzoek van {req_date}.").format(req_date=fmt(req.date)),
                na=(
                    _(
                        "Het preventief verzoek bestaat pas vanaf RIT 3.0 (1 januari 2026); "
                        "dit verzoek valt onder {req_law_code}."
                    ).format(req_law_code=req_law.name)
                ),
            )
            continue
        due = asap.add(req.date)
        ans = _first_from(answers, req.date)
        out.task(
            code,
            title,
            due,
            req_law.sources["preventive"],
            (
                _(
                    "Preventief verzoek ontvangen op {req_date}; 'zo snel mogelijk' "
                    "antwoorden (kader: {asap_label})."
                ).format(req_date=fmt(req.date), asap_label=asap.label())
            ),
            done_on=ans.date if ans else None,
        )


# --------------------------------------------------------------------------- reactive


def _period_order(period: tuple[date, date | None]) -> tuple:
    start, end = period
    return (start, end is None, end or start)


def _periods(facts: Facts, ev: dict, today: date) -> list[tuple[date, date | None]]:
    if facts.absences:
        # By start, then end; no end (still absent) sorts last: two absences starting the same
        # day, one without an end, used to stop the evaluation on comparing a date with None.
        return sorted(
            ((a.start, a.end) for a in facts.absences if a.start <= today), key=_period_order
        )
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
    T = out.texts
    _ = out.gettext
    fw = _(policy.framework) if T else _X
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
    if absent_now:
        back = back_end = None
    elif T:
        back = _("Werk hervat op {returned_on}.").format(returned_on=fmt(returned_on))
        back_end = (
            returned_on,
            _("werk hervat op {returned_on}.").format(returned_on=fmt(returned_on)),
        )
    else:
        back, back_end = _X, (returned_on, _X)

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
    inc_note = (
        _("{law_inc_code}: eerste dag arbeidsongeschiktheid {t_start}").format(
            law_inc_code=law_inc.name, t_start=fmt(t_start)
        )
        if T
        else _X
    )

    def reaches(mark: date) -> bool:
        """The incapacity lasts until ``mark`` (inclusive of the day before): or has no end."""
        return open_ended or covered_until + _DAY >= mark

    conversations = _between(get("conversation", _NO_EVENTS), start, None)
    formal_requests = get("formal_request", _NO_EVENTS)
    first_formal = formal_requests[0] if formal_requests else None
    formal_here = _first_from(formal_requests, start)
    formal_end: End = (
        (
            formal_here.date,
            _("formeel re-integratietraject gevraagd op {formal_here_date}.").format(
                formal_here_date=fmt(formal_here.date)
            )
            if T
            else _X,
        )
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
    if T:
        contact_source = _("{fw}, stap 1 (contact)").format(fw=fw)
        if law_inc.contact_procedure:
            contact_source += "; " + law_inc.sources["contact"]
    else:
        contact_source = _X
    if pause and not T:
        out.task("contact", _X, None, _X, _X, na=_X)
    elif pause:
        out.task(
            "contact",
            _("Contact houden met de afwezige medewerker"),
            None,
            contact_source,
            _("Contact volgens de wensen van de medewerker."),
            na=_("De medewerker vroeg een pauze in het contact (volledige ontkoppeling)."),
        )
    elif not T:
        base = last_start
        if wish_events and wish_events[-1].date > base:
            base = wish_events[-1].date
        if contacts and contacts[-1].date >= base:
            base = contacts[-1].date
        due_contact = (
            add_days(base, frequency)
            if frequency
            else policy.term("contact_interval_days").add(base)
        )
        out.task("contact", _X, due_contact, _X, _X, na=back, missable=False)
    else:
        if frequency:
            next_after, interval_label = (
                lambda d: add_days(d, frequency),
                _("{frequency} dagen").format(frequency=frequency),
            )
        else:
            term = policy.term("contact_interval_days")
            next_after, interval_label = term.add, term.label()
        base = last_start
        basis = _("start afwezigheid {last_start}").format(last_start=fmt(last_start))
        if wish_events and wish_events[-1].date > base:
            base = wish_events[-1].date
            basis = _("contactwensen gewijzigd op {base}").format(base=fmt(base))
        if contacts and contacts[-1].date >= base:
            base = contacts[-1].date
            basis = _("laatste contact {base}").format(base=fmt(base))
        wish = _("wens van de medewerker") if frequency else _("contactprocedure")
        out.task(
            "contact",
            _("Contact houden met de afwezige medewerker"),
            next_after(base),
            contact_source,
            _("Volgend contact: {basis} + {interval_label} ({wish}).").format(
                basis=basis, interval_label=interval_label, wish=wish
            ),
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
            _("Namen doorgeven aan de externe preventiedienst (4 weken)") if T else _X,
            due4,
            _("{source}; {fw}, stap 2").format(source=law_inc.sources["four_week_list"], fw=fw)
            if T
            else _X,
            (
                _(
                    "Arbeidsongeschikt sinds {t_start}: {four_label} bereikt op {due4}{end_note}."
                ).format(
                    t_start=fmt(t_start),
                    four_label=four.label(),
                    due4=fmt(due4),
                    end_note="" if t_end is not None else _(" (einde afwezigheid niet gekend)"),
                )
                if T
                else _X
            ),
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
            (
                seen.date,
                _("de arbeidsarts zag de medewerker op {seen_date}.").format(
                    seen_date=fmt(seen.date)
                )
                if T
                else _X,
            )
            if seen
            else None
        )
        out.task(
            "physician_information",
            _("Arbeidsarts informeert de medewerker over de re-integratiemogelijkheden")
            if T
            else _X,
            asap.add(base),
            _("{source}; {fw}, stap 2").format(
                source=law_inc.sources["physician_information"], fw=fw
            )
            if T
            else _X,
            (
                _("{what} op {base}; 'zo snel mogelijk' (kader: {asap_label}).").format(
                    what=_("Namen doorgegeven") if fl else _("4 weken bereikt"),
                    base=fmt(base),
                    asap_label=asap.label(),
                )
                if T
                else _X
            ),
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
            if wreq is None and skip is not None and not T:
                na8 = _X
            elif wreq is None and skip is not None:
                reason = _(
                    WORK_POTENTIAL_NOT_NEEDED_REASONS.get(skip.reason or "", skip.reason or "")
                )
                na8 = _("Niet nodig volgens de terugkeercoach op {skip_date}: {reason}.").format(
                    skip_date=fmt(skip.date), reason=reason
                )
            out.task(
                "work_potential_request",
                _("Inschatting arbeidspotentieel vragen aan de arbeidsarts (8 weken)") if T else _X,
                due8,
                law_inc.sources["work_potential"]
                + ("; " + law_inc.sources["work_potential_not_needed"] if na8 else "")
                if T
                else _X,
                (
                    _(
                        "Arbeidsongeschikt sinds {t_start}: {weeks} "
                        "weken bereikt op {due8} ({inc_note})."
                    ).format(
                        t_start=fmt(t_start),
                        weeks=law_inc.work_potential_weeks,
                        due8=fmt(due8),
                        inc_note=inc_note,
                    )
                    if T
                    else _X
                ),
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
                _("Inschatting arbeidspotentieel door de arbeidsarts") if T else _X,
                due_res,
                law_inc.sources["work_potential"],
                (
                    _(
                        "Gevraagd op {wreq_date}; geen wettelijke termijn gevonden, kader: "
                        "{term_label}."
                    ).format(
                        wreq_date=fmt(wreq.date),
                        term_label=asap.label()
                        if not term
                        else _("{term} dagen").format(term=term),
                    )
                    if T
                    else _X
                ),
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
                    (
                        _(
                            "Arbeidspotentieel vastgesteld: bezoek voor werkhervatting of formeel "
                            "traject mogelijk"
                        )
                        if T
                        else _X
                    ),
                    res.date,
                    law_inc.sources["work_potential"],
                    _("Arbeidspotentieel vastgesteld op {res_date}.").format(res_date=fmt(res.date))
                    if T
                    else _X,
                    done_on=follow.date if follow else None,
                    na=back,
                )
                months = law_inc.formal_request_deadline_months
                if months and facts.employer_size >= law_inc.formal_request_deadline_min_workers:
                    due6 = add_months(t_start, months)
                    fr = _first_from(formal_requests, t_start)
                    out.task(
                        "formal_request_deadline",
                        _(
                            "Formeel re-integratietraject aanvragen (uiterlijk {months} maanden)"
                        ).format(months=months)
                        if T
                        else _X,
                        due6,
                        law_inc.sources["formal_request_deadline"],
                        (
                            _(
                                "Arbeidspotentieel vastgesteld op {res_date}; werkgever met "
                                "{employer_size} werknemers; arbeidsongeschikt sinds "
                                "{t_start} + "
                                "{months} maanden."
                            ).format(
                                res_date=fmt(res.date),
                                employer_size=facts.employer_size,
                                t_start=fmt(t_start),
                                months=months,
                            )
                            if T
                            else _X
                        ),
                        done_on=fr.date if fr else None,
                        ended=back_end,
                    )

    # 4. Visit before return to work: "as soon as possible".
    held = get("visit_before_return_held", _NO_EVENTS)
    for n, vr in enumerate(get("visit_before_return_requested", _NO_EVENTS), 1):
        h = _first_from(held, vr.date)
        vr_law = law_on(vr.date, law)
        if not T:
            out.task(
                _inst("visit_before_return", n),
                _X,
                asap.add(vr.date),
                _X,
                _X,
                done_on=h.date if h else None,
                ended=back_end,
            )
            continue
        note = ""
        if vr.by == "employer" and not vr_law.employer_may_request_visit:
            note = _(" Onder {vr_law_code} kan enkel de medewerker dit bezoek vragen.").format(
                vr_law_code=vr_law.name
            )
        out.task(
            _inst("visit_before_return", n),
            _("Bezoek voorafgaand aan de werkhervatting"),
            asap.add(vr.date),
            vr_law.sources["visit_before_return"],
            _("Gevraagd op {vr_date}; 'zo snel mogelijk' (kader: {asap_label}).{note}").format(
                vr_date=fmt(vr.date), asap_label=asap.label(), note=note
            ),
            done_on=h.date if h else None,
            ended=back_end,
        )

    # 5. The conversation within 2 months, and what follows from its outcome.
    informal_end = _earliest(back_end, formal_end)
    within = policy.term("conversation_within_months")
    due_c = within.add(start)
    first_conv = conversations[0] if conversations else None
    count_note = (
        "" if start == facts.absence_start or not T else _(" (nieuwe telling na een hervatting)")
    )
    step3 = _("{fw}, stap 3").format(fw=fw) if T else _X
    out.task(
        "conversation_2m",
        _("Gesprek over stappen naar werk") if T else _X,
        due_c,
        step3,
        _("Start afwezigheid {start} + {within_label}{count_note}.").format(
            start=fmt(start), within_label=within.label(), count_note=count_note
        )
        if T
        else _X,
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
        if not T:
            out.task(
                _inst("conversation_next", nth),
                _X,
                c.next_date if c.next_date is not None else followup.add(c.date),
                _X,
                _X,
                done_on=nxt.date if nxt else None,
                ended=informal_end,
            )
            continue
        if c.next_date is not None:
            due_n, basis = (
                c.next_date,
                _("volgende datum afgesproken op {c_next_date}").format(
                    c_next_date=fmt(c.next_date)
                ),
            )
        else:
            due_n = followup.add(c.date)
            basis = f"+ {followup.label()}"
        out.task(
            _inst("conversation_next", nth),
            _("Nieuw gesprek (stappen naar werk nog niet mogelijk)"),
            due_n,
            step3,
            _("Gesprek van {c_date}: nog niet mogelijk; {basis}.").format(
                c_date=fmt(c.date), basis=basis
            ),
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
                _("Afspraken over de re-integratie (leidinggevende en medewerker)") if T else _X,
                due_s,
                step3,
                (
                    _(
                        "Gesprek van {c_date}: stappen mogelijk zonder specifieke "
                        "aandachtspunten; + {sp_label}."
                    ).format(c_date=fmt(c.date), sp_label=sp.label())
                    if T
                    else _X
                ),
                done_on=done.date if done else None,
                ended=informal_end,
            )
        else:
            done = _first_from(step_plans, c.date)
            out.task(
                "step_plan_2m",
                _("Stappenplan voor werkhervatting (terugkeercoach)") if T else _X,
                due_s,
                step3,
                (
                    _(
                        "Gesprek van {c_date}: stappen mogelijk met specifieke "
                        "aandachtspunten; + {sp_label}."
                    ).format(c_date=fmt(c.date), sp_label=sp.label())
                    if T
                    else _X
                ),
                done_on=done.date if done else None,
                ended=informal_end,
            )

    # 6. The omzendbrief's two triggers for a formal trajectory (signals).
    trig1 = policy.term("formal_trigger_no_conversation_months")
    t1 = trig1.add(start)
    if today > t1 and not (first_conv is not None and first_conv.date <= t1):
        if formal_here is None or formal_here.date > t1:
            late = _first_from(conversations, t1)
            if not T:
                out.signal(
                    "formal_required_no_conversation",
                    _X,
                    t1,
                    _X,
                    _X,
                    done_on=formal_here.date if formal_here else None,
                    na=back or (_X if late is not None else None),
                )
            else:
                out.signal(
                    "formal_required_no_conversation",
                    _("Formeel re-integratietraject moet gestart worden (geen gesprek)"),
                    t1,
                    _("{fw}, stap 4").format(fw=fw),
                    (
                        _(
                            "Start afwezigheid {start} + {trig1_label} = {t1} zonder "
                            "gesprek{count_note}."
                        ).format(
                            start=fmt(start),
                            trig1_label=trig1.label(),
                            t1=fmt(t1),
                            count_note=count_note,
                        )
                    ),
                    done_on=formal_here.date if formal_here else None,
                    na=back
                    or (
                        _("Alsnog gesprek gehouden op {late_date}.").format(
                            late_date=fmt(late.date)
                        )
                        if late is not None
                        else None
                    ),
                )
    if inschatting is not None:
        trig2 = policy.term("formal_trigger_no_plan_months")
        t2 = trig2.add(inschatting.date)
        made = _first_of((agreements, step_plans), inschatting.date)
        if today > t2 and not (made is not None and made.date <= t2):
            fr = _first_from(formal_requests, inschatting.date)
            if not T:
                out.signal(
                    "formal_required_no_plan",
                    _X,
                    t2,
                    _X,
                    _X,
                    done_on=fr.date if fr else None,
                    na=back or (_X if made is not None else None),
                )
            else:
                out.signal(
                    "formal_required_no_plan",
                    _(
                        "Formeel re-integratietraject moet gestart worden (geen stappenplan of "
                        "afspraken)"
                    ),
                    t2,
                    _("{fw}, stap 4").format(fw=fw),
                    (
                        _(
                            "Inschatting 'stappen mogelijk' op {assessed_on} + {trig2_label} "
                            "= {t2} zonder stappenplan of afspraken."
                        ).format(
                            assessed_on=fmt(inschatting.date),
                            trig2_label=trig2.label(),
                            t2=fmt(t2),
                        )
                    ),
                    done_on=fr.date if fr else None,
                    na=back
                    or (
                        _("Alsnog stappenplan of afspraken op {made_date}.").format(
                            made_date=fmt(made.date)
                        )
                        if made is not None
                        else None
                    ),
                )

    # 7. When the employer may start a formal trajectory (by the law on that day).
    certificates = get("definitive_unfitness_certificate", _NO_EVENTS)
    consents = get("early_start_consent", _NO_EVENTS)

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
        if ch is not None and months and not T:
            options.append((add_months(ch[0], months), _X))
        elif ch is not None and months:
            d3 = add_months(ch[0], months)
            note = _("; overgang: arbeidsongeschikt sinds vóór {effective_from}").format(
                effective_from=fmt(rlaw.effective_from)
            )
            options.append(
                (
                    d3,
                    _("{months} maanden ononderbroken arbeidsongeschikt sinds {ch_0}").format(
                        months=months, ch_0=fmt(ch[0])
                    )
                    + (note if transitional else ""),
                )
            )
        if rlaw.employer_start_definitive_unfitness:
            e = certificates[0] if certificates and certificates[0].date <= on else None
            if e is not None:
                options.append(
                    (
                        e.date,
                        _("attest definitieve ongeschiktheid van {e_date}").format(
                            e_date=fmt(e.date)
                        )
                        if T
                        else _X,
                    )
                )
        if rlaw.early_start_with_consent:
            e = consents[0] if consents and consents[0].date <= on else None
            if e is not None and e.date >= rlaw.effective_from:
                options.append(
                    (
                        e.date,
                        _("akkoord van de medewerker op {e_date}").format(e_date=fmt(e.date))
                        if T
                        else _X,
                    )
                )
        if rlaw.employer_start_after_work_potential and ch is not None:
            # The first work-potential result "found" from the incapacity's first day.
            e = None
            for r in _between(wp_results, ch[0], None):
                if r.result == "found":
                    e = r
                    break
            if e is not None and e.date <= on:
                options.append(
                    (
                        e.date,
                        _("arbeidspotentieel vastgesteld op {e_date}").format(e_date=fmt(e.date))
                        if T
                        else _X,
                    )
                )
        if not options:
            if not T:
                return None, _X
            if rlaw.employer_start_after_months is None:
                return None, (
                    _(
                        "nog geen akkoord van de medewerker, geen vastgesteld "
                        "arbeidspotentieel en geen attest van definitieve ongeschiktheid"
                    )
                )
            return None, _("geen ononderbroken arbeidsongeschiktheid")
        return min(options)

    if first_formal is None and absent_now:
        today_law = law_on(today, law)
        may, basis = employer_may_from(today, today_law)
        if may is not None and may <= today and not T:
            out.signal("employer_may_start_formal", _X, may, _X, _X)
        elif may is not None and may <= today:
            out.signal(
                "employer_may_start_formal",
                _("Werkgever mag een formeel re-integratietraject aanvragen"),
                may,
                today_law.sources["formal_start"],
                (
                    _(
                        "Vanaf {may}: {basis} ({today_law_code} volgens de datum van vandaag "
                        "{today}; eerste dag arbeidsongeschiktheid {t_start})."
                    ).format(
                        may=fmt(may),
                        basis=basis,
                        today_law_code=today_law.name,
                        today=fmt(today),
                        t_start=fmt(t_start),
                    )
                ),
            )

    # 8. Formal trajectories: one cycle per request, each under the law on its request date.
    running = False
    cycle_data = (
        _CycleData(
            get("invitation", _NO_EVENTS),
            get("assessment", _NO_EVENTS),
            get("appeal", _NO_EVENTS),
            get("appeal_outcome", _NO_EVENTS),
            get("plan", _NO_EVENTS),
            get("motivated_report", _NO_EVENTS),
            get("employee_answer", _NO_EVENTS),
            contacts,
            (get("conversation", _NO_EVENTS), get("follow_up", _NO_EVENTS)),
            formal_requests,
        )
        if formal_requests
        else None
    )
    for n, req in enumerate(formal_requests, 1):
        nxt_req = formal_requests[n] if n < len(formal_requests) else None
        hi = nxt_req.date if nxt_req is not None else None
        before = out.closed
        if nxt_req is not None:
            out.closed = _earliest(
                before,
                (
                    nxt_req.date,
                    _("vervangen door een nieuw verzoek op {nxt_req_date}.").format(
                        nxt_req_date=fmt(nxt_req.date)
                    )
                    if T
                    else _X,
                ),
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
    period_starts = [s for s, _e in periods] if returns else None
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
                na = _("Herval op {relapse_on}.").format(relapse_on=fmt(relapse_on)) if T else _X
            if not T:
                out.task(
                    _inst(_FOLLOW_UPS[j] if j < 9 else f"follow_up_{j + 1}", n),
                    _X,
                    due_f,
                    _X,
                    _X,
                    done_on=done.date if done else None,
                    na=na,
                )
                continue
            out.task(
                _inst(_FOLLOW_UPS[j] if j < 9 else f"follow_up_{j + 1}", n),
                _("Opvolggesprek {j_1} na werkhervatting").format(j_1=j + 1),
                due_f,
                _("{fw}, stap 5").format(fw=fw),
                _("Werkhervatting op {r_date} + {days} dagen.").format(
                    r_date=fmt(r.date), days=days
                ),
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
            if not T:
                out.signal(
                    _inst("relapse", nth), _X, s1, _X, _X, done_on=conv.date if conv else None
                )
                continue
            out.signal(
                _inst("relapse", nth),
                _("Herval na werkhervatting: traject opnieuw bekijken"),
                s1,
                _("{fw}, stap 5").format(fw=fw),
                (
                    _(
                        "Werk hervat op {back_on}, opnieuw afwezig vanaf {s1} "
                        "({days} dagen later; venster {window_label})."
                    ).format(
                        back_on=fmt(back_on),
                        s1=fmt(s1),
                        days=(s1 - back_on).days,
                        window_label=window.label(),
                    )
                ),
                done_on=conv.date if conv else None,
            )

    # 11. Medical force majeure (contract staff only, no formal trajectory running).
    if facts.statute == "contractueel" and absent_now and not running:
        fm_law = law_on(cur[0], law)
        fm = add_months(cur[0], fm_law.force_majeure_months)
        if today >= fm and not T:
            out.signal("medical_force_majeure_possible", _X, fm, _X, _X)
        elif today >= fm:
            out.signal(
                "medical_force_majeure_possible",
                _("Medische overmacht mogelijk (procedure)"),
                fm,
                fm_law.sources["force_majeure"],
                (
                    _(
                        "Ononderbroken arbeidsongeschikt sinds {cur_0} + "
                        "{months} maanden = {fm}; contractueel; geen "
                        "formeel traject lopend ({fm_law_code}: eerste dag "
                        "arbeidsongeschiktheid)."
                    ).format(
                        cur_0=fmt(cur[0]),
                        months=fm_law.force_majeure_months,
                        fm=fmt(fm),
                        fm_law_code=fm_law.name,
                    )
                ),
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
    _ = out.gettext
    if not out.texts:
        na = _X if (t_end is not None and t_end < today) or today > until else None
        out.signal("solidarity_contribution", _X, day31, _X, _X, na=na)
        return
    age_note = (
        _("leeftijd {age}").format(age=age)
        if age is not None
        else _("leeftijd niet gekend: enkel voor {lo_age} tot {hi_age} jaar").format(
            lo_age=lo_age, hi_age=hi_age
        )
    )
    na = None
    if t_end is not None and t_end < today:
        na = _("Werk hervat op {returned}.").format(returned=fmt(t_end + _DAY))
    elif today > until:
        na = _("Tweede en derde maand voorbij op {until}.").format(until=fmt(until))
    out.signal(
        "solidarity_contribution",
        _("Solidariteitsbijdrage arbeidsongeschiktheid (maand 2 en 3)"),
        day31,
        law.sources["solidarity"],
        (
            _(
                "Arbeidsongeschikt sinds {t_start}: dag 31 op {day31}, tot {until}; "
                "contractueel; werkgever met {employer_size} werknemers; "
                "{age_note} ({law_code}: eerste dag arbeidsongeschiktheid)."
            ).format(
                t_start=fmt(t_start),
                day31=fmt(day31),
                until=fmt(until),
                employer_size=facts.employer_size,
                age_note=age_note,
                law_code=law.name,
            )
        ),
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

    def __init__(
        self,
        invitations,
        assessments,
        appeals,
        appeal_outcomes,
        plans,
        reports,
        answers,
        contacts,
        c_followups,
        formal_requests,
    ) -> None:
        self.invitations = invitations
        self.assessments = assessments
        self.appeals = appeals
        self.appeal_outcomes = appeal_outcomes
        self.plans = plans
        self.reports = reports
        self.answers = answers
        self.contacts = contacts
        self.c_followups = c_followups
        self.formal_requests = formal_requests


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
    T = out.texts
    _ = out.gettext
    if not T:
        return _formal_cycle_codes(out, n, req, hi, law, policy, employer_may_from, d)
    # The transitional rule: the request's date picks the law; both dates go in the "why".
    dates = _("{law_code} volgens de datum van het verzoek {req_date}").format(
        law_code=law.name, req_date=fmt(req.date)
    )
    if t_start is not None:
        dates += _("; eerste dag arbeidsongeschiktheid {t_start}").format(t_start=fmt(t_start))
    if req.by == "employer":
        may, basis = employer_may_from(req.date, law)
        if may is None or req.date < may:
            out.signal(
                _inst("formal_request_premature", n),
                _("Verzoek van de werkgever te vroeg"),
                req.date,
                src["formal_start"],
                (
                    _(
                        "Verzoek van {req_date}; werkgever mag pas vanaf {may} ({basis}; {dates})."
                    ).format(req_date=fmt(req.date), may=fmt(may), basis=basis, dates=dates)
                    if may is not None
                    else _(
                        "Verzoek van {req_date}; de werkgever kan nog geen formeel traject "
                        "vragen ({basis}; {dates})."
                    ).format(req_date=fmt(req.date), basis=basis, dates=dates)
                ),
            )

    # Ignored invitations: law.ignored_invitations, at least N days apart, end the trajectory.
    ended_on = _ended_by_ignored_invitations(d.invitations, req.date, hi, law)
    if ended_on is not None:
        out.signal(
            _inst("formal_ended_no_show", n),
            _("Formeel traject beëindigd: uitnodigingen niet beantwoord"),
            ended_on,
            src["invitations"],
            (
                _(
                    "{invitations} uitnodigingen zonder gevolg, telkens "
                    "minstens {gap_days} dagen uit elkaar; laatste op "
                    "{ended_on}."
                ).format(
                    invitations=law.ignored_invitations,
                    gap_days=law.invitations_min_gap_days,
                    ended_on=fmt(ended_on),
                )
            ),
        )
    no_show = (
        _("Traject beëindigd op {ended_on} (uitnodigingen).").format(ended_on=fmt(ended_on))
        if ended_on
        else None
    )

    a = _first_from(d.assessments, req.date, hi)
    due_a = add_days(req.date, law.assessment_days)
    out.task(
        _inst("assessment", n),
        _("Re-integratiebeoordeling door de arbeidsarts"),
        due_a,
        src["assessment"],
        _("Verzoek ontvangen op {req_date} + {days} kalenderdagen ({dates}).").format(
            req_date=fmt(req.date), days=law.assessment_days, dates=dates
        ),
        done_on=a.date if a else None,
        na=no_show,
    )
    if a is None:
        return ended_on is not None

    decision = a.decision
    if decision not in ("A", "B", "C"):
        return False
    plan_from = a.date
    plan_basis = _("beslissing {decision} ontvangen op {a_date}").format(
        decision=decision, a_date=fmt(a.date)
    )
    plan_due: date | None = None
    suspended = False
    if decision == "B":
        ap = _first_from(d.appeals, a.date, hi)
        due_ap = add_days(a.date, law.appeal_days)
        late = ap is not None and ap.date > due_ap
        why_ap = _("Beslissing B ontvangen op {a_date} + {days} kalenderdagen.").format(
            a_date=fmt(a.date), days=law.appeal_days
        )
        if late:
            out.signal(
                _inst("appeal_inadmissible", n),
                _("Beroep laattijdig: onontvankelijk"),
                ap.date,
                src["appeal"],
                (
                    _(
                        "Beroep ingesteld op {ap_date}, na het einde van de beroepstermijn "
                        "({due_ap}): onontvankelijk; de termijn voor het plan loopt door."
                    ).format(ap_date=fmt(ap.date), due_ap=fmt(due_ap))
                ),
            )
        out.signal(
            _inst("appeal_period", n),
            _("Beroepstermijn tegen beslissing B"),
            due_ap,
            src["appeal"],
            why_ap,
            done_on=ap.date if ap is not None and not late else None,
            na=(
                _("Geen tijdig beroep ingesteld (beroep van {ap_date} is laattijdig).").format(
                    ap_date=fmt(ap.date)
                )
                if late
                else (_("Geen beroep ingesteld.") if ap is None and out.today > due_ap else None)
            ),
        )
        if ap is not None and not late:
            outcome = _first_from(d.appeal_outcomes, ap.date, hi)
            out.task(
                _inst("appeal_decision", n),
                _("Beslissing in beroep"),
                add_days(ap.date, law.appeal_decision_days),
                src["appeal_decision"],
                _("Beroep ingesteld op {ap_date} + {days} kalenderdagen.").format(
                    ap_date=fmt(ap.date), days=law.appeal_decision_days
                ),
                done_on=outcome.date if outcome else None,
            )
            if outcome is None:
                suspended = True
            else:
                decision = outcome.decision or "B"
                plan_from = outcome.date
                plan_basis = _("uitspraak in beroep ({decision}) op {outcome_date}").format(
                    decision=decision, outcome_date=fmt(outcome.date)
                )
        else:
            plan_from = due_ap
            plan_basis = _("einde beroepstermijn {due_ap} (beslissing B van {a_date})").format(
                due_ap=fmt(due_ap), a_date=fmt(a.date)
            )

    if decision == "C":
        out.signal(
            _inst("decision_c", n),
            _("Beslissing C: geen re-integratieplan; opvolging en herbeoordeling"),
            a.date,
            src["decision_c"],
            _("Beslissing C ontvangen op {a_date}: beoordeling (nog) niet mogelijk.").format(
                a_date=fmt(a.date)
            ),
        )
        reassess = policy.term("reassessment_after_c_months")
        due_r = reassess.add(plan_from)
        nxt = _first_of(d.c_followups + (d.formal_requests,), plan_from + _DAY)
        out.task(
            _inst("reassessment_after_c", n),
            _("Opvolging na beslissing C (nieuwe inschatting)"),
            due_r,
            f"{src['decision_c']}; {_(policy.framework)}",
            f"{plan_basis} + {reassess.label()}.",
            done_on=nxt.date if nxt else None,
        )
        return True

    if decision == "A":
        code, title = "plan_after_a", _("Re-integratieplan (na beslissing A)")
        if not suspended:
            plan_due = add_days(plan_from, law.plan_after_A_days)
            why = _("{plan_basis} + {days} kalenderdagen.").format(
                plan_basis=plan_basis, days=law.plan_after_A_days
            )
        source = src["plan_after_a"]
    else:
        code, title = "plan_after_b", _("Re-integratieplan (na beslissing B)")
        if not suspended:
            plan_due = add_months(plan_from, law.plan_after_B_months)
            why = _("{plan_basis} + {months} maanden.").format(
                plan_basis=plan_basis, months=law.plan_after_B_months
            )
        source = src["plan_after_b"]
    if suspended:
        why = _("Beslissing B van {a_date}: termijn opgeschort door het beroep.").format(
            a_date=fmt(a.date)
        )
    p = _first_of((d.plans, d.reports), a.date, hi)
    out.task(
        _inst(code, n),
        title,
        plan_due,
        source,
        why + _(" Of een gemotiveerd verslag."),
        done_on=p.date if p else None,
    )
    if p is None:
        return False
    if p.type == "motivated_report":
        return True
    ans, due_ans, asap, on_time, reminder, deemed_on = _plan_answer(
        d, p, hi, law, policy, out.today
    )
    out.task(
        _inst("employee_answer", n),
        _("Antwoord van de medewerker op het re-integratieplan"),
        due_ans,
        src["employee_answer"],
        _("Plan bezorgd op {p_date} + {days} kalenderdagen.").format(
            p_date=fmt(p.date), days=law.answer_days
        ),
        done_on=ans.date if ans is not None else None,
        ended=(due_ans + _DAY, _("termijn verstreken zonder antwoord."))
        if out.today > due_ans
        else None,
    )
    if not on_time and out.today > due_ans:
        out.task(
            _inst("plan_answer_reminder", n),
            _("Medewerker contacteren: geen antwoord op het re-integratieplan"),
            asap.add(due_ans),
            src["plan_no_answer"],
            (
                _(
                    "Geen antwoord binnen {days} kalenderdagen na {p_date} "
                    "(termijn tot {due_ans}); de werkgever neemt contact op, 'zo snel "
                    "mogelijk' (kader: {asap_label})."
                ).format(
                    days=law.answer_days,
                    p_date=fmt(p.date),
                    due_ans=fmt(due_ans),
                    asap_label=asap.label(),
                )
            ),
            done_on=reminder.date if reminder else (ans.date if ans is not None else None),
        )
    if deemed_on is not None:
        out.signal(
            _inst("plan_refused", n),
            _("Re-integratieplan geweigerd (geen antwoord)"),
            deemed_on,
            f"{src['plan_no_answer']}; {src['trajectory_ended']}",
            (
                _(
                    "Geen antwoord op het plan van {p_date}, ook niet binnen {asap_label} "
                    "na het contact van de werkgever: geldt als weigering; het traject is "
                    "beëindigd (medische overmacht kan daarna onderzocht worden)."
                ).format(p_date=fmt(p.date), asap_label=asap.label())
            ),
        )
        return True
    if ans is not None and ans.accepted is False:
        reason = _(REFUSAL_REASONS.get(ans.reason or "", gettext_noop("geen reden opgegeven")))
        out.signal(
            _inst("plan_refused", n),
            _("Re-integratieplan geweigerd"),
            ans.date,
            f"{src['employee_answer']}; {src['trajectory_ended']}",
            _("Geweigerd op {ans_date} ({reason}); het traject is beëindigd.").format(
                ans_date=fmt(ans.date), reason=reason
            ),
        )
    return ans is not None


def _plan_answer(d, p: Event, hi: date | None, law: LawVersion, policy: Policy, today: date):
    """The employee's answer to the plan p, for both paths (with and without texts): the
    answer (None when there is none, or when it came after it already counted as a refusal),
    its due day, the "as soon as possible" term, whether it came on time, the employer's
    contact after the term, and the day the silence counts as a refusal (None if it does not).

    No answer within the term: the employer contacts the employee; no answer again counts as
    a refusal (Codex art. I.4-75 since the KB of 11 September 2022), which ends the trajectory
    (art. I.4-76) and so opens the way to medical force majeure (art. 34 of the law of 1978)."""
    ans = _first_from(d.answers, p.date, hi)
    due_ans = add_days(p.date, law.answer_days)
    asap = policy.term("asap_days")
    on_time = ans is not None and ans.date <= due_ans
    reminder = None if on_time else _first_from(d.contacts, due_ans + _DAY, hi)
    limit = asap.add(reminder.date) if reminder is not None else None
    deemed_on = None
    if not on_time and ans is not None and limit is not None and ans.date > limit:
        ans = None  # answered after it already counted as a refusal
    if not on_time and ans is None and limit is not None and today > limit:
        deemed_on = limit + _DAY
    return ans, due_ans, asap, on_time, reminder, deemed_on


def _ended_by_ignored_invitations(
    invitations: list[Event], since: date, hi: date | None, law
) -> date | None:
    """The day the formal trajectory ends because invitations were ignored: the
    law.ignored_invitations-th invitation without an answer, each at least
    law.invitations_min_gap_days after the previous one counted; None while that has not
    happened. One place for both paths (with and without texts)."""
    count = 0
    last = None
    for inv in _between(invitations, since, hi):
        if inv.attended is False and (
            last is None or (inv.date - last).days >= law.invitations_min_gap_days
        ):
            count += 1
            last = inv.date
            if count >= law.ignored_invitations:
                return inv.date
    return None


def _formal_cycle_codes(
    out: _Out,
    n: int,
    req: Event,
    hi: date | None,
    law: LawVersion,
    policy: Policy,
    employer_may_from,
    d: _CycleData,
) -> bool:
    """``_formal_cycle`` without texts (``evaluate(..., texts=False)``): the same obligations,
    dates and statuses, in the same order. Keep the two in step; bench/rules_fingerprint.py
    compares them on every evaluation."""
    if req.by == "employer":
        may, _basis = employer_may_from(req.date, law)
        if may is None or req.date < may:
            out.signal(_inst("formal_request_premature", n), _X, req.date, _X, _X)

    ended_on = _ended_by_ignored_invitations(d.invitations, req.date, hi, law)
    if ended_on is not None:
        out.signal(_inst("formal_ended_no_show", n), _X, ended_on, _X, _X)

    a = _first_from(d.assessments, req.date, hi)
    out.task(
        _inst("assessment", n),
        _X,
        add_days(req.date, law.assessment_days),
        _X,
        _X,
        done_on=a.date if a else None,
        na=_X if ended_on else None,
    )
    if a is None:
        return ended_on is not None

    decision = a.decision
    if decision not in ("A", "B", "C"):
        return False
    plan_from = a.date
    plan_due: date | None = None
    suspended = False
    if decision == "B":
        ap = _first_from(d.appeals, a.date, hi)
        due_ap = add_days(a.date, law.appeal_days)
        late = ap is not None and ap.date > due_ap
        if late:
            out.signal(_inst("appeal_inadmissible", n), _X, ap.date, _X, _X)
        out.signal(
            _inst("appeal_period", n),
            _X,
            due_ap,
            _X,
            _X,
            done_on=ap.date if ap is not None and not late else None,
            na=_X if late or (ap is None and out.today > due_ap) else None,
        )
        if ap is not None and not late:
            outcome = _first_from(d.appeal_outcomes, ap.date, hi)
            out.task(
                _inst("appeal_decision", n),
                _X,
                add_days(ap.date, law.appeal_decision_days),
                _X,
                _X,
                done_on=outcome.date if outcome else None,
            )
            if outcome is None:
                suspended = True
            else:
                decision = outcome.decision or "B"
                plan_from = outcome.date
        else:
            plan_from = due_ap

    if decision == "C":
        out.signal(_inst("decision_c", n), _X, a.date, _X, _X)
        nxt = _first_of(d.c_followups + (d.formal_requests,), plan_from + _DAY)
        out.task(
            _inst("reassessment_after_c", n),
            _X,
            policy.term("reassessment_after_c_months").add(plan_from),
            _X,
            _X,
            done_on=nxt.date if nxt else None,
        )
        return True

    if decision == "A":
        code = "plan_after_a"
        if not suspended:
            plan_due = add_days(plan_from, law.plan_after_A_days)
    else:
        code = "plan_after_b"
        if not suspended:
            plan_due = add_months(plan_from, law.plan_after_B_months)
    p = _first_of((d.plans, d.reports), a.date, hi)
    out.task(_inst(code, n), _X, plan_due, _X, _X, done_on=p.date if p else None)
    if p is None:
        return False
    if p.type == "motivated_report":
        return True
    ans, due_ans, asap, on_time, reminder, deemed_on = _plan_answer(
        d, p, hi, law, policy, out.today
    )
    out.task(
        _inst("employee_answer", n),
        _X,
        due_ans,
        _X,
        _X,
        done_on=ans.date if ans is not None else None,
        ended=(due_ans + _DAY, _X) if out.today > due_ans else None,
    )
    if not on_time and out.today > due_ans:
        out.task(
            _inst("plan_answer_reminder", n),
            _X,
            asap.add(due_ans),
            _X,
            _X,
            done_on=reminder.date if reminder else (ans.date if ans is not None else None),
        )
    if deemed_on is not None:
        out.signal(_inst("plan_refused", n), _X, deemed_on, _X, _X)
        return True
    if ans is not None and ans.accepted is False:
        out.signal(_inst("plan_refused", n), _X, ans.date, _X, _X)
    return ans is not None
