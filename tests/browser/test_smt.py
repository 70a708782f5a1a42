"""The SMT's main flow in a real browser (issue 16): the coach proposes an anonymous and a named
case, an SMT member reads them and writes advice with an action, the coach sees the advice and
the new obligation, and after the meeting's period the named dossier is gone for the member."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from terugkeer.smt.models import AgendaItem, Meeting, Smt
from terugkeer.trajectories import services as trajectory_services
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _propose(page, live_server, trajectory, fill):
    page.goto(f"{live_server.url}/samenwerking/traject/{trajectory.pk}/")
    fill(page)
    page.get_by_role("button", name="Voorstellen").click()
    page.wait_for_load_state()


def test_coach_proposes_smt_advises_coach_sees_the_obligation(
    transactional_db, world, live_server, page
):
    today = timezone.localdate()
    smt = Smt.objects.create(organisation=world.vo, name="SMT test")
    meeting = Meeting.objects.create(smt=smt, date=today)
    meeting.attendees.add(world.sam)
    for employee in (world.emp_a, world.emp_a_other_team):
        trajectory_services.absence_register(
            actor=world.alice, employee=employee, first_day=today - timedelta(days=80)
        )
    anonymous_case = world.emp_a.trajectories.get()
    named_case = world.emp_a_other_team.trajectories.get()

    # The coach: an anonymous case, first with the employee's name in it (refused), then clean.
    sign_in(page, live_server, "alice", PASSWORD)
    question = "Welke stappen raadt het SMT aan?"

    def anonymous(summary):
        def fill(p):
            p.get_by_label("Vraag aan het SMT").fill(question)
            p.get_by_label("Samenvatting van de casus").fill(summary)

        return fill

    _propose(page, live_server, anonymous_case, anonymous("Mevrouw Aerts wil graag terugkomen."))
    assert "moet anoniem zijn" in page.locator(".error-summary").inner_text()
    assert "aerts" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    _propose(page, live_server, anonymous_case, anonymous("De medewerker wil graag terugkomen."))
    assert "staat op de agenda" in page.locator(".messages").inner_text()

    # A named case, with the employee's agreement recorded.
    def named(p):
        p.get_by_label("op naam", exact=True).check()
        p.get_by_label("Vraag aan het SMT").fill("Is ander werk in de entiteit mogelijk?")
        p.get_by_label("Akkoord van de medewerker op (alleen op naam)").fill(
            (today - timedelta(days=1)).isoformat()
        )
        p.get_by_label("Hoe het akkoord gegeven is (alleen op naam)").select_option("signed")

    _propose(page, live_server, named_case, named)
    assert "staat op de agenda" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Afmelden").click()

    # The SMT member: the meeting, the anonymous summary, the named dossier, the advice.
    named_item = AgendaItem.objects.get(form="named")
    sign_in(page, live_server, "sam", PASSWORD)
    page.goto(f"{live_server.url}/samenwerking/vergadering/{meeting.pk}/")
    assert_accessible(page)
    agenda = page.locator("section[aria-labelledby=agenda-title]").inner_text()
    assert "De medewerker wil graag terugkomen." in agenda
    assert world.emp_a.last_name not in agenda  # the anonymous case stays anonymous
    assert world.emp_a_other_team.last_name in agenda
    page.get_by_role("link", name=re.compile("Dossier inkijken")).click()
    page.wait_for_url(re.compile(r"/dossier/$"))
    assert world.emp_a_other_team.last_name in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    page.goto(f"{live_server.url}/samenwerking/vergadering/{meeting.pk}/")
    page.get_by_role("link", name=f"Advies schrijven {named_item.case_code}").click()
    assert_accessible(page)
    due = today + timedelta(days=21)
    page.get_by_label("Advies van het SMT").fill("Ander werk in een team van de entiteit zoeken.")
    page.get_by_label("Actie uit het advies").fill("Vacatures binnen de entiteit overlopen")
    page.get_by_label("Eigenaar van de actie").fill("terugkeercoach")
    page.get_by_label("Tegen").fill(due.isoformat())
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_load_state()
    assert "naar het traject geschreven" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Afmelden").click()

    # The coach sees the advice on the timeline and the action as an obligation.
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/trajecten/{named_case.pk}/")
    row = page.locator("tr[data-code='smt_action']")
    assert "Actie uit advies SMT" in row.inner_text()
    assert due.strftime("%d/%m/%Y") in row.inner_text()
    assert f"advies SMT van {today:%d/%m/%Y}" in row.inner_text()
    assert (
        "Ander werk in een team van de entiteit zoeken." in page.locator(".timeline").inner_text()
    )
    # ...and marks the action done from there: the obligation is no longer open.
    row.get_by_role("link", name=re.compile("Afronden")).click()
    page.get_by_role("button", name=re.compile("^Afgerond")).click()
    page.wait_for_load_state()
    assert "afgerond" in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}/trajecten/{named_case.pk}/")
    status = page.locator("tr[data-code='smt_action'] .status").inner_text().strip()
    assert status not in ("open", "binnenkort", "te laat")
    page.get_by_role("button", name="Afmelden").click()

    # After the meeting's period the member gets 404 on the named dossier.
    Meeting.objects.filter(pk=meeting.pk).update(date=today - timedelta(days=30))
    sign_in(page, live_server, "sam", PASSWORD)
    response = page.goto(f"{live_server.url}/samenwerking/agendapunt/{named_item.pk}/dossier/")
    assert response.status == 404


def test_second_line_intervision_alignment_pages_work_and_are_accessible(
    transactional_db, world, live_server, page
):
    today = timezone.localdate()
    smt = Smt.objects.create(organisation=world.vo, name="SMT test")
    meeting = Meeting.objects.create(smt=smt, date=today)
    meeting.attendees.add(world.sam)
    trajectory_services.absence_register(
        actor=world.alice, employee=world.emp_a, first_day=today - timedelta(days=80)
    )
    trajectory = world.emp_a.trajectories.get()

    # The coach refers to the second line and makes an intervision case.
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/samenwerking/traject/{trajectory.pk}/")
    assert_accessible(page)
    page.get_by_label("Vraag aan de tweede lijn").fill("Hoe bouwen we de terugkeer op?")
    page.get_by_role("button", name="Doorverwijzen").click()
    page.wait_for_load_state()
    assert "doorverwezen" in page.locator(".messages").inner_text()
    page.get_by_label("Titel van de casus").fill("Lange afwezigheid, twijfel over taken")
    page.get_by_role("button", name="Casus maken").click()
    page.wait_for_url(re.compile(r"/intervisie/\d+/$"))
    assert world.emp_a.last_name not in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/samenwerking/intervisie/")
    assert_accessible(page)
    page.get_by_role("button", name="Afmelden").click()

    # The adviser takes it up and answers; the policy list.
    sign_in(page, live_server, "adam", PASSWORD)
    page.goto(f"{live_server.url}/samenwerking/tweede-lijn/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Opnemen")).click()
    page.wait_for_load_state()
    page.get_by_label("Antwoord aan de coach").fill("Start met halve dagen.")
    page.get_by_role("button", name="Antwoorden en teruggeven").click()
    page.wait_for_load_state()
    assert "tijdlijn" in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}/samenwerking/beleid/")
    assert_accessible(page)
    page.get_by_role("button", name="Afmelden").click()

    # The line manager's alignment agenda, with an agreed action.
    sign_in(page, live_server, "bob", PASSWORD)
    page.goto(f"{live_server.url}/samenwerking/afstemming/")
    assert_accessible(page)
    page.get_by_label(f"Afgesproken actie voor {world.emp_a.full_name}").fill("Kaartje sturen.")
    page.get_by_label("Volgende afstemming").fill((today + timedelta(days=42)).isoformat())
    page.get_by_role("button", name="Afstemming bewaren").click()
    page.wait_for_load_state()
    assert "bewaard" in page.locator(".messages").inner_text()
    types = set(trajectory.events.values_list("type", flat=True))
    assert {"second_line_referral", "second_line_answer", "alignment_action"} <= types
    page.get_by_role("button", name="Afmelden").click()

    # The SMT member's overview page.
    sign_in(page, live_server, "sam", PASSWORD)
    page.goto(f"{live_server.url}/samenwerking/")
    assert_accessible(page)
