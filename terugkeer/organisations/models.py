"""Organisations (tenants), their unit tree and their employees."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terugkeer.spreadsheets import validate_not_formula


class Organisation(models.Model):
    class Kind(models.TextChoices):
        VO = "vo", _("Vlaamse overheid")
        LOCAL = "local", _("Lokaal bestuur")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    short_name = models.CharField(_("korte naam"), max_length=40, blank=True)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    employer_size = models.PositiveIntegerField(
        _("aantal werknemers"), default=250, help_text=_("Bepaalt of de 6-maandentermijn geldt.")
    )
    # The employer's affiliation number at its external prevention service (IDEWE: 7
    # characters), written in every line of the prevention-service file (docs/import.md).
    prevention_affiliation = models.CharField(
        _("aansluitingsnummer externe preventiedienst"),
        max_length=7,
        blank=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z]{7}$",
                _("7 tekens, zonder streepje (821675-3 wordt 8216753)."),
            )
        ],
        help_text=_(
            "Het aansluitingsnummer bij de externe preventiedienst (7 tekens, zonder streepje): "
            "komt in elke regel van het bestand voor de preventiedienst."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A node in the organisation's tree; one level is marked as the entity."""

    class Kind(models.TextChoices):
        POLICY_DOMAIN = "policy_domain", _("beleidsdomein")
        DEPARTMENT = "department", _("departement")
        AGENCY = "agency", _("agentschap")
        ADMINISTRATION = "administration", _("bestuur")
        SERVICE = "service", _("dienst")
        TEAM = "team", _("team")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisatie")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("bovenliggende eenheid"),
    )
    name = models.CharField(_("naam"), max_length=200)
    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    is_entity = models.BooleanField(
        _("is entiteit"),
        default=False,
        help_text=_("Het niveau van de terugkeercoach en van het EOC-rapport."),
    )
    # Denormalised for one-query scoping: the entity this unit belongs to (itself if an entity)
    # and its policy domain. Kept by services.unit_create / unit_move.
    entity = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entiteit"),
    )
    policy_domain = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beleidsdomein"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("eenheid")
        verbose_name_plural = _("eenheden")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unit_code_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "is_entity"])]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    """An employee: only what the re-integration process needs. Nothing medical."""

    class Statute(models.TextChoices):
        STATUTORY = "statutair", _("statutair")
        CONTRACT = "contractueel", _("contractueel")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name=_("organisatie"),
    )
    personnel_number = models.CharField(_("personeelsnummer"), max_length=30)
    # A name that starts like a spreadsheet formula is refused here (the admin's forms) as by
    # the import; the exports neutralise such text anyway (terugkeer.spreadsheets).
    first_name = models.CharField(_("voornaam"), max_length=100, validators=[validate_not_formula])
    last_name = models.CharField(_("achternaam"), max_length=100, validators=[validate_not_formula])
    email = models.EmailField(_("e-mail (werk)"), blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("eenheid")
    )
    # Denormalised from unit.entity so that a coach's scope is one indexed filter.
    entity = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("entiteit")
    )
    manager = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team",
        verbose_name=_("leidinggevende"),
    )
    statute = models.CharField(_("statuut"), max_length=20, choices=Statute.choices)
    work_regime = models.PositiveSmallIntegerField(_("arbeidsregime (%)"), default=100)
    active = models.BooleanField(_("actief"), default=True)
    anonymised = models.BooleanField(_("geanonimiseerd"), default=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "personnel_number"], name="employee_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(work_regime__gte=1) & Q(work_regime__lte=100),
                name="employee_work_regime_range",
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "last_name"]),
            models.Index(fields=["manager"]),
            # The reports' minimum entity size: "the N-th active employee (by id) exists" reads
            # at most N entries of this index per entity (reports.compute._entities).
            models.Index(
                fields=["entity", "id"], condition=Q(active=True), name="employee_active_entity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personnel_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
