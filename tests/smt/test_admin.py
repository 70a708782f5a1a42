"""The functioneel beheerder configures the SMTs of his/her organisation in the admin."""

from terugkeer.accounts.models import Role
from terugkeer.smt.models import Smt
from tests.factories import UserFactory, grant, make_unit


def _form(org, domain=None, name="SMT van het domein"):
    return {
        "organisation": org.pk,
        "policy_domain": domain.pk if domain else "",
        "name": name,
        "interval_weeks": 6,
        "read_days_before": 14,
        "read_days_after": 7,
        "active": "on",
    }


def test_beheerder_creates_a_policy_domain_smt_of_his_organisation_only(world, client):
    client.force_login(world.bert)
    response = client.post("/beheer/smt/smt/add/", _form(world.vo, world.domain))
    assert response.status_code == 302
    smt = Smt.objects.get()
    assert smt.policy_domain == world.domain
    # A policy domain of another organisation is refused.
    other_domain = make_unit(world.stad, "Domein Stad", "DST", kind="policy_domain")
    response = client.post("/beheer/smt/smt/add/", _form(world.vo, other_domain, "Tweede"))
    assert response.status_code == 200 and Smt.objects.count() == 1
    # The other organisation's beheerder does not see it; the SMT cannot be deleted by him.
    stad_admin = grant(
        UserFactory(username="sara", organisation=world.stad), Role.ADMIN, world.stad
    )
    client.force_login(stad_admin)
    assert client.get(f"/beheer/smt/smt/{smt.pk}/change/").status_code == 404
    client.force_login(world.bert)
    assert client.post(f"/beheer/smt/smt/{smt.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Smt.objects.filter(pk=smt.pk).exists()
