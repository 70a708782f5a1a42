"""Forms of the toolbox: catalogue entries and the handelingskader with its process terms."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from terugkeer.rules import Policy, PolicyError
from terugkeer.toolbox.models import SupportMeasure, WelfareActor
from terugkeer.trajectories.forms import DateInput

ENTRY_FIELDS = ["name", "description", "for_whom", "how_to_ask", "url", "active"]


class WelfareActorForm(forms.ModelForm):
    class Meta:
        model = WelfareActor
        fields = ENTRY_FIELDS
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ENTRY_FIELDS[1:4]}


class SupportMeasureForm(forms.ModelForm):
    class Meta:
        model = SupportMeasure
        fields = ["name", "category", *ENTRY_FIELDS[1:]]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ENTRY_FIELDS[1:4]}


# The process terms of Policy that an organisation may set (stricter than the default only).
TERM_LABELS = {
    "contact_interval_days": _("Contact met de afwezige medewerker minstens om de ... dagen"),
    "conversation_within_months": _("Gesprek over stappen naar werk binnen ... maanden"),
    "conversation_followup_days": _(
        "Nieuw gesprek als stappen nog niet mogelijk zijn, na ... dagen"
    ),
    "step_plan_within_months": _("Stappenplan binnen ... maanden na het gesprek"),
    "formal_trigger_no_conversation_months": _(
        "Formeel traject als er na ... maanden geen gesprek was"
    ),
    "formal_trigger_no_plan_months": _(
        "Formeel traject als er ... maanden na de inschatting geen stappenplan is"
    ),
    "four_week_days": _("Lijst aan de externe preventiedienst na ... dagen afwezigheid"),
    "trajectory_threshold_days": _("Een traject openen na ... dagen afwezigheid"),
    "due_soon_days": _("Een termijn telt als 'binnenkort' ... dagen vooraf"),
    "relapse_window_days": _("Herval: nieuwe afwezigheid binnen ... dagen na de hervatting"),
    "asap_days": _("'Zo snel mogelijk' betekent binnen ... dagen"),
    "reassessment_after_c_months": _("Opvolging na beslissing C na ... maanden"),
}


TERM_UNITS = {
    "days": ("dag", "dagen", "d"),
    "weeks": ("week", "weken", "w"),
    "months": ("maand", "maanden", "m"),
}
TERM_HINT = _(
    "Een getal in de eenheid van de vraag, of met een eenheid: bijvoorbeeld “6 weken”, "
    "“45 dagen” of “2 maanden”. Strenger dan de wet of de omzendbrief mag, soepeler niet."
)


class TermField(forms.CharField):
    """A policy term as typed in the handelingskader: "6", "6 weken", "45 dagen", "2 maanden".

    Cleans to a whole number in the term's own unit, or to {"weeks": 6} when another unit is
    given (the rules engine's policy format, docs/rules.md)."""

    def __init__(self, *, own_unit: str, **kwargs):
        self.own_unit = own_unit
        # No max_length: its validator would run on the cleaned number; the pattern bounds it.
        super().__init__(help_text=TERM_HINT, **kwargs)
        self.widget.attrs["maxlength"] = "30"

    def prepare_value(self, value):
        if hasattr(value, "unit") and hasattr(value, "value"):  # a rules.policy.Term
            value = {value.unit: value.value}
        if isinstance(value, dict) and len(value) == 1:
            ((unit, n),) = value.items()
            return f"{n} {TERM_UNITS[unit][0 if n == 1 else 1]}" if unit in TERM_UNITS else n
        return value

    def to_python(self, value):
        text = super().to_python(value).strip().lower()
        if not text:
            return None
        match = re.fullmatch(r"(\d{1,4})\s*([a-z]*)", text)
        unit = None
        if match:
            word = match.group(2)
            unit = (
                self.own_unit
                if not word
                else next((u for u, words in TERM_UNITS.items() if word in words), None)
            )
        if not match or unit is None:
            raise forms.ValidationError(
                _("Geef een getal, eventueel met “dagen”, “weken” of “maanden”.")
            )
        n = int(match.group(1))
        return n if unit == self.own_unit else {unit: n}


def _dutch(message: str) -> str:
    """PolicyError messages are 'Dutch / English': keep the Dutch half."""
    return message.split(" / ")[0].strip()


class FrameworkForm(forms.Form):
    effective_from = forms.DateField(label=_("Geldig vanaf"), widget=DateInput)
    text = forms.CharField(
        label=_("Afspraken en spelregels"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Het handelingskader zoals iedereen in de organisatie het leest."),
    )
    follow_up_after_return_days = forms.CharField(
        label=_("Opvolgingsgesprekken na de hervatting, na ... dagen"),
        help_text=_("Oplopend, gescheiden door komma's, bijvoorbeeld 14, 42, 91."),
    )
    shift_to_working_day = forms.BooleanField(
        label=_(
            "Een termijn die op een weekend of feestdag valt, schuift naar de volgende werkdag"
        ),
        required=False,
    )
    physician_contact = forms.CharField(
        label=_("Contact arbeidsarts / externe preventiedienst"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    welfare_contacts = forms.CharField(
        label=_("Contactpersonen van de welzijnsactoren"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    documents_location = forms.CharField(
        label=_("Waar vindt u de documenten"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, organisation_kind: str = "vo", **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_kind = organisation_kind
        self.policy: Policy | None = None
        for name, label in TERM_LABELS.items():
            own_unit = "months" if name.endswith("_months") else "days"
            self.fields[name] = TermField(label=label, own_unit=own_unit)
        # Put the terms after the text, before the contacts.
        order = ["effective_from", "text", *TERM_LABELS, "follow_up_after_return_days"]
        self.order_fields(order)

    def clean_follow_up_after_return_days(self):
        raw = self.cleaned_data["follow_up_after_return_days"]
        try:
            return [int(x) for x in raw.replace(";", ",").split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError(
                _("Geef gehele getallen, gescheiden door komma's.")
            ) from None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        terms = {name: data[name] for name in TERM_LABELS}
        terms["follow_up_after_return_days"] = data["follow_up_after_return_days"]
        terms["shift_to_working_day"] = data["shift_to_working_day"]
        try:
            self.policy = Policy.from_dict(terms, organisation_kind=self.organisation_kind)
        except PolicyError as error:
            message = _dutch(str(error))
            field = message.split("=")[0].split(":")[0].strip()
            if field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, message)
        return data

    def terms(self) -> dict:
        return self.policy.to_dict() if self.policy else {}
