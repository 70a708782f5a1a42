"""Working together on trajectories (issue 16, docs/smt.md): the Sociaal Medisch Team with its
meetings, agenda items and advice; the second line's referrals; anonymised intervision cases;
the periodic alignment of managers and HR.

Nothing medical is stored: every free text here is checked by the medical-text guard, and an
anonymous case summary also for identifying data (smt/identifying.py), before it is saved.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terugkeer.trajectories.models import long_text


class Smt(models.Model):
    """A Sociaal Medisch Team: one per organisation, or one per policy domain."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="smts",
        verbose_name=_("organisatie"),
    )
    policy_domain = models.ForeignKey(
        "organisations.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("beleidsdomein"),
        help_text=_("Leeg: het SMT van de hele organisatie."),
    )
    name = models.CharField(_("naam"), max_length=200)
    interval_weeks = models.PositiveSmallIntegerField(_("vergadert om de zoveel weken"), default=6)
    # A named case's dossier is readable by the meeting's attendees from this many days before
    # the meeting (preparation) to this many days after it (writing the advice).
    read_days_before = models.PositiveSmallIntegerField(
        _("dossier inkijken vanaf (dagen voor de vergadering)"), default=14
    )
    read_days_after = models.PositiveSmallIntegerField(
        _("dossier inkijken tot (dagen na de vergadering)"), default=7
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("Sociaal Medisch Team")
        verbose_name_plural = _("Sociaal Medische Teams")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(policy_domain__isnull=True),
                name="smt_one_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["organisation", "policy_domain"], name="smt_one_per_policy_domain"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        domain = self.policy_domain
        if domain is not None and (
            domain.organisation_id != self.organisation_id or domain.kind != "policy_domain"
        ):
            raise ValidationError(
                {"policy_domain": _("Kies een beleidsdomein van de gekozen organisatie.")}
            )
        if not 1 <= (self.interval_weeks or 0) <= 26:
            raise ValidationError({"interval_weeks": _("Tussen 1 en 26 weken.")})


class Meeting(models.Model):
    smt = models.ForeignKey(
        Smt, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("SMT")
    )
    date = models.DateField(_("datum"))
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="smt_meetings", verbose_name=_("leden")
    )
    minutes = long_text(_("verslag"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("SMT-vergadering")
        verbose_name_plural = _("SMT-vergaderingen")
        constraints = [
            models.UniqueConstraint(fields=["smt", "date"], name="smt_meeting_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.smt} {self.date:%d/%m/%Y}"

    def read_window(self) -> tuple[date, date]:
        """The days on which the attendees may read a named case's dossier (both included)."""
        return (
            self.date - timedelta(days=self.smt.read_days_before),
            self.date + timedelta(days=self.smt.read_days_after),
        )


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        CASE = "case", _("casus")
        POLICY = "policy", _("beleidspunt")

    class Form(models.TextChoices):
        ANONYMOUS = "anonymous", _("anoniem")
        NAMED = "named", _("op naam")

    class ConsentHow(models.TextChoices):
        SIGNED = "signed", _("schriftelijk, ondertekend")
        EMAIL = "email", _("per e-mail")
        ORAL = "oral", _("mondeling, genoteerd in een gesprek")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("vergadering")
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    # A case's trajectory: never shown to the SMT for an anonymous case; the advice is written
    # back to it.
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="smt_items",
        verbose_name=_("traject"),
    )
    form = models.CharField(_("vorm"), max_length=10, choices=Form.choices, blank=True)
    case_code = models.CharField(_("casuscode"), max_length=20, blank=True)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    question = long_text(_("vraag aan het SMT"))
    summary = long_text(_("samenvatting"))
    # The employee's agreement to be discussed by name (named cases only).
    consent_on = models.DateField(_("akkoord van de medewerker op"), null=True, blank=True)
    consent_how = models.CharField(
        _("hoe het akkoord gegeven is"), max_length=10, choices=ConsentHow.choices, blank=True
    )
    # Invited for this item only (not members): the line manager, HR, the employee's
    # representative. Roles, not names: the minutes stay free of persons.
    guests = models.CharField(_("uitgenodigd voor dit punt"), max_length=200, blank=True)
    # The SMT's advice (case) or conclusion (policy item).
    advice = long_text(_("advies of conclusie"))
    advice_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    advice_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "kind", "id"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="policy") | Q(trajectory__isnull=False),
                name="smt_case_has_trajectory",
            ),
            # By name only with the employee's recorded agreement.
            models.CheckConstraint(
                condition=~Q(form="named") | (Q(consent_on__isnull=False) & ~Q(consent_how="")),
                name="smt_named_case_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.case_code or self.title

    @property
    def is_named(self) -> bool:
        return self.kind == self.Kind.CASE and self.form == self.Form.NAMED


class Action(models.Model):
    """An action of an SMT advice: an obligation on the trajectory until it is done."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="actions", verbose_name=_("agendapunt")
    )
    description = models.CharField(_("actie"), max_length=300)
    owner = models.CharField(_("eigenaar"), max_length=100)
    due = models.DateField(_("tegen"))
    done_on = models.DateField(_("afgerond op"), null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")

    def __str__(self) -> str:
        return self.description

    @property
    def reference(self) -> str:
        """Ties the action's events together in the rules engine (Event.reason)."""
        return f"smt-{self.pk}"


class Referral(models.Model):
    """A trajectory referred to the second line (an adviser re-integratie) with a question."""

    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("traject"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    question = long_text(_("vraag aan de tweede lijn"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_on = models.DateField(_("doorverwezen op"))
    taken_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_taken_up",
        verbose_name=_("opgenomen door"),
    )
    taken_up_on = models.DateField(_("opgenomen op"), null=True, blank=True)
    answer = long_text(_("antwoord"))
    answered_on = models.DateField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("doorverwijzing tweede lijn")
        verbose_name_plural = _("doorverwijzingen tweede lijn")

    def __str__(self) -> str:
        return f"{self.trajectory} {self.referred_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.answered_on is None


class IntervisionCase(models.Model):
    """An anonymised case for a learning session: the structure of a timeline (event types, days
    since the first day, outcomes, decisions), with no link back to the trajectory or person."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("titel"), max_length=200)
    learning_question = long_text(_("leervraag"))
    kind = models.CharField(_("soort"), max_length=12, blank=True)
    is_formal = models.BooleanField(_("formeel traject"), default=False)
    law_version = models.CharField(_("wetgeving"), max_length=12, blank=True)
    # [{"day": int, "type": str, "label": str, "details": [str]}], see smt/services.py.
    steps = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("intervisiecasus")
        verbose_name_plural = _("intervisiecasussen")

    def __str__(self) -> str:
        return self.title


class Alignment(models.Model):
    """One periodic alignment of a line manager and HR over the manager's team (seed 000)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alignments",
        verbose_name=_("leidinggevende"),
    )
    held_on = models.DateField(_("gehouden op"))
    next_on = models.DateField(_("volgende afstemming"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cases = models.PositiveSmallIntegerField(_("besproken trajecten"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("periodieke afstemming")
        verbose_name_plural = _("periodieke afstemmingen")

    def __str__(self) -> str:
        return f"{self.manager} {self.held_on:%d/%m/%Y}"
