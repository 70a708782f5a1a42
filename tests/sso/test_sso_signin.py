"""Sign-in through a real OpenID Connect provider (tests/sso/provider) with the test client."""

import base64
import json
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from terugkeer.accounts.models import Role, RoleAssignment, User
from terugkeer.audit.models import AuditEntry
from terugkeer.sso.models import ClaimedRole, ExternalIdentity, ProviderOrganisation
from terugkeer.sso.views import SESSION_KEY
from tests.factories import PASSWORD
from tests.sso.conftest import VO_CODE, acmidm_claims, entra_claims, sign_in


def test_acmidm_first_sign_in_creates_the_user_with_the_claimed_role(acmidm, client, world):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})

    response, _ = sign_in(client, acmidm, "ann")

    assert response.status_code == 302 and response["Location"] == "/"
    identity = ExternalIdentity.objects.get(provider=acmidm.model, subject="vo-ann-1")
    user = identity.user
    assert (user.organisation, user.first_name, user.has_usable_password()) == (
        world.vo,
        "Ann",
        False,
    )
    assignment = RoleAssignment.objects.get(user=user)
    assert (assignment.role, assignment.unit, assignment.is_pending) == (
        Role.COACH,
        world.entity_a,
        False,
    )
    assert ClaimedRole.objects.filter(assignment=assignment).exists()
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(
        object_type="roleassignment", action="create", username="identiteitsprovider acmidm"
    ).exists()


def test_the_authorization_request_uses_pkce_state_and_nonce_and_never_asks_rrn(acmidm, client):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})
    acmidm.model.scopes = "openid profile vo rrn"  # even when someone put it in the configuration
    acmidm.model.save()

    sign_in(client, acmidm, "ann")

    authorize = [r for r in acmidm.requests_log() if r["path"] == "/auth" and r["query"]]
    query = authorize[0]["query"]
    assert "rrn" not in query["scope"].split() and "openid" in query["scope"].split()
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert query["state"] and query["nonce"] and query["state"] != query["nonce"]


def test_entra_sign_in_next_to_acmidm_gives_the_city_role(acmidm, entra, client, world):
    entra.set_accounts({"bart": entra_claims("Terugkeer.Coach")})
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerHR:{VO_CODE}")})

    response, _ = sign_in(client, entra, "bart")

    assert response.status_code == 302
    bart = ExternalIdentity.objects.get(provider=entra.model, subject="bart").user
    assert bart.organisation == world.stad
    assert list(bart.roles.values_list("role", "organisation", "unit")) == [
        (Role.COACH, world.stad.pk, None)
    ]
    other = Client()
    sign_in(other, acmidm, "ann")
    ann = ExternalIdentity.objects.get(provider=acmidm.model, subject="vo-ann-1").user
    assert list(ann.roles.values_list("role", flat=True)) == [Role.HR]


def test_the_user_is_matched_on_the_subject_never_on_the_e_mail(acmidm, client, world):
    # A local account with the same address is not taken over, and a second person at the
    # provider with the same address is another user.
    world.alice.email = "shared@vlaanderen.test"
    world.alice.save()
    acmidm.set_accounts(
        {
            "one": acmidm_claims(
                "vo-one", f"TerugkeerCoach:{VO_CODE}", vo_email="shared@vlaanderen.test"
            ),
            "two": acmidm_claims(
                "vo-two", f"TerugkeerCoach:{VO_CODE}", vo_email="shared@vlaanderen.test"
            ),
        }
    )
    sign_in(client, acmidm, "one")
    sign_in(Client(), acmidm, "two")
    sign_in(Client(), acmidm, "one")

    users = {i.subject: i.user_id for i in ExternalIdentity.objects.all()}
    assert len(users) == 2 and len(set(users.values())) == 2
    assert world.alice.pk not in users.values()
    assert User.objects.filter(email="shared@vlaanderen.test").count() == 3


def _refused(response, text: str):
    body = response.content.decode()
    assert response.status_code in (400, 403), response.status_code
    assert text in body, body
    return body


