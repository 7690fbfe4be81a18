"""INSEE Filosofi (revenus, pauvreté et niveau de vie), communal, IRIS and supra-communal files,
in their published layout: ``CODGEO;LIBGEO;NBMENFISC21;NBPERSMENFISC21;MED21;PIMP21;TP6021;…``
(the last two digits are the vintage; IRIS files name their columns ``DISP_TP6021`` and their code
column ``IRIS``). ``s`` is the statistical secret and ``nd`` not available: both kept as a status,
never as zero. Former commune codes are mapped to the current COG with a warning.
Download: insee.fr, « Revenus, pauvreté et niveau de vie en 2021 (Dispositif Filosofi) »,
e.g. ``FILO2021_DISP_COM.csv`` (see README)."""

from __future__ import annotations

import re

from repere.observatoire import geographie as geographie_mod
from repere.observatoire.importation.commun import (
    Fichier,
    Lecture,
    Probleme,
    ValeurLue,
    commune_actuelle,
    lire_tableau,
    nombre,
)
from repere.observatoire.importation.fusion import fusionner_doublons
from repere.observatoire.models import Niveau, Statut

SOURCE = "INSEE, Filosofi (revenus localisés sociaux et fiscaux)"
PRODUCTEUR = "INSEE"
_PART = "Part, dans le revenu disponible des ménages fiscaux, "

# base -> (libellé, unité, agrégation, sens, décimales, bornes, dénominateur pour un taux)
VARIABLES: dict[str, tuple] = {
    "NBMENFISC": ("Nombre de ménages fiscaux", "nombre", "somme", "neutre", 0, (0, None), None),
    "NBPERSMENFISC": ("Personnes des ménages fiscaux", "nombre", "somme", "neutre", 0, (0, None), None),
    "MED": ("Médiane du niveau de vie", "euros", "aucune", "hausse", 0, (0, None), None),
    "PIMP": ("Part des ménages fiscaux imposés", "pourcentage", "ratio", "neutre", 1, (0, 100), "NBMENFISC"),
    "TP60": (
        "Taux de pauvreté (seuil à 60 % du niveau de vie médian)",
        "pourcentage",
        "ratio",
        "baisse",
        1,
        (0, 100),
        "NBPERSMENFISC",
    ),
    "TP60AGE1": (
        "Taux de pauvreté, référent fiscal de moins de 30 ans",
        "pourcentage",
        "aucune",
        "baisse",
        1,
        (0, 100),
        None,
    ),
    "TP60AGE2": (
        "Taux de pauvreté, référent fiscal de 30 à 39 ans",
        "pourcentage",
        "aucune",
        "baisse",
        1,
        (0, 100),
        None,
    ),
    "TP60AGE3": (
        "Taux de pauvreté, référent fiscal de 40 à 49 ans",
        "pourcentage",
        "aucune",
        "baisse",
        1,
        (0, 100),
        None,
    ),
    "TP60AGE4": (
        "Taux de pauvreté, référent fiscal de 50 à 59 ans",
        "pourcentage",
        "aucune",
        "baisse",
        1,
        (0, 100),
        None,
    ),
    "TP60AGE5": (
        "Taux de pauvreté, référent fiscal de 60 à 74 ans",
        "pourcentage",
        "aucune",
        "baisse",
        1,
        (0, 100),
        None,
    ),
    "TP60AGE6": (
        "Taux de pauvreté, référent fiscal de 75 ans ou plus",
        "pourcentage",
        "aucune",
        "baisse",
        1,
        (0, 100),
        None,
    ),
    "TP60TOL1": ("Taux de pauvreté des propriétaires", "pourcentage", "aucune", "baisse", 1, (0, 100), None),
    "TP60TOL2": ("Taux de pauvreté des locataires", "pourcentage", "aucune", "baisse", 1, (0, 100), None),
    "PACT": (_PART + "des revenus d'activité", "pourcentage", "aucune", "neutre", 1, (0, 100), None),
    "PTSA": (_PART + "des salaires et traitements", "pourcentage", "aucune", "neutre", 1, (0, 100), None),
    "PCHO": (_PART + "des indemnités de chômage", "pourcentage", "aucune", "neutre", 1, (0, 100), None),
    "PBEN": (_PART + "des revenus des activités non salariées", "pourcentage", "aucune", "neutre", 1, (0, 100), None),
    "PPEN": (_PART + "des pensions, retraites et rentes", "pourcentage", "aucune", "neutre", 1, (0, 100), None),
    "PPAT": (_PART + "des revenus du patrimoine", "pourcentage", "aucune", "neutre", 1, (0, 100), None),
    "PPSOC": (_PART + "des prestations sociales", "pourcentage", "aucune", "neutre", 1, (0, 100), None),
    "PPFAM": (_PART + "des prestations familiales", "pourcentage", "aucune", "neutre", 1, (0, 100), None),
    "PPMINI": (_PART + "des minima sociaux", "pourcentage", "aucune", "neutre", 1, (0, 100), None),
    "PPLOGT": (_PART + "des prestations logement", "pourcentage", "aucune", "neutre", 1, (0, 100), None),
    "PIMPOT": (_PART + "des impôts (négative)", "pourcentage", "aucune", "neutre", 1, (-100, 0), None),
    "D1": ("1er décile du niveau de vie", "euros", "aucune", "hausse", 0, (0, None), None),
    "D9": ("9e décile du niveau de vie", "euros", "aucune", "neutre", 0, (0, None), None),
    "RD": ("Rapport interdécile (D9/D1)", "nombre", "aucune", "baisse", 1, (0, None), None),
}
_BASES = sorted(VARIABLES, key=len, reverse=True)
COLONNES_CODE = {"CODGEO": None, "IRIS": Niveau.IRIS}
_NIVEAU_NOM = [
    ("_IRIS", Niveau.IRIS),
    ("_COM", Niveau.COMMUNE),
    ("_EPCI", Niveau.EPCI),
    ("_DEP", Niveau.DEPARTEMENT),
    ("_REG", Niveau.REGION),
    ("_METRO", Niveau.FRANCE),
]
_ORDRE = {b: i for i, b in enumerate(VARIABLES)}
_NOMBRE_SIMPLE = re.compile(r"-?\d{1,15}(?:[.,]\d{1,15})?").fullmatch


