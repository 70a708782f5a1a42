"""The append-only access and change log."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The kinds of object in the log, as a reader says them (the stored code stays English).
OBJECT_TYPES = {
    "employee": _("medewerker"),
    "trajectory": _("traject"),
    "event": _("registratie"),
    "absence": _("afwezigheid"),
    "plan": _("plan"),
    "planstep": _("stap van een plan"),
    "four_week_list": _("4-wekenlijst"),
    "report": _("rapport"),
    "api": _("API"),
    "apikey": _("API-sleutel"),
    "user": _("gebruiker"),
    "password": _("wachtwoord"),
    "roleassignment": _("rol"),
    "organisation": _("organisatie"),
    "unit": _("eenheid"),
    "handelingskader": _("handelingskader"),
    "supportmeasure": _("ondersteuningsmaatregel"),
    "welfareactor": _("welzijnsactor"),
    "importrun": _("import"),
    "retentionrun": _("bewaartermijn"),
    "medicalterm": _("medisch woord"),
    "smt": _("Sociaal Medisch Team"),
    "meeting": _("SMT-vergadering"),
    "agendaitem": _("SMT-agendapunt"),
    "referral": _("doorverwijzing tweede lijn"),
    "alignment": _("periodieke afstemming"),
}


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("ingekeken")
        CREATE = "create", _("aangemaakt")
        UPDATE = "update", _("gewijzigd")
        DELETE = "delete", _("verwijderd")
        EXPORT = "export", _("geëxporteerd")
        IMPORT = "import", _("geïmporteerd")
        ANONYMISE = "anonymise", _("geanonimiseerd")
        REFUSED = "refused", _("geweigerd")

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    username = models.CharField(_("gebruiker"), max_length=150, blank=True)
    action = models.CharField(_("actie"), max_length=12, choices=Action.choices)
    object_type = models.CharField(_("soort object"), max_length=40)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    # Plain ids, not foreign keys: the log outlives anonymisation and deletion.
    employee_id = models.BigIntegerField(_("medewerker"), null=True, blank=True, db_index=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("adres"), null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(_("wijzigingen"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        indexes = [
            models.Index(fields=["user", "at"]),
            # The audit search (privacy.selectors) over ten years of rows: per organisation,
            # and by username as typed (iexact compares UPPER(username) on PostgreSQL).
            models.Index(fields=["organisation_id", "at"], name="audit_organisation_at"),
            models.Index(Upper("username"), F("at"), name="audit_username_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.action} {self.object_type}"

    @property
    def object_label(self) -> str:
        """What was touched, in Dutch: "traject 199", "4-wekenlijst 29/11/2026"."""
        kind = str(OBJECT_TYPES.get(self.object_type, self.object_type))
        ref = self.object_id
        if len(ref) == 10 and ref[4] == "-" and ref[7] == "-":  # an ISO date as the id
            ref = f"{ref[8:10]}/{ref[5:7]}/{ref[0:4]}"
        return f"{kind} {ref}".strip()
