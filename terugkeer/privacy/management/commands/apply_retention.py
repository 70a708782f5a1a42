"""Daily: anonymise closed dossiers past the retention period, purge old audit rows and import
files never confirmed (docs/privacy.md). --dry-run lists what would go and changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand

from terugkeer.accounts.access import SYSTEM
from terugkeer.privacy.retention import retention_apply, retention_plan


class Command(BaseCommand):
    help = (
        "Anonimiseert afgesloten trajecten na de bewaartermijn, wist oude auditregels en "
        "niet-bevestigde importbestanden. Met --dry-run: toont wat zou verdwijnen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="toon wat zou verdwijnen, verander niets"
        )

    def progress(self, message: str) -> None:
        self.stderr.write(message)

    def handle(self, *args, **options):
        conf = settings.TERUGKEER
        plan = retention_plan(progress=self.progress)
        if options["dry_run"]:
            self.list_plan(plan)
            return
        result = retention_apply(actor=SYSTEM, plan=plan, progress=self.progress)
        self.stdout.write(
            f"Vrije tekst van {result.trajectories} trajecten gewist; "
            f"{result.employees} medewerkers uit dienst geanonimiseerd; "
            f"{result.detached} trajecten en {result.absences} afwezigheden losgemaakt van de "
            f"persoon (bewaartermijn {conf['RETENTION_DAYS']} dagen, afgesloten vóór "
            f"{plan.cutoff:%d/%m/%Y}); {result.audit_rows} auditregels gewist "
            f"(bewaartermijn {conf['AUDIT_RETENTION_DAYS']} dagen); {result.uploads} "
            f"importbestanden gewist (na {conf['IMPORT_UPLOAD_DAYS']} dagen)."
        )

    def list_plan(self, plan) -> None:
        """What would go, by id and personnel number (no names in logs)."""
        out = self.stdout.write
        out(f"Proefdraai, er verandert niets. Bewaartermijn voorbij: vóór {plan.cutoff:%d/%m/%Y}.")
        for t in plan.text_trajectories:
            out(f"- traject {t.pk} (afgesloten {t.closed_on:%d/%m/%Y}): vrije tekst gewist")
        for e in plan.employees:
            out(f"- medewerker {e.pk} ({e.personnel_number}, uit dienst): geanonimiseerd")
        for d in plan.detachments:
            out(
                f"- medewerker {d.employee.pk} ({d.employee.personnel_number}): trajecten "
                f"{', '.join(map(str, d.trajectory_ids))} en {len(d.absence_ids)} afwezigheden "
                f"(begonnen vóór {d.split:%d/%m/%Y}) losgemaakt van de persoon"
            )
        whole = (
            f" ({len(plan.audit_partitions)} volledige "
            f"{'maand' if len(plan.audit_partitions) == 1 else 'maanden'} als partitie verwijderd)"
            if plan.audit_partitions
            else ""
        )
        out(f"- {plan.audit_rows} auditregels van vóór {plan.audit_before:%d/%m/%Y}: gewist{whole}")
        for run in plan.uploads:
            out(f"- importbestand van import {run.pk} ({run.created_at:%d/%m/%Y}): gewist")
        for path in plan.upload_files:
            out(f"- importbestand zonder import {path.name}: gewist")
        out(
            f"Samen: {len(plan.text_trajectories)} trajecten met vrije tekst, "
            f"{len(plan.employees)} medewerkers uit dienst, {len(plan.detachments)} personen "
            f"met oude trajecten, {plan.audit_rows} auditregels, "
            f"{len(plan.uploads) + len(plan.upload_files)} importbestanden."
        )