def code_indicateur(base: str) -> str:
    return "filosofi_" + base.lower()


def indicateurs() -> list[dict]:
    return [
        {
            "code": code_indicateur(base),
            "libelle": libelle,
            "theme": "Revenus et pauvreté",
            "unite": unite,
            "agregation": agregation,
            "facteur": 100 if agregation == "ratio" else 1,
            "sens": sens,
            "precision": decimales,
            "source": SOURCE,
            "producteur": PRODUCTEUR,
            "definition": (
                f"Variable {base} du dispositif Filosofi (revenu disponible par unité de consommation). "
                + (
                    "Au-dessus de la commune, le taux est recalculé depuis un numérateur reconstitué "
                    f"(taux × {denominateur}), d'où le statut « estimé »."
                    if denominateur
                    else ""
                )
            ).strip(),
            "niveaux": ["iris", "commune", "epci", "departement", "region", "france"],
            "ordre": 100 + _ORDRE[base],
        }
        for base, (libelle, unite, agregation, sens, decimales, _b, denominateur) in VARIABLES.items()
    ]


def _variable(entete: str) -> tuple[str, str] | None:
    nom = entete.upper().removeprefix("DISP_")
    for base in _BASES:
        reste = nom[len(base) :]
        if nom.startswith(base) and len(reste) == 2 and reste.isdigit():
            return base, reste
    return None


def _niveau(fichier: Fichier, colonne_code: str) -> str:
    if COLONNES_CODE.get(colonne_code):
        return COLONNES_CODE[colonne_code]
    nom = fichier.nom.upper()
    for motif, niveau in _NIVEAU_NOM:
        if motif in nom:
            return niveau
    return Niveau.COMMUNE


