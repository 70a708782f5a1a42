"""Test data factories (factory-boy)."""

import factory

from terugkeer.accounts.models import RoleAssignment, User
from terugkeer.organisations.models import Employee, Organisation
from terugkeer.organisations.services import unit_create

PASSWORD = "test-Wachtwoord-123"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = "vo"


def make_unit(organisation, name, code, kind="team", parent=None, is_entity=False):
    return unit_create(
        organisation=organisation,
        name=name,
        code=code,
        kind=kind,
        parent=parent,
        is_entity=is_entity,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Fixed names: a random surname could equal an employee's and fool "not in page" checks.
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    personnel_number = factory.Sequence(lambda n: f"P{n:06d}")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    statute = "statutair"
    organisation = factory.SelfAttribute("unit.organisation")
    entity_id = factory.SelfAttribute("unit.entity_id")


def grant(user, role, organisation, unit=None):
    RoleAssignment.objects.create(user=user, role=role, organisation=organisation, unit=unit)
    return user
