"""Forms of the guided set-up; the handelingskader step reuses the toolbox's FrameworkForm."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from terugkeer.accounts.models import Role
from terugkeer.organisations.models import Organisation, Unit


class OrganisationDetailsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "employer_size", "prevention_affiliation"]
        help_texts = {
            "employer_size": _(
                "Het aantal werknemers bepaalt of de termijn van 6 maanden geldt (meer dan 50)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Room for the dash and spaces the letters show; the model checks the 7 kept.
        field = self.fields["prevention_affiliation"]
        field.max_length = 12
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.widget.attrs["maxlength"] = "12"

    def clean_prevention_affiliation(self):
        # Written as on the service's letters (821675-3 or 821 675 3): the 7 characters kept.
        value = self.cleaned_data.get("prevention_affiliation") or ""
        return "".join(ch for ch in value if ch not in "-. /")


UNIT_KINDS = [
    (Unit.Kind.ADMINISTRATION, _("bestuur (gemeente, OCMW, stad)")),
    (Unit.Kind.DEPARTMENT, _("departement of cluster")),
    (Unit.Kind.SERVICE, _("dienst")),
    (Unit.Kind.TEAM, _("team")),
]


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200)
    code = forms.RegexField(
        label=_("Code"),
        max_length=40,
        regex=r"^[A-Za-z0-9_.-]+$",
        help_text=_(
            "Kort en vast, zoals in uw HR-pakket (bijvoorbeeld BZ of FIN-1): de import gebruikt"
            " deze code in de kolom Eenheid."
        ),
        error_messages={"invalid": _("Gebruik letters, cijfers, punt, koppelteken of _.")},
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=UNIT_KINDS, widget=forms.RadioSelect)
    parent = forms.ModelChoiceField(
        label=_("Hoort bij"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— bovenaan —"),
    )
    is_entity = forms.BooleanField(
        label=_(
            "Dit is een entiteit: het niveau van de terugkeercoach en van het jaarrapport"
            " (voor een lokaal bestuur meestal het bestuur zelf)"
        ),
        required=False,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.filter(organisation=organisation).order_by(
            "name"
        )
        if not self.fields["parent"].queryset.exists():
            self.fields["kind"].initial = Unit.Kind.ADMINISTRATION
            self.fields["is_entity"].initial = True
        else:
            self.fields["kind"].initial = Unit.Kind.SERVICE

    def clean(self):
        data = super().clean()
        if not data.get("is_entity") and data.get("parent") is None and "parent" in data:
            self.add_error(
                "is_entity",
                _("Een eenheid bovenaan moet een entiteit zijn, of kies waar ze bij hoort."),
            )
        return data


class CatalogueForm(forms.Form):
    actors = forms.MultipleChoiceField(
        label=_("Welzijnsactoren waarmee uw organisatie werkt"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    measures = forms.MultipleChoiceField(
        label=_("Ondersteuningsmaatregelen die uw organisatie gebruikt"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, actor_names, measure_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actors"].choices = [(n, n) for n in actor_names]
        self.fields["measures"].choices = [(n, n) for n in measure_names]


class UserInviteForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    username = forms.RegexField(
        label=_("Gebruikersnaam"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Letters, cijfers en @ . + - _ (geen spaties).")},
    )
    email = forms.EmailField(
        label=_("E-mailadres (werk)"),
        help_text=_("De link om een wachtwoord te kiezen gaat naar dit adres, en alleen daar."),
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=[(r.value, r.label) for r in Role if r != Role.ADMIN]
        + [(Role.ADMIN.value, _("Functioneel beheerder (tweede beheerder)"))],
    )
    unit = forms.ModelChoiceField(
        label=_("Voor welke eenheid"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— de hele organisatie —"),
        help_text=_(
            "Een terugkeercoach of HR van één entiteit ziet alleen haar medewerkers. Een "
            "leidinggevende ziet altijd de medewerkers van wie hij de leidinggevende is."
        ),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(organisation=organisation).order_by(
            "name"
        )


class AlignmentForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Leidinggevenden en HR stemmen af om de ... weken"),
        min_value=1,
        max_value=52,
        help_text=_(
            "De toolbox raadt een periodieke afstemming aan over de lopende afwezigheden en "
            "trajecten; een Sociaal Medisch Team komt vaak om de 6 weken samen."
        ),
    )
