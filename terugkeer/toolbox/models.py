"""The organisation's catalogue of welfare actors and support measures, and its handelingskader."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogueEntry(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("wat is het"), blank=True)
    for_whom = models.TextField(_("voor wie"), blank=True)
    how_to_ask = models.TextField(_("hoe aanvragen"), blank=True)
    url = models.URLField(_("link"), blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WelfareActor(CatalogueEntry):
    class Meta(CatalogueEntry.Meta):
        verbose_name = _("welzijnsactor")
        verbose_name_plural = _("welzijnsactoren")


class SupportMeasure(CatalogueEntry):
    class Category(models.TextChoices):
        VDAB = "vdab", _("VDAB")
        EXTRA = "extra", _("Extra ondersteuning")
        PREVENTIVE = "preventive", _("Preventief")

    category = models.CharField(_("categorie"), max_length=12, choices=Category.choices)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("ondersteuningsmaatregel")
        verbose_name_plural = _("ondersteuningsmaatregelen")


class Handelingskader(models.Model):
    """One version of the organisation's re-integration framework. The newest one applies."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="frameworks"
    )
    number = models.PositiveSmallIntegerField(_("versie"))
    effective_from = models.DateField(_("geldig vanaf"))
    text = models.TextField(_("afspraken en spelregels"), blank=True)
    # The policy terms fed to the rules engine (Policy.to_dict()); validated on save by services.
    terms = models.JSONField(_("termijnen"), default=dict, blank=True)
    physician_contact = models.TextField(
        _("contact arbeidsarts / externe preventiedienst"), blank=True
    )
    welfare_contacts = models.TextField(_("contactpersonen welzijnsactoren"), blank=True)
    documents_location = models.TextField(_("waar vindt u de documenten"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("handelingskader")
        verbose_name_plural = _("handelingskaders")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="framework_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — versie {self.number}"


def validate_medical_entry(value: str) -> None:
    from django.core.exceptions import ValidationError

    from terugkeer.trajectories.medical import ENTRY

    if not ENTRY.match(value.strip().lower()):
        raise ValidationError(
            _(
                "Gebruik letters, cijfers, koppeltekens en spaties; een * vooraan of achteraan "
                "voor een deel van een woord, een ! vooraan voor een woord dat nooit gemeld wordt."
            )
        )


class MedicalWord(models.Model):
    """A word the organisation adds to the medical-text warning (trajectories.medical), on top
    of the shipped list: a local medicine, a hospital's name, a condition that slips through."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    word = models.CharField(
        _("woord"),
        max_length=100,
        validators=[validate_medical_entry],
        help_text=_(
            "Kleine letters. 'kanker' = het woord; 'chemo*' = woorden die zo beginnen; '*pijn' = "
            "woorden die zo eindigen (rugpijn); '*kanker*' = woorden die het bevatten; "
            "'!pijnpunt' = nooit melden."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("medisch woord")
        verbose_name_plural = _("medische woorden")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "word"], name="medical_word_unique")
        ]

    def __str__(self) -> str:
        return self.word
