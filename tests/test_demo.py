"""The README's first command loads this demo: it must build, every demo account must reach its
home page, and the yearly report of last year must have figures to show (formal ones too)."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from terugkeer.accounts.models import User
from terugkeer.organisations.models import Organisation
from terugkeer.reports.compute import build_report
from terugkeer.reports.scopes import Scope
from terugkeer.trajectories.models import Trajectory

DEMO_USERS = [
    "coach",
    "leidinggevende",
    "hr",
    "adviseur",
    "arts",
    "smt",
    "rapporteur",
    "beheerder",
    "coach-demostad",
    "medewerker",
]


@pytest.fixture
def demo(db):
    call_command("demo_data", quiet=True)


def test_every_demo_account_reaches_its_home(demo, client):
    for username in DEMO_USERS:
        client.force_login(User.objects.get(username=username))
        response = client.get("/", follow=True)
        assert response.status_code == 200, username
        client.logout()


def test_demo_covers_every_phase_and_two_report_years(demo, settings):
    phases = set(Trajectory.objects.values_list("phase", flat=True))
    assert phases >= {"contact", "conversation", "plan", "formal", "follow_up", "closed"}
    vo = Organisation.objects.get(name="Vlaamse overheid (demo)")
    today = timezone.localdate()
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    report = build_report(Scope("organisation", vo.pk, vo.pk, vo.name), today.year - 1, today=today)
    closed = report.table("trajectories").rows[1]
    assert closed.current[-1].value > 0 and closed.previous[-1].value > 0
    formal = report.table("formal_by_requester").rows[-1]
    assert formal.current[0].value + formal.previous[0].value > 0
    assert Trajectory.objects.filter(formal_requested_on__lt=date(today.year, 1, 1)).exists()


def test_hr_can_download_the_prevention_file_in_the_demo(demo, client):
    # Without an affiliation number the page only says the file cannot be downloaded.
    client.force_login(User.objects.get(username="hr"))
    response = client.get("/importeren/preventiedienst/?formaat=tsv")
    assert response.status_code == 200
    assert "8216753" in response.content.decode("utf-8-sig")


def test_loading_twice_changes_nothing(demo):
    before = Trajectory.objects.count()
    call_command("demo_data", quiet=True)
    assert Trajectory.objects.count() == before
