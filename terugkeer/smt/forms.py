"""Forms of the SMT, the second line, intervision and the alignment (Dutch labels and errors).
The checks on content (identifying data, medical words, access) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from terugkeer.smt.models import AgendaItem
from terugkeer.trajectories.forms import DATE_HINT, NOTE_HINT, DateInput
from terugkeer.trajectories.models import TEXT_MAX

ANONYMOUS_HINT = _(
    "Anoniem: geen namen, personeelsnummers, namen van eenheden of data (ook geen "
    "geboortedatum), en niets medisch. Terugkeer controleert dat voor u indient."
)


def _text(label, *, required=True, help_text=NOTE_HINT, rows=4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class MeetingPlanForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput(), help_text=DATE_HINT)
    location = forms.CharField(label=_("Plaats"), max_length=200, required=False)


class CaseProposalForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Vergadering"), queryset=None, empty_label=None, to_field_name="pk"
    )
    form = forms.ChoiceField(
        label=_("Vorm"),
        choices=AgendaItem.Form.choices,
        widget=forms.RadioSelect,
        initial=AgendaItem.Form.ANONYMOUS,
        help_text=_(
            "Op naam alleen met het akkoord van de medewerker; het SMT kan dan dit ene dossier "
            "inkijken, alleen rond de vergadering, en elke inzage wordt gelogd."
        ),
    )
    question = _text(_("Vraag aan het SMT"), help_text=ANONYMOUS_HINT, rows=3)
    summary = _text(
        _("Samenvatting van de casus"),
        required=False,
        help_text=_("Verplicht voor een anonieme casus.") + " " + str(ANONYMOUS_HINT),
        rows=6,
    )
    consent_on = forms.DateField(
        label=_("Akkoord van de medewerker op (alleen op naam)"),
        required=False,
        widget=DateInput(),
        help_text=DATE_HINT,
    )
    consent_how = forms.ChoiceField(
        label=_("Hoe het akkoord gegeven is (alleen op naam)"),
        choices=[("", "—"), *AgendaItem.ConsentHow.choices],
        required=False,
    )
    guests = forms.CharField(
        label=_("Uitgenodigd voor dit punt"),
        max_length=200,
        required=False,
        help_text=_("Rollen, geen namen: bv. leidinggevende, HR, vertegenwoordiger."),
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.smt} — {m.date:%d/%m/%Y}"


class PolicyItemForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = _text(_("Omschrijving"), required=False, rows=3)


class AdviceForm(forms.Form):
    advice = _text(_("Advies van het SMT"), rows=5)
    action_description = forms.CharField(
        label=_("Actie uit het advies"), max_length=300, required=False
    )
    action_owner = forms.CharField(label=_("Eigenaar van de actie"), max_length=100, required=False)
    action_due = forms.DateField(
        label=_("Tegen"), required=False, widget=DateInput(), help_text=DATE_HINT
    )

    def clean(self):
        data = super().clean()
        parts = [data.get("action_description"), data.get("action_owner"), data.get("action_due")]
        if any(parts) and not all(parts):
            raise forms.ValidationError(
                _("Een actie heeft een omschrijving, een eigenaar en een datum.")
            )
        return data


class ConclusionForm(forms.Form):
    advice = _text(_("Conclusie van het SMT"), rows=4)


class MinutesForm(forms.Form):
    minutes = _text(_("Verslag"), required=False, rows=8)


class ReferralForm(forms.Form):
    question = _text(_("Vraag aan de tweede lijn"), rows=3)


class AnswerForm(forms.Form):
    answer = _text(_("Antwoord aan de coach"), rows=4)


class IntervisionForm(forms.Form):
    title = forms.CharField(label=_("Titel van de casus"), max_length=200, help_text=ANONYMOUS_HINT)
    learning_question = _text(_("Leervraag"), required=False, help_text=ANONYMOUS_HINT, rows=3)


class AlignmentForm(forms.Form):
    held_on = forms.DateField(label=_("Gehouden op"), widget=DateInput(), help_text=DATE_HINT)
    next_on = forms.DateField(
        label=_("Volgende afstemming"), required=False, widget=DateInput(), help_text=DATE_HINT
    )
