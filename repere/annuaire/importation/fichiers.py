"""Reading the files of an import: CSV, XLSX, ODS, JSON, Parquet, whatever their layout.

File-level problems come first and plainly, as `ErreurFichier` with a French message: encoding, empty
file, duplicated column, wrong JSON shape, unsupported format. The rows come back with the line
number a person sees in the file (the header is line 1 of a CSV or a sheet; the first object of a JSON
list is n° 1).
"""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from repere.utils.encodages import EncodageRefuse, nom_encodage, verifier_texte

ENCODAGES = {"utf-8": "UTF-8", "cp1252": "Windows-1252 (Excel sous Windows)"}
SEPARATEURS = [";", ",", "\t", "|"]
FORMATS = ("csv", "xlsx", "ods", "json", "parquet")


class ErreurFichier(ValueError):
    """The file itself cannot be read (format, encoding, shape, columns): nothing is imported."""


@dataclass
class Tableau:
    """The rows of a file: `lignes` are (line number in the file, {column: value})."""

    nom: str
    colonnes: list[str]
    lignes: list[tuple[int, dict]] = field(default_factory=list)
    encodage: str = ""
    separateur: str = ""


def format_de(nom: str) -> str:
    suffixe = Path(nom).suffix.lower().lstrip(".")
    return "csv" if suffixe in ("csv", "txt", "tsv") else suffixe


def lire(
    chemin_ou_octets: str | Path | bytes,
    *,
    nom: str | None = None,
    encodage: str = "utf-8",
    cle_json: str | None = None,
) -> Tableau:
    """Read a file (path, or bytes with its `nom`); `cle_json` is the key expected when a JSON file is an
    object holding several lists (`{"structures": [...], "services": [...]}`)."""
    if isinstance(chemin_ou_octets, bytes):
        octets, nom = chemin_ou_octets, nom or "fichier"
    else:
        chemin = Path(chemin_ou_octets)
        nom = nom or chemin.name
        if not chemin.exists():
            raise ErreurFichier(f"Fichier introuvable : {chemin}")
        octets = chemin.read_bytes()
    format = format_de(nom)
    if format not in FORMATS:
        raise ErreurFichier(
            f"{nom} : format non pris en charge (« .{format or '?'} ») ; CSV, XLSX, ODS, JSON ou Parquet attendu."
        )
    if not octets.strip():
        raise ErreurFichier(f"{nom} : le fichier est vide.")
    if format == "csv":
        return _lire_csv(octets, nom, encodage)
    if format == "json":
        return _lire_json(octets, nom, encodage, cle_json)
    if format in ("xlsx", "ods"):
        _verifier_archive(octets, nom)
        grille = _grille_xlsx(octets, nom) if format == "xlsx" else _grille_ods(octets, nom)
        return _depuis_grille(grille, nom)
    return _lire_parquet(octets, nom)


def _decoder(octets: bytes, nom: str, encodage: str) -> str:
    encodage = (encodage or "utf-8").lower()
    try:
        verifier_texte(octets)
    except EncodageRefuse as exc:
        raise ErreurFichier(f"{nom} : {exc}") from None
    try:
        if encodage in ("utf-8", "utf8"):
            return octets.decode("utf-8-sig")
        return octets.decode(encodage)
    except UnicodeDecodeError as exc:
        if encodage in ("utf-8", "utf8"):
            raise ErreurFichier(
                f"{nom} : le fichier n'est pas en UTF-8 (octet illisible à la position {exc.start}) : "
                "réenregistrez-le en UTF-8 ou choisissez Windows-1252."
            ) from exc
        raise ErreurFichier(
            f"{nom} : le fichier n'est pas lisible en {nom_encodage(encodage)} (octet illisible à la position "
            f"{exc.start}) : réenregistrez-le en « CSV UTF-8 » et choisissez UTF-8."
        ) from exc
    except LookupError as exc:
        raise ErreurFichier(f"Encodage inconnu : « {encodage} » (UTF-8 ou Windows-1252 attendu).") from exc


