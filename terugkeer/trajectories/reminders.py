"""The daily digest e-mail: what is due soon and what is overdue in a user's scope.

`send_digests` (management command, daily by cron or a systemd timer) enqueues one
`send_digest` task per manager and coach who wants it; `manage.py db_worker` runs them. The
due dates are the rules engine's, kept on Trajectory.next_* by the refresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from terugkeer.accounts.models import Role, User
from terugkeer.trajectories.models import Trajectory
from terugkeer.trajectories.selectors import caseload

DIGEST_ROLES = (Role.MANAGER, Role.COACH)
# Enough to act on in a mail; the rest is one click away in the caseload.
DIGEST_LIMIT = 50


@dataclass
class Digest:
    user: User
    overdue: list[Trajectory]
    due_soon: list[Trajectory]
    overdue_total: int
    due_soon_total: int

    @property
    def empty(self) -> bool:
        return not (self.overdue_total or self.due_soon_total)


def digest_recipients() -> QuerySet[User]:
    """Active managers and coaches who want the digest and have an e-mail address."""
    return (
        User.objects.filter(is_active=True, wants_digest=True, roles__role__in=DIGEST_ROLES)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def digest_for(user: User) -> Digest:
    cases = caseload(user)
    overdue = cases.filter(next_status=Trajectory.Status.OVERDUE)
    due_soon = cases.filter(next_status=Trajectory.Status.DUE_SOON)
    return Digest(
        user=user,
        overdue=list(overdue[:DIGEST_LIMIT]),
        due_soon=list(due_soon[:DIGEST_LIMIT]),
        overdue_total=overdue.count(),
        due_soon_total=due_soon.count(),
    )


def digest_send(user: User, *, base_url: str = "") -> bool:
    """Send the digest to one user; nothing is sent when nothing needs attention."""
    if not (user.is_active and user.wants_digest and user.email):
        return False
    digest = digest_for(user)
    if digest.empty:
        return False
    context = {
        "digest": digest,
        "base_url": base_url or settings.TERUGKEER.get("BASE_URL", ""),
        "limit": DIGEST_LIMIT,
    }
    subject = _("Terugkeer: %(overdue)s te laat, %(soon)s binnenkort") % {
        "overdue": digest.overdue_total,
        "soon": digest.due_soon_total,
    }
    send_mail(
        subject,
        render_to_string("reminders/digest_email.txt", context),
        None,
        [user.email],
    )
    return True


@task()
def send_digest(user_id: int) -> bool:
    """The background task: one digest for one user (run by manage.py db_worker)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    return digest_send(user)


def digests_enqueue() -> int:
    """Enqueue one digest task per recipient; returns how many were enqueued."""
    count = 0
    for user_id in digest_recipients().values_list("pk", flat=True):
        send_digest.enqueue(user_id)
        count += 1
    return count
