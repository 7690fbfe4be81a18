"""What every importer of the observatory shares: reading a CSV/XLSX file whatever its quirks,
parsing French numbers, collecting errors with their line and column, and writing a validated
import in one transaction (the previous import of the same source stays intact until then)."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from repere.observatoire.models import Statut

MAX_ERREURS = 50


@dataclass
class Probleme:
    ligne: int | None
    colonne: str | None
    valeur: str | None
    message: str

    def __str__(self) -> str:
        ou = []
        if self.ligne is not None:
            ou.append(f"ligne {self.ligne}")
        if self.colonne:
            ou.append(f"colonne {self.colonne}")
        texte = ", ".join(ou)
        prefixe = (texte[:1].upper() + texte[1:] + " : ") if ou else ""
        valeur = f" (valeur « {self.valeur} »)" if self.valeur not in (None, "") else ""
        return f"{prefixe}{self.message}{valeur}"

    def en_dict(self) -> dict:
        return {"ligne": self.ligne, "colonne": self.colonne, "valeur": self.valeur, "message": self.message}


class ErreurImport(Exception):
    """The file was refused: nothing was written. ``problemes`` names each line, column and value."""

    def __init__(self, problemes: list[Probleme], *, import_fichier=None):
        self.problemes = problemes
        self.import_fichier = import_fichier
        premiers = "\n".join(f"- {p}" for p in problemes[:MAX_ERREURS])
        reste = len(problemes) - MAX_ERREURS
        suite = f"\n… et {reste} autre(s) problème(s)." if reste > 0 else ""
        super().__init__(f"Fichier refusé, rien n'a été importé ({len(problemes)} problème(s)) :\n{premiers}{suite}")


@dataclass(slots=True)
class ValeurLue:
    indicateur: str
    niveau: str
    code: str
    periode: str
    valeur: float | None
    statut: str = Statut.OK
    numerateur: float | None = None
    denominateur: float | None = None


@dataclass
class Lecture:
    """What an importer read from a file, before anything is written."""

    source: str
    indicateurs: list[dict]
    valeurs: list[ValeurLue] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    problemes: list[Probleme] = field(default_factory=list)
    lignes: int = 0


@dataclass
class Fichier:
    nom: str
    contenu: bytes
    date: datetime.datetime | None = None

    @classmethod
    def depuis_chemin(cls, chemin: str | Path) -> Fichier:
        chemin = Path(chemin)
        if not chemin.is_file():
            raise ErreurImport([Probleme(None, None, str(chemin), "Fichier introuvable.")])
        date = datetime.datetime.fromtimestamp(os.path.getmtime(chemin), tz=datetime.UTC)
        return cls(nom=chemin.name, contenu=chemin.read_bytes(), date=date)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.contenu).hexdigest()

    @property
    def est_tableur(self) -> bool:
        return self.nom.lower().endswith((".xlsx", ".xlsm")) or self.contenu[:4] == b"PK\x03\x04"


def decoder(contenu: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252: the two encodings official files come in."""
    try:
        return contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        return contenu.decode("cp1252")


def lire_tableau(fichier: Fichier) -> tuple[list[str], list[list[str]]]:
    """Headers and rows (as text) of a CSV (`;`, `,` or tab) or XLSX file."""
    if fichier.est_tableur:
        from openpyxl import load_workbook

        from repere.utils.classeurs import verifier_classeur
        from repere.utils.errors import ErreurMetier

        try:
            verifier_classeur(io.BytesIO(fichier.contenu))  # sizes and ratio before the parser unpacks anything
        except ErreurMetier as e:
            raise ErreurImport([Probleme(None, None, fichier.nom, e.message)]) from None
        try:
            classeur = load_workbook(io.BytesIO(fichier.contenu), read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - any unreadable workbook gets the same message
            raise ErreurImport([Probleme(None, None, fichier.nom, f"Classeur illisible ({e}).")]) from e
        feuille = classeur.worksheets[0]
        lignes = [
            ["" if v is None else _texte_cellule(v) for v in ligne] for ligne in feuille.iter_rows(values_only=True)
        ]
        classeur.close()
    else:
        texte = decoder(fichier.contenu)
        premiere = texte.split("\n", 1)[0]
        separateur = max([";", ",", "\t"], key=premiere.count)
        lignes = list(csv.reader(io.StringIO(texte), delimiter=separateur))
    lignes = [ligne for ligne in lignes if any(c.strip() for c in ligne)]
    if not lignes:
        raise ErreurImport([Probleme(None, None, fichier.nom, "Le fichier est vide.")])
    entetes = [e.strip() for e in lignes[0]]
    return entetes, lignes[1:]


def _texte_cellule(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime.datetime | datetime.date):
        return v.strftime("%d/%m/%Y")
    return str(v)


def nombre(texte: str) -> float:
    """A number written the French or the English way: « 1 234,5 », « 1234.5 ». ValueError otherwise."""
    t = texte.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", ".")
    x = float(t)
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError(texte)
    return x


def maintenant():
    return timezone.now()


def commune_actuelle(
    code: str, *, geo, ligne: int, colonne: str, lecture: Lecture, ignorer_inconnus: bool
) -> str | None:
    """The current COG code of a commune: a former or delegated commune is mapped to its commune
    nouvelle with a warning; an unknown code is an error (or a skipped line with ``ignorer_inconnus``)."""
    code = code.strip().upper()
    if len(code) == 4 and code.isdigit():
        code = "0" + code  # a spreadsheet dropped the leading zero of 01001
    if geo.lieu("commune", code):
        return code
    actuel = geo.anciennes.get(code)
    if actuel and geo.lieu("commune", actuel):
        lecture.avertissements.append(
            f"Ligne {ligne} : la commune {code} n'existe plus dans le COG actuel ; ses valeurs sont rattachées à "
            f"{geo.lieu('commune', actuel).nom} ({actuel})."
        )
        return actuel
    if ignorer_inconnus:
        lecture.avertissements.append(f"Ligne {ligne} : code commune {code} inconnu du COG, ligne ignorée.")
        return None
    lecture.problemes.append(Probleme(ligne, colonne, code, "Code de commune inconnu du code officiel géographique."))
    return None


def verifier_valeur(x: float, *, unite: str, ligne: int, colonne: str, texte: str, lecture: Lecture) -> bool:
    if unite == "pourcentage" and not 0 <= x <= 100:
        lecture.problemes.append(Probleme(ligne, colonne, texte, "Un pourcentage doit être compris entre 0 et 100."))
        return False
    if unite in ("nombre", "km", "pour_10000", "jours") and x < 0:
        lecture.problemes.append(Probleme(ligne, colonne, texte, "Cette valeur ne peut pas être négative."))
        return False
    return True
