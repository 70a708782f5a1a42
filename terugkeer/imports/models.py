"""One row per import (dry run or real): who, when, which file, what it did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        PREVIEW = "preview", _("proefdraai")
        IMPORTED = "imported", _("geïmporteerd")
        REJECTED = "rejected", _("geweigerd (fouten)")
        FAILED = "failed", _("mislukt (onverwachte fout)")

    class Phase(models.TextChoices):
        CHECKING = "checking", _("rijen controleren")
        COMPARING = "comparing", _("vergelijken met Terugkeer")
        WRITING = "writing", _("wegschrijven")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    username = models.CharField(_("door"), max_length=150)
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True)
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(_("soort"), max_length=12, blank=True)
    dry_run = models.BooleanField(_("proefdraai"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rows = models.PositiveIntegerField(_("rijen"), default=0)
    new = models.PositiveIntegerField(_("nieuw"), default=0)
    changed = models.PositiveIntegerField(_("gewijzigd"), default=0)
    unchanged = models.PositiveIntegerField(_("ongewijzigd"), default=0)
    merged = models.PositiveIntegerField(_("samengevoegd"), default=0)
    trajectories = models.PositiveIntegerField(_("trajecten bijgewerkt"), default=0)
    error_count = models.PositiveIntegerField(_("fouten"), default=0)
    # The first MAX_ERRORS errors as [row, column, value, message], and a sample of the changes.
    errors = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=list, blank=True)
    # Headers of the file that are not ours: their cells were not read (shown in the preview).
    ignored_columns = models.JSONField(_("genegeerde kolommen"), default=list, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    # The uploaded file, kept between the dry run and the confirmation; removed once imported.
    upload = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    # The dry run whose kept file this run imports (a confirmation, run in the background).
    preview = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proefdraai"),
    )
    # Progress of a run in the background (imports.tasks), read by the page while it runs:
    # done of total rows checked, or employees compared/written; updated once per chunk.
    phase = models.CharField(_("fase"), max_length=10, choices=Phase.choices, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bevestigd door import"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def nothing_changed(self) -> bool:
        """A run without errors that would change (or changed) nothing: a re-import."""
        return self.status in (self.Status.PREVIEW, self.Status.IMPORTED) and not (
            self.new or self.changed or self.merged or self.trajectories
        )
