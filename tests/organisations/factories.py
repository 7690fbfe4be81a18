import factory

from repere.comptes.models import User
from repere.organisations.models import Membership, Organisation, Role, TypeOrganisation

MOT_DE_PASSE = "mot-de-passe-de-test-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", MOT_DE_PASSE)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    nom = factory.Sequence(lambda n: f"Organisation {n}")
    type = TypeOrganisation.CCAS


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PROFESSIONNEL


def membre(organisation=None, role=Role.PROFESSIONNEL, **user_kwargs) -> User:
    """A user with an active membership of `organisation` (a new one if None) with `role`."""
    m = MembershipFactory(
        organisation=organisation or OrganisationFactory(), role=role, user=UserFactory(**user_kwargs)
    )
    return m.user
