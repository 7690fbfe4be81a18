"""IGN CONTOURS-IRIS, the outlines of the IRIS, in the attributes IGN publishes them with:
``INSEE_COM``, ``NOM_COM``, ``IRIS``, ``CODE_IRIS``, ``NOM_IRIS``, ``TYP_IRIS`` (the 2024 edition writes
them in lower case, with ``code_insee``, ``nom_commune`` and ``type_iris``: both are read).

IGN ships shapefiles or a GeoPackage in Lambert 93; the importer reads their GeoJSON export in WGS 84
(RFC 7946), made with GDAL (see README):
``ogr2ogr -f GeoJSON -t_srs EPSG:4326 iris.geojson CONTOURS-IRIS.shp``.
Download: geoservices.ign.fr, « CONTOURS-IRIS® » (or data.gouv.fr, « Contours IRIS »).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import shapely

from repere.observatoire import geographie as geographie_mod
from repere.observatoire.importation.commun import Fichier, Lecture, Probleme, commune_actuelle, decoder

SOURCE = "contours_iris"
# Same order of magnitude as the communes' simplified outlines (repere.territoires.chargement).
TOLERANCE = 0.0002
_ALIAS = {
    "code_iris": ("CODE_IRIS", "code_iris", "DCOMIRIS"),
    "nom_iris": ("NOM_IRIS", "nom_iris"),
    "insee_com": ("INSEE_COM", "code_insee", "insee_com", "DEPCOM"),
    "type_iris": ("TYP_IRIS", "type_iris", "typ_iris"),
}
_TYPES = {"H", "A", "D", "Z"}
_CRS_WGS84 = ("CRS84", "EPSG:4326", "EPSG::4326")


@dataclass
class ContourLu:
    code: str
    nom: str
    commune: str
    type_iris: str
    geometrie: dict


@dataclass
class LectureContours(Lecture):
    contours: list[ContourLu] = field(default_factory=list)


def _attribut(proprietes: dict, cle: str) -> str:
    for nom in _ALIAS[cle]:
        if proprietes.get(nom) not in (None, ""):
            return str(proprietes[nom]).strip()
    return ""


def lire(fichier: Fichier) -> LectureContours:
    geo = geographie_mod.geographie()
    lecture = LectureContours(source=SOURCE, indicateurs=[])
    try:
        document = json.loads(decoder(fichier.contenu))
    except ValueError as e:
        lecture.problemes.append(Probleme(None, None, fichier.nom, f"Ce n'est pas un fichier GeoJSON lisible ({e})."))
        return lecture
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        lecture.problemes.append(
            Probleme(
                None,
                None,
                fichier.nom,
                "Un fichier GeoJSON « FeatureCollection » est attendu (export des contours IRIS).",
            )
        )
        return lecture
    crs = str(((document.get("crs") or {}).get("properties") or {}).get("name") or "")
    if crs and not crs.upper().endswith(_CRS_WGS84):
        lecture.problemes.append(
            Probleme(
                None,
                "crs",
                crs,
                "Les contours doivent être en WGS 84 (longitude, latitude) : exportez-les avec "
                "« ogr2ogr -f GeoJSON -t_srs EPSG:4326 iris.geojson CONTOURS-IRIS.shp ».",
            )
        )
        return lecture
    objets = document.get("features") or []
    lecture.lignes = len(objets)
    vus: set[str] = set()
    for n, objet in enumerate(objets, start=1):
        _lire_objet(objet, n=n, geo=geo, lecture=lecture, vus=vus)
        if len(lecture.problemes) > 500:
            break
    if not lecture.contours and not lecture.problemes:
        lecture.problemes.append(Probleme(None, None, fichier.nom, "Aucun contour d'IRIS dans le fichier."))
    return lecture


def _lire_objet(objet, *, n: int, geo, lecture: LectureContours, vus: set[str]) -> None:
    proprietes = (objet or {}).get("properties") or {}
    code = _attribut(proprietes, "code_iris").upper()
    nom = _attribut(proprietes, "nom_iris")
    commune = _attribut(proprietes, "insee_com").upper() or code[:5]
    type_iris = _attribut(proprietes, "type_iris").upper()
    avant = len(lecture.problemes)
    if len(code) != 9 or not code[5:].isdigit():
        lecture.problemes.append(Probleme(n, "CODE_IRIS", code, "Un code IRIS a 9 caractères (commune + 4 chiffres)."))
    elif code in vus:
        lecture.problemes.append(Probleme(n, "CODE_IRIS", code, "Cet IRIS figure deux fois dans le fichier."))
    elif not code.startswith(commune):
        lecture.problemes.append(
            Probleme(n, "INSEE_COM", commune, f"Le code IRIS {code} ne commence pas par le code de sa commune.")
        )
    if not nom:
        lecture.problemes.append(Probleme(n, "NOM_IRIS", None, "Le nom de l'IRIS est vide."))
    elif len(nom) > 200:
        lecture.problemes.append(Probleme(n, "NOM_IRIS", nom[:40] + "…", "Nom trop long (200 caractères au plus)."))
    if type_iris and type_iris not in _TYPES:
        lecture.problemes.append(Probleme(n, "TYP_IRIS", type_iris, "Type d'IRIS attendu : H, A, D ou Z."))
    actuelle = commune_actuelle(commune, geo=geo, ligne=n, colonne="INSEE_COM", lecture=lecture, ignorer_inconnus=False)
    geometrie = _geometrie((objet or {}).get("geometry"), n=n, lecture=lecture)
    if len(lecture.problemes) > avant or actuelle is None or geometrie is None:
        return
    vus.add(code)
    lecture.contours.append(ContourLu(code, nom, actuelle, type_iris, geometrie))


def _geometrie(brute, *, n: int, lecture: LectureContours) -> dict | None:
    if not isinstance(brute, dict) or brute.get("type") not in ("Polygon", "MultiPolygon"):
        lecture.problemes.append(
            Probleme(n, "geometry", (brute or {}).get("type") if isinstance(brute, dict) else None, "Polygone attendu.")
        )
        return None
    try:
        forme = shapely.geometry.shape(brute)
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException) as e:
        lecture.problemes.append(Probleme(n, "geometry", None, f"Contour illisible ({e})."))
        return None
    ouest, sud, est, nord = forme.bounds
    if not (-180 <= ouest <= est <= 180 and -90 <= sud <= nord <= 90):
        lecture.problemes.append(
            Probleme(
                n,
                "geometry",
                f"{ouest:.0f}, {sud:.0f}",
                "Coordonnées hors de la longitude et de la latitude : le fichier est sans doute en Lambert 93 ; "
                "exportez-le en WGS 84 (ogr2ogr -t_srs EPSG:4326).",
            )
        )
        return None
    simplifiee = shapely.simplify(forme, TOLERANCE, preserve_topology=True)
    return json.loads(shapely.to_geojson(simplifiee))
