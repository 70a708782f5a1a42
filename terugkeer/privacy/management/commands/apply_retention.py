"""Daily: anonymise closed dossiers past the retention period and purge old audit rows."""

from django.conf import settings
from django.core.management.base import BaseCommand

from terugkeer.accounts.access import SYSTEM
from terugkeer.privacy.retention import audit_purge, trajectories_anonymise


class Command(BaseCommand):
    help = "Anonimiseert afgesloten trajecten na de bewaartermijn en wist oude auditregels."

    def handle(self, *args, **options):
        result = trajectories_anonymise(actor=SYSTEM)
        purged = audit_purge()
        self.stdout.write(
            f"{result.trajectories} trajecten en {result.employees} medewerkers geanonimiseerd "
            f"(bewaartermijn {settings.TERUGKEER['RETENTION_DAYS']} dagen); "
            f"{purged} auditregels gewist "
            f"(bewaartermijn {settings.TERUGKEER['AUDIT_RETENTION_DAYS']} dagen)."
        )
