"""Result files: per-chunk parts, k-way merge by priority (memory bounded), CSV / XLSX / Parquet writers.

Every file is written under a temporary name in its final directory, then renamed: a file that
exists under its final name is complete (nothing partially written is ever presented as a result).
"""

from __future__ import annotations

import csv
import heapq
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from repere.depistage.assemblage import ENTETE_ANOMALIES
from repere.droits.prestations import PRESTATIONS
from repere.utils.tableurs import cellule_sure

CODES = tuple(p.code for p in PRESTATIONS)
COLONNES_FIXES = ("id_menage", "commune", "nb_personnes", "priorite_mensuelle", "nb_non_recours", "motifs")
SUFFIXES = ("estime", "percu", "ecart", "non_recours")
COLONNES_RESULTAT = (
    "rang",
    *COLONNES_FIXES,
    *(f"{code}_{suffixe}" for code in CODES for suffixe in SUFFIXES),
)
I_PRIORITE = COLONNES_FIXES.index("priorite_mensuelle")

SCHEMA_PART = pa.schema(
    [
        ("id_menage", pa.string()),
        ("commune", pa.string()),
        ("nb_personnes", pa.int16()),
        ("priorite_mensuelle", pa.float64()),
        ("nb_non_recours", pa.int16()),
        ("motifs", pa.string()),
        *(
            (f"{code}_{suffixe}", pa.bool_() if suffixe == "non_recours" else pa.float64())
            for code in CODES
            for suffixe in SUFFIXES
        ),
    ]
)
SCHEMA_RESULTAT = pa.schema([("rang", pa.int64()), *SCHEMA_PART])
FORMATS_SORTIE = ("csv", "xlsx", "parquet")
LIGNES_MAX_XLSX = 1_048_575


def format_sortie(chemin: Path | str) -> str:
    suffixe = Path(chemin).suffix.lower().lstrip(".")
    if suffixe not in FORMATS_SORTIE:
        raise ValueError(f"Format de sortie non reconnu (.{suffixe}) : utilisez .csv, .xlsx ou .parquet.")
    return suffixe


def temporaire(chemin: Path) -> Path:
    return chemin.with_name(f".{chemin.name}.{os.getpid()}.partiel")


def remplacer(tmp: Path, chemin: Path) -> None:
    """Atomic publish: flush to disk, then rename."""
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, chemin)


# --- per-chunk parts -----------------------------------------------------------------------------


def ecrire_part(chemin: Path, table: pa.Table) -> None:
    """Write one chunk's results (``SCHEMA_PART``, already sorted by decreasing priority)."""
    tmp = temporaire(chemin)
    pq.write_table(table, tmp, compression="zstd")
    remplacer(tmp, chemin)


def ecrire_anomalies_part(chemin: Path, anomalies: Iterable) -> None:
    tmp = temporaire(chemin)
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        ecrivain = csv.writer(f, delimiter=";")
        for a in sorted(anomalies, key=lambda a: (a.ligne, a.colonne)):
            ecrivain.writerow(a.en_ligne())
    remplacer(tmp, chemin)


LIGNES_EN_FUSION = 40_000  # rows held in memory by the merge, all parts together


def lire_part(chemin: Path, *, lot: int, taille_bloc: int = 4096) -> Iterator[tuple]:
    """Yield ``(cle_de_tri, ligne)``; the key orders by decreasing priority, then chunk, then position."""
    fichier = pq.ParquetFile(chemin)
    position = 0
    for batch in fichier.iter_batches(batch_size=taille_bloc):
        colonnes = [c.to_pylist() for c in batch.columns]
        for ligne in zip(*colonnes, strict=True):
            yield (-ligne[I_PRIORITE], lot, position), ligne
            position += 1


