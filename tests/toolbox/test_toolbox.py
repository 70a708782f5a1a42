"""The toolbox catalogue and the handelingskader: read by all, edited by the beheerder."""

import pytest
from django.urls import reverse

from terugkeer.audit.models import AuditEntry
from terugkeer.toolbox.catalogue import catalogue_seed
from terugkeer.toolbox.models import Handelingskader, WelfareActor
from terugkeer.trajectories.services import policy_for
from tests.factories import UserFactory


@pytest.fixture
def seeded(world):
    catalogue_seed(world.vo)
    catalogue_seed(world.stad)
    return world


def _framework_post(**overrides):
    data = {
        "effective_from": "01/01/2026",
        "text": "Onze afspraken: de leidinggevende belt in de eerste week.",
        "contact_interval_days": "7",
        "conversation_within_months": "2",
        "conversation_followup_days": "30",
        "step_plan_within_months": "2",
        "formal_trigger_no_conversation_months": "4",
        "formal_trigger_no_plan_months": "2",
        "four_week_days": "28",
        "trajectory_threshold_days": "28",
        "due_soon_days": "7",
        "relapse_window_days": "91",
        "asap_days": "14",
        "reassessment_after_c_months": "3",
        "follow_up_after_return_days": "14, 42, 91",
        "physician_contact": "IDEWE, dr. Peeters, 016 00 00 00",
        "welfare_contacts": "Sociale dienst: sociale.dienst@example.invalid",
        "documents_location": "Intranet > Personeel > Re-integratie",
    }
    data.update(overrides)
    return data


def test_staff_read_the_catalogue(client, seeded):
    client.force_login(seeded.bob)
    html = client.get(reverse("toolbox:catalogue")).content.decode()
    assert "Sociale dienst" in html and "VDAB individueel maatwerk" in html
    assert "Bewerken" not in html


def test_catalogue_is_per_organisation(client, seeded):
    client.force_login(seeded.zoe)
    response = client.get(reverse("toolbox:catalogue") + f"?organisatie={seeded.vo.pk}")
    assert response.status_code == 404


def test_beheerder_edits_an_entry(client, seeded):
    actor = WelfareActor.objects.filter(organisation=seeded.vo).first()
    client.force_login(seeded.bert)
    url = reverse("toolbox:entry_edit", args=["welzijnsactor", actor.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": actor.name,
            "description": "Nieuwe omschrijving",
            "for_whom": "Alle personeelsleden",
            "how_to_ask": "Mail naar het team",
            "url": "https://example.invalid/hulp",
            "active": "on",
        },
    )
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.for_whom == "Alle personeelsleden"
    assert AuditEntry.objects.filter(object_type="welfareactor", action="update").exists()


def test_beheerder_adds_a_measure(client, seeded):
    client.force_login(seeded.bert)
    response = client.post(
        reverse("toolbox:entry_new", args=["maatregel"]),
        {"name": "Fietsleasing", "category": "extra", "description": "x", "active": "on"},
    )
    assert response.status_code == 302
    html = client.get(reverse("toolbox:catalogue")).content.decode()
    assert "Fietsleasing" in html


def test_others_cannot_edit(client, seeded):
    actor = WelfareActor.objects.filter(organisation=seeded.vo).first()
    client.force_login(seeded.alice)
    url = reverse("toolbox:entry_edit", args=["welzijnsactor", actor.pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("toolbox:framework_edit")).status_code == 403


def test_framework_versions_feed_the_rules_engine(client, seeded):
    client.force_login(seeded.bert)
    assert client.get(reverse("toolbox:framework_edit")).status_code == 200
    response = client.post(reverse("toolbox:framework_edit"), _framework_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(reverse("toolbox:framework_edit"), _framework_post(contact_interval_days="10"))
    versions = Handelingskader.objects.filter(organisation=seeded.vo).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert policy_for(seeded.vo).contact_interval_days == 10
    assert versions[0].terms["contact_interval_days"] == 7


def test_looser_term_is_refused_in_dutch(client, seeded):
    client.force_login(seeded.bert)
    response = client.post(
        reverse("toolbox:framework_edit"), _framework_post(conversation_within_months="3")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ruimer dan toegestaan" in html
    assert "looser" not in html
    assert 'id="id_conversation_within_months_error"' in html
    assert not Handelingskader.objects.exists()


def test_everyone_of_the_organisation_reads_the_framework(client, seeded):
    client.force_login(seeded.bert)
    client.post(reverse("toolbox:framework_edit"), _framework_post())
    client.post(reverse("toolbox:framework_edit"), _framework_post(text="Tweede versie."))
    employee_user = UserFactory(username="eva", employee=seeded.emp_a)
    for user in (seeded.rita, employee_user):
        client.force_login(user)
        html = client.get(reverse("toolbox:framework")).content.decode()
        assert "Tweede versie." in html
        assert "IDEWE" in html
        assert "Nieuwe versie opmaken" not in html
    old = client.get(reverse("toolbox:framework") + "?versie=1").content.decode()
    assert "Onze afspraken" in old and "oudere versie" in old
    client.force_login(seeded.zoe)
    html = client.get(reverse("toolbox:framework")).content.decode()
    assert "Tweede versie." not in html


@pytest.mark.parametrize(
    ("typed", "stored", "accepted"),
    [
        ("6 weken", {"weeks": 6}, True),  # 42 days: stricter than 2 months
        ("45 dagen", {"days": 45}, True),
        ("2", 2, True),  # the question's own unit (months)
        ("9 weken", None, False),  # 63 days: looser than 2 months in some months
        ("twee maanden", None, False),
    ],
)
def test_policy_terms_in_days_weeks_or_months(client, seeded, typed, stored, accepted):
    """Issue 13: a handelingskader that says 'gesprek binnen 6 weken' can be written down."""
    client.force_login(seeded.bert)
    response = client.post(
        reverse("toolbox:framework_edit"), _framework_post(conversation_within_months=typed)
    )
    saved = Handelingskader.objects.filter(organisation=seeded.vo).first()
    if not accepted:
        assert response.status_code == 200 and saved is None
        assert 'id="id_conversation_within_months_error"' in response.content.decode()
        return
    assert response.status_code == 302
    assert saved.terms["conversation_within_months"] == stored
    # The form shows the term back as typed, in Dutch.
    page = client.get(reverse("toolbox:framework_edit")).content.decode()
    if isinstance(stored, dict):
        assert typed in page
