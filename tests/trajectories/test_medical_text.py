"""Issue 12 point 4: the medical-text warning on every free-text field, compounds included,
with the organisation's own words; keeping flagged text is audited (field names, not text);
every free text has a length limit in the model and the form."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from terugkeer.audit.models import AuditEntry
from terugkeer.toolbox.models import MedicalWord
from terugkeer.trajectories import services
from terugkeer.trajectories.forms import ContactWishesForm, EventForm, PlanForm
from terugkeer.trajectories.medical import base_matcher, medical_terms
from terugkeer.trajectories.models import Event, Plan, Trajectory


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rugpijn", ["rugpijn"]),
        ("Na de knieoperatie thuis.", ["knieoperatie"]),
        ("kanker chemotherapie", ["kanker", "chemotherapie"]),
        ("Hoofdpijnen en een knie-operatie", ["hoofdpijnen", "knie-operatie"]),
        ("longkanker", ["longkanker"]),
        ("een winterdepressie, depressief", ["winterdepressie", "depressief"]),
        ("Burn-outklachten sinds maart", ["burn-outklachten"]),
        ("een post-burn-out traject", ["post-burn-out"]),
        ("suikerziekte", ["suikerziekte"]),
        ("Zij neemt sertraline.", ["sertraline"]),
        ("long covid", ["long covid", "covid"]),
    ],
)
def test_stems_are_found_inside_compound_words(text, expected):
    assert base_matcher().terms(text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Contact opgenomen via MS Teams; de medewerker wil in september halftijds hervatten.",
        "Het ziekteverlof loopt tot eind maart; de ziektedagen zijn doorgegeven aan HR.",
        "Aanpassing van de werkplek: een bureau dat in hoogte verstelbaar is en een rustige plek.",
        "De cooperatie en de werkgroep bespraken een pijnpunt in de operationele planning.",
        "Werkhervatting in aangepast werk: minder telefoon, meer dossierwerk, geen nachtdiensten.",
        "Klachten over de werkdruk besproken met de terugkeercoach, HR en de arbeidsarts.",
        "Medisch attest ontvangen; vertrouwenspersoon psychosociaal welzijn verwittigd.",
        "Progressieve werkhervatting aan 50 %, evaluatie na drie maanden, dan voltijds.",
        "Zij volgt een opleiding tot teamleider en werkt liever met spreadsheets.",
    ],
)
def test_ordinary_sentences_are_not_flagged(sentence):
    assert base_matcher().terms(sentence) == []


def test_an_organisation_extends_the_list_for_itself_only(world):
    MedicalWord.objects.create(organisation=world.vo, word="*kuur")
    MedicalWord.objects.create(organisation=world.vo, word="!ziekte")
    text = "Na de antibioticakuur en een lange ziekte."
    assert medical_terms(text, world.vo) == ["antibioticakuur"]
    assert medical_terms(text, world.stad) == ["ziekte"]
    bad = MedicalWord(organisation=world.vo, word="=HYPERLINK(1)")
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_the_word_list_is_in_the_admin_with_its_organisation():
    model_admin = admin.site._registry[MedicalWord]
    assert "organisation" in model_admin.get_fields(None)


def _trajectory(world):
    today = timezone.localdate()
    services.absence_register(
        actor=world.alice, employee=world.emp_a, first_day=today - timedelta(days=60)
    )
    return Trajectory.objects.get(employee=world.emp_a)


def _plan_post(trajectory, **extra):
    data = {
        "version": trajectory.version,
        "work_percentage": "",
        "workplace_adaptations": "",
        "adapted_work": "",
        "other_work": "",
        "training": "",
        "valid_until": "",
        "review_dates": "",
        "delivered_on": timezone.localdate().strftime("%d/%m/%Y"),
    }
    for i in range(PlanForm.STEP_COUNT):
        data |= {f"step_{i}_description": "", f"step_{i}_owner": "", f"step_{i}_due": ""}
    return data | extra


def test_a_plan_step_is_warned_then_kept_and_audited_by_field_name(world, client):
    trajectory = _trajectory(world)
    client.force_login(world.alice)
    url = reverse("trajectories:plan", args=[trajectory.pk])
    data = _plan_post(
        trajectory,
        step_0_description="Opvolgen na kanker chemotherapie",
        step_0_owner="de oncoloog",
        step_1_description="Gesprek over de werkpost",
        step_1_owner="rugpijn-specialist",
    )
    MedicalWord.objects.create(organisation=world.vo, word="oncoloog")
    page = client.post(url, data).content.decode()
    assert "lijkt medische informatie te bevatten" in page
    assert "kanker, chemotherapie" in page and "rugpijn-specialist" in page
    assert "oncoloog" in page
    assert 'name="confirm_not_medical"' in page
    assert not Plan.objects.exists()

    response = client.post(url, {**data, "confirm_not_medical": "on"})
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.steps.first().description == "Opvolgen na kanker chemotherapie"
    entry = AuditEntry.objects.get(object_type="plan", action="create")
    assert entry.changes["medical_warning_kept"] == [
        "steps[0].description",
        "steps[0].owner",
        "steps[1].owner",
    ]
    assert "kanker" not in str(entry.changes)


@pytest.mark.parametrize(
    "field", ["workplace_adaptations", "adapted_work", "other_work", "training"]
)
def test_every_plan_text_is_scanned(world, field):
    form = PlanForm({"version": 1, field: "Geen tillen na de knieoperatie."}, organisation=world.vo)
    assert not form.is_valid()
    assert "knieoperatie" in form.errors[field][0]


def test_participants_and_contact_by_are_scanned(world):
    form = EventForm(
        {"version": 1, "date": "02/01/2026", "participants": "medewerker, psychiater"},
        event_type="conversation",
        organisation=world.vo,
    )
    assert not form.is_valid()
    assert "psychiater" in form.errors["participants"][0]
    wishes = ContactWishesForm({"version": 1, "by": "de kinesist"}, organisation=world.vo)
    assert not wishes.is_valid() and "kinesist" in wishes.errors["by"][0]
    wishes = ContactWishesForm(
        {"version": 1, "by": "de kinesist", "confirm_not_medical": "on"}, organisation=world.vo
    )
    assert wishes.is_valid()


def test_kept_participants_and_contact_by_are_audited(world):
    trajectory = _trajectory(world)
    services.event_record(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=None,
        data=services.EventInput(
            type="conversation",
            date=timezone.localdate(),
            participants="medewerker, psychiater",
            note="Afspraken gemaakt.",
            fields={"outcome": "possible"},
        ),
    )
    entry = AuditEntry.objects.get(object_type="event", changes__type="conversation")
    assert entry.changes["medical_warning_kept"] == ["participants"]
    services.contact_wishes_set(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=None,
        frequency_days=14,
        pause=False,
        by="de kinesist",
    )
    entry = AuditEntry.objects.filter(object_type="trajectory", action="update").latest("pk")
    assert entry.changes["medical_warning_kept"] == ["contact_by"]
    plain = AuditEntry.objects.filter(object_type="event").exclude(changes__type="conversation")
    assert all("medical_warning_kept" not in e.changes for e in plain)


def test_texts_have_a_length_limit_in_form_and_service(world):
    form = PlanForm({"version": 1, "training": "x" * 2001}, organisation=world.vo)
    assert not form.is_valid()
    assert "2000" in form.errors["training"][0] and "tekens" in form.errors["training"][0]
    form = PlanForm({"version": 1, "step_0_owner": "x" * 101}, organisation=world.vo)
    assert not form.is_valid() and "step_0_owner" in form.errors
    trajectory = _trajectory(world)
    with pytest.raises(ValidationError) as error:
        services.plan_save(
            actor=world.alice,
            trajectory=trajectory,
            expected_version=None,
            data=services.PlanInput(adapted_work="x" * 100_000),
        )
    assert "adapted_work" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.event_record(
            actor=world.alice,
            trajectory=trajectory,
            expected_version=None,
            data=services.EventInput(type="agreements", date=timezone.localdate(), note="x" * 2001),
        )
    assert "note" in error.value.message_dict
    assert not Plan.objects.exists()
    assert not Event.objects.filter(type="agreements").exists()
