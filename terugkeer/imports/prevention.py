"""The file for the external prevention service: inactivity periods in the layout of IDEWE's
electronic exchange of personnel data (docs/import.md, "The prevention service's file").

IDEWE reads an Excel file or a UTF-8 tab-separated text file, one line per employee, dates as
DD/MM/JJJJ, the employer identified by its 7-character affiliation number, and per employee an
inactivity period (start, end) with "is the cause an illness or an accident? (Ja/Neen)". From
four weeks of inactivity IDEWE contacts the employee about a return to work: this file is how
the employer meets the 4-week step (Codex art. I.4-4 §3) without a hand-made list.

Terugkeer records only absences through incapacity for work, which is always from an illness
or an accident; it never stores which, nor any other cause. So "Ziekte of ongeval" is "Ja" on
every line (ILLNESS_OR_ACCIDENT): a statement about the kind of absence Terugkeer keeps, not
about this employee's cause.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from terugkeer.accounts.access import can_write, employee_scope
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.services import audit_record
from terugkeer.organisations.models import Organisation
from terugkeer.trajectories import services as trajectory_services
from terugkeer.trajectories.models import Absence, Trajectory

# The columns, in this order, with IDEWE's field names (the header row of the file).
COLUMNS = (
    "Werkgever",
    "Personeelsnr",
    "Naam",
    "Voornaam",
    "Begindatum inactiviteit",
    "Einddatum inactiviteit",
    "Ziekte of ongeval",
)
ILLNESS_OR_ACCIDENT = "Ja"
# An absence that ended this many days ago or less is still sent, so that the prevention
# service learns the end of the period (send the file at least monthly).
RECENT_DAYS = 31
FOUR_WEEKS = 28
FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "txt"),
}
NOTE = "doorgegeven via het personeelsbestand"


@dataclass
class Line:
    absence: Absence
    affiliation: str

    def values(self) -> list[str]:
        employee = self.absence.employee
        return [
            self.affiliation,
            employee.personnel_number,
            employee.last_name,
            employee.first_name,
            self.absence.first_day.strftime("%d/%m/%Y"),
            self.absence.end_day.strftime("%d/%m/%Y") if self.absence.end_day else "",
            ILLNESS_OR_ACCIDENT,
        ]


def prevention_lines(user, *, on: date, four_weeks_only: bool = False) -> list[Line]:
    """One line per employee in the user's scope: the absence running on `on`, or else the
    latest one that ended in the RECENT_DAYS before. With four_weeks_only, only absences that
    reached four weeks (the 4-week list)."""
    absences = (
        Absence.objects.filter(employee_scope(user, prefix="employee__"))
        .filter(first_day__lte=on)
        .filter(Q(end_day__isnull=True) | Q(end_day__gte=on - timedelta(days=RECENT_DAYS)))
        .select_related("employee", "employee__organisation")
        .order_by("employee__organisation__name", "employee__personnel_number", "-first_day")
    )
    lines: list[Line] = []
    seen: set[int] = set()
    for absence in absences:
        if absence.employee_id in seen:
            continue
        seen.add(absence.employee_id)
        if four_weeks_only:
            last = min(absence.end_day or on, on)
            if (last - absence.first_day).days + 1 < FOUR_WEEKS:
                continue
        lines.append(Line(absence, absence.employee.organisation.prevention_affiliation))
    return lines


def organisations_without_affiliation(lines: list[Line]) -> list[Organisation]:
    found = {line.absence.employee.organisation for line in lines if not line.affiliation}
    return sorted(found, key=lambda organisation: organisation.name)


def _cell(text: str) -> str:
    # A tab or line break inside a value would shift the columns of a tab-separated line.
    return " ".join(str(text).split())


def write_tsv(lines: list[Line]) -> bytes:
    out = io.StringIO()
    for row in [list(COLUMNS), *(line.values() for line in lines)]:
        out.write("\t".join(_cell(value) for value in row) + "\r\n")
    return out.getvalue().encode("utf-8")


def write_xlsx(lines: list[Line]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Personeel")
    for row, values in enumerate([list(COLUMNS), *(line.values() for line in lines)]):
        for column, value in enumerate(values):
            # write_string: text stays text (a value starting with = never becomes a formula;
            # dates stay DD/MM/JJJJ as IDEWE asks, whatever the reader's locale).
            sheet.write_string(row, column, _cell(value))
    workbook.close()
    return buffer.getvalue()


@transaction.atomic
def prevention_export(
    *, actor, fmt: str, on: date, four_weeks_only: bool = False
) -> tuple[str, str, bytes]:
    """The file (name, content type, bytes), written to the audit log with every employee."""
    if fmt not in FORMATS:
        raise ValidationError(_("Onbekend formaat."))
    lines = prevention_lines(actor, on=on, four_weeks_only=four_weeks_only)
    missing = organisations_without_affiliation(lines)
    if missing:
        raise ValidationError(
            _(
                "Het aansluitingsnummer bij de externe preventiedienst ontbreekt voor: %(names)s. "
                "De functioneel beheerder vult het in bij de organisatie (Beheer)."
            )
            % {"names": ", ".join(o.name for o in missing)}
        )
    content = write_xlsx(lines) if fmt == "xlsx" else write_tsv(lines)
    organisation_ids = sorted({line.absence.employee.organisation_id for line in lines})
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="prevention_service_file",
        object_id=on.isoformat(),
        organisation_id=organisation_ids[0] if len(organisation_ids) == 1 else None,
        changes={
            "format": fmt,
            "four_weeks_only": four_weeks_only,
            "employees": [line.absence.employee_id for line in lines],
            "organisations": organisation_ids,
        },
    )
    content_type, extension = FORMATS[fmt]
    suffix = "4-weken" if four_weeks_only else "inactiviteit"
    return f"preventiedienst-{suffix}-{on.isoformat()}.{extension}", content_type, content


def four_week_step_pending(user, lines: list[Line]) -> list[Trajectory]:
    """Open trajectories of the employees in the file whose 4-week step is not recorded yet and
    that this user may record it for."""
    trajectories = (
        Trajectory.objects.filter(
            employee_id__in=[line.absence.employee_id for line in lines], closed_on__isnull=True
        )
        .exclude(events__type="four_week_list")
        .select_related("employee")
        .order_by("employee__last_name", "pk")
    )
    return [
        t for t in trajectories if can_write(user, employee=t.employee, event_type="four_week_list")
    ]


def four_week_step_mark(*, actor, trajectory_ids: list[int], on: date) -> int:
    """Record the 4-week step ("four_week_list") as done on `on` for each trajectory: the names
    went to the prevention service in the personnel file. The rules engine then marks the
    obligation done. Each event goes through event_record (rights, audit, refresh)."""
    lines = prevention_lines(actor, on=on)
    allowed = {t.pk: t for t in four_week_step_pending(actor, lines)}
    done = 0
    for pk in trajectory_ids:
        trajectory = allowed.get(pk)
        if trajectory is None:
            raise PermissionDenied(_("Dit traject staat niet (meer) in de lijst."))
        trajectory_services.event_record(
            actor=actor,
            trajectory=trajectory,
            expected_version=None,
            data=trajectory_services.EventInput(type="four_week_list", date=on, note=NOTE),
            on=on,
        )
        done += 1
    return done