def fusionner(parts: list[tuple[int, Path]]) -> Iterator[tuple]:
    """K-way merge of the sorted parts: one small block per part in memory at a time, whatever their number."""
    taille_bloc = max(16, LIGNES_EN_FUSION // max(1, len(parts)))
    flux = [lire_part(chemin, lot=lot, taille_bloc=taille_bloc) for lot, chemin in parts]
    for _cle, ligne in heapq.merge(*flux, key=lambda x: x[0]):
        yield ligne


def lire_anomalies(chemins: list[Path]) -> Iterator[list]:
    def flux(chemin):
        with open(chemin, encoding="utf-8", newline="") as f:
            for ligne in csv.reader(f, delimiter=";"):
                ligne[0] = int(ligne[0])
                yield ligne

    yield from heapq.merge(*(flux(c) for c in chemins), key=lambda ligne: ligne[0])


# --- final writers -------------------------------------------------------------------------------


def _decimal(valeur) -> str:
    """A CSV cell: numbers with a decimal comma, oui/non, text through the one anti-formula rule."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, float):
        return f"{valeur:.2f}".replace(".", ",")
    if isinstance(valeur, int):
        return str(valeur)
    return cellule_sure(valeur)


def _cellule_xlsx(valeur):
    """An XLSX cell: numbers stay numbers, text is neutralised so it is never stored as a formula."""
    if valeur is None or (isinstance(valeur, int | float) and not isinstance(valeur, bool)):
        return valeur
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    return cellule_sure(valeur)


class EcrivainCSV:
    """French-Excel friendly CSV: UTF-8 with BOM, ``;`` separator, decimal comma, oui/non."""

    def __init__(self, chemin: Path, entetes):
        self.chemin = Path(chemin)
        self.tmp = temporaire(self.chemin)
        self.fichier = open(self.tmp, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self.csv = csv.writer(self.fichier, delimiter=";")
        self.csv.writerow([cellule_sure(e) for e in entetes])

    def ecrire(self, ligne) -> None:
        self.csv.writerow([_decimal(v) for v in ligne])

    def fermer(self) -> None:
        self.fichier.close()
        remplacer(self.tmp, self.chemin)

    def abandonner(self) -> None:
        self.fichier.close()
        self.tmp.unlink(missing_ok=True)


class EcrivainXLSX:
    """Streaming XLSX (openpyxl write-only); continues on a new sheet past Excel's row limit."""

    def __init__(self, chemin: Path, entetes, *, titre="Résultats"):
        from openpyxl import Workbook

        self.chemin = Path(chemin)
        self.tmp = temporaire(self.chemin)
        self.entetes = [cellule_sure(e) for e in entetes]
        self.titre = titre
        self.classeur = Workbook(write_only=True)
        self.numero_feuille = 0
        self._nouvelle_feuille()

    def _nouvelle_feuille(self):
        self.numero_feuille += 1
        nom = self.titre if self.numero_feuille == 1 else f"{self.titre} ({self.numero_feuille})"
        self.feuille = self.classeur.create_sheet(nom[:31])
        self.feuille.append(self.entetes)
        self.lignes = 0

    def ecrire(self, ligne) -> None:
        if self.lignes >= LIGNES_MAX_XLSX:
            self._nouvelle_feuille()
        self.feuille.append([_cellule_xlsx(v) for v in ligne])
        self.lignes += 1

    def fermer(self) -> None:
        with open(self.tmp, "wb") as f:
            self.classeur.save(f)
        remplacer(self.tmp, self.chemin)

    def abandonner(self) -> None:
        self.tmp.unlink(missing_ok=True)


class EcrivainParquet:
    def __init__(self, chemin: Path, schema: pa.Schema, *, lot=20_000):
        self.chemin = Path(chemin)
        self.tmp = temporaire(self.chemin)
        self.schema = schema
        self.ecrivain = pq.ParquetWriter(self.tmp, schema, compression="zstd")
        self.tampon: list = []
        self.lot = lot

    def ecrire(self, ligne) -> None:
        self.tampon.append(ligne)
        if len(self.tampon) >= self.lot:
            self._vider()

    def _vider(self):
        if not self.tampon:
            return
        colonnes = list(zip(*self.tampon, strict=True))
        self.ecrivain.write_table(
            pa.Table.from_arrays(
                [pa.array(list(c), type=ch.type) for c, ch in zip(colonnes, self.schema, strict=True)],
                schema=self.schema,
            )
        )
        self.tampon = []

    def fermer(self) -> None:
        self._vider()
        self.ecrivain.close()
        remplacer(self.tmp, self.chemin)

    def abandonner(self) -> None:
        self.ecrivain.close()
        self.tmp.unlink(missing_ok=True)


def ecrivain_resultats(chemin: Path):
    format = format_sortie(chemin)
    if format == "csv":
        return EcrivainCSV(chemin, COLONNES_RESULTAT)
    if format == "xlsx":
        return EcrivainXLSX(chemin, COLONNES_RESULTAT)
    return EcrivainParquet(chemin, SCHEMA_RESULTAT)


def ecrivain_anomalies(chemin: Path):
    format = format_sortie(chemin)
    if format == "csv":
        return EcrivainCSV(chemin, ENTETE_ANOMALIES)
    if format == "xlsx":
        return EcrivainXLSX(chemin, ENTETE_ANOMALIES, titre="Lignes rejetées")
    schema = pa.schema(
        [("ligne", pa.int64()), ("colonne", pa.string()), ("id_menage", pa.string()), ("probleme", pa.string())]
    )
    return EcrivainParquet(chemin, schema)
