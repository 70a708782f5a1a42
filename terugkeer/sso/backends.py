"""Authentication backends: local passwords (an organisation may switch them off) and the
provider's sign-in (docs/sso.md)."""

from django.contrib.auth.backends import ModelBackend

from terugkeer.sso.models import ProviderOrganisation


def passwords_switched_off(user) -> bool:
    return (
        bool(user.organisation_id)
        and ProviderOrganisation.objects.filter(
            organisation_id=user.organisation_id, local_passwords=False
        ).exists()
    )


class PasswordBackend(ModelBackend):
    """Django's password check, refused for the users of an organisation that signs in only
    through its own provider. The platform administrator (no organisation) keeps a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and passwords_switched_off(user):
            return None
        return user


class ProviderBackend(ModelBackend):
    """Only named at login() after a verified ID token; authenticates nothing by itself, and
    loads the signed-in user on later requests like ModelBackend does."""

    def authenticate(self, request, **credentials):
        return None