def _separateur(entete: str) -> str:
    try:
        return csv.Sniffer().sniff(entete, delimiters="".join(SEPARATEURS)).delimiter
    except csv.Error:
        comptes = {s: entete.count(s) for s in SEPARATEURS}
        meilleur = max(comptes, key=comptes.get)
        return meilleur if comptes[meilleur] else ","


def _colonnes(entete: list, nom: str) -> list[str]:
    """Header cells, stripped; a duplicated column is a file error (one of the two would be lost)."""
    colonnes, vues = [], {}
    for i, brute in enumerate(entete, start=1):
        col = "" if brute is None else str(brute).strip().lstrip("\ufeff")
        if not col:
            col = f"(colonne {i} sans titre)"
        cle = col.lower()
        if cle in vues:
            raise ErreurFichier(
                f"{nom} : la colonne « {col} » apparaît deux fois (colonnes {vues[cle]} et {i}) : "
                "renommez ou supprimez l'une des deux, sinon l'une serait perdue."
            )
        vues[cle] = i
        colonnes.append(col)
    return colonnes


def _lire_csv(octets: bytes, nom: str, encodage: str) -> Tableau:
    texte = _decoder(octets, nom, encodage)
    premiere = texte.split("\n", 1)[0]
    separateur = _separateur(premiere)
    try:
        lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
        lignes_brutes = list(lecteur)
    except csv.Error as exc:
        raise ErreurFichier(f"{nom} : CSV illisible ({exc}).") from exc
    return _depuis_grille(lignes_brutes, nom, encodage=encodage, separateur=separateur)


def _depuis_grille(grille: list[list], nom: str, *, encodage: str = "", separateur: str = "") -> Tableau:
    """A grid of cells (first row = header) → Tableau; blank rows skipped, line numbers kept."""
    entete_index = next((i for i, r in enumerate(grille) if any(_vide(c) is False for c in r)), None)
    if entete_index is None:
        raise ErreurFichier(f"{nom} : le fichier est vide.")
    colonnes = _colonnes(grille[entete_index], nom)
    tableau = Tableau(nom=nom, colonnes=colonnes, encodage=encodage, separateur=separateur)
    for i in range(entete_index + 1, len(grille)):
        cellules = grille[i]
        if all(_vide(c) for c in cellules):
            continue
        if len(cellules) > len(colonnes) and any(not _vide(c) for c in cellules[len(colonnes) :]):
            raise ErreurFichier(
                f"{nom}, ligne {i + 1} : {len(cellules)} cellules pour {len(colonnes)} colonnes d'en-tête "
                f"(séparateur « {separateur or '?'} » ; vérifiez le séparateur ou les guillemets)."
            )
        tableau.lignes.append((i + 1, {c: cellules[j] if j < len(cellules) else None for j, c in enumerate(colonnes)}))
    if not tableau.lignes:
        raise ErreurFichier(f"{nom} : aucune ligne de données (seulement l'en-tête).")
    return tableau


def _vide(c) -> bool:
    return c is None or (isinstance(c, str) and not c.strip())


def _verifier_archive(octets: bytes, nom: str) -> None:
    """A workbook is a zip archive: refused before parsing if it would unpack abnormally (zip bomb)."""
    from repere.utils.classeurs import verifier_classeur
    from repere.utils.errors import ErreurMetier

    try:
        verifier_classeur(io.BytesIO(octets))
    except ErreurMetier as exc:
        raise ErreurFichier(f"{nom} : {exc.message}") from exc


