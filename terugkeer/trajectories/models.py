"""Absences, trajectories, their events and plans.

Events are typed rows (the codes come from the rules engine's registry) with structured columns,
so that the yearly reports are plain queries. Nothing medical is stored: no field asks for a
diagnosis, cause or nature of the illness, and free-text notes are checked for medical words.
"""

import re

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terugkeer.rules import facts as rf


def _choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    # The engine's labels, translated when shown (trajectories.labels).
    from terugkeer.trajectories.labels import choices

    return choices(mapping)


# The longest free text a person may type in a note or a plan field (the forms say the same);
# short texts are CharFields with their own max_length.
TEXT_MAX = 2000


def long_text(label):
    return models.TextField(label, blank=True, validators=[MaxLengthValidator(TEXT_MAX)])


class Absence(models.Model):
    employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name=_("medewerker"),
    )
    entity = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("entiteit")
    )
    first_day = models.DateField(_("eerste dag"))
    expected_end = models.DateField(_("verwachte einddatum"), null=True, blank=True)
    end_day = models.DateField(_("laatste dag"), null=True, blank=True)
    trajectory = models.ForeignKey(
        "Trajectory",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="absences",
        verbose_name=_("traject"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_day"]
        verbose_name = _("afwezigheid")
        verbose_name_plural = _("afwezigheden")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_day__isnull=True) | Q(end_day__gte=F("first_day")),
                name="absence_end_after_start",
            ),
            models.UniqueConstraint(fields=["employee", "first_day"], name="absence_unique_start"),
        ]
        indexes = [
            models.Index(fields=["entity", "first_day"]),
            # The daily run's candidates (services.attach_candidate_ids): the absences without
            # a trajectory, a set that only grows, searched by end day and by employee.
            models.Index(
                fields=["end_day"], condition=Q(trajectory__isnull=True), name="absence_waiting_end"
            ),
            models.Index(
                fields=["employee"],
                condition=Q(trajectory__isnull=True),
                name="absence_waiting_employee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} vanaf {self.first_day:%d/%m/%Y}"


class Trajectory(models.Model):
    class Kind(models.TextChoices):
        REACTIVE = "reactive", _("na afwezigheid")
        PREVENTIVE = "preventive", _("preventief")

    class Lead(models.TextChoices):
        MANAGER = "manager", _("leidinggevende")
        COACH = "coach", _("terugkeercoach")

    class Phase(models.TextChoices):
        CONTACT = "contact", _("contact")
        CONVERSATION = "conversation", _("gesprek")
        PLAN = "plan", _("stappenplan")
        FORMAL = "formal", _("formeel traject")
        RETURN = "return", _("werkhervatting")
        FOLLOW_UP = "follow_up", _("opvolging")
        CLOSED = "closed", _("afgesloten")

    class Status(models.TextChoices):
        DONE = "done", _("gedaan")
        OPEN = "open", _("open")
        DUE_SOON = "due_soon", _("binnenkort")
        OVERDUE = "overdue", _("te laat")
        NOT_APPLICABLE = "not_applicable", _("niet van toepassing")

    employee = models.ForeignKey(
        "organisations.Employee",
        on_delete=models.CASCADE,
        related_name="trajectories",
        verbose_name=_("medewerker"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    entity = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("entiteit")
    )
    # The entity the employee works in *now* (Employee.entity), where `entity` above is the one
    # the trajectory happened in (kept for the reports). Access follows the employee's present
    # entity, so the coach's list filters on this copy with the partial index below instead of
    # joining every employee of the entity. Kept by the database itself, never written from
    # Python: triggers copy it on every insert of a trajectory, every change of its employee
    # and every move of an employee (trajectories/employee_entity.py).
    employee_entity = models.ForeignKey(
        "organisations.Unit",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.REACTIVE)
    is_formal = models.BooleanField(_("formeel traject"), default=False)
    formal_requested_by = models.CharField(
        _("formeel aangevraagd door"),
        max_length=12,
        blank=True,
        choices=_choices(rf.FORMAL_REQUESTERS),
    )
    absence_start = models.DateField(_("eerste dag afwezigheid"), null=True, blank=True)
    started_on = models.DateField(_("gestart op"))
    lead = models.CharField(_("trekker"), max_length=10, choices=Lead.choices, default=Lead.MANAGER)
    phase = models.CharField(_("fase"), max_length=14, choices=Phase.choices, default=Phase.CONTACT)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    closure_outcome = models.CharField(
        _("resultaat"), max_length=30, blank=True, choices=_choices(rf.CLOSURE_OUTCOMES)
    )
    relapse_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relapses",
        verbose_name=_("herval van"),
    )
    # The employee's contact wishes (latest), also kept as events for the history.
    contact_frequency_days = models.PositiveSmallIntegerField(
        _("contact om de zoveel dagen"), null=True, blank=True
    )
    contact_pause = models.BooleanField(_("geen contact gewenst (pauze)"), default=False)
    contact_channel = models.CharField(
        _("gewenste contactwijze"), max_length=10, blank=True, choices=_choices(rf.CONTACT_CHANNELS)
    )
    contact_by = models.CharField(_("contact bij voorkeur door"), max_length=100, blank=True)
    # Kept by the rules engine at every write and by the daily refresh, so lists sort in SQL.
    law_version = models.CharField(_("wetgeving"), max_length=12, blank=True)
    next_code = models.CharField(max_length=60, blank=True)
    next_title = models.CharField(_("volgende stap"), max_length=200, blank=True)
    next_due = models.DateField(_("uiterlijk"), null=True, blank=True)
    # Why the next step is due (the engine's Dutch line), shown on the coach's home list.
    next_why = models.CharField(_("waarom"), max_length=300, blank=True)
    next_status = models.CharField(max_length=16, blank=True, choices=Status.choices)
    # The caseload's order of the statuses (overdue, due soon, open, the rest), kept by the
    # database so that the list reads the open trajectories in index order and stops at a page.
    next_rank = models.GeneratedField(
        expression=models.Case(
            models.When(next_status="overdue", then=models.Value(0)),
            models.When(next_status="due_soon", then=models.Value(1)),
            models.When(next_status="open", then=models.Value(2)),
            default=models.Value(3),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    overdue_count = models.PositiveSmallIntegerField(default=0)
    # The roles with a task overdue or due soon, as ",role,role," (rules.attention_roles): each
    # role's attention count shows only what that role must do.
    attention_roles = models.CharField(max_length=120, blank=True, default="")
    refreshed_on = models.DateField(null=True, blank=True)
    # Milestones for the reports (docs/reports.md): the first event of each kind, kept by
    # services.milestones_refresh (called by trajectory_refresh and the bulk writers).
    first_contact_on = models.DateField(null=True, blank=True, editable=False)
    first_conversation_on = models.DateField(null=True, blank=True, editable=False)
    first_attention_on = models.DateField(null=True, blank=True, editable=False)
    step_plan_on = models.DateField(null=True, blank=True, editable=False)
    returned_on = models.DateField(null=True, blank=True, editable=False)
    formal_requested_on = models.DateField(null=True, blank=True, editable=False)
    # Optimistic locking: every write must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        indexes = [
            models.Index(fields=["entity", "closed_on", "next_due"]),
            models.Index(fields=["organisation", "started_on"]),
            models.Index(fields=["organisation", "closed_on"]),
            # The caseload and the counts: open trajectories of an organisation (or entity) by
            # status and due date, without the closed ones that pile up over the years.
            models.Index(
                fields=["organisation", "next_status", "next_due"],
                condition=Q(closed_on__isnull=True),
                name="trajectory_open_org_due",
            ),
            models.Index(
                fields=["entity", "next_status", "next_due"],
                condition=Q(closed_on__isnull=True),
                name="trajectory_open_entity_due",
            ),
            # The caseload in its own order (next_rank, next_due): organisation-wide, and of an
            # entity's present employees (employee_entity, access.trajectory_scope).
            models.Index(
                fields=["organisation", "next_rank", "next_due"],
                condition=Q(closed_on__isnull=True),
                name="trajectory_open_org_rank",
            ),
            models.Index(
                fields=["employee_entity", "next_rank", "next_due"],
                condition=Q(closed_on__isnull=True),
                name="trajectory_open_emp_entity",
            ),
            # A closed trajectory of an entity's employees (the list with the closed ones, the
            # scope check of one trajectory) also finds them by the employee's entity.
            models.Index(fields=["employee_entity"], name="trajectory_emp_entity"),
            # Covering: the reports' cohort (absences starting in the year, tables 7-8) is an
            # index-only scan rather than a pass over every trajectory.
            models.Index(
                fields=["organisation", "absence_start"],
                include=[
                    "kind",
                    "entity",
                    "first_contact_on",
                    "first_conversation_on",
                    "first_attention_on",
                    "step_plan_on",
                    "returned_on",
                ],
                name="trajectory_cohort_covering",
            ),
            # Covering: the formal trajectories of an organisation for the reports' formal
            # terms (joined with their cycle's events), index-only.
            models.Index(
                fields=["organisation", "formal_requested_on"],
                include=["id", "started_on", "closed_on"],
                condition=Q(formal_requested_on__isnull=False),
                name="trajectory_formal_covering",
            ),
            # The yearly report's pass over the trajectories (started, closed, formal, by whom,
            # outcome, per entity): an index-only scan of these few columns instead of the
            # table, whose rows carry the stored next step's texts (14 MB against 75 MB at
            # 200,000 trajectories; 0.165 s → 0.083 s, docs/performance.md).
            models.Index(
                fields=["organisation"],
                include=[
                    "entity",
                    "closure_outcome",
                    "formal_requested_by",
                    "started_on",
                    "closed_on",
                    "formal_requested_on",
                ],
                name="trajectory_report_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"Traject {self.pk} — {self.employee}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def law_label(self) -> str:
        """The law version as written in text ("RIT 3.0"); the stored code has no space."""
        return re.sub(r"^([A-Z]+)(\d)", r"\1 \2", self.law_version)


def placed_in(trajectory: Trajectory) -> dict:
    """The fields an event or plan of this trajectory is created with: the trajectory and its
    organisation and entity (denormalised for the reports). Every writer uses this."""
    return {
        "trajectory": trajectory,
        "organisation_id": trajectory.organisation_id,
        "entity_id": trajectory.entity_id,
    }


class PlacedInTrajectory(models.Model):
    """The trajectory's organisation and entity on an event or plan, copied when the row is
    written (placed_in): the reports filter by them without joining the trajectories."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", editable=False
    )
    entity = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        abstract = True


# Events of working together on a trajectory (terugkeer.smt): their `by` is an owner and their
# `next_date` a due date, and `reason` holds an internal reference.
COLLABORATION_EVENTS = frozenset(
    {
        "smt_advice",
        "smt_action",
        "smt_action_done",
        "second_line_referral",
        "second_line_taken_up",
        "second_line_answer",
        "alignment_action",
    }
)


class Event(PlacedInTrajectory):
    """One thing that happened in a trajectory, typed by the rules engine's event codes."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="events", verbose_name=_("traject")
    )
    type = models.CharField(_("soort"), max_length=40, choices=_choices(rf.EVENT_TYPES))
    date = models.DateField(_("datum"))
    # The outcome of a conversation, or of the closure (the codes differ per event type).
    outcome = models.CharField(_("uitkomst"), max_length=30, blank=True)
    by = models.CharField(_("door"), max_length=100, blank=True)
    decision = models.CharField(
        _("beslissing"), max_length=2, blank=True, choices=_choices(rf.DECISIONS)
    )
    accepted = models.BooleanField(_("aanvaard"), null=True, blank=True)
    reason = models.CharField(_("reden"), max_length=40, blank=True)
    percentage = models.PositiveSmallIntegerField(_("percentage"), null=True, blank=True)
    next_date = models.DateField(_("volgende datum"), null=True, blank=True)
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    result = models.CharField(
        _("resultaat"), max_length=20, blank=True, choices=_choices(rf.WORK_POTENTIAL_RESULTS)
    )
    granted = models.BooleanField(_("toegekend"), null=True, blank=True)
    channel = models.CharField(
        _("kanaal"), max_length=10, blank=True, choices=_choices(rf.CONTACT_CHANNELS)
    )
    return_type = models.CharField(
        _("soort hervatting"), max_length=20, blank=True, choices=_choices(rf.RETURN_TYPES)
    )
    # The employee's contact wishes (event type contact_wishes).
    frequency_days = models.PositiveSmallIntegerField(
        _("contact om de zoveel dagen"), null=True, blank=True
    )
    pause = models.BooleanField(_("pauze in het contact"), null=True, blank=True)
    participants = models.CharField(_("deelnemers"), max_length=300, blank=True)
    note = long_text(_("notitie"))
    # Internal notes are never shown in the employee's portal.
    internal = models.BooleanField(_("interne notitie"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # On a return to work only (else NULL), kept by services.milestones_refresh: a relapse in
    # the trajectory or a new absence of the employee within 3 (6) months after the return.
    setback_3m = models.BooleanField(null=True, blank=True, editable=False)
    setback_6m = models.BooleanField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        # Covering: the report's selections by type and date are index-only scans.
        indexes = [
            models.Index(
                fields=["type", "date", "trajectory"],
                include=[
                    "return_type",
                    "percentage",
                    "decision",
                    "reason",
                    "accepted",
                    "setback_3m",
                    "setback_6m",
                ],
                name="event_type_date_covering",
            ),
            # The same for a report of one organisation (or entity: the policy domain's and
            # entity's reports filter on `entity` within the organisation's rows).
            models.Index(
                fields=["organisation", "type", "date"],
                include=[
                    "trajectory",
                    "entity",
                    "return_type",
                    "percentage",
                    "decision",
                    "reason",
                    "accepted",
                    "setback_3m",
                    "setback_6m",
                    # The formal terms read the cycle's events in the order they were
                    # registered (reports.compute._formal_terms), with the invitations'
                    # attendance; the visits before the return to work by who asked.
                    "attended",
                    "id",
                    "by",
                ],
                name="event_org_type_date_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.date:%d/%m/%Y}"

    def details(self) -> list[str]:
        """The structured fields of this event as short phrases, for the timeline."""
        from terugkeer.trajectories.labels import label

        out = []
        if self.type in COLLABORATION_EVENTS:
            # The reference that ties an SMT action to its completion is not for reading.
            if self.by:
                out.append(str(_("eigenaar: %(who)s") % {"who": self.by}))
            if self.next_date:
                out.append(str(_("tegen %(d)s") % {"d": f"{self.next_date:%d/%m/%Y}"}))
            return out
        if self.outcome:
            labels = rf.CLOSURE_OUTCOMES if self.type == "closure" else rf.CONVERSATION_OUTCOMES
            out.append(label(labels, self.outcome))
        if self.decision:
            out.append(label(rf.DECISIONS, self.decision))
        if self.result:
            out.append(label(rf.WORK_POTENTIAL_RESULTS, self.result))
        if self.accepted is not None:
            out.append(str(_("aanvaard") if self.accepted else _("geweigerd")))
        if self.reason:
            labels = {**rf.MOTIVATED_REPORT_REASONS, **rf.REFUSAL_REASONS}
            out.append(str(_("reden: %(r)s") % {"r": label(labels, self.reason)}))
        if self.return_type:
            out.append(label(rf.RETURN_TYPES, self.return_type))
        if self.percentage:
            out.append(f"{self.percentage} %")
        if self.channel:
            out.append(label(rf.CONTACT_CHANNELS, self.channel))
        if self.by:
            labels = {**rf.CONTACT_BY, **rf.FORMAL_REQUESTERS}
            out.append(str(_("door %(who)s") % {"who": label(labels, self.by)}))
        if self.granted is not None:
            out.append(str(_("ingewilligd") if self.granted else _("niet ingewilligd")))
        if self.attended is not None:
            out.append(
                str(_("aanwezig") if self.attended else _("niet ingegaan op de uitnodiging"))
            )
        if self.pause:
            out.append(str(_("pauze: geen contact")))
        elif self.frequency_days:
            out.append(str(_("contact om de %(n)s dagen") % {"n": self.frequency_days}))
        if self.next_date:
            out.append(str(_("volgend gesprek %(d)s") % {"d": f"{self.next_date:%d/%m/%Y}"}))
        return out


class Plan(PlacedInTrajectory):
    """A step plan or formal re-integration plan; every save is a new version."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="plans", verbose_name=_("traject")
    )
    number = models.PositiveSmallIntegerField(_("versie"))
    formal = models.BooleanField(_("formeel re-integratieplan"), default=False)
    # The day the plan (this version) was really delivered, which the reports count by; not the
    # day it was typed in (created_at).
    delivered_on = models.DateField(_("bezorgd op"), default=timezone.localdate)
    work_percentage = models.PositiveSmallIntegerField(
        _("werkpercentage"), null=True, blank=True, help_text=_("50, 60, 70, 80 of 100 %.")
    )
    workplace_adaptations = long_text(_("aanpassingen van de werkplek"))
    adapted_work = long_text(_("aangepast werk"))
    other_work = long_text(_("ander werk"))
    training = long_text(_("opleiding"))
    # Whether each kind of step is filled in, kept by the database: the reports count them from
    # the covering index below without reading the texts.
    has_workplace_adaptations = models.GeneratedField(
        expression=~Q(workplace_adaptations=""), output_field=models.BooleanField(), db_persist=True
    )
    has_adapted_work = models.GeneratedField(
        expression=~Q(adapted_work=""), output_field=models.BooleanField(), db_persist=True
    )
    has_other_work = models.GeneratedField(
        expression=~Q(other_work=""), output_field=models.BooleanField(), db_persist=True
    )
    has_training = models.GeneratedField(
        expression=~Q(training=""), output_field=models.BooleanField(), db_persist=True
    )
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)
    review_dates = models.JSONField(_("evaluatiedata"), default=list, blank=True)
    support_measures = models.ManyToManyField(
        "toolbox.SupportMeasure", blank=True, verbose_name=_("ondersteuningsmaatregelen")
    )
    welfare_actors = models.ManyToManyField(
        "toolbox.WelfareActor", blank=True, verbose_name=_("welzijnsactoren")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("plan")
        verbose_name_plural = _("plannen")
        indexes = [
            # Covering, with the id for the joins to the support measures and welfare actors.
            models.Index(
                fields=["organisation", "delivered_on"],
                include=[
                    "formal",
                    "trajectory",
                    "entity",
                    "id",
                    "has_workplace_adaptations",
                    "has_adapted_work",
                    "has_other_work",
                    "has_training",
                ],
                name="plan_org_delivered_covering",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "number"], name="plan_version_unique"),
            models.CheckConstraint(
                condition=Q(work_percentage__isnull=True)
                | (Q(work_percentage__gte=1) & Q(work_percentage__lte=100)),
                name="plan_percentage_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan {self.number} — {self.trajectory}"


class PlanStep(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("stap"), max_length=300)
    owner = models.CharField(_("wie"), max_length=100, blank=True)
    due = models.DateField(_("tegen"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.description
