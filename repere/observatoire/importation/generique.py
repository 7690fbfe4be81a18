"""Any other indicator file a team has (MSA, CPAM, département, France Travail…): a CSV or XLSX
table with a territory code, a period, a value and optionally a numerator and a denominator, read
through a mapping (which column holds what) chosen in the import assistant or on the command line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from repere.observatoire import geographie as geographie_mod
from repere.observatoire.importation.commun import (
    Fichier,
    Lecture,
    Probleme,
    ValeurLue,
    commune_actuelle,
    lire_tableau,
    nombre,
    verifier_valeur,
)
from repere.observatoire.models import Agregation, Niveau, Statut, Unite
from repere.utils.text import normalise

STATUTS_TEXTE = {
    "s": Statut.SECRET,
    "secret": Statut.SECRET,
    "nd": Statut.NON_DISPONIBLE,
    "non disponible": Statut.NON_DISPONIBLE,
    "": Statut.NON_DISPONIBLE,
    "p": Statut.PROVISOIRE,
    "provisoire": Statut.PROVISOIRE,
    "e": Statut.ESTIME,
    "estime": Statut.ESTIME,
    "ok": Statut.OK,
}
_NON_ADDITIFS = re.compile(r"m[ée]dian|d[ée]cile|quartile|moyenne|taux|part |indice", re.IGNORECASE)


@dataclass
class Correspondance:
    """Which column holds what (column names as in the header), and the indicator described."""

    code_indicateur: str
    libelle: str
    unite: str
    agregation: str
    colonne_code: str
    colonne_valeur: str
    niveau: str = Niveau.COMMUNE
    colonne_niveau: str = ""
    colonne_periode: str = ""
    periode: str = ""
    colonne_numerateur: str = ""
    colonne_denominateur: str = ""
    colonne_statut: str = ""
    facteur: float = 1
    source: str = ""
    producteur: str = ""
    diffusion: str = "public"
    sens: str = "neutre"
    precision: int = 1


def entetes(fichier: Fichier) -> list[str]:
    return lire_tableau(fichier)[0]


def apercu(fichier: Fichier, lignes: int = 5) -> list[list[str]]:
    """The first rows, shown next to the mapping form."""
    return lire_tableau(fichier)[1][:lignes]


def _verifier_correspondance(c: Correspondance, cols: list[str], lecture: Lecture) -> None:
    def manque(nom, champ):
        lecture.problemes.append(Probleme(1, nom, None, f"Colonne introuvable dans l'en-tête ({champ})."))

    for champ in (
        "colonne_code",
        "colonne_valeur",
        "colonne_periode",
        "colonne_niveau",
        "colonne_numerateur",
        "colonne_denominateur",
        "colonne_statut",
    ):
        nom = getattr(c, champ)
        if nom and nom not in cols:
            manque(nom, champ.replace("colonne_", "colonne "))
    if not c.colonne_periode and not c.periode:
        lecture.problemes.append(Probleme(None, None, None, "Indiquez la colonne de la période ou une période fixe."))
    if not re.fullmatch(r"[a-z0-9_]{2,60}", c.code_indicateur or ""):
        lecture.problemes.append(
            Probleme(None, None, c.code_indicateur, "Code d'indicateur : 2 à 60 caractères parmi a-z, 0-9 et _.")
        )
    if c.unite not in Unite.values:
        lecture.problemes.append(Probleme(None, None, c.unite, "Unité inconnue."))
    if c.agregation not in Agregation.values:
        lecture.problemes.append(Probleme(None, None, c.agregation, "Mode d'agrégation inconnu."))
    if c.agregation == Agregation.SOMME and (_NON_ADDITIFS.search(c.libelle) or c.unite == Unite.POURCENTAGE):
        lecture.problemes.append(
            Probleme(
                None,
                None,
                c.libelle,
                "Cet indicateur (médiane, décile, moyenne, taux ou part) ne s'additionne pas d'un territoire à l'autre : "
                "choisissez « ne s'agrège pas » ou, pour un taux, « recalculé depuis le numérateur et le dénominateur ».",
            )
        )
    if c.agregation == Agregation.RATIO and not (c.colonne_numerateur and c.colonne_denominateur):
        lecture.problemes.append(
            Probleme(
                None, None, None, "Un taux recalculé vers le haut a besoin des colonnes numérateur et dénominateur."
            )
        )
    if c.niveau not in Niveau.values and not c.colonne_niveau:
        lecture.problemes.append(Probleme(None, None, c.niveau, "Niveau géographique inconnu."))


_NIVEAUX_TEXTE = (
    {normalise(label): value for value, label in Niveau.choices}
    | {v: v for v in Niveau.values}
    | {
        "com": Niveau.COMMUNE,
        "dep": Niveau.DEPARTEMENT,
        "reg": Niveau.REGION,
    }
)


def lire(fichier: Fichier, *, correspondance: Correspondance, ignorer_inconnus: bool = False) -> Lecture:
    c = correspondance
    geo = geographie_mod.geographie()
    cols, lignes = lire_tableau(fichier)
    lecture = Lecture(source=f"fichier_{c.code_indicateur}", indicateurs=[], lignes=len(lignes))
    _verifier_correspondance(c, cols, lecture)
    if lecture.problemes:
        return lecture
    lecture.indicateurs = [
        {
            "code": c.code_indicateur,
            "libelle": c.libelle[:200],
            "unite": c.unite,
            "agregation": c.agregation,
            "facteur": c.facteur,
            "source": (c.source or fichier.nom)[:200],
            "producteur": (c.producteur or "Fichier importé")[:120],
            "diffusion": c.diffusion,
            "sens": c.sens,
            "precision": c.precision,
            "theme": "Autres sources",
            "niveaux": [c.niveau] if not c.colonne_niveau else list(Niveau.values),
            "ordre": 500,
        }
    ]
    index = {nom: i for i, nom in enumerate(cols)}

    def cellule(ligne, nom):
        i = index.get(nom)
        return ligne[i].strip() if nom and i is not None and i < len(ligne) else ""

    vus = set()
    for n, ligne in enumerate(lignes, start=2):
        niveau = c.niveau
        if c.colonne_niveau:
            niveau = _NIVEAUX_TEXTE.get(normalise(cellule(ligne, c.colonne_niveau)))
            if niveau is None:
                lecture.problemes.append(
                    Probleme(n, c.colonne_niveau, cellule(ligne, c.colonne_niveau), "Niveau géographique inconnu.")
                )
                continue
        brut = cellule(ligne, c.colonne_code)
        if niveau == Niveau.COMMUNE:
            code = commune_actuelle(
                brut, geo=geo, ligne=n, colonne=c.colonne_code, lecture=lecture, ignorer_inconnus=ignorer_inconnus
            )
        elif niveau == Niveau.FRANCE:
            code = "FR"
        elif niveau == Niveau.IRIS and len(brut) == 9 and geo.lieu(Niveau.COMMUNE, brut[:5]) or geo.lieu(niveau, brut):
            code = brut
        else:
            code = None
            lecture.problemes.append(
                Probleme(n, c.colonne_code, brut, f"Code inconnu pour le niveau « {Niveau(niveau).label} ».")
            )
        if code is None:
            continue
        periode = cellule(ligne, c.colonne_periode) if c.colonne_periode else c.periode
        if not re.fullmatch(r"\d{4}(-\d{2})?|\d{4}-T[1-4]", periode):
            lecture.problemes.append(
                Probleme(n, c.colonne_periode or "période", periode, "Période attendue : AAAA, AAAA-MM ou AAAA-T1.")
            )
            continue
        if (niveau, code, periode) in vus:
            lecture.problemes.append(
                Probleme(n, c.colonne_code, brut, "Ce territoire figure deux fois pour la même période.")
            )
            continue
        vus.add((niveau, code, periode))
        statut = Statut.OK
        if c.colonne_statut:
            texte_statut = normalise(cellule(ligne, c.colonne_statut))
            if texte_statut not in STATUTS_TEXTE:
                lecture.problemes.append(
                    Probleme(n, c.colonne_statut, texte_statut, "Statut inconnu (ok, secret, nd, provisoire, estimé).")
                )
                continue
            statut = STATUTS_TEXTE[texte_statut] if texte_statut else Statut.OK
        nombres = {}
        erreur = False
        for role, nom in (
            ("valeur", c.colonne_valeur),
            ("numerateur", c.colonne_numerateur),
            ("denominateur", c.colonne_denominateur),
        ):
            texte = cellule(ligne, nom)
            if not nom:
                continue
            if texte.lower() in STATUTS_TEXTE and role == "valeur":
                if texte.lower() not in ("ok",):
                    statut = STATUTS_TEXTE[texte.lower()]
                nombres[role] = None
                continue
            if not texte:
                nombres[role] = None
                continue
            try:
                nombres[role] = nombre(texte)
            except ValueError:
                lecture.problemes.append(Probleme(n, nom, texte, "Nombre attendu."))
                erreur = True
                continue
            if role == "valeur" and not verifier_valeur(
                nombres[role], unite=c.unite, ligne=n, colonne=nom, texte=texte, lecture=lecture
            ):
                erreur = True
        if erreur:
            continue
        num, den = nombres.get("numerateur"), nombres.get("denominateur")
        if num is not None and den is not None and num > den and c.unite == Unite.POURCENTAGE:
            lecture.problemes.append(
                Probleme(
                    n,
                    c.colonne_numerateur,
                    cellule(ligne, c.colonne_numerateur),
                    "Le numérateur dépasse le dénominateur.",
                )
            )
            continue
        lecture.valeurs.append(
            ValeurLue(c.code_indicateur, niveau, code, periode, nombres.get("valeur"), statut, num, den)
        )
    return lecture
