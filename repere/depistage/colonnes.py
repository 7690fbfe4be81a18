"""The batch file format: one line per person, French column names, mapped onto ``repere.droits.menage``.

This module only describes columns and turns one cell into a Python value (or a French error);
the household itself is built and validated by the shared model ``Menage`` (see ``assemblage.py``).
Documented for users in docs/depistage-format.md (keep both in sync: a test checks it).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from repere.droits.menage import Activite, NiveauScolaire, StatutLogement, aujourd_hui, valeurs
from repere.utils.text import normalise


class ErreurCellule(ValueError):
    """A cell that cannot be read; the message is French and names the expected form."""


@dataclass(frozen=True)
class Colonne:
    nom: str
    type: str  # texte, choix, entier, montant, booleen, date, commune
    niveau: str  # "personne" or "menage" (household columns are read on the demandeur's line)
    description: str
    obligatoire: bool = False
    valeurs: tuple[str, ...] = ()
    alias: tuple[str, ...] = ()
    exemple: str = ""
    maximum: float | None = None
    synonymes: dict[str, str] = field(default_factory=dict)


ROLES = ("demandeur", "conjoint", "enfant", "autre")
# Built from the shared household model's enumerations (one list, one place).
ACTIVITES = valeurs(Activite)
STATUTS_LOGEMENT = valeurs(StatutLogement)
NIVEAUX_SCOLAIRES = valeurs(NiveauScolaire)

# Income columns (monthly amounts a person receives) -> nature of income in the household model.
REVENUS = {
    "salaire_net": "salaire",
    "revenu_independant": "independant",
    "chomage": "chomage",
    "retraite": "retraite",
    "pension_invalidite": "pension_invalidite",
    "pension_alimentaire_recue": "pension_alimentaire_recue",
    "pension_alimentaire_versee": "pension_alimentaire_versee",
    "autres_revenus": "autre",
}

# Benefits received (monthly amounts; summed over the lines of the household) -> code in the model.
PERCUS = {
    "percu_rsa": "rsa",
    "percu_ppa": "ppa",
    "percu_aide_logement": "aide_logement",
    "percu_af": "af",
    "percu_cf": "cf",
    "percu_asf": "asf",
    "percu_aah": "aah",
    "percu_aspa": "aspa",
    "percu_ass": "ass",
    "percu_paje": "paje",
    "percu_ars": "ars",
    "percu_css": "css",
}

_LIBELLES_REVENUS = {
    "salaire_net": "Salaire net mensuel (net social, montant versé)",
    "revenu_independant": "Revenu mensuel d'activité indépendante",
    "chomage": "Allocation chômage mensuelle (ARE)",
    "retraite": "Pension de retraite nette mensuelle",
    "pension_invalidite": "Pension d'invalidité mensuelle",
    "pension_alimentaire_recue": "Pension alimentaire reçue par mois",
    "pension_alimentaire_versee": "Pension alimentaire versée par mois",
    "autres_revenus": "Autres revenus mensuels",
}
_LIBELLES_PERCUS = {
    "percu_rsa": "RSA perçu par mois",
    "percu_ppa": "Prime d'activité perçue par mois",
    "percu_aide_logement": "Aide au logement (APL, ALS, ALF) perçue par mois",
    "percu_af": "Allocations familiales perçues par mois",
    "percu_cf": "Complément familial perçu par mois",
    "percu_asf": "Allocation de soutien familial perçue par mois",
    "percu_aah": "AAH perçue par mois",
    "percu_aspa": "ASPA (minimum vieillesse) perçue par mois",
    "percu_ass": "Allocation de solidarité spécifique perçue par mois",
    "percu_paje": "PAJE perçue par mois",
    "percu_ars": "Allocation de rentrée scolaire perçue (montant annuel divisé par 12)",
    "percu_css": "Complémentaire santé solidaire : participation payée par mois, ou 1 si gratuite",
}

COLONNES: tuple[Colonne, ...] = (
    Colonne(
        "id_menage",
        "texte",
        "personne",
        "Identifiant du ménage dans votre fichier (numéro de dossier, pseudonyme) ; les lignes d'un même ménage se suivent.",
        obligatoire=True,
        alias=("identifiant_menage", "menage", "id_foyer", "num_menage", "numero_menage"),
        exemple="M0001",
    ),
    Colonne(
        "id_personne",
        "texte",
        "personne",
        "Facultatif : identifiant de la personne dans le ménage (sert à repérer les lignes en double ; "
        "utile pour des jumeaux, dont les lignes sont sinon identiques).",
        alias=("identifiant_personne", "num_personne"),
        exemple="1",
    ),
    Colonne(
        "role",
        "choix",
        "personne",
        "Rôle de la personne dans le foyer : un seul demandeur par ménage, au plus un conjoint.",
        obligatoire=True,
        valeurs=ROLES,
        synonymes={"allocataire": "demandeur", "dem": "demandeur", "conj": "conjoint", "enf": "enfant"},
        exemple="demandeur",
    ),
    Colonne(
        "date_naissance",
        "date",
        "personne",
        "Date de naissance (JJ/MM/AAAA ou AAAA-MM-JJ) ; ou bien la colonne age.",
        alias=("date_de_naissance", "naissance", "ddn"),
        exemple="14/03/1988",
    ),
    Colonne("age", "entier", "personne", "Âge en années, si la date de naissance n'est pas connue.", maximum=120),
    Colonne(
        "activite",
        "choix",
        "personne",
        "Activité : salarie, independant, chomeur, etudiant, retraite, inapte (ne peut pas travailler), autre.",
        valeurs=ACTIVITES,
        synonymes={"salariee": "salarie", "chomeuse": "chomeur", "etudiante": "etudiant", "retraitee": "retraite"},
        exemple="salarie",
    ),
    Colonne(
        "taux_incapacite",
        "entier",
        "personne",
        "Taux d'incapacité reconnu par la MDPH, en % (0 si aucun).",
        maximum=100,
        exemple="0",
    ),
    Colonne(
        "restriction_emploi",
        "booleen",
        "personne",
        "Restriction substantielle et durable d'accès à l'emploi reconnue (oui/non).",
        exemple="non",
    ),
    Colonne("enceinte", "booleen", "personne", "Grossesse en cours (oui/non).", exemple="non"),
    Colonne(
        "niveau_scolaire",
        "choix",
        "personne",
        "Pour un enfant : aucun, maternelle, primaire, college, lycee, superieur.",
        valeurs=NIVEAUX_SCOLAIRES,
        exemple="",
    ),
    *(Colonne(nom, "montant", "personne", _LIBELLES_REVENUS[nom], exemple="0", maximum=100_000) for nom in REVENUS),
    Colonne(
        "commune",
        "commune",
        "menage",
        "Code INSEE de la commune de résidence (5 caractères, pas le code postal).",
        obligatoire=True,
        alias=("code_commune", "code_insee", "insee", "depcom"),
        exemple="49092",
    ),
    Colonne(
        "statut_logement",
        "choix",
        "menage",
        "Logement : locataire, proprietaire, accedant, heberge_gratuitement, foyer, sans_domicile.",
        obligatoire=True,
        valeurs=STATUTS_LOGEMENT,
        alias=("logement", "statut_occupation"),
        synonymes={"heberge": "heberge_gratuitement", "sdf": "sans_domicile", "locataire_hlm": "locataire"},
        exemple="locataire",
    ),
    Colonne("loyer", "montant", "menage", "Loyer mensuel hors charges (ou mensualité d'emprunt).", maximum=10_000),
    Colonne("charges", "montant", "menage", "Charges locatives mensuelles.", maximum=5_000),
    Colonne("colocation", "booleen", "menage", "Colocation (oui/non)."),
    Colonne("logement_social", "booleen", "menage", "Logement HLM ou conventionné APL (oui/non)."),
    Colonne("meuble", "booleen", "menage", "Location meublée (oui/non)."),
    Colonne(
        "revenu_fiscal_reference_n2",
        "montant",
        "menage",
        "Revenu fiscal de référence de l'année N-2 (avis d'impôt) ; vide si inconnu (il est alors estimé).",
        alias=("rfr", "rfr_n2", "revenu_fiscal_reference"),
        maximum=5_000_000,
    ),
    Colonne(
        "isolement_recent",
        "booleen",
        "menage",
        "Séparation, veuvage ou abandon depuis moins de 18 mois (oui/non).",
    ),
    *(Colonne(nom, "montant", "percu", _LIBELLES_PERCUS[nom], maximum=100_000) for nom in PERCUS),
)

PAR_NOM = {c.nom: c for c in COLONNES}
OBLIGATOIRES = tuple(c.nom for c in COLONNES if c.obligatoire)


def cle_entete(texte: str) -> str:
    """'Date de naissance' -> 'date_de_naissance' (accents, case and spaces ignored)."""
    return normalise(str(texte or "")).replace(" ", "_")


_ALIAS = {cle_entete(a): c.nom for c in COLONNES for a in (c.nom, *c.alias)}


def reconnaitre_entetes(entetes: list) -> tuple[dict[str, int], list[str], list[str]]:
    """Map the file's header to known columns.

    Returns ``(positions, inconnues, erreurs)``: ``positions`` maps a column name to its index,
    ``inconnues`` lists the ignored headers (they are not read: least data), ``erreurs`` the fatal problems.
    """
    positions: dict[str, int] = {}
    inconnues: list[str] = []
    erreurs: list[str] = []
    for i, brut in enumerate(entetes):
        cle = cle_entete(brut)
        if not cle:
            continue
        nom = _ALIAS.get(cle)
        if nom is None:
            inconnues.append(str(brut))
        elif nom in positions:
            erreurs.append(f"la colonne « {nom} » apparaît deux fois (colonnes {positions[nom] + 1} et {i + 1})")
        else:
            positions[nom] = i
    manquantes = [n for n in OBLIGATOIRES if n not in positions]
    if manquantes:
        erreurs.append("colonnes obligatoires absentes : " + ", ".join(manquantes))
    if "date_naissance" not in positions and "age" not in positions:
        erreurs.append("il faut une colonne date_naissance ou age")
    return positions, inconnues, erreurs


# --- cell parsers --------------------------------------------------------------------------------

_ESPACES = re.compile(r"[\s\u00a0\u202f€]")
_VRAI = {"oui", "o", "vrai", "1", "x", "yes", "true", "y"}
_FAUX = {"non", "n", "faux", "0", "no", "false", ""}


def lire_montant(texte: str, colonne: Colonne) -> float:
    """'1 234,56 €' -> 1234.56; empty -> 0. Negative or absurd amounts are refused."""
    brut = _ESPACES.sub("", texte)
    if not brut:
        return 0.0
    if "," in brut:
        if "." in brut:  # 1.234,56
            brut = brut.replace(".", "")
        brut = brut.replace(",", ".")
    try:
        valeur = float(brut)
    except ValueError:
        raise ErreurCellule(f"« {texte[:30]} » n'est pas un montant (exemple : 1234,56)") from None
    if valeur != valeur or valeur in (float("inf"), float("-inf")):
        raise ErreurCellule(f"« {texte[:30]} » n'est pas un montant")
    if valeur < 0:
        raise ErreurCellule(f"le montant ne peut pas être négatif ({texte[:30]})")
    if colonne.maximum is not None and valeur > colonne.maximum:
        raise ErreurCellule(
            f"montant invraisemblable ({texte[:30]}, au plus {colonne.maximum:,.0f} €)".replace(",", " ")
        )
    return round(valeur, 2)


def lire_entier(texte: str, colonne: Colonne) -> int | None:
    brut = _ESPACES.sub("", texte).replace(",", ".")
    if not brut:
        return None
    try:
        valeur = float(brut)
    except ValueError:
        raise ErreurCellule(f"« {texte[:30]} » n'est pas un nombre entier") from None
    if valeur != int(valeur):
        raise ErreurCellule(f"« {texte[:30]} » n'est pas un nombre entier")
    if valeur < 0 or (colonne.maximum is not None and valeur > colonne.maximum):
        raise ErreurCellule(f"« {texte[:30]} » est hors des limites (0 à {colonne.maximum:g})")
    return int(valeur)


def lire_booleen(texte: str, colonne: Colonne) -> bool:
    cle = normalise(texte)
    if cle in _VRAI:
        return True
    if cle in _FAUX:
        return False
    raise ErreurCellule(f"« {texte[:30]} » : indiquez oui ou non")


_DATE_FR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def lire_date(texte: str, colonne: Colonne) -> dt.date | None:
    brut = texte.strip()
    if not brut:
        return None
    m = _DATE_FR.match(brut)
    if m:
        jour, mois, annee = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DATE_ISO.match(brut)
        if not m:
            raise ErreurCellule(f"« {brut[:30]} » n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ)")
        annee, mois, jour = int(m[1]), int(m[2]), int(m[3])
    try:
        date = dt.date(annee, mois, jour)
    except ValueError:
        raise ErreurCellule(f"« {brut[:30]} » n'est pas une date qui existe") from None
    if date > aujourd_hui():
        raise ErreurCellule(f"la date {date:%d/%m/%Y} est dans le futur")
    return date


def lire_choix(texte: str, colonne: Colonne) -> str | None:
    cle = cle_entete(texte)
    if not cle:
        return None
    cle = colonne.synonymes.get(cle, cle)
    if cle not in colonne.valeurs:
        raise ErreurCellule(f"« {texte[:30]} » : valeur inconnue (valeurs possibles : {', '.join(colonne.valeurs)})")
    return cle


_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def lire_commune(texte: str, colonne: Colonne) -> str | None:
    brut = texte.strip().upper()
    if not brut:
        return None
    if brut.isdigit() and len(brut) == 4:  # Excel dropped the leading zero (01053 -> 1053)
        brut = "0" + brut
    if not _COMMUNE.match(brut):
        raise ErreurCellule(f"« {texte[:30]} » n'est pas un code INSEE de commune (5 caractères, par exemple 49092)")
    return brut


def lire_texte(texte: str, colonne: Colonne) -> str | None:
    brut = texte.strip()
    if len(brut) > 64:
        raise ErreurCellule("l'identifiant est trop long (64 caractères au plus)")
    return brut or None


LECTEURS = {
    "texte": lire_texte,
    "choix": lire_choix,
    "entier": lire_entier,
    "montant": lire_montant,
    "booleen": lire_booleen,
    "date": lire_date,
    "commune": lire_commune,
}


_MEMO: dict[tuple[str, str], object] = {}
_MEMOISES = frozenset({"choix", "booleen", "commune"})  # few distinct values: read once per process


def lire_cellule(colonne: Colonne, texte: str):
    if colonne.type in _MEMOISES:
        cle = (colonne.nom, texte)
        try:
            return _MEMO[cle]
        except KeyError:
            valeur = LECTEURS[colonne.type](texte, colonne)  # raises ErreurCellule: never memoised
            if len(_MEMO) > 50_000:
                _MEMO.clear()
            _MEMO[cle] = valeur
            return valeur
    return LECTEURS[colonne.type](texte, colonne)
