"""Accounts for the load test on a database filled by bench/generate.py; writes them as JSON.

    DATABASE_URL=... .venv/bin/python bench/loadtest_setup.py OUT.json

Makes (or resets) four accounts in the generated organisation: a return-to-work coach of the
entity with the most open trajectories (a coach's real caseload), an employee with an open
trajectory for the portal, a rapporteur for the reports, and an API key with the read and report
scopes; removes the sessions of an earlier run. Prints nothing secret anywhere but OUT.json (a
throwaway file of a throwaway database).
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terugkeer.settings")

import django  # noqa: E402

django.setup()

from django.contrib.sessions.models import Session  # noqa: E402
from django.db.models import Count  # noqa: E402

from terugkeer.accounts.models import Role, RoleAssignment, User  # noqa: E402
from terugkeer.api.models import ApiKey  # noqa: E402
from terugkeer.organisations.models import Organisation  # noqa: E402
from terugkeer.trajectories.models import Trajectory  # noqa: E402


def account(username: str, password: str, organisation, **fields) -> User:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"organisation": organisation, "first_name": "Last", "last_name": username},
    )
    for name, value in fields.items():
        setattr(user, name, value)
    user.set_password(password)
    user.save()
    RoleAssignment.objects.filter(user=user).delete()
    return user


def main() -> None:
    out = Path(sys.argv[1])
    # Sessions of an earlier run were signed with that run's throwaway SECRET_KEY.
    Session.objects.all().delete()
    organisation = Organisation.objects.order_by("pk").first()
    open_trajectories = Trajectory.objects.filter(organisation=organisation, closed_on__isnull=True)
    # Access follows the entity the employee works in now (docs/access.md), so the busiest
    # entity is counted by that, not by the trajectory's entity (where it happened).
    busiest = (
        open_trajectories.values("employee__entity_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "employee__entity_id")
        .first()
    )
    password = secrets.token_urlsafe(16)
    coach = account("lt-coach", password, organisation)
    RoleAssignment.objects.create(
        user=coach,
        role=Role.COACH,
        organisation=organisation,
        unit_id=busiest["employee__entity_id"],
    )
    reporter = account("lt-rapporteur", password, organisation)
    RoleAssignment.objects.create(user=reporter, role=Role.REPORTER, organisation=organisation)
    portal_trajectory = open_trajectories.order_by("pk").first()
    User.objects.filter(employee_id=portal_trajectory.employee_id).exclude(
        username="lt-medewerker"
    ).update(employee=None)
    account("lt-medewerker", password, organisation, employee_id=portal_trajectory.employee_id)
    ApiKey.objects.filter(organisation=organisation, name="loadtest").delete()
    key = ApiKey(organisation=organisation, name="loadtest", scopes=["read", "read_reports"])
    token = key.set_new_token()
    key.save()
    caseload = list(
        open_trajectories.filter(employee__entity_id=busiest["employee__entity_id"])
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    config = {
        "password": password,
        "coach": coach.username,
        "reporter": reporter.username,
        "employee": "lt-medewerker",
        "api_token": token,
        "trajectories": caseload,
        "scope": f"organisation-{organisation.pk}",
        "open_in_caseload": busiest["n"],
    }
    out.write_text(json.dumps(config))
    print(
        f"load test accounts ready: coach of entity {busiest['employee__entity_id']} with "
        f"{busiest['n']} open trajectories; {Trajectory.objects.count():,} trajectories in all"
    )


if __name__ == "__main__":
    main()
