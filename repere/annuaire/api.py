"""Public read API of the directory, in data·inclusion v1 format.

`/search/services` follows data·inclusion's service search: `code_commune` or `lat`/`lon`, `distance`
(km), `thematiques` (thématiques or catégories), `publics`, `frais`, `types`, `modes_accueil`; plus
Repère's `texte`, `ouvert_maintenant` and `ouvert_le`. The eligibility zone is always respected; remote
services come back with `distance: null`, interleaved with on-site ones sorted by distance.
"""

from datetime import date
from typing import Any

from django.db.models import Q
from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field, create_model, field_validator, model_validator

from repere.annuaire import selectors, taxonomies
from repere.annuaire.importation import (
    CHAMPS_LISTES,
    CHAMPS_SERVICE,
    CHAMPS_STRUCTURE,
    service_vers_di,
    structure_vers_di,
)
from repere.annuaire.models import Service, Structure
from repere.territoires.selectors import commune_au_point, get_commune

router = Router()


def _type(champ: str):
    if champ in CHAMPS_LISTES:
        return (list[str] | None, None)
    if champ in ("latitude", "longitude", "volume_horaire_hebdomadaire"):
        return (float | None, None)
    if champ == "nombre_semaines":
        return (int | None, None)
    return (str | None, None)


StructureDI = create_model("StructureDataInclusion", __base__=Schema, **{c: _type(c) for c in CHAMPS_STRUCTURE})
ServiceDI = create_model(
    "ServiceDataInclusion",
    __base__=Schema,
    extension_repere=(dict[str, Any] | None, None),
    **{c: _type(c) for c in CHAMPS_SERVICE},
)


class ResultatRecherche(Schema):
    service: ServiceDI
    distance: float | None = Field(
        description="Distance en km du lieu le plus proche ; null pour un service à distance"
    )


class PageResultats(Schema):
    items: list[ResultatRecherche]
    total: int
    page: int
    size: int


class PageServices(Schema):
    items: list[ServiceDI]
    total: int
    page: int
    size: int


class PageStructures(Schema):
    items: list[StructureDI]
    total: int
    page: int
    size: int


def _verifier_codes(valeurs: list[str] | None, codes: frozenset, nom: str) -> list[str]:
    valeurs = valeurs or []
    for v in valeurs:
        if v not in codes:
            raise ValueError(f"{nom} : code inconnu « {v} »")
    return valeurs


class FiltresCommuns(Schema):
    thematiques: list[str] | None = Field(None, description="Thématiques ou catégories data·inclusion")
    publics: list[str] | None = None
    frais: list[str] | None = None
    types: list[str] | None = None
    modes_accueil: list[str] | None = None
    page: int = Field(1, ge=1)
    size: int = Field(50, ge=1, le=200)

    @field_validator("thematiques")
    @classmethod
    def _thematiques(cls, v):
        return _verifier_codes(v, taxonomies.CODES_THEMATIQUES | taxonomies.CODES_CATEGORIES, "thematiques")

    @field_validator("publics")
    @classmethod
    def _publics(cls, v):
        return _verifier_codes(v, taxonomies.CODES_PUBLICS, "publics")

    @field_validator("frais")
    @classmethod
    def _frais(cls, v):
        return _verifier_codes(v, taxonomies.CODES_FRAIS, "frais")

    @field_validator("types")
    @classmethod
    def _types(cls, v):
        return _verifier_codes(v, taxonomies.CODES_TYPES, "types")

    @field_validator("modes_accueil")
    @classmethod
    def _modes(cls, v):
        return _verifier_codes(v, taxonomies.CODES_MODES_ACCUEIL, "modes_accueil")


class FiltresRecherche(FiltresCommuns):
    code_commune: str | None = Field(None, description="Code INSEE de la commune de la personne")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    distance: float = Field(selectors.RAYON_DEFAUT_KM, gt=0, le=selectors.RAYON_MAX_KM, description="Rayon en km")
    texte: str | None = Field(None, max_length=100, description="Mots du nom ou de la description, sans accents requis")
    ouvert_maintenant: bool = False
    ouvert_le: date | None = None

    @model_validator(mode="after")
    def _lieu(self):
        if self.code_commune is None and (self.lat is None or self.lon is None):
            raise ValueError("indiquez code_commune, ou lat et lon")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat et lon vont ensemble")
        return self


def _page(items: list, page: int, size: int) -> tuple[list, int]:
    return items[(page - 1) * size : page * size], len(items)