def test_an_unknown_organisation_gets_a_clear_dutch_page_and_no_account(acmidm, client):
    acmidm.set_accounts(
        {"eve": acmidm_claims("vo-eve", "TerugkeerCoach:OVO999999", orgcode="OVO999999")}
    )
    users_before = User.objects.count()

    response, _ = sign_in(client, acmidm, "eve")

    _refused(response, "vraag het aan uw functioneel beheerder")
    assert "niet bekend in Terugkeer" in response.content.decode()
    assert User.objects.count() == users_before
    assert not client.session.get("_auth_user_id")
    entry = AuditEntry.objects.get(action="refused", object_type="aanmelding")
    assert entry.changes["reden"] == "onbekende organisatie"
    assert entry.changes["organisatiecode"] == "OVO999999"


def test_a_known_organisation_without_a_role_gets_no_account(acmidm, client):
    acmidm.set_accounts({"eve": acmidm_claims("vo-eve", "SomeOtherApp:OVO000001")})

    response, _ = sign_in(client, acmidm, "eve")

    _refused(response, "U hebt geen toegang tot Terugkeer; vraag het aan uw functioneel beheerder.")
    assert not ExternalIdentity.objects.exists()
    assert AuditEntry.objects.get(action="refused").changes["reden"] == "geen rol"


def test_a_role_removed_at_the_provider_is_removed_at_the_next_sign_in(acmidm, client, world):
    both = acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}", f"TerugkeerHR:{VO_CODE}")
    acmidm.set_accounts({"ann": both})
    sign_in(client, acmidm, "ann")
    ann = ExternalIdentity.objects.get(subject="vo-ann-1").user
    assert set(ann.roles.values_list("role", flat=True)) == {Role.COACH, Role.HR}

    acmidm.set_accounts({"ann": {**both, "iv_terugkeer_rol_3d": [f"TerugkeerCoach:{VO_CODE}"]}})
    response, _ = sign_in(Client(), acmidm, "ann")

    assert response.status_code == 302
    assert list(ann.roles.values_list("role", flat=True)) == [Role.COACH]
    removal = AuditEntry.objects.get(object_type="roleassignment", action="delete")
    assert removal.changes["rol"] == Role.HR
    assert removal.changes["reden"] == "niet meer in de claims van de provider"
    assert removal.username == "identiteitsprovider acmidm"

    # The last role gone: no way in, and the removal stays.
    acmidm.set_accounts({"ann": {**both, "iv_terugkeer_rol_3d": []}})
    response, _ = sign_in(Client(), acmidm, "ann")
    _refused(response, "U hebt geen toegang tot Terugkeer")
    assert not ann.roles.exists()
    assert AuditEntry.objects.filter(object_type="roleassignment", action="delete").count() == 2


def test_a_role_granted_by_the_beheerder_stays_whatever_the_claims_say(acmidm, client, world):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})
    sign_in(client, acmidm, "ann")
    ann = ExternalIdentity.objects.get(subject="vo-ann-1").user
    RoleAssignment.objects.create(user=ann, role=Role.MANAGER, organisation=world.vo)

    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1")})  # no role at the provider any more
    response, _ = sign_in(Client(), acmidm, "ann")

    assert response.status_code == 302  # still a way in: the beheerder's grant
    assert list(ann.roles.values_list("role", flat=True)) == [Role.MANAGER]


def test_the_employee_is_linked_to_the_portal_on_the_personnel_number(acmidm, client, world):
    acmidm.set_accounts(
        {"emp": acmidm_claims("vo-emp", vo_personeelsnummer=world.emp_a.personnel_number)}
    )

    response, _ = sign_in(client, acmidm, "emp")

    assert response.status_code == 302
    user = ExternalIdentity.objects.get(subject="vo-emp").user
    assert user.employee == world.emp_a and not user.roles.exists()
    assert client.get("/")["Location"] == "/mijn-traject/"


