"""The territories as the observatory sees them: levels, codes, names and parents, read once
from the territory reference (repere.territoires.selectors) and held in memory."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from repere.observatoire.models import CODE_FRANCE, Niveau
from repere.territoires import selectors as territoires
from repere.territoires.models import TypeTerritoire

_TYPES = {
    TypeTerritoire.COMMUNE: Niveau.COMMUNE,
    TypeTerritoire.EPCI: Niveau.EPCI,
    TypeTerritoire.DEPARTEMENT: Niveau.DEPARTEMENT,
    TypeTerritoire.REGION: Niveau.REGION,
}
_ANCIENNES = {TypeTerritoire.COMMUNE_DELEGUEE, TypeTerritoire.COMMUNE_ASSOCIEE}
TYPE_DU_NIVEAU = {v: k for k, v in _TYPES.items()}


@dataclass
class Lieu:
    niveau: str
    code: str
    nom: str
    population: int | None = None
    parents: dict[str, str] = field(default_factory=dict)  # niveau -> code
    latitude: float | None = None
    longitude: float | None = None

    @property
    def cle(self) -> tuple[str, str]:
        return (self.niveau, self.code)


@dataclass
class Geographie:
    lieux: dict[tuple[str, str], Lieu]
    anciennes: dict[str, str]  # former or delegated commune code -> current commune code
    enfants: dict[tuple[str, str], list[str]]  # (niveau, code) of a parent -> codes of its communes
    iris: dict[str, list[str]] = field(default_factory=dict)  # commune -> its IRIS whose outlines are loaded

    def lieu(self, niveau: str, code: str) -> Lieu | None:
        return self.lieux.get((niveau, code))

    def iris_de(self, commune: str) -> list[str]:
        return self.iris.get(commune, [])

    def communes_de(self, niveau: str, code: str) -> list[str]:
        if niveau == Niveau.COMMUNE:
            return [code]
        return self.enfants.get((niveau, code), [])

    def codes(self, niveau: str) -> list[str]:
        return [c for (n, c) in self.lieux if n == niveau]

    def parent(self, lieu: Lieu, niveau: str) -> Lieu | None:
        if niveau == Niveau.FRANCE:
            return self.lieux[(Niveau.FRANCE, CODE_FRANCE)]
        code = lieu.parents.get(niveau)
        return self.lieux.get((niveau, code)) if code else None


_cache: dict = {"geo": None, "quand": 0.0}
_DUREE = 600


def vider_cache() -> None:
    _cache["geo"] = None


def geographie() -> Geographie:
    if _cache["geo"] is None or time.monotonic() - _cache["quand"] > _DUREE:
        _cache["geo"] = _construire()
        _cache["quand"] = time.monotonic()
    return _cache["geo"]


def _construire() -> Geographie:
    lieux: dict = {(Niveau.FRANCE, CODE_FRANCE): Lieu(Niveau.FRANCE, CODE_FRANCE, "France")}
    # Former codes (COG history, communes déléguées and associées): one rule, in the territories app.
    anciennes = {code: info.code_actuel for code, info in territoires.codes_anciens().items()}
    enfants: dict = {}
    population_france = 0
    for t in territoires.table_territoires():
        if t.type in _ANCIENNES:
            continue
        niveau = _TYPES.get(t.type)
        if niveau is None:
            continue
        parents = {}
        if t.epci and niveau == Niveau.COMMUNE:
            parents[Niveau.EPCI] = t.epci
        if t.departement and niveau in (Niveau.COMMUNE, Niveau.EPCI):
            parents[Niveau.DEPARTEMENT] = t.departement
        if t.region and niveau != Niveau.REGION:
            parents[Niveau.REGION] = t.region
        parents[Niveau.FRANCE] = CODE_FRANCE
        lieux[(niveau, t.code)] = Lieu(niveau, t.code, t.nom, t.population, parents, t.latitude, t.longitude)
        if niveau == Niveau.COMMUNE:
            population_france += t.population or 0
            for n, code in parents.items():
                enfants.setdefault((n, code), []).append(t.code)
    lieux[(Niveau.FRANCE, CODE_FRANCE)].population = population_france or None
    iris = _ajouter_iris(lieux)
    return Geographie(lieux=lieux, anciennes=anciennes, enfants=enfants, iris=iris)


def _ajouter_iris(lieux: dict) -> dict[str, list[str]]:
    """The IRIS whose outlines are loaded (CONTOURS-IRIS), under their commune."""
    from repere.observatoire.models import ContourIris

    par_commune: dict[str, list[str]] = {}
    for code, nom, commune in ContourIris.objects.values_list("code", "nom", "commune"):
        parent = lieux.get((Niveau.COMMUNE, commune))
        if parent is None:
            continue
        parents = {Niveau.COMMUNE: commune, **parent.parents}
        lieux[(Niveau.IRIS, code)] = Lieu(Niveau.IRIS, code, f"{nom} ({parent.nom})", None, parents)
        par_commune.setdefault(commune, []).append(code)
    return par_commune
