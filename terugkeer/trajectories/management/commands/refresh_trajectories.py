"""Daily: open trajectories for absences that reached the threshold, and recompute the next
obligation of every open trajectory (time passes: open becomes due soon, then overdue).

Only the absences without a trajectory that can still get one are looked at (see
services.attach_candidate_ids and docs/performance.md); --all looks at every one, as needed
once after a bulk load that bypassed the services or after a threshold was lowered. The open
trajectories are refreshed in batches (services.trajectories_refresh).
"""

import time

from django.core.management.base import BaseCommand

from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory

BATCH = 2000


class Command(BaseCommand):
    help = "Herberekent de volgende stap van elk lopend traject (dagelijks uit te voeren)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Elke afwezigheid zonder traject bekijken (na een bulklading of lagere drempel).",
        )

    def handle(self, *args, everything=False, **options):
        started = time.monotonic()
        on = services.today()

        def attach_progress(done, total):
            if done % 5000 == 0 or done == total:
                self.stdout.write(f"  {done}/{total} afwezigheden bekeken…")

        counts = services.waiting_absences_attach(
            on=on, everything=everything, progress=attach_progress
        )
        attached_in = time.monotonic() - started
        ids = list(
            Trajectory.objects.filter(closed_on__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        total = len(ids)
        for i in range(0, total, BATCH):
            services.trajectories_refresh(ids[i : i + BATCH], on=on)
            self.stdout.write(f"  {min(i + BATCH, total)}/{total} trajecten herberekend…")
        self.stdout.write(
            f"{counts['candidates']} afwezigheden zonder traject bekeken "
            f"({attached_in:.1f} s): {counts['opened']} trajecten geopend, "
            f"{counts['linked']} afwezigheden gekoppeld; {total} lopende trajecten herberekend; "
            f"klaar in {time.monotonic() - started:.1f} s."
        )
