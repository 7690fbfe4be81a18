"""Checking one row of structure or service before anything is written.

Every rule gives a rejection that names it (`regle`), the field, the value and a French reason:
data·inclusion's own rules (through the `data-inclusion-schema` pydantic models, plus the ones the
models leave to its validator: no final « . » in a name, an INSEE code that exists), Repère's (hours,
coordinates in France, local themes) and the database's limits (the same on SQLite and PostgreSQL,
checked here so that no database ever refuses a row halfway through an import).
"""

import json
from dataclasses import dataclass
from datetime import date

from data_inclusion.schema.v1 import Service as ServiceDI
from data_inclusion.schema.v1 import Structure as StructureDI
from django.db import models
from pydantic import ValidationError

from repere.annuaire import horaires, taxonomies
from repere.annuaire.models import Service, Structure

CHAMPS_STRUCTURE = list(StructureDI.model_fields)
CHAMPS_SERVICE = list(ServiceDI.model_fields)
ENSEMBLE_CHAMPS_STRUCTURE, ENSEMBLE_CHAMPS_SERVICE = frozenset(CHAMPS_STRUCTURE), frozenset(CHAMPS_SERVICE)
CHAMPS_LISTES = {
    "reseaux_porteurs",
    "thematiques",
    "publics",
    "modes_accueil",
    "zone_eligibilite",
    "modes_mobilisation",
    "mobilisable_par",
}
CHAMPS_URL = ("lien_source", "site_web", "accessibilite_lieu", "lien_mobilisation", "courriel")
CHAMPS_NUMERIQUES = ("latitude", "longitude", "volume_horaire_hebdomadaire", "nombre_semaines", "date_maj")

# Rules, as shown in the validation table (column « règle »).
REGLES = {
    "obligatoire": "champ obligatoire",
    "longueur": "longueur du texte",
    "format": "format",
    "nomenclature": "code d'une nomenclature data·inclusion",
    "type": "type de valeur",
    "nom_point_final": "nom sans point final",
    "commune_inexistante": "code INSEE existant",
    "ancienne_commune": "commune actuelle (ancien code remplacé)",
    "coordonnees": "coordonnées en France",
    "horaires": "horaires d'accueil (syntaxe OSM)",
    "structure_inconnue": "structure du service connue",
    "doublon": "identifiant unique dans le fichier",
    "limite_base": "taille maximale en base",
    "localisation": "service sur place localisable",
    "localisation_approximative": "localisation approximative (centre de la commune)",
    "extension": "extension Repère",
    "valeur": "valeur valide",
}

MESSAGES_PYDANTIC = {
    "string_type": ("type", "texte attendu"),
    "list_type": ("type", "liste attendue"),
    "set_type": ("type", "liste attendue"),
    "date_type": ("format", "date invalide (AAAA-MM-JJ attendu)"),
    "float_type": ("type", "nombre attendu"),
    "missing": ("obligatoire", "champ obligatoire manquant"),
    "enum": ("nomenclature", "code inconnu"),
    "literal_error": ("nomenclature", "code inconnu"),
    "string_too_short": ("longueur", "trop court"),
    "string_too_long": ("longueur", "trop long"),
    "string_pattern_mismatch": ("format", "format invalide"),
    "date_from_datetime_parsing": ("format", "date invalide (AAAA-MM-JJ attendu)"),
    "date_parsing": ("format", "date invalide (AAAA-MM-JJ attendu)"),
    "float_parsing": ("type", "nombre attendu"),
    "int_parsing": ("type", "nombre entier attendu"),
    "value_error": ("valeur", "valeur invalide"),
    "url_parsing": ("format", "adresse web invalide"),
}

