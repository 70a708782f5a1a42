"""The SMT, the second line, intervision and the alignment: services and access."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from terugkeer.accounts import access
from terugkeer.accounts.models import Role
from terugkeer.audit.models import AuditEntry
from terugkeer.portal.selectors import dossier_openings
from terugkeer.smt import selectors, services
from terugkeer.smt.models import AgendaItem, IntervisionCase, Meeting, Smt
from terugkeer.trajectories.models import Event
from terugkeer.trajectories.services import obligations_for
from tests.factories import UserFactory, grant
from tests.smt.conftest import anonymous, named

# --- the schedule -------------------------------------------------------------------------------


def test_proposed_dates_keep_the_rhythm_and_avoid_holidays(world):
    smt = Smt.objects.create(organisation=world.vo, name="SMT")
    # A meeting on Tuesday 17 March 2026: six weeks later is Tuesday 28 April (a working day),
    # twelve weeks later Tuesday 9 June; starting from Monday 23 February 2026, six weeks later
    # is Easter Monday 6 April 2026, moved to Tuesday 7 April.
    Meeting.objects.create(smt=smt, date=date(2026, 3, 17))
    proposals = services.proposed_dates(smt, after=date(2026, 3, 18), count=2)
    assert [p.day for p in proposals] == [date(2026, 4, 28), date(2026, 6, 9)]
    Meeting.objects.all().delete()
    Meeting.objects.create(smt=smt, date=date(2026, 2, 23))
    first = services.proposed_dates(smt, after=date(2026, 2, 24), count=1)[0]
    assert first.day == date(2026, 4, 7)
    assert first.moved_from == date(2026, 4, 6)
    assert first.reason  # the holiday's name


def test_a_meeting_on_a_holiday_is_refused(world):
    smt = Smt.objects.create(organisation=world.vo, name="SMT")
    with pytest.raises(ValidationError):
        services.meeting_plan(actor=world.sam, smt=smt, day=date(2026, 11, 11))
    with pytest.raises(PermissionDenied):
        services.meeting_plan(actor=world.alice, smt=smt, day=date(2026, 11, 12))


# --- proposing a case -------------------------------------------------------------------------


def test_anonymous_summary_with_a_name_is_refused(smt_world):
    with pytest.raises(ValidationError) as error:
        anonymous(smt_world, "Mevrouw Aerts is al lang afwezig.")
    assert "naam" in str(error.value) and "aerts" in str(error.value)
    assert not AgendaItem.objects.exists()


def test_anonymous_summary_with_a_personnel_number_is_refused(smt_world):
    number = smt_world.emp_a.personnel_number
    with pytest.raises(ValidationError) as error:
        anonymous(smt_world, f"Dossier {number} loopt al vier maanden.")
    assert "personeelsnummer" in str(error.value)


def test_anonymous_summary_with_a_unit_a_date_or_a_medical_word_is_refused(smt_world):
    for text, what in [
        ("Werkt in Team A1 en wil terugkomen.", "eenheid"),
        ("Geboren op 12/03/1975, werkt voltijds.", "datum"),
        ("Na een hernia is tillen moeilijk.", "medisch"),
    ]:
        with pytest.raises(ValidationError) as error:
            anonymous(smt_world, text)
        assert what in str(error.value), text


def test_clean_anonymous_summary_is_accepted_with_a_case_code(smt_world):
    item = anonymous(smt_world)
    assert item.case_code == f"SMT-{smt_world.meeting.date.year}-001"
    assert item.form == "anonymous"


def test_a_first_name_is_caught_mid_sentence_not_as_a_sentence_start(smt_world):
    from tests.factories import EmployeeFactory

    EmployeeFactory(unit=smt_world.team_b, first_name="Wil", last_name="Vermeulen")
    anonymous(smt_world, "Wil graag hervatten. Het team staat open voor aangepast werk.")
    AgendaItem.objects.all().delete()
    with pytest.raises(ValidationError) as error:
        anonymous(smt_world, "De medewerker sprak met Wil over de terugkeer.")
    assert "wil" in str(error.value)


def test_named_case_needs_the_employees_agreement(smt_world):
    with pytest.raises(ValidationError) as error:
        named(smt_world, consent_on=None)
    assert "akkoord" in str(error.value)
    with pytest.raises(ValidationError):
        named(smt_world, consent_how="")


def test_only_a_coach_or_adviser_covering_the_employee_proposes(smt_world):
    w = smt_world
    for actor in (w.carl, w.bob, w.sam, w.hannah):
        with pytest.raises(PermissionDenied):
            services.case_propose(
                actor=actor,
                meeting=w.meeting,
                trajectory=w.trajectory,
                data=services.CaseProposal(form="anonymous", question="Vraag?", summary="Samen."),
            )


# --- who reads a named dossier ------------------------------------------------------------------


def test_smt_member_reads_a_named_agreed_case_only_when_attending_in_the_window(smt_world):
    w = smt_world
    item = named(w)
    member_not_attending = grant(UserFactory(username="sofie", organisation=w.vo), Role.SMT, w.vo)
    assert item.pk in access.smt_readable_item_ids(w.sam, on=w.today)
    assert not access.smt_readable_item_ids(member_not_attending, on=w.today)
    first, last = w.meeting.read_window()
    assert not access.smt_readable_item_ids(w.sam, on=first - timedelta(days=1))
    assert not access.smt_readable_item_ids(w.sam, on=last + timedelta(days=1))


def test_smt_member_never_sees_a_dossier_through_the_normal_pages(smt_world):
    w = smt_world
    named(w)
    client = Client()
    client.force_login(w.sam)
    assert client.get(f"/trajecten/{w.trajectory.pk}/").status_code == 404
    assert client.get(f"/medewerkers/{w.emp_a.pk}/").status_code == 404
    assert client.get(f"/samenwerking/traject/{w.trajectory.pk}/").status_code == 404


def test_named_dossier_page_404_without_the_case_and_logged_read_with_it(smt_world):
    w = smt_world
    anonymous_item = anonymous(w)
    client = Client()
    client.force_login(w.sam)
    # An anonymous case: no dossier, and the refusal is logged.
    assert client.get(f"/samenwerking/agendapunt/{anonymous_item.pk}/dossier/").status_code == 404
    assert AuditEntry.objects.filter(user=w.sam, action="refused").exists()
    AgendaItem.objects.all().delete()
    item = named(w)
    response = client.get(f"/samenwerking/agendapunt/{item.pk}/dossier/")
    assert response.status_code == 200
    assert w.emp_a.last_name in response.content.decode()
    read = AuditEntry.objects.filter(
        user=w.sam, action="view", object_type="trajectory", employee_id=w.emp_a.pk
    )
    assert read.exists()
    # ...and the employee sees it in "Wie opende mijn dossier".
    employee_user = UserFactory(username="aerts", organisation=w.vo, employee=w.emp_a)
    assert any(o.name == str(w.sam) for o in dossier_openings(employee_user))


def test_member_without_the_case_on_a_meeting_they_attend_gets_404(smt_world):
    w = smt_world
    item = named(w)
    outsider = grant(UserFactory(username="stijn", organisation=w.vo), Role.SMT, w.vo)
    client = Client()
    client.force_login(outsider)
    assert client.get(f"/samenwerking/agendapunt/{item.pk}/dossier/").status_code == 404
    # Another organisation's SMT member cannot even open the meeting.
    stad_member = grant(UserFactory(username="sander", organisation=w.stad), Role.SMT, w.stad)
    client.force_login(stad_member)
    assert client.get(f"/samenwerking/vergadering/{w.meeting.pk}/").status_code == 404


def test_after_the_meeting_period_the_named_dossier_is_404(smt_world):
    w = smt_world
    item = named(w)
    Meeting.objects.filter(pk=w.meeting.pk).update(date=w.today - timedelta(days=30))
    client = Client()
    client.force_login(w.sam)
    assert client.get(f"/samenwerking/agendapunt/{item.pk}/dossier/").status_code == 404


# --- advice back to the trajectory --------------------------------------------------------------


def test_advice_with_an_action_becomes_an_obligation_for_the_coach(smt_world):
    w = smt_world
    item = named(w)
    Meeting.objects.filter(pk=w.meeting.pk).update(date=w.today)
    item.refresh_from_db()
    due = w.today + timedelta(days=20)
    services.advice_write(
        actor=w.sam,
        item=item,
        advice="Aangepast werk in een ander team onderzoeken.",
        actions=[services.ActionInput("Gesprek met de leidinggevende over taken", "coach", due)],
    )
    assert Event.objects.filter(trajectory=w.trajectory, type="smt_advice").exists()
    action_event = Event.objects.get(trajectory=w.trajectory, type="smt_action")
    assert action_event.next_date == due
    obligations = {o.code: o for o in obligations_for(w.trajectory)}
    assert obligations["smt_action"].due == due
    assert obligations["smt_action"].status == "open"
    assert obligations["smt_action"].source == f"advies SMT van {w.today:%d/%m/%Y}"
    # The coach marks it done: the obligation is done.
    action = item.actions.get()
    services.action_done(actor=w.alice, action=action)
    done = {o.code: o for o in obligations_for(w.trajectory)}["smt_action"]
    assert done.status == "done"


def test_advice_with_a_medical_word_is_refused_and_a_non_attendee_cannot_write(smt_world):
    w = smt_world
    item = named(w)
    Meeting.objects.filter(pk=w.meeting.pk).update(date=w.today)
    item.refresh_from_db()
    with pytest.raises(ValidationError):
        services.advice_write(
            actor=w.sam, item=item, advice="Rekening houden met de hernia.", actions=[]
        )
    other = grant(UserFactory(username="saar", organisation=w.vo), Role.SMT, w.vo)
    with pytest.raises(PermissionDenied):
        services.advice_write(actor=other, item=item, advice="Advies.", actions=[])
    with pytest.raises(PermissionDenied):
        services.advice_write(actor=w.alice, item=item, advice="Advies.", actions=[])


def test_policy_items_are_listed_per_year_for_members_and_advisers(smt_world):
    w = smt_world
    services.policy_item_add(
        actor=w.sam,
        meeting=w.meeting,
        title="Veel weigeringen om redenen van werkinhoud",
        description="",
    )
    year = w.meeting.date.year
    assert selectors.policy_items(w.sam, year=year).count() == 1
    assert selectors.policy_items(w.adam, year=year).count() == 1
    assert selectors.policy_items(w.alice, year=year).count() == 0


# --- second line and intervision ----------------------------------------------------------------


def test_referral_is_taken_up_and_answered_on_the_timeline(smt_world):
    w = smt_world
    referral = services.referral_create(
        actor=w.alice, trajectory=w.trajectory, question="Hoe pakken we een ander team aan?"
    )
    assert list(selectors.referrals_for_adviser(w.adam)) == [referral]
    assert not selectors.referrals_for_adviser(w.carl).exists()
    with pytest.raises(PermissionDenied):
        services.referral_take_up(actor=w.carl, referral=referral)
    services.referral_take_up(actor=w.adam, referral=referral)
    services.referral_answer(actor=w.adam, referral=referral, answer="Start met een proefperiode.")
    types = set(w.trajectory.events.values_list("type", flat=True))
    assert {"second_line_referral", "second_line_taken_up", "second_line_answer"} <= types


def test_intervision_case_has_no_names_dates_or_link_back(smt_world):
    w = smt_world
    case = services.intervision_case_make(
        actor=w.alice, trajectory=w.trajectory, title="Lange afwezigheid, twijfel over taken"
    )
    stored = str(case.steps) + case.title
    assert w.emp_a.last_name not in stored
    assert str(w.today.year) not in stored
    assert not [f.name for f in IntervisionCase._meta.fields if f.name == "trajectory"]
    assert all(isinstance(step["day"], int) for step in case.steps)
    with pytest.raises(ValidationError):
        services.intervision_case_make(actor=w.alice, trajectory=w.trajectory, title="Casus Aerts")
    with pytest.raises(PermissionDenied):
        services.intervision_case_make(actor=w.sam, trajectory=w.trajectory, title="Casus")


# --- the alignment ------------------------------------------------------------------------------


def test_alignment_records_an_action_per_case_and_the_next_date(smt_world):
    w = smt_world
    rows = selectors.alignment_agenda(w.bob, w.bob, on=w.today)
    assert [e for e, _t in rows] == [w.emp_a]
    alignment = services.alignment_record(
        actor=w.bob,
        manager=w.bob,
        held_on=w.today,
        next_on=w.today + timedelta(days=42),
        agreed={w.trajectory.pk: "Kaartje sturen en over twee weken bellen."},
    )
    assert alignment.cases == 1
    assert Event.objects.filter(trajectory=w.trajectory, type="alignment_action").exists()
    # HR of entity A goes through bob's team too; the coach of B does not.
    assert selectors.alignment_agenda(w.hannah, w.bob, on=w.today)
    with pytest.raises(PermissionDenied):
        services.alignment_record(
            actor=w.carl, manager=w.bob, held_on=w.today, next_on=None, agreed={}
        )


def test_retention_scrubs_the_smt_and_second_line_texts(smt_world, settings):
    from terugkeer.organisations.models import Employee
    from terugkeer.privacy.retention import trajectories_anonymise
    from terugkeer.smt.models import Action, Referral
    from terugkeer.trajectories import services as trajectory_services

    w = smt_world
    item = named(w)
    Meeting.objects.filter(pk=w.meeting.pk).update(date=w.today)
    item.refresh_from_db()
    services.advice_write(
        actor=w.sam,
        item=item,
        advice="Ander werk zoeken.",
        actions=[services.ActionInput("Vacatures overlopen", "coach", w.today)],
    )
    services.referral_create(actor=w.alice, trajectory=w.trajectory, question="Welke opties?")
    w.trajectory.refresh_from_db()
    trajectory_services.event_record(
        actor=w.alice,
        trajectory=w.trajectory,
        expected_version=None,
        data=trajectory_services.EventInput(
            type="closure", date=w.today, fields={"outcome": "sustainable_return"}
        ),
    )
    Employee.objects.filter(pk=w.emp_a.pk).update(active=False)
    settings.TERUGKEER = {**settings.TERUGKEER, "RETENTION_DAYS": -30}
    assert trajectories_anonymise(actor=w.bert).trajectories == 1
    item.refresh_from_db()
    assert item.question == "(geanonimiseerd)" and item.advice == "" and item.guests == ""
    assert Action.objects.get().owner == ""
    assert Referral.objects.get().question == "(geanonimiseerd)"
    assert not Event.objects.filter(trajectory=w.trajectory).exclude(by="").exists()


def test_intervision_pdf_for_the_organisations_coaches_only(smt_world):
    w = smt_world
    case = services.intervision_case_make(
        actor=w.alice, trajectory=w.trajectory, title="Twijfel over de werkinhoud"
    )
    client = Client()
    client.force_login(w.carl)  # coach of another entity of the same organisation
    response = client.get(f"/samenwerking/intervisie/{case.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    for outsider in (w.zoe, w.sam, w.bob):
        client.force_login(outsider)
        assert client.get(f"/samenwerking/intervisie/{case.pk}/").status_code == 404


def test_the_subject_access_export_holds_the_smt_items_and_referrals(smt_world):
    from terugkeer.privacy.subject_access import subject_export, subject_export_pdf

    w = smt_world
    named(w)
    services.referral_create(actor=w.alice, trajectory=w.trajectory, question="Welke opties?")
    data = subject_export(actor=w.hannah, employee=w.emp_a, fmt="json")
    trajectory = data["trajectories"][0]
    assert trajectory["smt_items"][0]["consent_how"] == "signed"
    assert trajectory["second_line"][0]["question"] == "Welke opties?"
    assert subject_export_pdf(data).startswith(b"%PDF")


def test_an_overdue_smt_action_reaches_the_coachs_attention_and_digest(smt_world):
    from terugkeer.trajectories.reminders import digest_for

    w = smt_world
    item = named(w)
    Meeting.objects.filter(pk=w.meeting.pk).update(date=w.today - timedelta(days=3))
    item.refresh_from_db()
    services.advice_write(
        actor=w.sam,
        item=item,
        advice="Vacatures bekijken.",
        actions=[services.ActionInput("Vacatures overlopen", "coach", w.today - timedelta(days=1))],
    )
    w.trajectory.refresh_from_db()
    overdue = [o for o in obligations_for(w.trajectory) if o.status == "overdue"]
    assert "smt_action" in {o.code for o in overdue}
    assert ",terugkeercoach," in w.trajectory.attention_roles
    assert w.trajectory in digest_for(w.alice).overdue


def test_a_policy_item_may_name_an_entity_and_a_date_but_not_a_person(smt_world):
    w = smt_world
    services.policy_item_add(
        actor=w.sam,
        meeting=w.meeting,
        title="Veel weigeringen om redenen van werkinhoud in Agentschap A",
        description="Sinds 01/01/2026 opgemerkt.",
    )
    with pytest.raises(ValidationError):
        services.policy_item_add(
            actor=w.sam, meeting=w.meeting, title="Het dossier van mevrouw Aerts", description=""
        )


def test_guests_of_an_anonymous_case_are_roles_not_names(smt_world):
    w = smt_world
    with pytest.raises(ValidationError) as error:
        services.case_propose(
            actor=w.alice,
            meeting=w.meeting,
            trajectory=w.trajectory,
            data=services.CaseProposal(
                form="anonymous",
                question="Welke stappen?",
                summary="De medewerker wil hervatten.",
                guests=f"leidinggevende {w.bob.first_name} {w.bob.last_name}",
            ),
        )
    assert "guests" in error.value.error_dict


def test_the_advisers_home_counts_the_referrals_waiting(smt_world):
    w = smt_world
    services.referral_create(actor=w.alice, trajectory=w.trajectory, question="Welke opties?")
    client = Client()
    client.force_login(w.adam)
    assert "1 doorverwijzing wacht op opname" in client.get("/").content.decode()
    client.force_login(w.sam)
    home = client.get("/").content.decode()
    assert "doorverwijzing" not in home
    assert "Volgende vergadering" in home and w.smt.name in home
