"""Where an organisation's guided set-up stands, and the settings it asks that have no other
home yet."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationSetup(models.Model):
    """One per organisation, created when its set-up starts (docs/onboarding.md).

    What is ready is decided from the data itself (onboarding.checklist); `completed_steps` only
    remembers which steps the beheerder finished, so that leaving and coming back resumes at the
    first step not yet finished.
    """

    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="setup",
        verbose_name=_("organisatie"),
    )
    completed_steps = models.JSONField(_("afgeronde stappen"), default=list, blank=True)
    # Seed 000: "Zorg voor een periodieke afstemming tussen leidinggevenden en de dienst HR rond
    # lopende afwezigheden en trajecten." A plain setting; the alignment/SMT module reads it.
    alignment_interval_weeks = models.PositiveSmallIntegerField(
        _("periodieke afstemming om de ... weken"),
        null=True,
        blank=True,
        help_text=_("Hoe vaak leidinggevenden en HR samen de lopende afwezigheden bespreken."),
    )
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("inrichting")
        verbose_name_plural = _("inrichtingen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alignment_interval_weeks__isnull=True)
                | models.Q(alignment_interval_weeks__gte=1, alignment_interval_weeks__lte=52),
                name="setup_alignment_interval_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)