def lire(fichier: Fichier, *, niveau: str | None = None, ignorer_inconnus: bool = False) -> Lecture:
    geo = geographie_mod.geographie()
    entetes, lignes = lire_tableau(fichier)
    majuscules = [e.upper() for e in entetes]
    colonne_code = next((c for c in COLONNES_CODE if c in majuscules), None)
    niveau = niveau or _niveau(fichier, colonne_code or "")
    lecture = Lecture(source=f"filosofi_{niveau}", indicateurs=[], lignes=len(lignes))
    if colonne_code is None:
        lecture.problemes.append(
            Probleme(
                1, None, ";".join(entetes[:4]), "Colonne CODGEO (ou IRIS) introuvable : est-ce un fichier Filosofi ?"
            )
        )
        return lecture
    i_code = majuscules.index(colonne_code)
    colonnes: list[tuple[int, str, str]] = []
    millesimes: dict[str, list[str]] = {}
    for i, entete in enumerate(entetes):
        trouve = _variable(entete)
        if trouve:
            colonnes.append((i, entete, trouve[0]))
            millesimes.setdefault(trouve[1], []).append(entete)
        elif i != i_code and entete.upper() not in ("LIBGEO", "LIBIRIS", "COM", "LIBCOM", "CODGEO"):
            lecture.avertissements.append(f"Colonne « {entete} » inconnue de Filosofi : ignorée.")
    if not colonnes:
        lecture.problemes.append(
            Probleme(1, None, None, "Aucune colonne Filosofi reconnue (NBMENFISC21, MED21, TP6021…).")
        )
        return lecture
    if len(millesimes) > 1:
        detail = " ; ".join(f"20{m} : {', '.join(c[:3])}" for m, c in sorted(millesimes.items()))
        lecture.problemes.append(
            Probleme(1, None, None, f"Millésimes mélangés dans un même fichier ({detail}) : un fichier par millésime.")
        )
        return lecture
    periode = "20" + next(iter(millesimes))
    bases = {b for _i, _e, b in colonnes}
    lecture.indicateurs = [m for m in indicateurs() if m["code"].removeprefix("filosofi_").upper() in bases]
    for m in lecture.indicateurs:
        m["millesime"] = periode
    vus: set[str] = set()
    actuels: set[str] = set()
    fusion = False
    # Per column, once: where it is, the indicator, its bounds, its denominator's column.
    plan = [(i, entete, base, code_indicateur(base), *VARIABLES[base][5]) for i, entete, base in colonnes]
    denominateurs = {base: VARIABLES[base][6] for _i, _e, base in colonnes if VARIABLES[base][6] in bases}
    valeurs = lecture.valeurs
    for n, ligne in enumerate(lignes, start=2):
        brut = ligne[i_code].strip() if i_code < len(ligne) else ""
        code = _code(
            brut, niveau=niveau, geo=geo, n=n, colonne=entetes[i_code], lecture=lecture, ignorer=ignorer_inconnus
        )
        if code is None:
            continue
        if brut in vus:
            lecture.problemes.append(
                Probleme(n, entetes[i_code], brut, "Ce territoire figure deux fois dans le fichier.")
            )
            continue
        vus.add(brut)
        if code in actuels:
            fusion = True  # two former communes of one commune nouvelle
        actuels.add(code)
        lues: dict[str, ValeurLue] = {}
        largeur = len(ligne)
        for i, entete, base, code_ind, bas, haut in plan:
            texte = ligne[i].strip() if i < largeur else ""
            if texte == "s":
                lues[base] = ValeurLue(code_ind, niveau, code, periode, None, Statut.SECRET)
                continue
            if _NOMBRE_SIMPLE(texte):
                # Fast path for the usual « 12,5 » / « 22480 »; anything else goes through _valeur.
                x = float(texte.replace(",", "."))
                if (bas is None or x >= bas) and (haut is None or x <= haut):
                    lues[base] = ValeurLue(code_ind, niveau, code, periode, x, Statut.OK)
                    continue
            v = _valeur(texte, base=base, n=n, entete=entete, lecture=lecture)
            if v is not None:
                lues[base] = ValeurLue(code_ind, niveau, code, periode, v[0], v[1])
        for base, denominateur in denominateurs.items():
            v, d = lues.get(base), lues.get(denominateur)
            if v is not None and d is not None and d.valeur is not None and v.valeur is not None:
                v.denominateur = d.valeur
                v.numerateur = v.valeur * d.valeur / 100
        valeurs.extend(lues.values())
        if len(lecture.problemes) > 500:
            break
    if fusion:
        fusionner_doublons(
            lecture,
            {code_indicateur(b): v[2] for b, v in VARIABLES.items()},
            {code_indicateur(b): 100 for b, v in VARIABLES.items() if v[2] == "ratio"},
        )
    return lecture


def _code(brut, *, niveau, geo, n, colonne, lecture, ignorer) -> str | None:
    if niveau == Niveau.COMMUNE:
        return commune_actuelle(brut, geo=geo, ligne=n, colonne=colonne, lecture=lecture, ignorer_inconnus=ignorer)
    if niveau == Niveau.IRIS:
        if (
            len(brut) != 9
            or commune_actuelle(brut[:5], geo=geo, ligne=n, colonne=colonne, lecture=lecture, ignorer_inconnus=ignorer)
            is None
        ):
            if len(brut) != 9:
                lecture.problemes.append(Probleme(n, colonne, brut, "Un code IRIS a 9 caractères."))
            return None
        return brut
    if niveau == Niveau.FRANCE:
        return "FR"
    if geo.lieu(niveau, brut):
        return brut
    if ignorer:
        lecture.avertissements.append(f"Ligne {n} : code {brut} inconnu, ligne ignorée.")
        return None
    lecture.problemes.append(Probleme(n, colonne, brut, f"Code inconnu pour le niveau « {Niveau(niveau).label} »."))
    return None


def _valeur(texte: str, *, base: str, n: int, entete: str, lecture: Lecture):
    marque = texte.lower()
    if marque == "s":
        return None, Statut.SECRET
    if marque in ("nd", "", "n.d.", "na"):
        return None, Statut.NON_DISPONIBLE
    try:
        x = nombre(texte)
    except ValueError:
        lecture.problemes.append(
            Probleme(n, entete, texte, "Nombre attendu (ou « s » pour le secret, « nd » si non disponible).")
        )
        return None
    bas, haut = VARIABLES[base][5]
    if (bas is not None and x < bas) or (haut is not None and x > haut):
        borne = f"entre {bas} et {haut}" if haut is not None else f"supérieur ou égal à {bas}"
        lecture.problemes.append(Probleme(n, entete, texte, f"Valeur hors des bornes possibles (attendu : {borne})."))
        return None
    return x, Statut.OK
