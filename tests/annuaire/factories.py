from datetime import date

import factory

from repere.annuaire.models import Service, Structure
from repere.annuaire.services import reindexer


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    source = "test"
    identifiant = factory.Sequence(lambda n: f"test--structure-{n}")
    nom = factory.Sequence(lambda n: f"Structure {n}")
    date_maj = date(2026, 1, 1)
    commune = "Chemillé-en-Anjou"
    code_insee = "49092"
    latitude = 47.2148
    longitude = -0.7286
    courriel = "structure@exemple.fr"


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published service at Chemillé-en-Anjou, indexed for search."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    source = "test"
    identifiant = factory.Sequence(lambda n: f"test--service-{n}")
    structure = factory.SubFactory(StructureFactory)
    nom = factory.Sequence(lambda n: f"Service {n}")
    description = "Un service d'aide de test."
    date_maj = date(2026, 1, 1)
    thematiques = ["equipement-et-alimentation--alimentation"]
    publics = ["tous-publics"]
    frais = "gratuit"
    modes_accueil = ["en-presentiel"]
    latitude = 47.2148
    longitude = -0.7286
    horaires_accueil = "Mo-Fr 09:00-12:00,14:00-17:00; PH off"

    @factory.post_generation
    def _indexer(obj, create, extracted, **kwargs):
        if create:
            reindexer([obj])