# (south, north, west, east) boxes: metropolitan France and Corsica, then overseas.
BOITES_FRANCE = [
    (41.3, 51.2, -5.3, 9.7),
    (15.8, 16.6, -61.9, -61.0),  # Guadeloupe
    (14.3, 14.9, -61.3, -60.8),  # Martinique
    (2.1, 5.8, -54.7, -51.6),  # Guyane
    (-21.4, -20.8, 55.2, 55.9),  # La Réunion
    (-13.1, -12.6, 44.9, 45.4),  # Mayotte
    (46.7, 47.2, -56.5, -56.1),  # Saint-Pierre-et-Miquelon
    (17.8, 18.2, -63.2, -62.7),  # Saint-Martin, Saint-Barthélemy
]


@dataclass
class Probleme:
    champ: str
    valeur: str
    raison: str
    regle: str


def montrer(valeur, longueur: int = 60) -> str:
    """A value as shown in a message: quoted, shortened."""
    if valeur is None:
        return ""
    if isinstance(valeur, (list, dict)):
        texte = json.dumps(valeur, ensure_ascii=False)
    else:
        texte = str(valeur)
    return texte if len(texte) <= longueur else texte[: longueur - 1] + "…"


_METROPOLE = BOITES_FRANCE[0]


def en_france(lat, lon) -> bool:
    s, n, o, e = _METROPOLE  # most rows: checked without a loop
    if s <= lat <= n and o <= lon <= e:
        return True
    return any(s <= lat <= n and o <= lon <= e for s, n, o, e in BOITES_FRANCE[1:])


def _liste(valeur) -> list | None:
    if valeur is None or valeur == "":
        return None
    if isinstance(valeur, (list, tuple, set)):
        return list(valeur)
    if hasattr(valeur, "tolist"):
        return list(valeur.tolist())
    texte = str(valeur).strip()
    if texte.startswith("["):
        try:
            return json.loads(texte)
        except json.JSONDecodeError:
            pass
    return [v.strip() for v in texte.replace(";", ",").split(",") if v.strip()]


_CODES_ZERO = {"code_insee": 5, "code_postal": 5, "siret": 14}


def nettoyer(ligne: dict, champs) -> dict:
    """Keep the schema's fields; empty cells become absent, CSV arrays become lists.
    Only the row's own cells are visited (a row fills a third of the 33 fields of the schema);
    `champs`: ideally a frozenset (ENSEMBLE_CHAMPS_STRUCTURE, ENSEMBLE_CHAMPS_SERVICE)."""
    gardes = champs if type(champs) is frozenset else frozenset(champs)
    propre = {}
    for cle, valeur in ligne.items():
        if valeur is None or cle not in gardes:
            continue
        if type(valeur) is str:  # the common case (CSV cells): no other check needed
            valeur = valeur.strip()
            if valeur == "":
                continue
            if cle in CHAMPS_LISTES:
                valeur = _liste(valeur)
                if valeur is None:
                    continue
            propre[cle] = valeur
            continue
        if cle in CHAMPS_LISTES:
            valeur = _liste(valeur)
        elif isinstance(valeur, (int, float)) and cle not in CHAMPS_NUMERIQUES and not isinstance(valeur, bool):
            valeur = str(int(valeur)) if float(valeur).is_integer() else str(valeur)  # a spreadsheet's number
            if cle in _CODES_ZERO:  # a spreadsheet drops the leading zero: 1001 → 01001
                valeur = valeur.zfill(_CODES_ZERO[cle])
        elif hasattr(valeur, "isoformat") and cle != "date_maj":
            valeur = str(valeur)
        if valeur is not None:
            propre[cle] = valeur
    return propre


def problemes_pydantic(exc: ValidationError) -> list[Probleme]:
    problemes = []
    for err in exc.errors():
        champ = ".".join(str(p) for p in err["loc"] if not isinstance(p, int)) or "ligne"
        regle, texte = MESSAGES_PYDANTIC.get(err["type"], ("valeur", err["msg"]))
        entree = err.get("input") if err["type"] != "missing" else None
        if err["type"] == "string_too_long":
            texte = f"trop long ({len(str(entree))} caractères, {err['ctx']['max_length']} au plus)"
        elif err["type"] == "string_too_short":
            texte = f"trop court ({len(str(entree))} caractères, {err['ctx']['min_length']} au moins)"
        raison = f"{champ} : {texte}" + (f" « {montrer(entree)} »" if entree not in (None, "") else "")
        problemes.append(Probleme(champ, montrer(entree), raison, regle))
    uniques = {}
    for p in problemes:
        uniques.setdefault(p.raison, p)
    return list(uniques.values())


