"""Users and their role assignments (role x scope)."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MANAGER = "leidinggevende", _("Leidinggevende")
    COACH = "terugkeercoach", _("Terugkeercoach")
    HR = "hr", _("HR / personeelsdienst")
    ADVISER = "adviseur", _("Adviseur re-integratie")
    PHYSICIAN = "arbeidsarts", _("Arbeidsarts")
    SMT = "smt", _("SMT-lid")
    REPORTER = "rapporteur", _("Rapporteur")
    ADMIN = "beheerder", _("Functioneel beheerder")


class User(AbstractUser):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("organisatie"),
    )
    # The employee's own account for the portal.
    employee = models.OneToOneField(
        "organisations.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        verbose_name=_("medewerker"),
    )
    wants_digest = models.BooleanField(_("dagelijkse e-mail met wat dringend is"), default=True)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """A role held on a scope: a whole organisation, or one unit (an entity or a team)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("gebruiker")
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("organisatie"),
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("eenheid"),
        help_text=_("Leeg: de hele organisatie."),
    )
    # Four eyes (docs/access.md): an assignment that opens named dossiers or the admin, made by
    # a functioneel beheerder, waits (confirmed_at empty) until a second one confirms it.
    granted_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("toegekend door"),
    )
    granted_at = models.DateTimeField(_("toegekend op"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bevestigd door"),
    )
    confirmed_at = models.DateTimeField(
        _("bevestigd op"), null=True, blank=True, default=timezone.now
    )

    class Meta:
        verbose_name = _("roltoewijzing")
        verbose_name_plural = _("roltoewijzingen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "unit"],
                name="role_assignment_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(unit__isnull=True),
                name="role_assignment_org_unique",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit or self.organisation
        return f"{self.get_role_display()} — {scope}"

    def clean(self) -> None:
        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"unit": _("Deze eenheid hoort niet bij de gekozen organisatie.")}
            )

    @property
    def is_pending(self) -> bool:
        return self.confirmed_at is None
