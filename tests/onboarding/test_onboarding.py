"""The guided set-up of a new local government: the platform administrator's command, each
step over HTTP as its functioneel beheerder, the four-eyes grants and the checklist."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from terugkeer.accounts.models import Role, RoleAssignment, User
from terugkeer.audit.models import AuditEntry
from terugkeer.onboarding.checklist import checklist, missing_required
from terugkeer.onboarding.models import OrganisationSetup
from terugkeer.organisations.models import Organisation, Unit
from terugkeer.toolbox.models import Handelingskader, SupportMeasure, WelfareActor
from tests.factories import PASSWORD, UserFactory, grant


def onboard(name="Gemeente Testerlo", username="hilde"):
    out = StringIO()
    call_command(
        "onboard_organisation",
        name=name,
        username=username,
        email=f"{username}@testerlo.be",
        first_name="Hilde",
        last_name="Beheer",
        base_url="http://testserver",
        stdout=out,
    )
    organisation = Organisation.objects.get(name=name)
    user = User.objects.get(username=username)
    return organisation, user, out.getvalue()


@pytest.fixture
def town(db, client):
    organisation, beheerder, _out = onboard()
    beheerder.set_password(PASSWORD)
    beheerder.save()
    client.force_login(beheerder)
    return organisation


def url(organisation, slug=""):
    return f"/inrichten/{organisation.pk}/" + (f"{slug}/" if slug else "")


def test_the_command_creates_a_local_government_and_its_confirmed_first_beheerder(db, client):
    organisation, user, out = onboard()
    assert organisation.kind == "local"
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.role == Role.ADMIN and not assignment.is_pending
    assert user.organisation == organisation and user.has_usable_password()
    link = re.search(r"http://testserver(/wachtwoord/herstellen/\S+)", out).group(1)
    response = client.get(link, follow=True)
    assert response.context["validlink"]
    assert AuditEntry.objects.filter(object_type="roleassignment", user=None).exists()


def test_the_command_refuses_a_username_that_exists(db):
    onboard()
    with pytest.raises(Exception, match="bestaat al"):
        onboard(name="Gemeente Anders")
    assert not Organisation.objects.filter(name="Gemeente Anders").exists()


def test_only_the_organisations_own_beheerder_reaches_the_set_up(world, client):
    organisation, _user, _out = onboard()
    for user in (world.alice, world.hannah, world.bert):  # coach, HR, another org's beheerder
        client.force_login(user)
        assert client.get(url(organisation)).status_code == 404
        assert client.get(url(organisation, "gebruikers")).status_code == 404
        assert client.post(url(organisation, "afstemming"), {"weeks": 4}).status_code == 404
    assert not OrganisationSetup.objects.filter(alignment_interval_weeks=4).exists()


def test_a_new_town_walks_every_step_and_resumes_where_it_left(
    town, client, django_capture_on_commit_callbacks
):
    response = client.get(url(town))
    assert "Verder met: Gegevens van de organisatie" in response.content.decode()

    response = client.post(
        url(town, "organisatie"),
        {
            "name": town.name,
            "short_name": "Testerlo",
            "employer_size": 180,
            "prevention_affiliation": "8216753",
        },
    )
    assert response.url == url(town, "eenheden")
    town.refresh_from_db()
    assert town.prevention_affiliation == "8216753"
    # Left here: the overview resumes at the units.
    assert "Verder met: Eenheden" in client.get(url(town)).content.decode()

    client.post(
        url(town, "eenheden"),
        {"name": "Gemeente Testerlo", "code": "GT", "kind": "administration", "is_entity": "on"},
    )
    entity = Unit.objects.get(organisation=town, code="GT")
    client.post(
        url(town, "eenheden"),
        {"name": "Burgerzaken", "code": "BZ", "kind": "service", "parent": entity.pk},
    )
    service = Unit.objects.get(organisation=town, code="BZ")
    assert entity.is_entity and service.entity_id == entity.pk
    # A code that exists is refused beside the field, nothing created.
    response = client.post(
        url(town, "eenheden"), {"name": "Dubbel", "code": "BZ", "kind": "team", "parent": entity.pk}
    )
    assert "Deze code bestaat al" in response.content.decode()
    assert client.post(url(town, "eenheden"), {"afronden": "1"}).url == url(town, "medewerkers")

    # The handelingskader: the seed-000 template with the town's name, the default terms.
    page = client.get(url(town, "handelingskader")).content.decode()
    assert "Handelingskader re-integratie van Gemeente Testerlo" in page
    form = client.get(url(town, "handelingskader")).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data["effective_from"] = "2026-12-01"
    data["conversation_within_months"] = "3"  # looser than the omzendbrief: refused
    response = client.post(url(town, "handelingskader"), data)
    assert response.status_code == 200 and not Handelingskader.objects.exists()
    data["conversation_within_months"] = "6 weken"  # stricter: fine
    response = client.post(url(town, "handelingskader"), data)
    framework = Handelingskader.objects.get(organisation=town)
    assert framework.terms["conversation_within_months"] == {"weeks": 6}
    assert "warm" not in framework.text and "eerste dag van de ziektemelding" in framework.text

    # The catalogue: everything proposed, the town leaves one measure out.
    form = client.get(url(town, "catalogus")).context["form"]
    measures = [m for m in form.fields["measures"].choices if m[0] != "Vervoerskosten"]
    client.post(
        url(town, "catalogus"),
        {
            "actors": [c[0] for c in form.fields["actors"].choices],
            "measures": [c[0] for c in measures],
        },
    )
    assert WelfareActor.objects.filter(organisation=town).count() == 11
    assert not SupportMeasure.objects.filter(organisation=town, name="Vervoerskosten").exists()
    # Taking it out later switches the entry off, it stays editable in the toolbox.
    client.post(
        url(town, "catalogus"),
        {
            "actors": [c[0] for c in form.fields["actors"].choices][1:],
            "measures": [c[0] for c in measures],
        },
    )
    assert WelfareActor.objects.filter(organisation=town, active=False).count() == 1

    # The first users: a coach (one beheerder: the grant takes effect at once) and HR.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(town, "gebruikers"),
            {
                "first_name": "Cora",
                "last_name": "Coach",
                "username": "cora",
                "email": "cora@testerlo.be",
                "role": Role.COACH,
                "unit": entity.pk,
            },
            follow=True,
        )
    assert "De rol geldt meteen" in response.content.decode()
    cora = User.objects.get(username="cora")
    assert cora.roles.get().confirmed_at is not None and cora.organisation == town
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cora@testerlo.be"]
    assert "/wachtwoord/herstellen/" in mail.outbox[0].body
    client.post(
        url(town, "gebruikers"),
        {
            "first_name": "Hans",
            "last_name": "HR",
            "username": "hans",
            "email": "hans@testerlo.be",
            "role": Role.HR,
        },
    )
    client.post(url(town, "gebruikers"), {"afronden": "1"})

    client.post(url(town, "afstemming"), {"weeks": "8"})
    assert OrganisationSetup.objects.get(organisation=town).alignment_interval_weeks == 8

    items = checklist(town)
    missing = [str(i.label) for i in missing_required(items)]
    assert missing == ["Medewerkers"]  # nothing imported yet
    page = client.get(url(town)).content.decode()
    assert "Nog 1 verplicht punt ontbreekt" in page
    assert "Verder met: Medewerkers" in page  # the one step never finished


def test_a_second_beheerder_makes_grants_wait_for_four_eyes(town, client):
    other = grant(UserFactory(username="bea", organisation=town), Role.ADMIN, town)
    assert other.roles.get().confirmed_at is not None
    response = client.post(
        url(town, "gebruikers"),
        {
            "first_name": "Cora",
            "last_name": "Coach",
            "username": "cora",
            "email": "cora@testerlo.be",
            "role": Role.COACH,
        },
        follow=True,
    )
    assert "wacht op de bevestiging" in response.content.decode()
    assert User.objects.get(username="cora").roles.get().is_pending
    assert "1 wacht op bevestiging" in client.get(url(town)).content.decode()


def test_the_set_up_is_on_the_beheerders_menu_and_home(town, client):
    page = client.get("/").content.decode()
    assert 'href="/inrichten/"' in page
    assert client.get("/inrichten/").url == url(town)


def test_every_step_renders_for_a_user_who_chose_english(town, client):
    client.cookies["django_language"] = "en"
    for slug in (
        "",
        "organisatie",
        "eenheden",
        "medewerkers",
        "handelingskader",
        "catalogus",
        "gebruikers",
        "afstemming",
    ):
        assert client.get(url(town, slug)).status_code == 200, slug


def test_a_step_whose_data_is_already_there_does_not_say_nog_te_doen(town, client):
    # Units made outside the set-up (an import, the admin): the checklist says "klaar", so the
    # step beside it may not say "nog te doen".
    entity = Unit.objects.create(organisation=town, name="Gemeente Testerlo", is_entity=True)
    entity.entity = entity
    entity.save()
    page = client.get(url(town)).content.decode()
    units_line = re.search(r"Eenheden</a> — <span class=\"status\">([^<]*)<", page).group(1)
    organisation_line = re.search(
        r"Gegevens van de organisatie</a> — <span class=\"status\">([^<]*)<", page
    ).group(1)
    assert units_line == "gegevens aanwezig"
    assert organisation_line == "nog te doen"
    assert "Verder met: Gegevens van de organisatie" in page


def test_the_affiliation_number_is_taken_as_written_on_the_services_letters(town, client):
    response = client.post(
        url(town, "organisatie"),
        {"name": town.name, "employer_size": 180, "prevention_affiliation": "821675-3"},
    )
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.prevention_affiliation == "8216753"
    response = client.post(
        url(town, "organisatie"),
        {"name": town.name, "employer_size": 180, "prevention_affiliation": "82-16"},
    )
    assert response.status_code == 200
    assert "7 tekens" in response.content.decode()
