"""Daily: open trajectories for absences that reached the threshold, and recompute the next
obligation of every open trajectory (time passes: open becomes due soon, then overdue)."""

import time

from django.core.management.base import BaseCommand

from terugkeer.accounts.access import SYSTEM
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Absence, Trajectory


class Command(BaseCommand):
    help = "Herberekent de volgende stap van elk lopend traject (dagelijks uit te voeren)."

    def handle(self, *args, **options):
        started = time.monotonic()
        today = services.today()
        opened = 0
        waiting = Absence.objects.filter(trajectory__isnull=True).select_related(
            "employee", "employee__organisation"
        )
        for absence in waiting.iterator(chunk_size=500):
            if services.absence_attach(absence, actor=SYSTEM, on=today):
                opened += 1
        trajectories = Trajectory.objects.filter(closed_on__isnull=True).select_related(
            "organisation", "employee"
        )
        total = trajectories.count()
        for n, trajectory in enumerate(trajectories.iterator(chunk_size=500), start=1):
            services.trajectory_refresh(trajectory, on=today)
            if n % 1000 == 0:
                self.stdout.write(f"  {n}/{total} trajecten herberekend…")
        self.stdout.write(
            f"{opened} trajecten geopend, {total} trajecten herberekend "
            f"in {time.monotonic() - started:.1f} s."
        )