@pytest.mark.parametrize(
    "mode", ["signature", "foreign-key", "alg-none", "aud", "iss", "exp", "nonce"]
)
def test_a_tampered_or_misdirected_id_token_is_refused(acmidm, client, mode):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})
    acmidm.tamper(mode)

    response, _ = sign_in(client, acmidm, "ann")

    _refused(response, "kon niet worden gecontroleerd")
    assert response.status_code == 400
    assert not client.session.get("_auth_user_id")
    assert not ExternalIdentity.objects.exists()
    entry = AuditEntry.objects.get(action="refused", object_type="aanmelding")
    assert entry.changes["reden"] == "ID-token ongeldig"


def test_a_replayed_state_is_refused(acmidm, client):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})
    response, callback = sign_in(client, acmidm, "ann")
    assert response.status_code == 302
    client.post("/afmelden/")

    for replay in (client, Client()):
        response = replay.get(callback)
        _refused(response, "verlopen of werd al gebruikt")
        assert not replay.session.get("_auth_user_id")
    assert (
        AuditEntry.objects.filter(
            action="refused", changes__reden="state onbekend of al gebruikt"
        ).count()
        == 2
    )


def test_key_rotation_at_the_provider_and_cached_discovery(acmidm, client):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})
    discovery, jwks = "/.well-known/openid-configuration", "/jwks"
    before = acmidm.count(discovery), acmidm.count(jwks)
    sign_in(client, acmidm, "ann")
    sign_in(Client(), acmidm, "ann")
    # Fetched once for two sign-ins: cached in the process.
    assert (acmidm.count(discovery), acmidm.count(jwks)) == (before[0] + 1, before[1] + 1)

    acmidm.rotate_keys()  # signs with a new key id from now on
    try:
        response, _ = sign_in(Client(), acmidm, "ann")
    finally:
        acmidm.keys = acmidm.keys[1:]  # back to the module's key for the next tests
        acmidm.stop()
        acmidm.start()

    assert response.status_code == 302
    assert acmidm.count(jwks) == before[1] + 2  # the unknown key id made Terugkeer fetch again
    assert acmidm.count(discovery) == before[0] + 1


@pytest.mark.mfa
def test_the_provider_second_factor_counts_when_its_acr_says_so(acmidm, client):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})

    sign_in(client, acmidm, "ann", second_factor=True)
    assert client.get("/").status_code == 200

    other = Client()
    sign_in(other, acmidm, "ann", second_factor=False)
    assert other.get("/")["Location"].startswith(reverse("mfa"))


@pytest.mark.mfa
def test_the_entra_second_factor_counts_by_its_amr(entra, client):
    entra.set_accounts({"bart": entra_claims("Terugkeer.Coach")})
    sign_in(client, entra, "bart", second_factor=True)
    assert client.get("/").status_code == 200


def test_the_session_ends_with_the_id_token(acmidm, client):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})
    sign_in(client, acmidm, "ann")
    session = client.session
    assert session[SESSION_KEY]["expires_at"] > time.time() + 3000  # the provider's 1 hour
    session[SESSION_KEY] = {**session[SESSION_KEY], "expires_at": int(time.time()) - 1}
    session.save()

    response = client.get("/")

    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")
    assert not client.session.get("_auth_user_id")


