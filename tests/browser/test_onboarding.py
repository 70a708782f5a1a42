"""A new town set up from zero in a real browser: the platform administrator's command, the
beheerder's guided set-up (with an employee import), then a coach of that town registers the
town's first absence."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from terugkeer.trajectories.models import Trajectory
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Zonnebloem-Kapstok-17"
EMPLOYEES_CSV = (
    "Personeelsnummer;Voornaam;Achternaam;E-mail;Eenheid;Statuut;Arbeidsregime;Actief\n"
    "5001;Wout;Verstraete;;BZ;contractueel;100;ja\n"
    "5002;Lotte;Claes;;BZ;statutair;80;ja\n"
)


def choose_password(page, link):
    page.goto(link)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nieuw wachtwoord bevestigen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.wait_for_load_state()


def path_in(text):
    return re.search(r"https?://[^/\s]+(/wachtwoord/herstellen/\S+)", text).group(1)


def save(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_a_new_town_sets_up_and_its_coach_registers_the_first_absence(
    transactional_db, live_server, page, tmp_path, immediate_tasks
):
    out = StringIO()
    call_command(
        "onboard_organisation",
        name="Gemeente Testerlo",
        username="hilde",
        email="hilde@testerlo.be",
        first_name="Hilde",
        stdout=out,
    )
    choose_password(page, live_server.url + path_in(out.getvalue()))
    sign_in(page, live_server, "hilde", NEW_PASSWORD)

    page.get_by_role("link", name="Inrichten", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Gemeente Testerlo inrichten"
    assert_accessible(page)
    page.get_by_role("link", name="Verder met: Gegevens van de organisatie").click()
    page.get_by_label("Aantal werknemers").fill("180")
    page.get_by_label("Aansluitingsnummer externe preventiedienst").fill("8216753")
    save(page, "Bewaren en verder")

    # Units, typed: the town as its entity, one service below it.
    assert_accessible(page)
    page.get_by_label("Naam").fill("Gemeente Testerlo")
    page.get_by_label("Code").fill("GT")
    save(page, "Eenheid toevoegen")
    page.get_by_label("Naam").fill("Burgerzaken")
    page.get_by_label("Code").fill("BZ")
    page.get_by_label("Hoort bij").select_option(label="Gemeente Testerlo")
    save(page, "Eenheid toevoegen")
    assert "Burgerzaken (BZ, dienst)" in page.locator(".unit-tree").inner_text()
    save(page, "Klaar met de eenheden, verder")

    # Employees through the existing import: dry run, then confirm.
    page.get_by_role("link", name="Naar Importeren").click()
    csv = tmp_path / "medewerkers.csv"
    csv.write_text(EMPLOYEES_CSV, encoding="utf-8")
    page.get_by_label("Bestand").set_input_files(str(csv))
    save(page, "Controleren (proefdraai)")
    save(page, "Bevestigen en inlezen")
    assert "Het bestand is ingelezen." in page.locator("p.notice[role=status]").inner_text()

    # Leaving the set-up and coming back resumes at the step not yet finished.
    page.get_by_role("link", name="Inrichten", exact=True).click()
    page.get_by_role("link", name="Verder met: Medewerkers").click()
    assert "2 actieve medewerkers" in page.content()
    save(page, "Klaar met de medewerkers, verder")

    # The handelingskader from the toolbox's template, the terms as the omzendbrief has them.
    assert_accessible(page)
    text = page.get_by_label("Afspraken en spelregels").input_value()
    assert text.startswith("Handelingskader re-integratie van Gemeente Testerlo")
    save(page, "Handelingskader bewaren en verder")
    assert "Versie 1 van het handelingskader is bewaard." in page.content()

    assert_accessible(page)
    page.get_by_label("Vervoerskosten").uncheck()
    save(page, "Bewaren en verder")

    # First users: a coach for the town, and HR.
    assert_accessible(page)
    for first, last, username, role in (
        ("Cora", "Coach", "cora", "Terugkeercoach"),
        ("Hans", "Personeel", "hans", "HR / personeelsdienst"),
    ):
        page.get_by_label("Voornaam").fill(first)
        page.get_by_label("Achternaam").fill(last)
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("E-mailadres (werk)").fill(f"{username}@testerlo.be")
        page.get_by_label("Rol", exact=True).select_option(label=role)
        page.get_by_label("Voor welke eenheid").select_option(label="Gemeente Testerlo")
        save(page, "Uitnodigen")
        assert "De rol geldt meteen." in page.locator(".messages").inner_text()
    save(page, "Klaar met de gebruikers, verder")

    assert_accessible(page)
    page.get_by_label("Leidinggevenden en HR stemmen af om de ... weken").fill("6")
    save(page, "Bewaren en naar de checklist")
    assert "Alles wat nodig is, is klaar" in page.content()
    assert page.locator("tr[data-ready='nee'] .status", has_text="ontbreekt").count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Afmelden").click()

    # The coach chooses a password from the invitation and registers the first absence.
    invitation = next(m for m in mail.outbox if m.to == ["cora@testerlo.be"])
    choose_password(page, live_server.url + path_in(invitation.body))
    sign_in(page, live_server, "cora", NEW_PASSWORD)
    page.get_by_role("link", name="Medewerkers").click()
    page.get_by_role("link", name=re.compile("Verstraete")).click()
    first_day = timezone.localdate() - timedelta(days=30)
    page.get_by_label("Eerste dag van de afwezigheid").fill(first_day.isoformat())
    save(page, "Registreren")
    page.wait_for_url(re.compile(r"/trajecten/\d+/$"))
    trajectory = Trajectory.objects.get(employee__last_name="Verstraete")
    assert trajectory.organisation.name == "Gemeente Testerlo"
    assert_accessible(page)