@router.get("/search/services", response=PageResultats, summary="Rechercher des services autour d'un lieu")
def rechercher_services(request, filtres: Query[FiltresRecherche]):
    commune = None
    if filtres.code_commune:
        commune = get_commune(filtres.code_commune)
        if commune is None:
            raise Http404(f"Commune « {filtres.code_commune} » inconnue.")
    elif filtres.lat is not None:
        commune = commune_au_point(lat=filtres.lat, lon=filtres.lon)
    criteres = selectors.Criteres(
        commune=commune,
        latitude=filtres.lat,
        longitude=filtres.lon,
        rayon_km=filtres.distance,
        thematiques=filtres.thematiques or [],
        publics=filtres.publics or [],
        frais=filtres.frais or [],
        types=filtres.types or [],
        modes_accueil=filtres.modes_accueil or [],
        texte=filtres.texte or "",
        ouvert_maintenant=filtres.ouvert_maintenant,
        ouvert_le=filtres.ouvert_le,
    )
    tous = selectors.rechercher(criteres)
    morceau, total = _page(tous, filtres.page, filtres.size)
    resultats = selectors.charger_services(morceau)
    ids = [r.service_id for r in resultats]
    objets = Service.objects.select_related("structure").prefetch_related("lieux", "fermetures").in_bulk(ids)
    return {
        "items": [
            {
                "service": service_vers_di(objets[r.service_id]),
                "distance": round(r.distance_km, 2) if r.distance_km is not None else None,
            }
            for r in resultats
        ],
        "total": total,
        "page": filtres.page,
        "size": filtres.size,
    }


class FiltresListe(FiltresCommuns):
    sources: list[str] | None = None
    code_departement: str | None = None
    code_commune: str | None = None


@router.get("/services", response=PageServices, summary="Lister les services publiés")
def lister_services(request, filtres: Query[FiltresListe]):
    qs = Service.objects.filter(recherchable=True).select_related("structure").prefetch_related("lieux", "fermetures")
    if filtres.sources:
        qs = qs.filter(source__in=filtres.sources)
    if filtres.code_commune:
        qs = qs.filter(code_insee=filtres.code_commune)
    if filtres.code_departement:
        qs = qs.filter(code_insee__startswith=filtres.code_departement)
    if filtres.frais:
        qs = qs.filter(frais__in=filtres.frais)
    if filtres.types:
        qs = qs.filter(type__in=filtres.types)
    if filtres.thematiques:
        q = Q()
        for code in taxonomies.thematiques_de(filtres.thematiques):
            q |= Q(thematiques_cle__contains=f"|{code}|")
        qs = qs.filter(q)
    if filtres.publics:
        q = Q(publics_cle__contains=f"|{taxonomies.TOUS_PUBLICS}|")
        for p in filtres.publics:
            q |= Q(publics_cle__contains=f"|{p}|")
        qs = qs.filter(q)
    if filtres.modes_accueil:
        q = Q()
        if taxonomies.A_DISTANCE in filtres.modes_accueil:
            q |= Q(a_distance=True)
        if taxonomies.EN_PRESENTIEL in filtres.modes_accueil:
            q |= Q(en_presentiel=True)
        qs = qs.filter(q)
    total = qs.count()
    debut = (filtres.page - 1) * filtres.size
    return {
        "items": [service_vers_di(s) for s in qs.order_by("pk")[debut : debut + filtres.size]],
        "total": total,
        "page": filtres.page,
        "size": filtres.size,
    }


@router.get("/services/{source}/{identifiant}", response=ServiceDI, summary="Un service")
def detail_service(request, source: str, identifiant: str):
    service = (
        Service.objects.select_related("structure")
        .prefetch_related("lieux", "fermetures")
        .filter(source=source, identifiant=identifiant, recherchable=True)
        .first()
    )
    if service is None:
        raise Http404("Service introuvable.")
    return service_vers_di(service)


@router.get("/structures", response=PageStructures, summary="Lister les structures")
def lister_structures(
    request, page: int = Query(1, ge=1), size: int = Query(50, ge=1, le=200), sources: list[str] = Query(None)
):
    qs = Structure.objects.filter(statut_moderation="validee", retiree_de_la_source_le__isnull=True)
    if sources:
        qs = qs.filter(source__in=sources)
    total = qs.count()
    debut = (page - 1) * size
    return {
        "items": [structure_vers_di(s) for s in qs.order_by("pk")[debut : debut + size]],
        "total": total,
        "page": page,
        "size": size,
    }


@router.get("/structures/{source}/{identifiant}", response=StructureDI, summary="Une structure")
def detail_structure(request, source: str, identifiant: str):
    structure = Structure.objects.filter(
        source=source, identifiant=identifiant, statut_moderation="validee", retiree_de_la_source_le__isnull=True
    ).first()
    if structure is None:
        raise Http404("Structure introuvable.")
    return structure_vers_di(structure)


class Adresse(Schema):
    libelle: str
    adresse: str
    code_postal: str
    commune: str
    code_insee: str
    latitude: float | None
    longitude: float | None


@router.get("/adresses", response=list[Adresse], summary="Suggérer des adresses (autocomplétion, BAN)")
def adresses(
    request,
    q: str = Query(..., max_length=200, description="ce qui est tapé"),
    commune: str | None = Query(None, pattern=r"^[0-9][0-9AB][0-9]{3}$", description="code INSEE de la commune"),
):
    """Addresses of the national address base matching `q`, within `commune` when given; an empty list
    when the deployment has no geocoder (`REPERE_GEOCODEUR_URL` empty)."""
    from repere.annuaire.geocodage import suggerer_adresses

    return suggerer_adresses(texte=q, code_insee=commune)
