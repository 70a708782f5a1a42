"""Sign-in through an organisation's own OpenID Connect provider (docs/sso.md).

A provider (ACM/IDM, an Entra ID tenant, ...) is configured once; the organisations that sign in
through it are linked by the identifier the provider puts in its organisation claim (an OVO code,
an Entra tenant id), and each link maps claim values to a role on a scope. The client secret is
never stored here: it comes from the environment (TERUGKEER_OIDC_SECRET_<SLUG>).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terugkeer.accounts.models import Role

# The national register number: Terugkeer needs none, and no configuration may ask for it.
FORBIDDEN_SCOPES = frozenset({"rrn"})


def validate_scopes(value: str) -> None:
    scopes = value.split()
    if "openid" not in scopes:
        raise ValidationError(_("De scope 'openid' is verplicht."))
    forbidden = FORBIDDEN_SCOPES.intersection(scopes)
    if forbidden:
        raise ValidationError(
            _("Terugkeer vraagt nooit het rijksregisternummer op: scope '%(scope)s' is verboden.")
            % {"scope": ", ".join(sorted(forbidden))}
        )


class IdentityProvider(models.Model):
    class Kind(models.TextChoices):
        ACMIDM = "acmidm", _("ACM/IDM (Vlaamse overheid)")
        ENTRA = "entra", _("Microsoft Entra ID")
        OTHER = "other", _("Andere OpenID Connect-provider")

    slug = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9-]+$")],
        help_text=_(
            "Kleine letters, cijfers en streepjes; komt in de terugkeer-URL en in de naam van "
            "de omgevingsvariabele met het geheim (TERUGKEER_OIDC_SECRET_<CODE>)."
        ),
    )
    name = models.CharField(_("naam op de knop"), max_length=80)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    issuer = models.URLField(
        _("issuer"), help_text=_("De discovery staat op <issuer>/.well-known/openid-configuration.")
    )
    client_id = models.CharField(_("client id"), max_length=200)
    scopes = models.CharField(
        _("scopes"), max_length=300, default="openid profile", validators=[validate_scopes]
    )
    subject_claim = models.CharField(
        _("claim met de vaste identiteit"),
        max_length=60,
        default="sub",
        help_text=_("sub, of vo_id bij ACM/IDM. Nooit het e-mailadres."),
    )
    organisation_claim = models.CharField(
        _("claim met de organisatie"),
        max_length=60,
        help_text=_("vo_orgcode bij ACM/IDM, tid bij Entra ID."),
    )
    roles_claim = models.CharField(
        _("claim met de rollen"),
        max_length=80,
        help_text=_("Bij ACM/IDM bv. iv_terugkeer_rol_3d, bij Entra ID roles."),
    )
    personnel_number_claim = models.CharField(
        _("claim met het personeelsnummer"), max_length=60, blank=True
    )
    first_name_claim = models.CharField(_("claim voornaam"), max_length=60, default="given_name")
    last_name_claim = models.CharField(_("claim achternaam"), max_length=60, default="family_name")
    email_claim = models.CharField(_("claim e-mail"), max_length=60, default="email")
    # The provider's own second factor counts when its ID token says so; otherwise Terugkeer's
    # TOTP is asked as for a password sign-in.
    mfa_acr_values = models.CharField(
        _("acr-waarden die een tweede factor betekenen"), max_length=500, blank=True
    )
    mfa_amr_values = models.CharField(
        _("amr-waarden die een tweede factor betekenen"),
        max_length=200,
        blank=True,
        help_text=_("Gescheiden door spaties, bv. 'mfa otp hwk'."),
    )
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("identiteitsprovider")
        verbose_name_plural = _("identiteitsproviders")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.subject_claim.strip().lower() in {"email", "vo_email", "upn", "preferred_username"}:
            raise ValidationError(
                {"subject_claim": _("Een gebruiker wordt nooit op het e-mailadres herkend.")}
            )

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split() if s not in FORBIDDEN_SCOPES]

    @property
    def secret_variable(self) -> str:
        return "TERUGKEER_OIDC_SECRET_" + self.slug.upper().replace("-", "_")


class ProviderOrganisation(models.Model):
    """An organisation that signs in through this provider, by the provider's identifier of it."""

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.CASCADE,
        related_name="organisations",
        verbose_name=_("identiteitsprovider"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="identity_providers",
        verbose_name=_("organisatie"),
    )
    external_id = models.CharField(
        _("code bij de provider"),
        max_length=100,
        help_text=_("De OVO-code (ACM/IDM) of de tenant id (Entra ID)."),
    )
    local_passwords = models.BooleanField(
        _("ook aanmelden met een wachtwoord van Terugkeer"),
        default=True,
        help_text=_("Uit: de gebruikers van deze organisatie melden alleen via de provider aan."),
    )

    class Meta:
        verbose_name = _("organisatie bij een provider")
        verbose_name_plural = _("organisaties bij een provider")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "external_id"], name="provider_organisation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.external_id})"


class ClaimRoleMapping(models.Model):
    """One value of the roles claim, for one organisation: the role and scope it gives."""

    link = models.ForeignKey(
        ProviderOrganisation,
        on_delete=models.CASCADE,
        related_name="role_mappings",
        verbose_name=_("organisatie bij een provider"),
    )
    claim_value = models.CharField(
        _("waarde in de claim"),
        max_length=200,
        help_text=_("Bv. TerugkeerCoach:OVO002949 (ACM/IDM) of Terugkeer.Coach (Entra ID)."),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "organisations.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("eenheid"),
        help_text=_("Leeg: de hele organisatie."),
    )

    class Meta:
        verbose_name = _("rol uit een claim")
        verbose_name_plural = _("rollen uit claims")
        constraints = [
            models.UniqueConstraint(
                fields=["link", "claim_value", "role", "unit"], name="claim_role_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_value} → {self.get_role_display()}"

    def clean(self) -> None:
        if self.unit_id and self.link_id and self.unit.organisation_id != self.link.organisation_id:
            raise ValidationError(
                {"unit": _("Deze eenheid hoort niet bij de organisatie van de koppeling.")}
            )


class ExternalIdentity(models.Model):
    """Who a user is at a provider: the stable subject, never the e-mail address."""

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.PROTECT,
        related_name="identities",
        verbose_name=_("identiteitsprovider"),
    )
    subject = models.CharField(_("vaste identiteit bij de provider"), max_length=255)
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("gebruiker"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    last_sign_in = models.DateTimeField(_("laatst aangemeld"), null=True, blank=True)

    class Meta:
        verbose_name = _("externe identiteit")
        verbose_name_plural = _("externe identiteiten")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider.slug}:{self.subject}"


class ClaimedRole(models.Model):
    """Marks a role assignment as given by a provider's claim: re-evaluated at every sign-in.

    Assignments granted in Terugkeer by the functioneel beheerder have no such mark and are never
    touched by a sign-in (docs/sso.md, "which wins").
    """

    assignment = models.OneToOneField(
        "accounts.RoleAssignment", on_delete=models.CASCADE, related_name="claimed_by"
    )
    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    claim_value = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("rol uit een claim (toegekend)")
        verbose_name_plural = _("rollen uit claims (toegekend)")

    def __str__(self) -> str:
        return f"{self.provider.slug}: {self.claim_value}"
