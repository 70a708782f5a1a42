from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from terugkeer.organisations.models import Organisation


def max_upload_mb() -> int:
    """The file is checked and imported in the background, so a web request's timeout no longer
    bounds its size; this only protects the disk (TERUGKEER_IMPORT_MAX_MB, default 500)."""
    return settings.TERUGKEER.get("IMPORT_MAX_MB", 500)


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_(
            "CSV (komma of puntkomma, UTF-8 of Windows-1252) of Excel (.xlsx) met een kopregel. "
            "Eerst ziet u wat er zou veranderen; pas na uw bevestiging wordt er iets ingelezen."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        self.only = organisations[0] if len(organisations) == 1 else None
        if self.only:
            self.fields["organisation"].initial = self.only.pk
            self.fields["organisation"].required = False
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_organisation(self):
        return self.cleaned_data.get("organisation") or self.only

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_mb()
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(_("Het bestand is groter dan %(n)s MB.") % {"n": limit})
        return upload
