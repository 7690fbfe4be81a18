"""API of the observatory: indicators, values (filtered), portraits and map data as GeoJSON.
Every value goes through the selectors: the statistical secret is applied as on the pages."""

from __future__ import annotations

from typing import Literal

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from repere.observatoire import selectors
from repere.observatoire.geographie import geographie
from repere.observatoire.models import Niveau, Valeur

router = Router()
NiveauParam = Literal[tuple(Niveau.values)]  # type: ignore[valid-type]


class IndicateurSortie(Schema):
    code: str
    libelle: str
    theme: str
    unite: str
    definition: str
    source: str
    producteur: str
    millesime: str
    niveaux: list[str]
    sens: str
    precision: int
    agregation: str
    diffusion: str
    est_demo: bool


class ValeurSortie(Schema):
    indicateur: str
    niveau: str
    code: str
    nom: str
    periode: str
    valeur: float | None = Field(description="Absente quand la case est secrète ou non disponible")
    numerateur: float | None
    denominateur: float | None
    etat: str = Field(description="ok, secret (secret statistique) ou nd (non disponible)")
    statut: str = Field(description="ok, secret, nd, provisoire ou estime")
    texte: str = Field(description="La valeur écrite en français, comme à l'écran")


class PageValeurs(Schema):
    total: int
    valeurs: list[ValeurSortie]


class LignePortraitSortie(Schema):
    indicateur: str
    libelle: str
    periode: str
    valeurs: list[ValeurSortie]
    rang: int | None
    sur: int | None
    phrase: str


class PortraitSortie(Schema):
    niveau: str
    code: str
    nom: str
    lignes: list[LignePortraitSortie]


class FiltreValeurs(Schema):
    indicateur: str
    niveau: NiveauParam | None = None  # type: ignore[valid-type]
    code: list[str] = Field(default_factory=list, description="Codes des territoires (répétable)")
    periode: str | None = None
    limite: int = Field(1000, ge=1, le=10000)
    decalage: int = Field(0, ge=0)


def _indicateur(request, code):
    indicateur = selectors.indicateur_visible(request.user, code)
    if indicateur is None:
        raise Http404(f"Indicateur inconnu : {code}.")
    return indicateur


def _sortie(c: selectors.Cellule, code_indicateur: str) -> dict:
    return {**c.__dict__, "indicateur": code_indicateur}


def _cles_visibles(user) -> set[tuple[str, str]]:
    geo = geographie()
    visibles = set()
    for niveau, code in selectors.territoires_autorises(user):
        visibles.add((niveau, code))
        visibles.update((Niveau.COMMUNE, c) for c in geo.communes_de(niveau, code))
        visibles.update(
            (Niveau.EPCI, e) for e in geo.codes(Niveau.EPCI) if geo.lieu(Niveau.EPCI, e).parents.get(niveau) == code
        )
    return visibles


@router.get("/indicateurs", response=list[IndicateurSortie], summary="Indicateurs visibles")
def indicateurs(request):
    return selectors.indicateurs_visibles(request.user)


@router.get("/valeurs", response=PageValeurs, summary="Valeurs d'un indicateur (secret statistique appliqué)")
def valeurs(request, filtre: Query[FiltreValeurs]):
    indicateur = _indicateur(request, filtre.indicateur)
    geo = geographie()
    qs = Valeur.objects.filter(indicateur=indicateur).order_by("periode", "niveau", "code")
    if filtre.niveau:
        qs = qs.filter(niveau=filtre.niveau)
    if filtre.code:
        qs = qs.filter(code__in=filtre.code)
    if filtre.periode:
        qs = qs.filter(periode=filtre.periode)
    if not indicateur.est_public:
        # Activity values: only the user's territories and what they contain.
        visibles = _cles_visibles(request.user)
        qs = qs.filter(pk__in=[pk for pk, n, c in qs.values_list("pk", "niveau", "code") if (n, c) in visibles])
    total = qs.count()
    page = qs[filtre.decalage : filtre.decalage + filtre.limite]
    sorties = []
    for v in page:
        lieu = geo.lieu(v.niveau, v.code)
        sorties.append(_sortie(selectors._cellule(v, indicateur, lieu.nom if lieu else v.code), indicateur.code))
    return {"total": total, "valeurs": sorties}


@router.get("/portraits/{niveau}/{code}", response=PortraitSortie, summary="Portrait d'un territoire")
def portrait(request, niveau: NiveauParam, code: str):  # type: ignore[valid-type]
    lieu = geographie().lieu(niveau, code)
    if lieu is None:
        raise Http404("Territoire inconnu.")
    lignes = selectors.portrait(lieu=lieu, user=request.user)
    return {
        "niveau": lieu.niveau,
        "code": lieu.code,
        "nom": lieu.nom,
        "lignes": [
            {
                "indicateur": ligne.indicateur.code,
                "libelle": ligne.indicateur.libelle,
                "periode": ligne.periode,
                "valeurs": [_sortie(c, ligne.indicateur.code) for c in ligne.cellules],
                "rang": ligne.rang[0] if ligne.rang else None,
                "sur": ligne.rang[1] if ligne.rang else None,
                "phrase": ligne.phrase,
            }
            for ligne in lignes
        ],
    }


class FiltreCarte(Schema):
    indicateur: str
    niveau: Literal["commune", "epci", "departement"] = "commune"
    periode: str | None = None
    perimetre: str = Field("region:52", description="niveau:code du territoire couvert, ex. region:52, departement:49")
    methode: Literal["quantiles", "seuils_naturels"] = "quantiles"
    classes: int = Field(5, ge=2, le=6)


@router.get("/cartes", summary="Données d'une carte en GeoJSON (contours, valeurs, classes, légende)")
def carte(request, filtre: Query[FiltreCarte]):
    indicateur = _indicateur(request, filtre.indicateur)
    niveau, _, code = filtre.perimetre.partition(":")
    perimetre = geographie().lieu(niveau, code)
    if perimetre is None:
        raise Http404(f"Territoire inconnu : {filtre.perimetre}.")
    if not indicateur.est_public and not selectors.peut_voir_activite(request.user, perimetre):
        raise Http404(f"Indicateur inconnu : {filtre.indicateur}.")
    periodes = selectors.periodes(indicateur)
    periode = filtre.periode or (periodes[-1] if periodes else None)
    if periode not in periodes:
        raise Http404(f"Aucune valeur pour la période {periode}.")
    c = selectors.carte(
        indicateur=indicateur,
        periode=periode,
        niveau=filtre.niveau,
        perimetre=perimetre,
        methode=filtre.methode,
        classes=filtre.classes,
    )
    return selectors.geojson(c)
