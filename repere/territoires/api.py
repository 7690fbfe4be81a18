from typing import Literal

from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from repere.territoires import selectors
from repere.territoires.models import Territoire, TypeTerritoire

router = Router()

TypeParam = Literal[tuple(TypeTerritoire.values)]  # type: ignore[valid-type]


class Reference(Schema):
    type: str
    code: str
    nom: str


class TerritoireResume(Schema):
    type: str
    code: str
    nom: str
    libelle: str = Field(description="Nom suivi du département ou du code, pour une liste de choix")
    codes_postaux: list[str]
    population: int | None
    departement: Reference | None
    epci: Reference | None


class TerritoireDetail(TerritoireResume):
    region: Reference | None
    commune_parente: Reference | None
    latitude: float | None
    longitude: float | None
    a_un_contour: bool


def _ref(t: Territoire | None):
    return {"type": t.type, "code": t.code, "nom": t.nom} if t else None


def libelle(t: Territoire) -> str:
    if t.type in (TypeTerritoire.COMMUNE, TypeTerritoire.COMMUNE_DELEGUEE, TypeTerritoire.ARRONDISSEMENT):
        cp = t.liste_codes_postaux[0] if t.liste_codes_postaux else t.code
        suffixe = " — commune déléguée" if t.type == TypeTerritoire.COMMUNE_DELEGUEE else ""
        return f"{t.nom} ({cp}){suffixe}"
    if t.type == TypeTerritoire.DEPARTEMENT:
        return f"{t.nom} ({t.code}) — département"
    return f"{t.nom} — {t.get_type_display().lower() if t.type != TypeTerritoire.EPCI else 'EPCI'}"


def resume(t: Territoire) -> dict:
    return {
        "type": t.type,
        "code": t.code,
        "nom": t.nom,
        "libelle": libelle(t),
        "codes_postaux": t.liste_codes_postaux,
        "population": t.population,
        "departement": _ref(t.departement) if t.departement_id else None,
        "epci": _ref(t.epci) if t.epci_id else None,
    }


def detail(t: Territoire) -> dict:
    return {
        **resume(t),
        "region": _ref(t.region) if t.region_id else None,
        "commune_parente": _ref(t.commune_parente) if t.commune_parente_id else None,
        "latitude": t.latitude,
        "longitude": t.longitude,
        "a_un_contour": t.geometrie is not None,
    }


def _get_or_404(type: str, code: str) -> Territoire:
    territoire = selectors.get_territoire(type=type, code=code)
    if territoire is None:
        raise Http404(f"Aucun territoire de type « {type} » avec le code « {code} ».")
    return territoire


class RechercheParams(Schema):
    q: str = Field(
        min_length=2, max_length=100, description="Nom (sans accents ni majuscules requis), code postal ou code INSEE"
    )
    type: list[TypeParam] | None = Field(None, description="Restreindre à ces types (répétable)")
    limite: int = Field(10, ge=1, le=50)


@router.get("/recherche", response=list[TerritoireResume], summary="Autocomplétion par nom, code postal ou code INSEE")
def recherche(request, params: Query[RechercheParams]):
    return [resume(t) for t in selectors.autocompleter(q=params.q, types=params.type, limite=params.limite)]


class PointParams(Schema):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


@router.get("/au-point", response=TerritoireDetail, summary="Commune contenant un point (contours chargés)")
def au_point(request, params: Query[PointParams]):
    commune = selectors.commune_au_point(lat=params.lat, lon=params.lon)
    if commune is None:
        raise Http404("Aucune commune dont le contour est chargé ne contient ce point.")
    return detail(commune)


@router.get("/{type}/{code}", response=TerritoireDetail, summary="Un territoire par son type et son code")
def territoire(request, type: TypeParam, code: str):
    return detail(_get_or_404(type, code))


@router.get("/{type}/{code}/communes", response=list[TerritoireResume], summary="Communes d'un territoire")
def communes(request, type: TypeParam, code: str):
    t = _get_or_404(type, code)
    return [resume(c) for c in selectors.communes_de(t).select_related("departement", "epci").order_by("nom")]


@router.get("/{type}/{code}/contour", summary="Contour simplifié (GeoJSON Feature)")
def contour(request, type: TypeParam, code: str):
    t = _get_or_404(type, code)
    if t.geometrie is None:
        raise Http404(f"Le contour de « {t.nom} » n'est pas chargé sur cette instance.")
    return {"type": "Feature", "geometry": t.geometrie, "properties": {"type": t.type, "code": t.code, "nom": t.nom}}
