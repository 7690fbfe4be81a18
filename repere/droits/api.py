"""API of the rights simulator: POST /api/v1/simulations (household in, results out)."""

from typing import Literal

from ninja import Router, Schema

from repere.droits.courbe import courbe
from repere.droits.menage import Menage
from repere.droits.moteur import ResultatSimulation
from repere.droits.prestations import PRESTATIONS
from repere.droits.selectors import simuler_complet

router = Router()


class PointsCourbe(Schema):
    code: str
    libelle: str
    montants_mensuels: list[float]


class Falaise(Schema):
    de: int
    a: int
    perte: float


class Courbe(Schema):
    salaires: list[int]
    autres_revenus_mensuels: float
    total: list[float]
    prestations: list[PointsCourbe]
    falaises: list[Falaise]


class FichePrestation(Schema):
    code: str
    libelle: str
    description: str
    periode: str
    organisme: str
    lien: str


@router.post(
    "/simulations",
    response=ResultatSimulation,
    summary="Simuler les droits d'un ménage",
    description=(
        "Prend un ménage (modèle versionné, voir docs/droits-modele-menage.md) et renvoie, pour chaque "
        "prestation nationale (OpenFisca-France) et chaque aide locale du territoire : éligibilité "
        "(oui / non / incertain), montant, période, raisons, informations manquantes et démarche. "
        "Erreur 422 avec le chemin du champ et un message en français si le ménage est invalide. "
        "`mode=rapide` limite le calcul aux prestations principales (pré-repérage)."
    ),
)
def simuler_menage(request, payload: Menage, mode: Literal["complet", "rapide"] = "complet"):
    return simuler_complet(menage=payload, mode=mode)


@router.post(
    "/simulations/courbe",
    response=Courbe,
    summary="Ressources selon le salaire (0 à 3 000 €/mois)",
    description="Total des ressources et chaque prestation quand le salaire net mensuel du demandeur varie de 0 à 3 000 € par pas de 100 €.",
)
def courbe_revenus(request, payload: Menage):
    return courbe(payload)


@router.get("/prestations", response=list[FichePrestation], summary="Prestations nationales couvertes")
def prestations(request):
    return [
        {
            "code": p.code,
            "libelle": p.libelle,
            "description": p.description,
            "periode": p.periode,
            "organisme": p.comment_demander.organisme,
            "lien": p.comment_demander.lien,
        }
        for p in PRESTATIONS
    ]
