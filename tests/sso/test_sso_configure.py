"""manage.py sso_configure FILE.json: the configuration kept with the deployment."""

import json

import pytest
from django.core.management import CommandError, call_command

from terugkeer.accounts.models import Role
from terugkeer.audit.models import AuditEntry
from terugkeer.sso.models import ClaimRoleMapping, IdentityProvider, ProviderOrganisation


def _file(tmp_path, roles, scopes="openid profile vo"):
    data = {
        "providers": [
            {
                "slug": "acmidm",
                "name": "ACM/IDM",
                "kind": "acmidm",
                "issuer": "https://authenticatie-ti.vlaanderen.be/op",
                "client_id": "terugkeer-ti",
                "scopes": scopes,
                "subject_claim": "vo_id",
                "organisation_claim": "vo_orgcode",
                "roles_claim": "iv_terugkeer_rol_3d",
                "organisations": [
                    {
                        "organisation": "Vlaamse overheid (test)",
                        "code": "OVO000001",
                        "local_passwords": False,
                        "roles": roles,
                    }
                ],
            }
        ]
    }
    path = tmp_path / "sso.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_the_file_configures_providers_links_and_mappings(world, tmp_path, capsys):
    coach = {"value": "TerugkeerCoach:OVO000001", "role": "terugkeercoach", "unit": "A"}
    hr = {"value": "TerugkeerHR:OVO000001", "role": "hr", "unit": "A"}
    call_command("sso_configure", _file(tmp_path, [coach, hr]))

    provider = IdentityProvider.objects.get(slug="acmidm")
    link = ProviderOrganisation.objects.get(provider=provider)
    assert (link.organisation, link.local_passwords) == (world.vo, False)
    assert set(link.role_mappings.values_list("role", "unit")) == {
        (Role.COACH, world.entity_a.pk),
        (Role.HR, world.entity_a.pk),
    }
    assert "TERUGKEER_OIDC_SECRET_ACMIDM NOT SET" in capsys.readouterr().out

    call_command("sso_configure", _file(tmp_path, [coach]))  # HR taken out of the file
    assert list(ClaimRoleMapping.objects.values_list("role", flat=True)) == [Role.COACH]
    assert AuditEntry.objects.filter(object_type="providerorganisation").count() == 2


def test_a_file_asking_rrn_changes_nothing(world, tmp_path):
    with pytest.raises(CommandError, match="rijksregisternummer"):
        call_command("sso_configure", _file(tmp_path, [], scopes="openid vo rrn"))
    assert not IdentityProvider.objects.exists()