def verifier_commun(donnees: dict) -> Probleme | None:
    lat, lon = donnees.get("latitude"), donnees.get("longitude")
    if (lat is None) != (lon is None):
        return Probleme("latitude", montrer(lat), "latitude et longitude vont ensemble", "coordonnees")
    if lat is not None and not en_france(lat, lon):
        return Probleme("latitude", f"{lat}, {lon}", f"coordonnées ({lat}, {lon}) hors de France", "coordonnees")
    if donnees.get("horaires_accueil"):
        try:
            horaires.valider(donnees["horaires_accueil"])
        except horaires.HorairesInvalides as exc:
            return Probleme(
                "horaires_accueil", montrer(donnees["horaires_accueil"]), f"horaires_accueil : {exc}", "horaires"
            )
    return None


def verifier_nom(nom: str | None, *, service: bool) -> Probleme | None:
    """data·inclusion: a structure's name never ends with « . »; a service's ideally not (except « etc. »)."""
    if nom and nom.rstrip().endswith(".") and not (service and nom.rstrip().lower().endswith("etc.")):
        return Probleme(
            "nom", montrer(nom), f"nom : ne doit pas se terminer par un point « {montrer(nom)} »", "nom_point_final"
        )
    return None


def extension(ligne: dict) -> dict:
    valeur = ligne.get("extension_repere")
    if not valeur:
        return {}
    if isinstance(valeur, str):
        valeur = json.loads(valeur)
    return valeur if isinstance(valeur, dict) else {}


def verifier_extension(ext: dict) -> Probleme | None:
    def probleme(raison):
        return Probleme("extension_repere", "", f"extension_repere.{raison}", "extension")

    inconnues = [t for t in ext.get("thematiques_locales") or [] if t not in taxonomies.THEMATIQUES_LOCALES]
    if inconnues:
        return probleme(f"thematiques_locales : code inconnu « {inconnues[0]} »")
    inconnues = [t for t in ext.get("thematiques_officielles") or [] if t not in taxonomies.CODES_THEMATIQUES]
    if inconnues:
        return probleme(f"thematiques_officielles : code inconnu « {inconnues[0]} »")
    for lieu in ext.get("lieux") or []:
        if lieu.get("latitude") is None or not en_france(lieu["latitude"], lieu["longitude"]):
            return probleme("lieux : coordonnées manquantes ou hors de France")
        if lieu.get("horaires_accueil"):
            try:
                horaires.valider(lieu["horaires_accueil"])
            except horaires.HorairesInvalides as exc:
                return probleme(f"lieux : {exc}")
    for fermeture in ext.get("fermetures") or []:
        try:
            if date.fromisoformat(fermeture["fin"]) < date.fromisoformat(fermeture["debut"]):
                return probleme("fermetures : fin avant début")
        except (KeyError, TypeError, ValueError):
            return probleme("fermetures : dates invalides (AAAA-MM-JJ attendu)")
    return None


def _limites(modele) -> dict[str, int]:
    return {
        f.name: f.max_length
        for f in modele._meta.concrete_fields
        if isinstance(f, models.CharField) and f.max_length and f.editable
    }


LIMITES = {Structure: _limites(Structure), Service: _limites(Service)}


def _bornes(modele) -> dict[str, tuple[int, int]]:
    bornes = {}
    for f in modele._meta.concrete_fields:
        if isinstance(f, (models.PositiveSmallIntegerField, models.SmallIntegerField)):
            bornes[f.name] = (0 if isinstance(f, models.PositiveSmallIntegerField) else -32768, 32767)
        elif isinstance(f, (models.PositiveIntegerField, models.IntegerField)) and not f.primary_key:
            bornes[f.name] = (0 if isinstance(f, models.PositiveIntegerField) else -(2**31), 2**31 - 1)
    return bornes