def _grille_xlsx(octets: bytes, nom: str) -> list[list]:
    from openpyxl import load_workbook

    _verifier_archive(octets, nom)
    try:
        classeur = load_workbook(io.BytesIO(octets), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ErreurFichier(f"{nom} : classeur XLSX illisible ({exc.__class__.__name__}).") from exc
    feuille = classeur.worksheets[0]
    return [list(r) for r in feuille.iter_rows(values_only=True)]


def _grille_ods(octets: bytes, nom: str) -> list[list]:
    from odf import opendocument, table, text

    _verifier_archive(octets, nom)

    try:
        doc = opendocument.load(io.BytesIO(octets))
    except Exception as exc:  # noqa: BLE001 - odfpy raises many kinds for a damaged file
        raise ErreurFichier(f"{nom} : classeur ODS illisible ({exc.__class__.__name__}).") from exc
    feuilles = doc.spreadsheet.getElementsByType(table.Table)
    if not feuilles:
        raise ErreurFichier(f"{nom} : le classeur n'a aucune feuille.")
    grille = []
    for tr in feuilles[0].getElementsByType(table.TableRow):
        ligne = []
        for td in tr.getElementsByType(table.TableCell):
            repetitions = int(td.getAttribute("numbercolumnsrepeated") or 1)
            valeur = td.getAttribute("value")
            if valeur is None:
                valeur = "\n".join(str(p) for p in td.getElementsByType(text.P))
            elif td.getAttribute("valuetype") in ("float", "percentage", "currency"):
                nombre = float(valeur)
                valeur = int(nombre) if nombre.is_integer() else nombre
            ligne.extend([valeur] * min(repetitions, 1000))
        while ligne and _vide(ligne[-1]):
            ligne.pop()
        repetitions = int(tr.getAttribute("numberrowsrepeated") or 1)
        grille.extend([ligne] * (1 if not ligne else min(repetitions, 100000)))
    return grille


def _lire_json(octets: bytes, nom: str, encodage: str, cle_json: str | None) -> Tableau:
    texte = _decoder(octets, nom, encodage)
    try:
        donnees = json.loads(texte)
    except json.JSONDecodeError as exc:
        raise ErreurFichier(f"{nom} : JSON illisible, ligne {exc.lineno}, colonne {exc.colno} ({exc.msg}).") from exc
    if isinstance(donnees, dict):
        listes = {k: v for k, v in donnees.items() if isinstance(v, list)}
        if cle_json and cle_json in listes:
            donnees = listes[cle_json]
        elif "items" in listes or "data" in listes:
            donnees = listes.get("items", listes.get("data"))
        else:
            attendu = f"une liste de {cle_json}" if cle_json else "une liste d'objets"
            trouve = ", ".join(f"« {k} »" for k in donnees) or "aucune clé"
            raise ErreurFichier(
                f"{nom} : {attendu} est attendue ; le fichier est un objet JSON avec {trouve}"
                + (f" (pas de clé « {cle_json} »)." if cle_json else ".")
            )
    if not isinstance(donnees, list):
        raise ErreurFichier(f"{nom} : une liste d'objets JSON est attendue, pas {type(donnees).__name__}.")
    if not donnees:
        raise ErreurFichier(f"{nom} : la liste est vide.")
    mauvais = [(i, v) for i, v in enumerate(donnees, start=1) if not isinstance(v, dict)]
    if mauvais:
        exemples = ", ".join(f"n° {i} : « {json.dumps(v, ensure_ascii=False)[:40]} »" for i, v in mauvais[:3])
        raise ErreurFichier(
            f'{nom} : chaque élément de la liste doit être un objet JSON ({{"nom": …}}) ; '
            f"{len(mauvais)} ne le sont pas ({exemples})."
        )
    colonnes = list(dict.fromkeys(k for d in donnees for k in d))
    return Tableau(nom=nom, colonnes=colonnes, lignes=list(enumerate(donnees, start=1)), encodage=encodage)


def _lire_parquet(octets: bytes, nom: str) -> Tableau:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(octets))
    except pa.ArrowException as exc:
        raise ErreurFichier(f"{nom} : fichier Parquet illisible ({exc.__class__.__name__}).") from exc
    lignes = table.to_pylist()
    if not lignes:
        raise ErreurFichier(f"{nom} : aucune ligne de données.")
    return Tableau(nom=nom, colonnes=list(table.column_names), lignes=list(enumerate(lignes, start=1)))