def test_sign_out_ends_the_session_at_the_provider_too(acmidm, client):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})
    sign_in(client, acmidm, "ann")
    id_token = client.session[SESSION_KEY]["id_token"]
    # The page's CSP lets the sign-out form's redirect reach the provider (and only then).
    csp = client.get("/")["Content-Security-Policy"]
    assert f"form-action 'self' {acmidm.issuer}" in csp

    response = client.post("/afmelden/")

    url = urlparse(response["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{acmidm.issuer}/session/end"
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/aanmelden/"]
    assert not client.session.get("_auth_user_id")
    # The provider accepts it: its logout page, not an error.
    at_provider = requests.get(response["Location"], timeout=10)
    assert at_provider.status_code == 200 and "logout" in at_provider.text.lower()


def test_passwords_switched_off_for_the_organisation(acmidm, client, world):
    assert (
        client.post("/aanmelden/", {"username": "alice", "password": PASSWORD}).status_code == 302
    )
    client.post("/afmelden/")
    ProviderOrganisation.objects.filter(pk=acmidm.link.pk).update(local_passwords=False)

    response = client.post("/aanmelden/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200 and not client.session.get("_auth_user_id")
    # The other organisation keeps its passwords.
    assert client.post("/aanmelden/", {"username": "zoe", "password": PASSWORD}).status_code == 302


def test_the_sign_in_page_offers_each_active_provider(acmidm, entra, client):
    body = client.get("/aanmelden/").content.decode()
    assert "Aanmelden via ACM/IDM" in body and "Aanmelden via Stad Test (Microsoft)" in body


def test_the_rrn_scope_cannot_be_configured(acmidm):
    acmidm.model.scopes = "openid vo rrn"
    with pytest.raises(ValidationError):
        acmidm.model.full_clean()
    acmidm.model.scopes = "openid vo"
    acmidm.model.subject_claim = "vo_email"
    with pytest.raises(ValidationError):
        acmidm.model.full_clean()


def test_claims_only_at_the_userinfo_endpoint_are_read_there(acmidm, client, world):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})
    acmidm.claims_at_userinfo_only = True  # the ID token carries sub (and acr/amr) only
    acmidm.stop()
    acmidm.start()
    try:
        response, _ = sign_in(client, acmidm, "ann")
        id_token = client.session[SESSION_KEY]["id_token"]
    finally:
        acmidm.claims_at_userinfo_only = False
        acmidm.stop()
        acmidm.start()

    assert response.status_code == 302
    assert "vo_orgcode" not in b64_claims(id_token)
    assert acmidm.count("/me") == 1
    user = ExternalIdentity.objects.get(subject="vo-ann-1").user
    assert list(user.roles.values_list("role", flat=True)) == [Role.COACH]


def test_next_page_after_sign_in_stays_on_this_site(acmidm, client):
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})
    response, _ = sign_in(client, acmidm, "ann", next_url="/trajecten/")
    assert response["Location"] == "/trajecten/"
    response, _ = sign_in(Client(), acmidm, "ann", next_url="https://evil.example/")
    assert response["Location"] == "/"


def b64_claims(jwt: str) -> dict:
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_an_answer_naming_another_issuer_is_refused(acmidm, client):
    # RFC 9207: the provider names itself in the answer; another name is a mix-up attempt.
    acmidm.set_accounts({"ann": acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}")})
    start = client.get("/aanmelden/via/acmidm/")
    back = acmidm.sign_in_at_provider(
        start["Location"], "ann", second_factor=False, back_to="http://testserver/"
    )
    assert f"iss={acmidm.issuer.replace(':', '%3A').replace('/', '%2F')}" in back
    forged = back.replace("127.0.0.1", "127.0.0.2").removeprefix("http://testserver")

    response = client.get(forged)

    _refused(response, "weigerde de aanmelding")
    assert not ExternalIdentity.objects.exists()
    assert AuditEntry.objects.get(action="refused").changes["reden"] == (
        "antwoord van een andere provider"
    )


def test_claimed_grants_and_removals_are_listed_for_hr(acmidm, client, world):
    both = acmidm_claims("vo-ann-1", f"TerugkeerCoach:{VO_CODE}", f"TerugkeerHR:{VO_CODE}")
    acmidm.set_accounts({"ann": both})
    sign_in(Client(), acmidm, "ann")
    acmidm.set_accounts({"ann": {**both, "iv_terugkeer_rol_3d": [f"TerugkeerCoach:{VO_CODE}"]}})
    sign_in(Client(), acmidm, "ann")

    client.force_login(world.hannah)  # HR of the organisation: "Rollen en toegang"
    page = client.get("/audit/toegang/").content.decode()

    assert page.count("identiteitsprovider acmidm") >= 3  # two grants, one removal
