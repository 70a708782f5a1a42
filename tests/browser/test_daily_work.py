"""The coach's and employee's daily work in a real browser (issue 15)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from terugkeer.trajectories import services
from terugkeer.trajectories.models import Trajectory
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD
from tests.portal._helpers import formal_case

pytestmark = pytest.mark.browser


def open_case(world, days=40):
    services.absence_register(
        actor=world.alice,
        employee=world.emp_a,
        first_day=timezone.localdate() - timedelta(days=days),
    )
    return Trajectory.objects.get(employee=world.emp_a)


def status_of(page, code):
    return page.locator(f"tr[data-code='{code}'] .status").inner_text().strip()


def test_empty_plan_is_refused_and_what_was_typed_stays(transactional_db, world, live_server, page):
    trajectory = open_case(world)
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/trajecten/{trajectory.pk}/plan/")
    page.get_by_label("Wie (stap 1)").fill("leidinggevende")
    page.get_by_label("Opleiding").fill("Cursus klantencontact")
    page.get_by_role("button", name="Plan bewaren").click()
    page.wait_for_load_state()
    assert "Geef minstens één stap of kies een werkpercentage." in page.content()
    assert page.get_by_label("Wie (stap 1)").input_value() == "leidinggevende"
    assert page.get_by_label("Opleiding").input_value() == "Cursus klantencontact"
    assert_accessible(page)
    assert not trajectory.plans.exists()


def test_planned_return_switches_the_obligations_on_its_day(
    transactional_db, world, live_server, page, monkeypatch
):
    trajectory = open_case(world)
    planned = timezone.localdate() + timedelta(days=20)
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/trajecten/{trajectory.pk}/registreer/return_to_work/")
    page.get_by_label("Eerste werkdag").fill(planned.isoformat())
    page.get_by_label("Soort werkhervatting").select_option("full")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"**/trajecten/{trajectory.pk}/")
    assert "gepland" in page.locator(".facts").first.inner_text()
    assert status_of(page, "contact") in ("open", "binnenkort", "te laat")
    assert page.locator("tr[data-code='follow_up_1']").count() == 0

    # The rules engine's day moves to the planned return (the clock does not).
    monkeypatch.setattr(services, "today", lambda: planned)
    page.reload()
    # The contact duty ended with its reason (listed with the rules that no longer apply).
    assert page.locator("tr[data-code='contact']").count() == 0
    page.get_by_text("niet van toepassing").click()
    assert "hervat" in page.locator("details").first.inner_text()
    assert status_of(page, "follow_up_1") in ("open", "binnenkort")
    assert_accessible(page)


def test_conversation_completed_from_the_obligations_own_action(
    transactional_db, world, live_server, page
):
    trajectory = open_case(world)
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/trajecten/{trajectory.pk}/")
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.locator("tr[data-code='conversation_2m'] a.obligation-action").click()
    page.wait_for_load_state()
    # The date is proposed (today): only the outcome is chosen.
    page.get_by_label("stappen mogelijk, met specifieke aandachtspunten").check()
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"**/trajecten/{trajectory.pk}/")
    assert status_of(page, "conversation_2m").startswith("gedaan")
    # Before: trajectory → action panel → form (typing the date) → save; now two page loads.
    assert len(loads) == 2, loads


MAIN_PAGES = {
    "alice": [
        "/",
        "/trajecten/",
        "/medewerkers/",
        "{employee}",
        "{trajectory}",
        "{plan}",
        "/rapporten/vier-weken/",
    ],
    "hannah": [
        "/",
        "/trajecten/",
        "/medewerkers/",
        "/audit/toegang/",
        "{trajectory}",
        "/rapporten/vier-weken/",
    ],
    "bob": ["/", "/trajecten/", "{trajectory}"],
    "rita": [
        "/",
        "/rapporten/",
        "/rapporten/jaarrapport/?scope=organisation-{vo}&jaar=2025",
        "/rapporten/dashboard/",
    ],
    "bert": ["/audit/"],
    "eva": ["/mijn-traject/", "/mijn-traject/plan/1/"],
}


@pytest.mark.parametrize("width", [320, 390])
def test_main_pages_reflow_without_horizontal_page_scroll(
    transactional_db, world, live_server, page, width
):
    trajectory, _eva = formal_case(world, employee=world.emp_a, username="eva")
    page.set_viewport_size({"width": width, "height": 800})
    values = {
        "employee": f"/medewerkers/{world.emp_a.pk}/",
        "trajectory": f"/trajecten/{trajectory.pk}/",
        "plan": f"/trajecten/{trajectory.pk}/plan/",
        "vo": world.vo.pk,
    }
    too_wide = []
    for username, paths in MAIN_PAGES.items():
        page.context.clear_cookies()
        sign_in(page, live_server, username, PASSWORD)
        for path in paths:
            page.goto(live_server.url + path.format(**values))
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                culprit = page.evaluate(
                    "[...document.querySelectorAll('body *')].filter(e => "
                    "e.getBoundingClientRect().right > document.documentElement.clientWidth + 1"
                    ").slice(0, 3).map(e => e.tagName + '.' + e.className)"
                )
                too_wide.append(f"{username} {path}: {scroll}px {culprit}")
        if width == 320:
            assert_accessible(page)
    assert not too_wide, too_wide
