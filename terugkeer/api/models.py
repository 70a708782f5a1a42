"""API keys: one per client system, bound to one organisation, with scopes; stored hashed."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SCOPES = {
    "read": _("lezen (eenheden, medewerkers, afwezigheden, trajecten)"),
    "write_absences": _("afwezigheden registreren en wijzigen"),
    "read_reports": _("rapportcijfers lezen"),
}
TOKEN_PREFIX = "tk"  # noqa: S105 (a marker, not a secret)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """(prefix, token): the prefix is stored in clear for lookup, the token only as its hash."""
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


class ApiKey(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("organisatie"),
    )
    name = models.CharField(_("naam"), max_length=100, help_text=_("Bv. het loonpakket."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    hashed = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("rechten"), default=list)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def set_new_token(self) -> str:
        """Give the key a fresh token; return it (the only moment it is known in clear)."""
        self.prefix, token = new_token()
        self.hashed = hash_token(token)
        return token

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class ApiActor:
    """The actor of API calls in services and the audit log (not a user: no session, no roles)."""

    is_authenticated = False
    pk = None

    def __init__(self, key: ApiKey):
        self.api_key = key

    def get_username(self) -> str:
        return f"api:{self.api_key.name}"[:150]

    def __str__(self) -> str:
        return self.get_username()
