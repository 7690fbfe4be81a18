"""Streaming readers for the batch file: CSV (UTF-8 or Windows-1252, ``;`` ``,`` or tab), XLSX, Parquet.

Each reader yields ``(numero_de_ligne, cellules)`` where cells are strings aligned on the header; it
never holds more than one block of the file in memory, whatever its size. Line numbers are those a
spreadsheet shows: the header is line 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from repere.utils.encodages import EncodageRefuse, detecter_encodage, verifier_texte

FORMATS = ("csv", "xlsx", "parquet")
_ECHANTILLON = 64 * 1024


class ErreurFichier(Exception):
    """The file cannot be read at all (empty, wrong format, encoding); French message."""


def format_du_fichier(chemin: Path | str) -> str:
    suffixe = Path(chemin).suffix.lower().lstrip(".")
    if suffixe in ("csv", "txt", "tsv"):
        return "csv"
    if suffixe in ("xlsx", "xlsm"):
        return "xlsx"
    if suffixe in ("parquet", "pq"):
        return "parquet"
    if suffixe == "xls":
        raise ErreurFichier("Le format .xls (Excel 97-2003) n'est pas lu : enregistrez le fichier en .xlsx ou en .csv.")
    raise ErreurFichier(f"Format de fichier non reconnu (.{suffixe}) : utilisez un fichier .csv, .xlsx ou .parquet.")


def _encodage_du_fichier(binaire) -> str:
    """Decide on the first block that is not plain ASCII (an Excel file may have its first accent far down)."""
    debut = binaire.read(_ECHANTILLON)
    try:
        verifier_texte(debut)
    except EncodageRefuse as exc:
        raise ErreurFichier(exc.phrase) from None
    if debut.startswith(codecs.BOM_UTF8) or not debut.isascii():
        return detecter_encodage(debut)
    while bloc := binaire.read(1 << 20):
        if not bloc.isascii():
            position = next(i for i, octet in enumerate(bloc) if octet >= 0x80)
            return detecter_encodage(bloc[max(0, position - 4) : position + _ECHANTILLON])
    return "utf-8"


def detecter_separateur(premiere_ligne: str) -> str:
    comptes = {sep: premiere_ligne.count(sep) for sep in (";", ",", "\t")}
    separateur = max(comptes, key=comptes.get)
    if comptes[separateur] == 0:
        raise ErreurFichier(
            "Ligne 1 : aucun séparateur trouvé dans l'en-tête (attendu : point-virgule, virgule ou tabulation)."
        )
    return separateur


class Source:
    """An open batch file: ``entetes`` (header cells), ``format``, ``encodage``, ``separateur``, ``lignes()``."""

    def __init__(self, chemin: Path, format: str):
        self.chemin = Path(chemin)
        self.format = format
        self.encodage = ""
        self.separateur = ""
        self.entetes: list[str] = []
        self.debut_donnees = 0  # CSV: byte offset of the line after the header
        self._lignes: Iterator[tuple[int, list[str]]] = iter(())

    def lignes(self) -> Iterator[tuple[int, list[str]]]:
        return self._lignes


def verifier_chemin(chemin: Path) -> None:
    """The input names a file that exists (not a directory): the first check of every reader, one message."""
    if chemin.is_dir():
        raise ErreurFichier(f"« {chemin.name} » est un dossier, pas un fichier de ménages.")
    if not chemin.is_file():
        raise ErreurFichier(f"Fichier introuvable : {chemin.name}")


@contextmanager
def ouvrir(chemin: Path | str):
    """Open the file, read its header; raise ErreurFichier with a French message when unreadable."""
    chemin = Path(chemin)
    verifier_chemin(chemin)
    format = format_du_fichier(chemin)
    if chemin.stat().st_size == 0:
        raise ErreurFichier("Le fichier est vide.")
    source = Source(chemin, format)
    if format == "csv":
        with open(chemin, "rb") as binaire:
            source.encodage = _encodage_du_fichier(binaire)
            binaire.seek(0)
            _ouvrir_csv(source, binaire)
            yield source
    elif format == "xlsx":
        classeur = _ouvrir_xlsx(source)
        try:
            yield source
        finally:
            classeur.close()
    else:
        _ouvrir_parquet(source)
        yield source


def _ouvrir_csv(source: Source, binaire) -> None:
    try:
        premiere = binaire.readline().decode(source.encodage)
    except UnicodeDecodeError:
        raise ErreurFichier(
            "Ligne 1 : encodage illisible (enregistrez le fichier en UTF-8 ou en Windows-1252)."
        ) from None
    if not premiere.strip():
        raise ErreurFichier("Le fichier est vide ou sa première ligne (l'en-tête) est vide.")
    source.debut_donnees = binaire.tell()
    source.separateur = detecter_separateur(premiere)
    source.entetes = next(csv.reader([premiere], delimiter=source.separateur))
    encodage = "utf-8" if source.encodage == "utf-8-sig" else source.encodage
    source._lignes = _lignes_csv(_decoder(binaire, encodage), source.separateur)


ILLISIBLE = "\x00illisible"
MESSAGE_ILLISIBLE = (
    "caractères illisibles : la ligne n'est ni en UTF-8 ni dans l'encodage du reste du fichier "
    "(enregistrez le fichier en « CSV UTF-8 » depuis votre tableur) ; la ligne est ignorée"
)


def _decoder(binaire, encodage: str) -> Iterator[str]:
    """Decode line by line: a line in another encoding is replaced by a marker and reported with its number."""
    for brut in binaire:
        try:
            yield brut.decode(encodage)
        except UnicodeDecodeError:
            yield ILLISIBLE + "\n"


def _lignes_csv(texte: Iterator[str], separateur: str, *, premiere: int = 2) -> Iterator[tuple[int, list[str] | None]]:
    """``(line number, cells)``; cells are None for a line that could not be decoded. ``premiere``: the
    number of the first line of ``texte`` (2: the header was read before the csv reader started)."""
    lecteur = csv.reader(texte, delimiter=separateur, quotechar='"', strict=False)
    ligne = premiere - 1
    try:
        for cellules in lecteur:
            ligne = lecteur.line_num + premiere - 1
            if cellules == [ILLISIBLE]:
                yield ligne, None
            elif cellules and any(c.strip() for c in cellules):
                yield ligne, cellules
    except csv.Error as exc:
        raise ErreurFichier(f"Ligne {ligne + 1} : CSV mal formé ({exc}).") from None


def _texte_cellule(valeur) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, dt.datetime):
        return valeur.date().isoformat()
    if isinstance(valeur, dt.date):
        return valeur.isoformat()
    if isinstance(valeur, float):
        return str(int(valeur)) if valeur.is_integer() else repr(valeur)
    return str(valeur)


def _ouvrir_xlsx(source: Source):
    import zipfile

    from openpyxl import load_workbook

    from repere.utils.classeurs import verifier_classeur
    from repere.utils.errors import ErreurMetier

    try:
        verifier_classeur(source.chemin)  # sizes and ratio before the parser unpacks anything
    except ErreurMetier as exc:
        raise ErreurFichier(exc.message) from None
    try:
        classeur = load_workbook(source.chemin, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ErreurFichier("Le fichier n'est pas un classeur .xlsx lisible.") from None
    feuille = classeur.worksheets[0]
    lignes = feuille.iter_rows(values_only=True)
    entetes = next(lignes, None)
    if entetes is None or not any(v is not None and str(v).strip() for v in entetes):
        classeur.close()
        raise ErreurFichier("Le fichier est vide ou sa première ligne (l'en-tête) est vide.")
    source.entetes = [_texte_cellule(v) for v in entetes]

    def generateur():
        for numero, valeurs in enumerate(lignes, start=2):
            cellules = [_texte_cellule(v) for v in valeurs]
            if any(c.strip() for c in cellules):
                yield numero, cellules

    source._lignes = generateur()
    return classeur


def texte_colonne_arrow(colonne):
    """A typed Arrow column as the text cells the file reader works on (booleans oui/non, dates ISO)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(colonne, pa.ChunkedArray):
        colonne = colonne.combine_chunks()
    if pa.types.is_boolean(colonne.type):
        colonne = pc.if_else(colonne, "oui", "non")
    elif pa.types.is_timestamp(colonne.type):
        colonne = pc.cast(colonne, pa.date32())
    return pc.fill_null(pc.cast(colonne, pa.string()), "")


def _ouvrir_parquet(source: Source) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        fichier = pq.ParquetFile(source.chemin)
    except (pa.ArrowInvalid, OSError):
        raise ErreurFichier("Le fichier n'est pas un fichier Parquet lisible.") from None
    source.entetes = list(fichier.schema_arrow.names)
    if not source.entetes:
        raise ErreurFichier("Le fichier Parquet n'a aucune colonne.")

    def generateur():
        numero = 1
        for lot in fichier.iter_batches(batch_size=20_000):
            colonnes = [texte_colonne_arrow(lot.column(i)).to_pylist() for i in range(lot.num_columns)]
            for cellules in zip(*colonnes, strict=True):
                numero += 1
                if any(c.strip() for c in cellules):
                    yield numero, list(cellules)

    source._lignes = generateur()
