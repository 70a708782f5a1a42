"""Short forms, one per kind of event, built from one table of fields.

Forms only validate input; the services decide and write.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terugkeer.rules import facts as rf
from terugkeer.trajectories import labels
from terugkeer.trajectories.dates import date_problem, validate_plausible_date
from terugkeer.trajectories.medical import matcher_for

NOTE_HINT = _(
    "Schrijf hier nooit medische informatie: geen diagnose, oorzaak of aard van de ziekte, "
    "geen behandeling of medicatie."
)


class DateInput(forms.DateInput):
    """The browser's own date picker (keyboard and screen reader friendly). Its value is ISO
    (jjjj-mm-dd); a browser without one shows a text box, where dd/mm/jjjj is accepted too
    (settings.DATE_INPUT_FORMATS)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(
            format="%Y-%m-%d",
            attrs={"placeholder": "dd/mm/jjjj", "autocomplete": "off"},
            **kwargs,
        )


DATE_HINT = _("Kies de datum, of typ hem als dd/mm/jjjj.")

# Length limits of the free-text fields (the models have the same limits).
NOTE_MAX = 2000
SHORT_MAX = 200


def confirm_field():
    return forms.BooleanField(
        required=False,
        label=_("Ik heb de tekst nagelezen: hij bevat geen medische informatie."),
    )


class MedicalTextCheck:
    """Free-text fields are scanned for medical words (trajectories.medical, plus the words
    of the organisation). A hit is an error on that field until the writer ticks
    `confirm_not_medical`: confirm or rewrite. Keeping the text is audited by the service."""

    medical_text_fields: tuple[str, ...] = ()

    def check_medical_text(self, data, organisation) -> None:
        self.medical_warning: list[str] = []
        self.medical_fields: list[str] = []
        texts = {
            name: str(data.get(name) or "")
            for name in self.medical_text_fields
            if name in self.fields
        }
        found = matcher_for(organisation).fields(texts) if any(texts.values()) else {}
        for terms in found.values():
            self.medical_warning += [t for t in terms if t not in self.medical_warning]
        self.medical_fields = list(found)
        if not found or data.get("confirm_not_medical"):
            return
        for name, terms in found.items():
            self.add_error(
                name,
                _(
                    "Deze tekst lijkt medische informatie te bevatten (%(words)s). "
                    "Herschrijf hem, of bevestig hieronder dat hij niets medisch bevat."
                )
                % {"words": ", ".join(terms)},
            )


def date_field(label, required=True, help_text=DATE_HINT):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        validators=[validate_plausible_date],
    )


def choice_field(label, mapping, required=True):
    choices = labels.choices(mapping)
    if not required:
        choices = [("", "—")] + choices
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect if len(choices) <= 4 else forms.Select,
    )


def yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=[("1", _("Ja")), ("0", _("Nee"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


# Which inputs each event form asks, as (form field name, model column, field factory).
FIELDS = {
    "date": lambda: date_field(_("Datum")),
    "channel": lambda: choice_field(_("Kanaal"), rf.CONTACT_CHANNELS),
    "contact_by": lambda: choice_field(_("Door wie"), rf.CONTACT_BY),
    "participants": lambda: forms.CharField(
        label=_("Wie nam deel"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: medewerker, leidinggevende, terugkeercoach."),
    ),
    "conversation_outcome": lambda: choice_field(_("Uitkomst"), rf.CONVERSATION_OUTCOMES),
    "next_date": lambda: date_field(_("Volgend gesprek gepland op"), required=False),
    "work_potential_result": lambda: choice_field(_("Resultaat"), rf.WORK_POTENTIAL_RESULTS),
    "visit_by": lambda: choice_field(_("Gevraagd door"), rf.VISIT_REQUESTERS),
    "granted": lambda: yes_no(_("Ingewilligd")),
    "formal_by": lambda: choice_field(_("Aangevraagd door"), rf.FORMAL_REQUESTERS),
    "attended": lambda: yes_no(_("Is de medewerker ingegaan op de uitnodiging?")),
    "decision": lambda: choice_field(_("Beslissing van de arbeidsarts"), rf.DECISIONS),
    "motivated_reason": lambda: choice_field(_("Reden"), rf.MOTIVATED_REPORT_REASONS),
    "accepted": lambda: yes_no(_("Aanvaardt de medewerker het plan?")),
    "refusal_reason": lambda: choice_field(
        _("Reden van weigering"), rf.REFUSAL_REASONS, required=False
    ),
    "not_needed_reason": lambda: choice_field(
        _("Waarom is de inschatting niet nodig?"), rf.WORK_POTENTIAL_NOT_NEEDED_REASONS
    ),
    "return_type": lambda: choice_field(_("Soort werkhervatting"), rf.RETURN_TYPES),
    "percentage": lambda: forms.IntegerField(
        label=_("Werkpercentage"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Bij een progressieve hervatting: 50, 60, 70 of 80 %."),
    ),
    "closure_outcome": lambda: choice_field(_("Resultaat"), rf.CLOSURE_OUTCOMES),
    "note": lambda: forms.CharField(
        label=_("Korte notitie"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_HINT,
    ),
}

# Form field name -> the Event column it fills.
COLUMN = {
    "channel": "channel",
    "contact_by": "by",
    "conversation_outcome": "outcome",
    "next_date": "next_date",
    "work_potential_result": "result",
    "visit_by": "by",
    "granted": "granted",
    "formal_by": "by",
    "attended": "attended",
    "decision": "decision",
    "motivated_reason": "reason",
    "accepted": "accepted",
    "refusal_reason": "reason",
    "not_needed_reason": "reason",
    "return_type": "return_type",
    "percentage": "percentage",
    "closure_outcome": "outcome",
}

EVENT_FORMS: dict[str, list[str]] = {
    "contact": ["date", "channel", "contact_by", "note"],
    "four_week_list": ["date"],
    "physician_information": ["date"],
    "early_start_consent": ["date"],
    "work_potential_request": ["date"],
    "work_potential_result": ["date", "work_potential_result"],
    "work_potential_not_needed": ["date", "not_needed_reason", "note"],
    "visit_before_return_requested": ["date", "visit_by"],
    "visit_before_return_held": ["date"],
    "preventive_answer": ["date", "granted", "note"],
    "conversation": ["date", "participants", "conversation_outcome", "next_date", "note"],
    "agreements": ["date", "note"],
    "definitive_unfitness_certificate": ["date"],
    "formal_request": ["date", "formal_by"],
    "invitation": ["date", "attended"],
    "assessment": ["date", "decision"],
    "appeal": ["date"],
    "appeal_outcome": ["date", "decision"],
    "motivated_report": ["date", "motivated_reason", "note"],
    "employee_answer": ["date", "accepted", "refusal_reason", "note"],
    "return_to_work": ["date", "return_type", "percentage", "note"],
    "follow_up": ["date", "note"],
    "closure": ["date", "closure_outcome", "note"],
}

DATE_LABELS = {
    "assessment": _("Datum van ontvangst van de beslissing"),
    "formal_request": _("Datum van de aanvraag"),
    "appeal": _("Datum van het beroep"),
    "return_to_work": _("Eerste werkdag"),
}


class EventForm(MedicalTextCheck, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm_not_medical = forms.BooleanField(
        required=False,
        label=_("Ik heb de notitie nagelezen: ze bevat geen medische informatie."),
    )
    medical_text_fields = ("note", "participants")

    def __init__(self, *args, event_type: str, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event_type = event_type
        self.organisation = organisation
        self.medical_warning: list[str] = []
        for name in EVENT_FORMS[event_type]:
            self.fields[name] = FIELDS[name]()
        if event_type in DATE_LABELS:
            self.fields["date"].label = DATE_LABELS[event_type]
        # Keep the confirmation box last, and only where there is free text.
        confirm = self.fields.pop("confirm_not_medical")
        if any(name in self.fields for name in self.medical_text_fields):
            self.fields["confirm_not_medical"] = confirm

    def clean(self):
        data = super().clean()
        if self.event_type == "employee_answer" and data.get("accepted") is False:
            if not data.get("refusal_reason"):
                self.add_error("refusal_reason", _("Geef de reden van de weigering."))
        if self.event_type == "return_to_work" and data.get("return_type") == "progressive":
            if not data.get("percentage"):
                self.add_error("percentage", _("Geef het werkpercentage van de hervatting."))
        self.check_medical_text(data, self.organisation)
        return data

    def event_fields(self) -> dict:
        return {COLUMN[n]: self.cleaned_data.get(n) for n in self.fields if n in COLUMN}


class AbsenceForm(forms.Form):
    first_day = date_field(_("Eerste dag van de afwezigheid"))
    expected_end = date_field(_("Verwachte einddatum"), required=False)
    end_day = date_field(_("Laatste dag (als de medewerker al hervat heeft)"), required=False)

    def clean(self):
        data = super().clean()
        first, end = data.get("first_day"), data.get("end_day")
        if first and end and end < first:
            self.add_error("end_day", _("De laatste dag ligt voor de eerste dag."))
        elif end and end > timezone.localdate():
            # "Als de medewerker al hervat heeft": a day still to come is the expected end
            # (the prevention-service file would otherwise carry it as a known end).
            self.add_error(
                "end_day",
                _("De laatste dag ligt in de toekomst: vul die in als verwachte einddatum."),
            )
        expected = data.get("expected_end")
        if first and expected and expected < first:
            self.add_error("expected_end", _("De verwachte einddatum ligt voor de eerste dag."))
        return data


class PreventiveForm(forms.Form):
    request_date = date_field(_("Datum van de vraag van de medewerker"))


class ContactWishesForm(MedicalTextCheck, forms.Form):
    medical_text_fields = ("by",)
    version = forms.IntegerField(widget=forms.HiddenInput)
    pause = forms.BooleanField(
        label=_("De medewerker wil tijdelijk geen contact (pauze)"), required=False
    )
    frequency_days = forms.IntegerField(
        label=_("Contact om de hoeveel dagen"), min_value=1, max_value=365, required=False
    )
    channel = choice_field(_("Gewenste contactwijze"), rf.CONTACT_CHANNELS, required=False)
    by = forms.CharField(label=_("Bij voorkeur door"), max_length=100, required=False)
    confirm_not_medical = confirm_field()

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self):
        data = super().clean()
        self.check_medical_text(data, self.organisation)
        return data


def plan_text_field(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=NOTE_MAX,
        validators=[MaxLengthValidator(NOTE_MAX)],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class PlanForm(MedicalTextCheck, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    delivered_on = date_field(_("Bezorgd op"))
    work_percentage = forms.TypedChoiceField(
        label=_("Werkpercentage bij de start"),
        choices=[
            ("", "—"),
            ("50", "50 %"),
            ("60", "60 %"),
            ("70", "70 %"),
            ("80", "80 %"),
            ("100", "100 %"),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    workplace_adaptations = plan_text_field(_("Aanpassingen van de werkplek"), NOTE_HINT)
    adapted_work = plan_text_field(_("Aangepast werk (volume, uren, opbouw)"))
    other_work = plan_text_field(_("Ander werk (inhoud, volume, uren, opbouw)"))
    training = plan_text_field(_("Opleiding"))
    valid_until = date_field(_("Geldig tot"), required=False)
    review_dates = forms.CharField(
        label=_("Evaluatiemomenten"),
        required=False,
        max_length=SHORT_MAX,
        help_text=_("Data als dd/mm/jjjj, gescheiden door komma's."),
    )
    support_measures = forms.ModelMultipleChoiceField(
        label=_("Ondersteuningsmaatregelen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    welfare_actors = forms.ModelMultipleChoiceField(
        label=_("Betrokken welzijnsactoren"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_not_medical = confirm_field()
    STEP_COUNT = 5

    def __init__(self, *args, organisation, trajectory=None, **kwargs):
        from terugkeer.toolbox.models import SupportMeasure, WelfareActor

        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.medical_warning: list[str] = []
        self.medical_text_fields = (
            "workplace_adaptations",
            "adapted_work",
            "other_work",
            "training",
            *(
                f"step_{i}_{part}"
                for i in range(self.STEP_COUNT)
                for part in ("description", "owner")
            ),
        )
        self.trajectory = trajectory
        self.fields["delivered_on"].initial = timezone.localdate
        self.fields["support_measures"].queryset = SupportMeasure.objects.filter(
            organisation=organisation, active=True
        )
        self.fields["welfare_actors"].queryset = WelfareActor.objects.filter(
            organisation=organisation, active=True
        )
        for i in range(self.STEP_COUNT):
            self.fields[f"step_{i}_description"] = forms.CharField(
                label=_("Stap %(n)s") % {"n": i + 1}, max_length=300, required=False
            )
            self.fields[f"step_{i}_owner"] = forms.CharField(
                label=_("Wie (stap %(n)s)") % {"n": i + 1}, max_length=100, required=False
            )
            self.fields[f"step_{i}_due"] = date_field(
                _("Tegen (stap %(n)s)") % {"n": i + 1}, required=False, help_text=""
            )

    def step_rows(self):
        return [
            (self[f"step_{i}_description"], self[f"step_{i}_owner"], self[f"step_{i}_due"])
            for i in range(self.STEP_COUNT)
        ]

    def clean_review_dates(self):
        raw = self.cleaned_data.get("review_dates", "")
        field = forms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"])
        dates = []
        for part in [p.strip() for p in raw.split(",") if p.strip()]:
            try:
                day = field.clean(part)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("'%(value)s' is geen geldige datum (dd/mm/jjjj).") % {"value": part}
                ) from None
            if (problem := date_problem(day)) is not None:
                raise forms.ValidationError(f"{part}: {problem}")
            dates.append(day)
        return dates

    def clean(self):
        data = super().clean()
        has_step = any(
            (data.get(f"step_{i}_description") or "").strip() for i in range(self.STEP_COUNT)
        )
        if not has_step and data.get("work_percentage") is None:
            self.add_error(
                "step_0_description",
                _("Geef minstens één stap of kies een werkpercentage."),
            )
        self.check_medical_text(data, self.organisation)
        return data

    def clean_delivered_on(self):
        from terugkeer.trajectories.services import plan_delivered_on_problem

        day = self.cleaned_data["delivered_on"]
        problem = plan_delivered_on_problem(day, self.trajectory)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def steps(self):
        return [
            {
                "description": self.cleaned_data.get(f"step_{i}_description", ""),
                "owner": self.cleaned_data.get(f"step_{i}_owner", ""),
                "due": self.cleaned_data.get(f"step_{i}_due"),
            }
            for i in range(self.STEP_COUNT)
        ]