BORNES = {Structure: _bornes(Structure), Service: _bornes(Service)}


def verifier_limites(modele, valeurs: dict) -> Probleme | None:
    """The database's column sizes and integer ranges (PostgreSQL refuses what SQLite stores): checked
    before any write."""
    for champ, (bas, haut) in BORNES[modele].items():
        v = valeurs.get(champ)
        if v is not None and not (isinstance(v, int) and bas <= v <= haut):
            return Probleme(
                champ,
                montrer(v),
                f"{champ} : nombre entier entre {bas} et {haut} attendu « {montrer(v)} »",
                "limite_base",
            )
    for champ, limite in LIMITES[modele].items():
        v = valeurs.get(champ)
        if isinstance(v, str) and len(v) > limite:
            nom = "id" if champ == "identifiant" else champ
            return Probleme(
                nom,
                montrer(v),
                f"{nom} : trop long ({len(v)} caractères, {limite} au plus) « {montrer(v)} »",
                "limite_base",
            )
    return None


def problemes_limites(modele, lignes: list[dict]) -> dict[int, Probleme]:
    """`verifier_limites` over many rows at once: {row's rank in `lignes`: its problem}.

    Each column is checked in one pass (`max(map(len, …))` in C for the text columns, the few filled
    values for the integer ones); only the rows of a column found over its limit go through
    `verifier_limites`, which builds the French message (the first field over its limit, as row by row).
    A column holding something without a length is checked value by value, in the same pass."""
    suspectes: set[int] = set()
    for champ in BORNES[modele]:
        remplies = [(k, v) for k, v in enumerate(ligne.get(champ) for ligne in lignes) if v is not None]
        bas, haut = BORNES[modele][champ]
        suspectes.update(k for k, v in remplies if not (type(v) is int and bas <= v <= haut))
    for champ, limite in LIMITES[modele].items():
        colonne = [ligne.get(champ, "") for ligne in lignes]
        try:
            if max(map(len, colonne), default=0) <= limite:
                continue
        except TypeError:  # something without a length (None, a number): the column value by value
            pass
        suspectes.update(k for k, v in enumerate(colonne) if isinstance(v, str) and len(v) > limite)
    problemes = {}
    for k in sorted(suspectes):
        if probleme := verifier_limites(modele, lignes[k]):
            problemes[k] = probleme
    return problemes


def _genres_champs(classe) -> tuple[frozenset, frozenset]:
    """(date fields, set fields) of a data·inclusion model, read from its annotations once."""
    dates, ensembles = set(), set()
    for nom, f in classe.model_fields.items():
        texte = str(f.annotation)
        if f.annotation is date or "datetime.date" in texte:
            dates.add(nom)
        if texte.startswith("set[") or "typing.Set" in texte or getattr(f.annotation, "__origin__", None) is set:
            ensembles.add(nom)
    return frozenset(dates), frozenset(ensembles)


_GENRES = {StructureDI: _genres_champs(StructureDI), ServiceDI: _genres_champs(ServiceDI)}


def _plan(classe) -> tuple[dict, tuple, tuple, tuple]:
    """How a dump of a data·inclusion model becomes our model's values, computed once per class:
    (the value of every field left empty, URL fields, set fields, date fields)."""
    dates, ensembles = _GENRES[classe]
    vides = {
        cle: [] if cle in CHAMPS_LISTES else (None if cle in CHAMPS_NUMERIQUES else "")
        for cle in classe.model_fields
        if cle not in ("id", "structure_id")
    }
    urls = tuple(c for c in CHAMPS_URL if c in classe.model_fields)
    return vides, urls, tuple(sorted(ensembles)), tuple(sorted(dates))


_PLANS = {StructureDI: _plan(StructureDI), ServiceDI: _plan(ServiceDI)}


