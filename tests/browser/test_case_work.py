"""The two main paths of a trajectory, clicked through in a real browser on a real server."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def obligation_status(page, code):
    return page.locator(f"tr[data-code='{code}'] .status").inner_text().strip()


def record(page, action, fill):
    link = page.get_by_role("link", name=action, exact=True)
    if not link.is_visible():  # actions that do not fit the phase are folded away
        page.get_by_text("Andere registraties").click()
    link.click()
    fill(page)
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_load_state()
    assert "is geregistreerd" in page.locator(".messages").inner_text()


def test_sign_in_reaches_home_and_is_accessible(transactional_db, world, live_server, page):
    sign_in(page, live_server, "alice", PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    assert_accessible(page)


def test_informal_path_with_points_of_attention(transactional_db, world, live_server, page):
    today = timezone.localdate()
    day = today.isoformat()
    first_day = (today - timedelta(days=35)).isoformat()
    sign_in(page, live_server, "alice", PASSWORD)

    # Absence registered on the employee's page opens the trajectory (35 days > 4 weeks).
    page.goto(f"{live_server.url}/medewerkers/{world.emp_a.pk}/")
    assert_accessible(page)
    page.get_by_label("Eerste dag van de afwezigheid").fill(first_day)
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_url(re.compile(r"/trajecten/\d+/$"))  # registering goes to its trajectory
    assert_accessible(page)
    assert obligation_status(page, "conversation_2m") == "open"

    record(
        page,
        "Contact met de afwezige medewerker",
        lambda p: (
            p.get_by_label("Datum").fill(day),
            p.get_by_label("Kanaal").select_option("call"),
            p.get_by_label("terugkeercoach").check(),
        ),
    )
    assert obligation_status(page, "contact").startswith("open")

    page.get_by_role("link", name="Gesprek over stappen naar werk", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Datum").fill(day)
    page.get_by_label("stappen mogelijk, met specifieke aandachtspunten").check()
    page.get_by_role("button", name="Bewaren").click()
    assert obligation_status(page, "conversation_2m").startswith("gedaan")
    assert obligation_status(page, "step_plan_2m") == "open"
    assert "terugkeercoach" in page.locator(".facts").first.inner_text()

    page.get_by_role("link", name="Plan opmaken", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Stap 1", exact=True).fill("Start halftijds in het eigen team")
    page.get_by_label("Wie (stap 1)").fill("leidinggevende")
    page.get_by_label("Werkpercentage bij de start").select_option("60")
    page.get_by_role("button", name="Plan bewaren").click()
    assert obligation_status(page, "step_plan_2m").startswith("gedaan")
    assert "werkpercentage 60 %" in page.content()

    record(
        page,
        "Werkhervatting",
        lambda p: (
            p.get_by_label("Eerste werkdag").fill(day),
            p.get_by_label("Soort werkhervatting").select_option("progressive"),
            p.get_by_label("Werkpercentage").fill("60"),
        ),
    )
    assert "opvolging" in page.locator(".facts").first.inner_text()
    assert page.locator("tr[data-code='follow_up_1']").count() == 1

    record(page, "Opvolggesprek na werkhervatting", lambda p: p.get_by_label("Datum").fill(day))
    record(
        page,
        "Afsluiting van het traject",
        lambda p: (
            p.get_by_label("Datum").fill(day),
            p.get_by_label("Resultaat").select_option("sustainable_return"),
        ),
    )
    assert "Dit traject is afgesloten." in page.content()
    assert "duurzame terugkeer" in page.content()


def test_formal_path_after_four_months_without_conversation(
    transactional_db, world, live_server, page
):
    today = timezone.localdate()
    day = today.isoformat()
    first_day = (today - timedelta(days=130)).isoformat()
    sign_in(page, live_server, "hannah", PASSWORD)
    page.goto(f"{live_server.url}/medewerkers/{world.emp_a.pk}/")
    page.get_by_label("Eerste dag van de afwezigheid").fill(first_day)
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_url(re.compile(r"/trajecten/\d+/$"))  # registering goes to its trajectory

    # 4 months without a conversation: the omzendbrief's signal and an overdue conversation.
    assert obligation_status(page, "formal_required_no_conversation") == "open"
    assert obligation_status(page, "conversation_2m") == "te laat"

    record(
        page,
        "Verzoek tot formeel re-integratietraject",
        lambda p: (
            p.get_by_label("Datum van de aanvraag").fill(day),
            p.get_by_label("werkgever").check(),
        ),
    )
    assert obligation_status(page, "formal_required_no_conversation").startswith("gedaan")
    assert obligation_status(page, "assessment") == "open"

    page.get_by_role("link", name="Re-integratiebeoordeling ontvangen", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Datum van ontvangst van de beslissing").fill(day)
    page.get_by_label("A: tijdelijk ongeschikt").check()
    page.get_by_role("button", name="Bewaren").click()
    assert obligation_status(page, "assessment").startswith("gedaan")
    assert obligation_status(page, "plan_after_a") == "open"

    page.get_by_role("link", name="Plan opmaken", exact=True).click()
    page.get_by_label("Stap 1", exact=True).fill("Aangepast werk: backoffice, 4 halve dagen")
    page.get_by_label("Werkpercentage bij de start").select_option("50")
    page.get_by_role("button", name="Plan bewaren").click()
    assert obligation_status(page, "plan_after_a").startswith("gedaan")
    assert obligation_status(page, "employee_answer") == "open"

    record(
        page,
        "Antwoord van de medewerker op het plan",
        lambda p: (
            p.get_by_label("Datum").fill(day),
            p.get_by_label("Ja").check(),
        ),
    )
    assert obligation_status(page, "employee_answer").startswith("gedaan")

    record(
        page,
        "Werkhervatting",
        lambda p: (
            p.get_by_label("Eerste werkdag").fill(day),
            p.get_by_label("Soort werkhervatting").select_option("adapted"),
        ),
    )
    assert "opvolging" in page.locator(".facts").first.inner_text()


def test_caseload_and_every_form_are_accessible(transactional_db, world, live_server, page):
    from terugkeer.trajectories import services
    from terugkeer.trajectories.forms import EVENT_FORMS
    from terugkeer.trajectories.models import Trajectory

    services.absence_register(
        actor=world.alice,
        employee=world.emp_a,
        first_day=timezone.localdate() - timedelta(days=50),
    )
    trajectory = Trajectory.objects.get()
    sign_in(page, live_server, "alice", PASSWORD)
    paths = ["/trajecten/", "/medewerkers/", f"/trajecten/{trajectory.pk}/contactwensen/"]
    paths += [f"/trajecten/{trajectory.pk}/registreer/{t}/" for t in EVENT_FORMS]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    # An empty submit shows the error summary, which must be accessible too.
    page.goto(f"{live_server.url}/trajecten/{trajectory.pk}/registreer/conversation/")
    page.get_by_role("button", name="Bewaren").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_caseload_follows_the_filters_without_reloading(transactional_db, world, live_server, page):
    """With htmx the list, the count (a live region) and the address follow the search box and
    the selects; no full reload, nothing blocked by the Content-Security-Policy."""
    from terugkeer.trajectories import services
    from terugkeer.trajectories.models import Trajectory

    for employee in (world.emp_a, world.emp_a_other_team):
        services.absence_register(
            actor=world.alice,
            employee=employee,
            first_day=timezone.localdate() - timedelta(days=50),
        )
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("response", lambda r: r.status >= 400 and problems.append(r.url))
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/trajecten/")
    count = page.locator("#case-count")
    assert count.inner_text() == "2 trajecten"
    assert "{#" not in page.inner_text("body") and "{%" not in page.inner_text("body")
    page.evaluate("window.sameDocument = true")

    page.get_by_label("Naam of personeelsnummer").fill("Andries")
    page.wait_for_function(
        "document.querySelector('#case-count').textContent.trim() === '1 traject'"
    )
    table = page.locator("#case-results table").inner_text()
    assert "Andries" in table and "Aerts" not in table
    assert "q=Andries" in page.url
    assert page.evaluate("window.sameDocument") is True

    page.get_by_label("Naam of personeelsnummer").fill("")
    page.wait_for_function(
        "document.querySelector('#case-count').textContent.trim() !== '1 traject'"
    )
    page.get_by_label("Status").select_option("overdue")
    page.wait_for_url(re.compile(r"status=overdue"))
    overdue = Trajectory.objects.filter(next_status="overdue").count()
    expected = "1 traject" if overdue == 1 else f"{overdue} trajecten"
    page.wait_for_function(
        f"document.querySelector('#case-count').textContent.trim() === '{expected}'"
    )
    assert page.evaluate("window.sameDocument") is True
    assert_accessible(page)
    assert not problems, problems
