"""The employee's forms: contact wishes, the answer to the plan, and the digest setting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from terugkeer.rules import facts as rf
from terugkeer.trajectories.labels import choices, gettext_later

# The choice is stored as its label on Trajectory.contact_by (a free-text field for staff).
CONTACT_BY_CHOICES = [("", _("geen voorkeur"))] + [
    (v, gettext_later(v)) for v in rf.CONTACT_BY.values()
]


class OwnContactWishesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label=_("Hoe wilt u gecontacteerd worden?"),
        choices=[("", _("geen voorkeur"))] + choices(rf.CONTACT_CHANNELS),
        required=False,
    )
    frequency_days = forms.IntegerField(
        label=_("Om de hoeveel dagen?"),
        help_text=_("Bijvoorbeeld 14 voor om de twee weken."),
        min_value=1,
        max_value=365,
        required=False,
    )
    by = forms.ChoiceField(label=_("Door wie?"), choices=CONTACT_BY_CHOICES, required=False)
    pause = forms.BooleanField(
        label=_("Ik wil tijdelijk geen contact (pauze)"),
        required=False,
    )


class PlanAnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(
        label=_("Uw antwoord op het re-integratieplan"),
        choices=[("accept", _("Ik aanvaard het plan")), ("refuse", _("Ik weiger het plan"))],
        widget=forms.RadioSelect,
        # The employee reads this alone: say what to do, not "Dit veld is verplicht."
        error_messages={"required": _("Kies of u het plan aanvaardt of weigert.")},
    )
    reason = forms.ChoiceField(
        label=_("Reden van weigering"),
        help_text=_("Alleen als u weigert, en dan verplicht. Geef geen medische details."),
        choices=[("", "—")] + choices(rf.REFUSAL_REASONS),
        required=False,
    )
    # Required only when refusing: the field template then shows no "(optioneel)".
    reason.conditional = True

    def clean(self):
        data = super().clean()
        if data.get("answer") == "refuse" and not data.get("reason"):
            self.add_error("reason", _("Kies de reden waarom u het plan weigert."))
        return data


class DigestSettingsForm(forms.Form):
    wants_digest = forms.BooleanField(
        label=_("Stuur mij elke ochtend een e-mail met wat binnenkort vervalt of te laat is"),
        required=False,
    )
