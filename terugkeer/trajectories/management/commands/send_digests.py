"""Enqueue the daily digest e-mail for every manager and coach who wants it.

Run daily (cron or a systemd timer); `manage.py db_worker` sends them. With --now the mails
are sent in this process instead (no worker needed).
"""

from django.core.management.base import BaseCommand

from terugkeer.trajectories.reminders import digest_recipients, digest_send, digests_enqueue


class Command(BaseCommand):
    help = "Zet de dagelijkse herinneringsmail klaar voor elke leidinggevende en coach."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Send in this process instead of enqueueing."
        )

    def handle(self, *args, now=False, **options):
        if now:
            sent = sum(1 for user in digest_recipients() if digest_send(user))
            self.stdout.write(f"{sent} e-mails verstuurd.")
            return
        count = digests_enqueue()
        self.stdout.write(f"{count} taken in de wachtrij (manage.py db_worker verstuurt ze).")
