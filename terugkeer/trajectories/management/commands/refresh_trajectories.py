"""Daily: open trajectories for absences that reached the threshold, link absences to open
trajectories, and recompute the next obligation of every open trajectory (time passes: open
becomes due soon, then overdue).

Only the absences without a trajectory that can still get one are looked at (see
services.attach_candidate_ids and docs/performance.md); --all looks at every one, as needed
once after a bulk load that bypassed the services or after a threshold was lowered. They are
handled set-based per batch (services.absences_attach_batch), then the open trajectories are
refreshed in batches (services.trajectories_refresh), which also refreshes the ones that got
absences. Prints its progress per phase and a summary; --today runs it as on another day.
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory

BATCH = 2000
# A progress line at most this often (seconds), and always at the end of a phase.
PROGRESS_EVERY = 10.0


class Command(BaseCommand):
    help = "Herberekent de volgende stap van elk lopend traject (dagelijks uit te voeren)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Elke afwezigheid zonder traject bekijken (na een bulklading of lagere drempel).",
        )
        parser.add_argument(
            "--today",
            dest="on",
            metavar="JJJJ-MM-DD",
            help="Uitvoeren alsof het vandaag deze dag is (standaard: vandaag).",
        )

    def handle(self, *args, everything=False, on=None, **options):
        if on:
            try:
                on = date.fromisoformat(on)
            except ValueError as error:
                raise CommandError(f"--today: geen datum JJJJ-MM-DD: {on}") from error
        else:
            on = services.today()
        started = time.monotonic()
        cpu_started = time.process_time()
        self.stdout.write(
            f"Dagelijkse herberekening op {on:%d/%m/%Y}" + (" (--all)" if everything else "")
        )

        attach_started = time.monotonic()
        last_line = [attach_started]

        def attach_progress(done, total):
            now = time.monotonic()
            if done == total or now - last_line[0] >= PROGRESS_EVERY:
                last_line[0] = now
                rate = done / max(now - attach_started, 1e-6)
                self.stdout.write(
                    f"  afwezigheden: {done}/{total} bekeken ({rate:.0f}/s, {now - started:.0f} s)…"
                )

        counts = services.waiting_absences_attach(
            on=on, everything=everything, progress=attach_progress, refresh=False
        )
        attached_in = time.monotonic() - attach_started

        refresh_started = time.monotonic()
        ids = list(
            Trajectory.objects.filter(closed_on__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        total = len(ids)
        last_line[0] = refresh_started
        for i in range(0, total, BATCH):
            services.trajectories_refresh(ids[i : i + BATCH], on=on)
            done = min(i + BATCH, total)
            now = time.monotonic()
            if done == total or now - last_line[0] >= PROGRESS_EVERY:
                last_line[0] = now
                rate = done / max(now - refresh_started, 1e-6)
                left = (total - done) / rate if rate else 0
                self.stdout.write(
                    f"  trajecten: {done}/{total} herberekend ({rate:.0f}/s, nog ~{left:.0f} s)…"
                )
        refreshed_in = time.monotonic() - refresh_started

        self.stdout.write(
            f"{counts['candidates']} afwezigheden zonder traject bekeken in {attached_in:.1f} s: "
            f"{counts['linked']} gekoppeld aan een lopend traject "
            f"({counts['relapses']} als herval), {counts['opened']} trajecten geopend, "
            f"{counts['unchanged']} zonder gevolg."
        )
        self.stdout.write(
            f"{total} lopende trajecten herberekend in {refreshed_in:.1f} s "
            f"({total / max(refreshed_in, 1e-6):.0f}/s)."
        )
        self.stdout.write(
            f"Klaar in {time.monotonic() - started:.1f} s "
            f"(processor {time.process_time() - cpu_started:.1f} s)."
        )
