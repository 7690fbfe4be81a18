import csv
import io

import factory

from repere.depistage.colonnes import COLONNES
from repere.depistage.models import Depistage
from tests.organisations.factories import OrganisationFactory

ENTETES = [c.nom for c in COLONNES]


def personne(**valeurs) -> dict:
    """A valid demandeur line by default (Angers, tenant, 1,000 € salary)."""
    base = {
        "id_menage": "M1",
        "role": "demandeur",
        "date_naissance": "14/03/1989",
        "activite": "salarie",
        "salaire_net": "1000",
        "commune": "49007",
        "statut_logement": "locataire",
        "loyer": "600",
    }
    base.update(valeurs)
    return base


def enfant(id_menage="M1", **valeurs) -> dict:
    return {"id_menage": id_menage, "role": "enfant", "date_naissance": "02/09/2017", **valeurs}


def texte_csv(lignes: list[dict], *, separateur=";", entetes=None) -> str:
    entetes = entetes or ENTETES
    tampon = io.StringIO()
    ecrivain = csv.DictWriter(tampon, fieldnames=entetes, delimiter=separateur, extrasaction="ignore", restval="")
    ecrivain.writeheader()
    ecrivain.writerows(lignes)
    return tampon.getvalue()


def ecrire_csv(chemin, lignes, *, separateur=";", encodage="utf-8", entetes=None):
    chemin.write_bytes(texte_csv(lignes, separateur=separateur, entetes=entetes).encode(encodage))
    return chemin


class DepistageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Depistage

    organisation = factory.SubFactory(OrganisationFactory)
    nom_fichier = "menages.csv"
    format_entree = "csv"
    format_sortie = "csv"
    mois = "2026-11"
