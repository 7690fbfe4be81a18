import factory

from repere.droits.models import AideLocale
from repere.territoires.models import Territoire, TypeTerritoire
from tests.organisations.factories import OrganisationFactory


def territoire(type_=TypeTerritoire.COMMUNE, code="49007") -> Territoire:
    return Territoire.objects.get(type=type_, code=code)


class AideLocaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AideLocale

    organisation = factory.SubFactory(OrganisationFactory)
    nom = factory.Sequence(lambda n: f"Aide locale {n}")
    territoire = factory.LazyFunction(lambda: territoire())
    comment_demander = "Dossier à déposer au CCAS."
    montant = 100
    periode = "ponctuel"


def menage(**modifs) -> dict:
    """A household-model dict: single adult of 30 in Angers, tenant, no income (override with kwargs)."""
    data = {
        "mois": "2026-11",
        "commune": "49007",
        "logement": {"statut": "locataire", "loyer": 450},
        "personnes": [{"role": "demandeur", "age": 30}],
    }
    data.update(modifs)
    return data
