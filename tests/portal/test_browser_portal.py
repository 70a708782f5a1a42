"""The employee's portal in a real browser: contact wishes, the plan, a refusal with a reason;
then the coach sees the refusal and the rules engine's next obligation."""

import pytest

from terugkeer.trajectories.models import Event, Trajectory
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD
from tests.portal._helpers import formal_case

pytestmark = pytest.mark.browser


def test_employee_refuses_plan_and_coach_sees_it(transactional_db, world, live_server, page):
    trajectory, eva = formal_case(world)
    sign_in(page, live_server, eva.username, PASSWORD)
    page.goto(f"{live_server.url}/mijn-traject/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn traject"
    assert "GEHEIM-INTERN" not in page.content()
    assert_accessible(page)

    # Contact wishes: by e-mail, every 21 days, by the coach.
    page.get_by_role("link", name="Contactwensen aanpassen").click()
    assert_accessible(page)
    page.get_by_label("Hoe wilt u gecontacteerd worden?").select_option("mail")
    page.get_by_label("Om de hoeveel dagen?").fill("21")
    page.get_by_label("Door wie?").select_option("terugkeercoach")
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_load_state()
    assert "Uw contactwensen zijn bewaard." in page.locator(".messages").inner_text()
    assert "Om de 21 dagen" in page.content()

    # The plan: read it, then refuse without a reason (error), then with one.
    page.get_by_role("link", name="Plan bekijken en antwoorden").click()
    assert "Kennismaking met het team" in page.content()
    assert_accessible(page)
    page.get_by_label("Ik weiger het plan").check()
    page.get_by_role("button", name="Antwoord versturen").click()
    page.wait_for_load_state()
    assert "Kies de reden" in page.locator(".error-summary").inner_text()
    page.get_by_label("Ik weiger het plan").check()
    page.get_by_label("Reden van weigering").select_option("work_content")
    page.get_by_role("button", name="Antwoord versturen").click()
    page.wait_for_load_state()
    assert "Uw weigering is geregistreerd" in page.locator(".messages").inner_text()
    assert "U hebt het plan geweigerd op" in page.content()

    answer = Event.objects.get(trajectory=trajectory, type="employee_answer")
    assert answer.accepted is False and answer.reason == "work_content"
    trajectory = Trajectory.objects.get(pk=trajectory.pk)
    assert trajectory.contact_frequency_days == 21
    assert trajectory.next_title and trajectory.next_code != "employee_answer"

    # The coach signs in and sees the refusal and what the rules engine asks next.
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_load_state()
    sign_in(page, live_server, "alice", PASSWORD)
    page.goto(f"{live_server.url}/trajecten/{trajectory.pk}/")
    refused = page.locator("tr[data-code='plan_refused']")
    assert "geweigerd" in refused.inner_text().lower()
    assert "inhoud van het aangepast of ander werk" in refused.inner_text()
    assert page.locator(f"tr[data-code='{trajectory.next_code}']").count() == 1
    assert trajectory.next_title in page.content()
    assert "om de 21 dagen" in page.content()
