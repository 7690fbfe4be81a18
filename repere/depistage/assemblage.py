"""From lines of the file to households of the shared model ``repere.droits.menage.Menage``.

Two steps:
- ``grouper`` (in the process that reads the file): cuts the stream of lines into households
  (lines of a household must follow each other), checks what needs the whole file (household id,
  lines of a household scattered in the file, unknown commune) and yields compact raw households;
- ``construire_menage`` (in the computing process): reads each cell, checks the household and
  validates it with ``Menage``; any problem rejects the household and is reported with its line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pydantic import ValidationError

from repere.depistage.colonnes import COLONNES, PERCUS, REVENUS, ErreurCellule, lire_cellule
from repere.droits.menage import MOIS_MAX, MOIS_MIN, Menage, erreurs_menage

NOMS = tuple(c.nom for c in COLONNES)
INDEX = {nom: i for i, nom in enumerate(NOMS)}
_I_ID, _I_ROLE, _I_COMMUNE = INDEX["id_menage"], INDEX["role"], INDEX["commune"]
_I_PERSONNE = INDEX["id_personne"]
_COLONNES_PERSONNE = [c for c in COLONNES if c.niveau == "personne" and c.nom not in ("id_menage", "id_personne")]
_COLONNES_MENAGE = [c for c in COLONNES if c.niveau == "menage"]
_COLONNES_PERCU = [c for c in COLONNES if c.niveau == "percu"]


@dataclass(frozen=True, slots=True)
class Anomalie:
    ligne: int
    colonne: str
    message: str
    id_menage: str = ""

    def en_ligne(self) -> list:
        return [self.ligne, self.colonne, self.id_menage, self.message]


ENTETE_ANOMALIES = ["ligne", "colonne", "id_menage", "probleme"]


@dataclass(slots=True)
class MenageBrut:
    """The lines of one household: ``[(numero_de_ligne, valeurs)]``, values in the order of ``NOMS``."""

    id_menage: str
    lignes: list[tuple[int, tuple[str, ...]]]
    coupee: bool = False  # a line has more cells than the header (already reported): the household is not computed


def message_ligne_coupee(cellules: int, colonnes: int) -> str:
    return (
        f"la ligne a {cellules} cellules pour {colonnes} colonnes dans l'en-tête : une valeur contient sans doute le "
        "séparateur (par exemple une virgule décimale dans un fichier séparé par des virgules) ; mettez cette valeur "
        "entre guillemets, ou enregistrez le fichier avec le séparateur point-virgule. Le ménage n'est pas calculé"
    )


def grouper(
    lignes: Iterable[tuple[int, list[str]]],
    positions: dict[str, int],
    *,
    codes_communes: frozenset[str] | None = None,
    vus: DejaVus | None = None,
    largeur_entete: int | None = None,
) -> Iterator[MenageBrut | Anomalie]:
    """Cut the file into households. Only the known columns are kept (least data). ``vus``: the household
    ids met before these lines (a partition of the file read on its own). ``largeur_entete`` (a CSV file's
    header): a line with more cells is reported, and its household is not computed (its cells are shifted)."""
    prises = [(INDEX[nom], pos) for nom, pos in positions.items()]
    largeur = len(NOMS)
    vus = vus if vus is not None else DejaVus()
    courant: MenageBrut | None = None
    for numero, cellules in lignes:
        if cellules is None:
            from repere.depistage.lecture import MESSAGE_ILLISIBLE

            yield Anomalie(numero, "", MESSAGE_ILLISIBLE)
            continue
        valeurs = [""] * largeur
        n = len(cellules)
        for i, pos in prises:
            if pos < n:
                valeurs[i] = cellules[pos]
        ident = valeurs[_I_ID].strip()
        if not ident:
            yield Anomalie(numero, "id_menage", "identifiant de ménage manquant : la ligne est ignorée")
            continue
        if len(ident) > 64:
            yield Anomalie(numero, "id_menage", "identifiant de ménage trop long (64 caractères au plus)")
            continue
        commune = valeurs[_I_COMMUNE].strip().upper()
        if len(commune) == 4 and commune.isdigit():
            commune = "0" + commune
        if commune and codes_communes is not None and commune not in codes_communes:
            yield Anomalie(numero, "commune", f"commune inconnue (code INSEE « {commune[:10]} »)", ident)
            # the household is rejected by construire_menage through this marker
            valeurs[_I_COMMUNE] = "\x00" + commune
        coupee = largeur_entete is not None and n > largeur_entete
        if coupee:
            yield Anomalie(numero, "", message_ligne_coupee(n, largeur_entete), ident)
        if courant is not None and ident == courant.id_menage:
            courant.lignes.append((numero, tuple(valeurs)))
            courant.coupee |= coupee
            continue
        if ident in vus:
            yield Anomalie(
                numero,
                "id_menage",
                f"les lignes du ménage « {ident} » doivent se suivre : ce ménage est déjà apparu plus haut, "
                "la ligne est ignorée (triez le fichier par id_menage)",
                ident,
            )
            continue
        if courant is not None:
            yield courant
        vus.ajouter(ident)
        courant = MenageBrut(ident, [(numero, tuple(valeurs))], coupee=coupee)
    if courant is not None:
        yield courant


def tries_uniques(h):
    """Sorted, without repeats: a sort then a comparison with the neighbour. ``np.unique`` takes a hash-table path
    on integers in numpy 2.3 that cost 0.9 s of the 2.1 s planning of a 1,000,000-household file."""
    import numpy as np

    h = np.sort(h)
    garder = np.empty(len(h), dtype=bool)
    garder[:1] = True
    np.not_equal(h[1:], h[:-1], out=garder[1:])
    return h[garder]


class DejaVus:
    """The household ids already met, in 8 bytes each (64-bit hashes in a sorted numpy array, plus a small
    set of recent ones): 8 MB for a million households instead of ~100 MB for a set of strings."""

    RECENTS_MAX = 100_000

    def __init__(self):
        import numpy as np

        self._np = np
        self._anciens = np.empty(0, dtype=np.int64)
        self._recents: set[int] = set()

    def ajouter(self, ident: str) -> None:
        self._recents.add(hash(ident))
        if len(self._recents) >= self.RECENTS_MAX:
            np = self._np
            self._anciens = tries_uniques(np.concatenate([self._anciens, np.fromiter(self._recents, dtype=np.int64)]))
            self._recents.clear()

    def __contains__(self, ident: str) -> bool:
        h = hash(ident)
        if h in self._recents:
            return True
        i = int(self._np.searchsorted(self._anciens, h))
        return i < len(self._anciens) and int(self._anciens[i]) == h


def construire_menage(brut: MenageBrut, *, mois: str) -> tuple[Menage | None, list[Anomalie]]:
    """Build and validate one household; ``(None, anomalies)`` when anything is wrong."""
    if brut.coupee:
        return None, []  # reported by grouper: its cells are shifted, nothing else can be said of them
    anomalies: list[Anomalie] = []
    ident = brut.id_menage

    def signaler(ligne, colonne, message):
        anomalies.append(Anomalie(ligne, colonne, message, ident))

    deja: dict[tuple, int] = {}
    personnes: list[dict] = []
    lignes_personnes: list[int] = []
    demandeur_ligne: tuple[int, tuple[str, ...]] | None = None
    percus: dict[str, float] = {}
    for numero, valeurs in brut.lignes:
        cle = ("id", valeurs[_I_PERSONNE].strip()) if valeurs[_I_PERSONNE].strip() else valeurs
        if cle in deja:
            if cle is valeurs:
                message = (
                    f"ligne en double : identique à la ligne {deja[cle]} (même personne deux fois ; "
                    "pour des jumeaux, distinguez-les par la colonne id_personne)"
                )
                signaler(numero, "", message)
            else:
                signaler(numero, "id_personne", f"personne en double : même id_personne qu'à la ligne {deja[cle]}")
            continue
        deja[cle] = numero
        personne: dict = {}
        revenus: list[dict] = []
        for colonne in _COLONNES_PERSONNE:
            texte = valeurs[INDEX[colonne.nom]]
            if not texte or not texte.strip():
                continue
            try:
                valeur = lire_cellule(colonne, texte)
            except ErreurCellule as exc:
                signaler(numero, colonne.nom, str(exc))
                continue
            if valeur is None:
                continue
            if colonne.nom in REVENUS:
                if valeur > 0:
                    revenus.append({"nature": REVENUS[colonne.nom], "montant_mensuel": valeur})
            else:
                personne[colonne.nom] = valeur
        if revenus:
            personne["revenus"] = revenus
        if "role" not in personne:
            if not valeurs[_I_ROLE].strip():
                signaler(numero, "role", "rôle manquant (demandeur, conjoint, enfant ou autre)")
            continue
        deja_signalees = {(a.ligne, a.colonne) for a in anomalies}
        if (
            "age" not in personne
            and "date_naissance" not in personne
            and (numero, "age") not in deja_signalees
            and (numero, "date_naissance") not in deja_signalees
        ):  # an age or a date given but unreadable is already reported, with its value
            signaler(numero, "date_naissance", "indiquez la date de naissance ou l'âge")
        if personne["role"] == "demandeur":
            if demandeur_ligne is not None:
                signaler(numero, "role", f"deux demandeurs dans le ménage (lignes {demandeur_ligne[0]} et {numero})")
            else:
                demandeur_ligne = (numero, valeurs)
        for colonne in _COLONNES_PERCU:
            texte = valeurs[INDEX[colonne.nom]]
            if texte and texte.strip():
                try:
                    montant = lire_cellule(colonne, texte)
                except ErreurCellule as exc:
                    signaler(numero, colonne.nom, str(exc))
                    continue
                if montant > 0:
                    code = PERCUS[colonne.nom]
                    percus[code] = percus.get(code, 0.0) + montant
        personnes.append(personne)
        lignes_personnes.append(numero)

    if demandeur_ligne is None:
        if not anomalies:
            signaler(
                brut.lignes[0][0], "role", f"le ménage « {ident} » n'a pas de demandeur (une ligne role=demandeur)"
            )
        return None, anomalies

    numero_d, valeurs_d = demandeur_ligne
    donnees: dict = {"mois": mois, "personnes": personnes}
    logement: dict = {}
    for colonne in _COLONNES_MENAGE:
        i = INDEX[colonne.nom]
        texte = valeurs_d[i]
        for numero, valeurs in brut.lignes:
            autre = valeurs[i]
            if numero != numero_d and autre.strip() and autre.strip() != texte.strip():
                signaler(
                    numero,
                    colonne.nom,
                    f"« {autre[:30]} » diffère de la valeur de la ligne du demandeur ({numero_d}) : "
                    "une donnée du ménage se renseigne sur la ligne du demandeur",
                )
        if texte.startswith("\x00"):  # unknown commune, already reported by grouper
            return None, anomalies
        if not texte.strip():
            if colonne.obligatoire:
                signaler(numero_d, colonne.nom, f"la colonne {colonne.nom} est vide sur la ligne du demandeur")
            continue
        try:
            valeur = lire_cellule(colonne, texte)
        except ErreurCellule as exc:
            signaler(numero_d, colonne.nom, str(exc))
            continue
        if valeur is None:
            continue
        if colonne.nom == "statut_logement":
            logement["statut"] = valeur
        elif colonne.nom in ("loyer", "charges", "colocation", "logement_social", "meuble"):
            logement[colonne.nom] = valeur
        else:
            donnees[colonne.nom] = valeur
    if anomalies:
        return None, anomalies
    donnees["logement"] = logement
    if percus:
        donnees["prestations_recues"] = [{"code": c, "montant_mensuel": round(m, 2)} for c, m in percus.items()]
    try:
        return Menage.model_validate(donnees), []
    except ValidationError as exc:
        cellules = dict(brut.lignes)
        for erreur in erreurs_menage(exc):
            ligne, colonne = _localiser(erreur["champ"], lignes_personnes, numero_d)
            message = erreur["message"].split(" : ", 1)[-1] if erreur["champ"] else erreur["message"]
            texte = cellules[ligne][INDEX[colonne]].strip() if colonne in INDEX and ligne in cellules else ""
            if texte and f"« {texte[:30]}" not in message:  # the value the message is about, as in the file
                message = f"« {texte[:30]} » : {message}"
            signaler(ligne, colonne, message)
        return None, anomalies


_CHAMPS_VERS_COLONNES = {
    "logement.statut": "statut_logement",
    "logement": "statut_logement",
    "personnes": "role",
    "prestations_recues": "percu_rsa",
}


def _localiser(champ: str, lignes_personnes: list[int], ligne_demandeur: int) -> tuple[int, str]:
    """'personnes[1].date_naissance' -> (line of that person, 'date_naissance')."""
    if champ.startswith("personnes[") and "]" in champ:
        i = int(champ[len("personnes[") : champ.index("]")])
        reste = champ[champ.index("]") + 1 :].lstrip(".")
        ligne = lignes_personnes[i] if i < len(lignes_personnes) else ligne_demandeur
        if reste.startswith("revenus"):
            return ligne, "revenus"
        return ligne, reste or "role"
    if champ in _CHAMPS_VERS_COLONNES:
        return ligne_demandeur, _CHAMPS_VERS_COLONNES[champ]
    if champ.startswith("logement."):
        return ligne_demandeur, champ.removeprefix("logement.")
    return ligne_demandeur, champ


def mois_courant() -> str:
    return dt.date.today().strftime("%Y-%m")


def lire_mois(texte: str | None) -> str:
    """The simulated month of a screening (web form, commands): « AAAA-MM » within the months the engine covers,
    the current month when empty. ``ValueError`` with the French message otherwise."""
    mois = (texte or "").strip()
    if not mois:
        return mois_courant()
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", mois):
        raise ValueError(f"Mois simulé « {mois[:20]} » : indiquez le mois au format AAAA-MM, par exemple 2026-11.")
    if not (MOIS_MIN <= mois <= MOIS_MAX):
        raise ValueError(f"Mois simulé « {mois} » : il doit être compris entre {MOIS_MIN} et {MOIS_MAX}.")
    return mois