def modele_vers_champs(modele, brut: dict) -> dict:
    """A validated data·inclusion model → our model's field values (schema `id` → `identifiant`).
    URLs and e-mails keep the producer's spelling (pydantic would normalise them).

    One `model_dump(mode="json", exclude_none=True)` (pydantic-core, in Rust) gives enumerations as
    their codes, sets as lists and only the fields the row fills; merged over the values of empty
    fields computed once (`_PLANS`), only the few URL, set and date fields are then touched in Python:
    reading the 33 fields one by one dominated the validation of a 250,000-service import."""
    vides, urls, ensembles, dates = _PLANS[type(modele)]
    vidage = modele.model_dump(mode="json", exclude_none=True)
    valeurs = vides.copy()
    valeurs.update(vidage)
    valeurs["identifiant"] = valeurs.pop("id")
    valeurs.pop("structure_id", None)
    for cle in urls:
        if cle in vidage:
            valeurs[cle] = brut[cle]
    for cle in ensembles:
        if cle in vidage:
            valeurs[cle] = sorted(vidage[cle])
    for cle in dates:
        if cle in vidage:
            valeurs[cle] = getattr(modele, cle)
    return valeurs


def valider_structure(propre: dict) -> tuple[dict | None, list[Probleme], list[Probleme]]:
    """(values for Structure, rejections, warnings) of a cleaned row."""
    try:
        modele = StructureDI.model_validate(propre)
    except ValidationError as exc:
        return None, problemes_pydantic(exc), []
    valeurs = modele_vers_champs(modele, propre)
    probleme = verifier_nom(modele.nom, service=False) or verifier_commun(valeurs)
    if probleme:
        return None, [probleme], []
    probleme = verifier_limites(Structure, valeurs)
    return (None, [probleme], []) if probleme else (valeurs, [], [])


def valider_service(
    propre: dict, ligne: dict, *, limites: bool = True
) -> tuple[object | None, dict | None, dict, list[Probleme], list[Probleme]]:
    """(pydantic model, values for Service, extension, rejections, warnings) of a cleaned row.
    `limites=False`: the database's limits are left to the caller (`problemes_limites`, by column)."""
    try:
        modele = ServiceDI.model_validate(propre)
    except ValidationError as exc:
        return None, None, {}, problemes_pydantic(exc), []
    avertissements = []
    if p := verifier_nom(modele.nom, service=True):
        avertissements.append(p)
    valeurs = modele_vers_champs(modele, propre)
    probleme = verifier_commun(valeurs)
    ext = {}
    if probleme is None:
        try:
            ext = extension(ligne)
            probleme = verifier_extension(ext)
        except (json.JSONDecodeError, TypeError):
            probleme = Probleme("extension_repere", "", "extension_repere : JSON illisible", "extension")
    if probleme:
        return None, None, {}, [probleme], avertissements
    valeurs.update(valeurs_extension(ext))
    probleme = verifier_limites(Service, valeurs) if limites else None
    if probleme:
        return None, None, {}, [probleme], avertissements
    return modele, valeurs, ext, [], avertissements


def valeurs_extension(ext: dict) -> dict:
    v = {}
    for cle in ("thematiques_locales", "langues", "documents_a_fournir"):
        v[cle] = list(ext.get(cle) or [])
    for cle in ("age_min", "age_max"):
        v[cle] = ext.get(cle)
    v["accessibilite_description"] = ext.get("accessibilite_description") or ""
    v["verifie_le"] = date.fromisoformat(ext["verifie_le"]) if ext.get("verifie_le") else None
    v["verifie_par_nom"] = ext.get("verifie_par_nom") or ""
    if ext.get("localisation_approximative"):
        v["localisation_approximative"] = True
    if "thematiques_officielles" in ext:
        # Exported by Repère: `thematiques` also holds the codes local themes were mapped to.
        v["thematiques"] = sorted(ext["thematiques_officielles"] or [])
    return v
