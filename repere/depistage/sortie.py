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

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from repere.depistage.assemblage import ENTETE_ANOMALIES
from repere.droits.prestations import PRESTATIONS
from repere.utils.tableurs import cellule_sure, cellules_sures

CODES = tuple(p.code for p in PRESTATIONS)
# Benefits whose "amount" is not money paid to the household (CSS with participation: what the
# person pays). They can be flagged as probable non-take-up but do not count in the priority.
HORS_PRIORITE = frozenset({"css_participation"})


def part_de_priorite(code: str, ecart):
    """What one benefit adds to a household's priority (the monthly amount in play): its positive gap between
    estimated and received, none for a benefit outside the priority (``HORS_PRIORITE``). The one rule, for the
    rows (``calcul``) and the report's amounts per benefit (``rapport``), so that these add up to the total."""
    if code in HORS_PRIORITE:
        return np.zeros_like(ecart, dtype=float)
    return np.maximum(ecart, 0.0)


COLONNES_FIXES = ("id_menage", "commune", "nb_personnes", "priorite_mensuelle", "nb_non_recours", "motifs")
SUFFIXES = ("estime", "percu", "ecart", "non_recours")
COLONNES_RESULTAT = (
    "rang",
    *COLONNES_FIXES,
    *(f"{code}_{suffixe}" for code in CODES for suffixe in SUFFIXES),
)

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
# What a part holds depends on the output (``contenu_part``). For a CSV output, only the sort key and each row
# already formatted as CSV text (without its rank), formatted by the computing process that wrote it: the main
# process, which merges alone after the computing processes, then reads two columns and only prefixes the rank.
# For XLSX and Parquet outputs, the typed columns (``SCHEMA_PART``). The report's figures never need the rows
# again: each chunk's ``rapport.Synthese`` is computed where the chunk is, and the main process adds them up.
COLONNE_CSV = "_csv"
SCHEMA_PART_CSV = pa.schema([("priorite_mensuelle", pa.float64()), (COLONNE_CSV, pa.string())])
FORMATS_SORTIE = ("csv", "xlsx", "parquet")
CONTENUS_PART = ("csv", "colonnes")
LIGNES_MAX_XLSX = 1_048_575


def format_sortie(chemin: Path | str) -> str:
    suffixe = Path(chemin).suffix.lower().lstrip(".")
    if suffixe not in FORMATS_SORTIE:
        raise ValueError(f"Format de sortie non reconnu (.{suffixe}) : utilisez .csv, .xlsx ou .parquet.")
    return suffixe


def contenu_part(chemin: Path | str) -> str:
    """What the parts of a run whose output is ``chemin`` hold: « csv » (the sort key and the rows' CSV text) or
    « colonnes » (the typed columns, for XLSX and Parquet)."""
    return "csv" if format_sortie(chemin) == "csv" else "colonnes"


def temporaire(chemin: Path) -> Path:
    return chemin.with_name(f".{chemin.name}.{os.getpid()}.partiel")


def remplacer(tmp: Path, chemin: Path) -> None:
    """Atomic publish: flush to disk, then rename."""
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, chemin)


# --- per-chunk parts -----------------------------------------------------------------------------


LIGNES_PAR_GROUPE = 2_000  # rows per record batch of a part: the merge reads one batch at a time


def contenu_de(table: pa.Table, contenu: str) -> pa.Table:
    """``table`` (``SCHEMA_PART``, sorted) as a part holding ``contenu`` (``CONTENUS_PART``)."""
    if contenu == "csv":
        table = table.cast(SCHEMA_PART)
        return pa.table([table.column("priorite_mensuelle"), _lignes_csv(table.columns)], schema=SCHEMA_PART_CSV)
    return table.cast(SCHEMA_PART)


def ecrire_part(chemin: Path, table: pa.Table) -> None:
    """Write one chunk's part (``contenu_de``: already sorted by decreasing priority) as an Arrow IPC file
    compressed with LZ4, in record batches of ``LIGNES_PAR_GROUPE`` rows so that the merge reads it a little
    at a time (memory-mapped: reading a batch copies nothing but what LZ4 decodes)."""
    _ecrire_ipc(chemin, table.schema, [table])


def _ecrire_ipc(chemin: Path, schema: pa.Schema, tables: Iterable[pa.Table]) -> None:
    """A part (or an intermediate run of the merge): a valid file even without any row."""
    tmp = temporaire(chemin)
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with pa.OSFile(str(tmp), "wb") as f, pa.ipc.new_file(f, schema, options=options) as ecrivain:
        for table in tables:
            ecrivain.write_table(table, max_chunksize=LIGNES_PAR_GROUPE)
    remplacer(tmp, chemin)


def _schema_part(chemin: Path) -> pa.Schema:
    with pa.memory_map(str(chemin)) as f:
        return pa.ipc.open_file(f).schema


def lire_part(chemin: Path) -> pa.Table:
    """A whole part (tests, small files)."""
    with pa.memory_map(str(chemin)) as f:
        return pa.ipc.open_file(f).read_all()


def ecrire_anomalies_part(chemin: Path, anomalies: Iterable) -> None:
    tmp = temporaire(chemin)
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        ecrivain = csv.writer(f, delimiter=";")
        for a in sorted(anomalies, key=lambda a: (a.ligne, a.colonne)):
            ecrivain.writerow(a.en_ligne())
    remplacer(tmp, chemin)


# Memory of the merge (measured, docs/performance.md session 5): a block of at least one row group per open
# part, at most ``PARTS_EN_FUSION`` parts open, and the rows emitted gathered into tables of about
# ``LIGNES_EN_SORTIE`` rows (the CSV is formatted column by column: small tables cost a call per column).
LIGNES_EN_FUSION = 50_000  # rows read ahead by the merge, all parts together (at least a row group per part)
LIGNES_EN_SORTIE = 50_000
# Parts open at once in the merge: past it, consecutive parts are first merged in groups into intermediate
# runs (written in the working directory), so that the merge's memory does not grow with the file's size.
PARTS_EN_FUSION = 64


class _Part:
    """One sorted part read block by block, with its sort keys (-priority, part, position)."""

    def __init__(self, chemin: Path, lot: int, taille_bloc: int):
        self.lot = lot
        self.fichier = pa.memory_map(str(chemin))
        self.lecteur = pa.ipc.open_file(self.fichier)
        self.suivant = 0  # next record batch to read
        self.taille_bloc = taille_bloc
        self.position = 0
        self.fini = False
        self.table = None
        self.remplir()

    def remplir(self) -> None:
        """The next block: record batches read (and decoded) until ``taille_bloc`` rows."""
        batches, n = [], 0
        while n < self.taille_bloc and self.suivant < self.lecteur.num_record_batches:
            batch = self.lecteur.get_batch(self.suivant)
            self.suivant += 1
            if batch.num_rows:
                batches.append(batch)
                n += batch.num_rows
        if not n:
            self.table, self.fini = None, True
            self.fermer()
            return
        self.table = pa.Table.from_batches(batches)
        self.cles = -self.table.column("priorite_mensuelle").to_numpy()
        self.positions = np.arange(self.position, self.position + n)
        self.position += n

    def fermer(self) -> None:
        self.fichier.close()

    def derniere(self) -> tuple:
        return (self.cles[-1], self.lot, self.positions[-1])

    def jusqua(self, cle: tuple) -> int:
        """Rows of the block whose key is <= ``cle`` (a prefix, the part being sorted)."""
        p, lot, position = cle
        if self.lot < lot:
            return int(np.searchsorted(self.cles, p, side="right"))
        if self.lot > lot:
            return int(np.searchsorted(self.cles, p, side="left"))
        return int(np.searchsorted(self.positions, position, side="right"))  # the frontier's own part


def fusionner_tables(parts: list[tuple[int, Path]], *, travail: Path | None = None) -> Iterator[pa.Table]:
    """The rows of the sorted parts ``(chunk, path)``, by decreasing priority, then chunk, then position:
    memory bounded whatever the number of parts. Past ``PARTS_EN_FUSION`` parts, runs of consecutive parts
    are merged first into intermediate parts (in ``travail``, by default the parts' directory), level after
    level; a run of consecutive chunks merged in that order keeps the (chunk, position) order, so the result is
    the same as a one-level merge. The intermediate files are deleted, the chunks' own parts are kept (a
    resumed run needs them)."""
    parts = sorted(parts)
    travail = Path(travail) if travail is not None else (Path(parts[0][1]).parent if parts else Path("."))
    niveau, intermediaires = 0, []
    while len(parts) > PARTS_EN_FUSION:
        niveau += 1
        suivantes = []
        for g in range(0, len(parts), PARTS_EN_FUSION):
            groupe = parts[g : g + PARTS_EN_FUSION]
            chemin = travail / f"fusion_{niveau}_{g // PARTS_EN_FUSION:06d}.arrow"
            # the same content as the parts it merges
            _ecrire_ipc(chemin, _schema_part(groupe[0][1]), _regrouper(_fusionner(groupe), LIGNES_EN_SORTIE))
            suivantes.append((g // PARTS_EN_FUSION, chemin))
        for chemin in intermediaires:
            chemin.unlink(missing_ok=True)
        intermediaires = [chemin for _, chemin in suivantes]
        parts = suivantes
    try:
        yield from _regrouper(_fusionner(parts), LIGNES_EN_SORTIE)
    finally:
        for chemin in intermediaires:
            chemin.unlink(missing_ok=True)


def _regrouper(blocs: Iterator[pa.Table], lignes: int) -> Iterator[pa.Table]:
    """The same rows, in the same order, in tables of about ``lignes`` rows."""
    tampon, n = [], 0
    for bloc in blocs:
        tampon.append(bloc)
        n += bloc.num_rows
        if n >= lignes:
            yield pa.concat_tables(tampon)
            tampon, n = [], 0
    if tampon:
        yield pa.concat_tables(tampon)


def _fusionner(parts: list[tuple[int, Path]]) -> Iterator[pa.Table]:
    """External k-way merge of the sorted parts (all with the same content), by blocks: at each step every row
    not greater than the smallest "last key" of the parts' blocks is safe to emit; those rows are sorted together
    (numpy) and yielded as one Arrow table. Memory: one block per part, ``LIGNES_EN_FUSION`` rows in all."""
    taille_bloc = max(LIGNES_PAR_GROUPE, LIGNES_EN_FUSION // max(1, len(parts)))
    ouvertes = [p for p in (_Part(chemin, lot, taille_bloc) for lot, chemin in parts) if not p.fini]
    while ouvertes:
        frontiere = min(p.derniere() for p in ouvertes)
        morceaux, cles, lots, positions = [], [], [], []
        for p in ouvertes:
            k = p.jusqua(frontiere) if p.derniere() != frontiere else p.table.num_rows
            if not k:
                continue
            morceaux.append(p.table.slice(0, k))
            cles.append(p.cles[:k])
            lots.append(np.full(k, p.lot))
            positions.append(p.positions[:k])
            if k == p.table.num_rows:
                p.remplir()
            else:
                p.table, p.cles, p.positions = p.table.slice(k), p.cles[k:], p.positions[k:]
        ordre = np.lexsort((np.concatenate(positions), np.concatenate(lots), np.concatenate(cles)))
        yield pa.concat_tables(morceaux).take(pa.array(ordre))
        ouvertes = [p for p in ouvertes if not p.fini]


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

    def ecrire_table(self, table: pa.Table) -> None:
        self.fichier.flush()  # the header, through the text layer (with its BOM)
        self.fichier.buffer.write(octets_csv_table(table))

    def fermer(self) -> None:
        self.fichier.close()
        remplacer(self.tmp, self.chemin)

    def abandonner(self) -> None:
        self.fichier.close()
        self.tmp.unlink(missing_ok=True)


def _texte_csv_colonne(colonne: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One column as CSV text (``_texte_csv_valeurs``). A column of amounts or texts with few distinct values
    (most benefits are 0 for most households, a chunk has few communes) is formatted once per distinct value,
    then each row takes its value's text: the same text, 2.5 times faster on a chunk of 25,000 households."""
    if isinstance(colonne, pa.ChunkedArray):
        colonne = colonne.combine_chunks()
    if pa.types.is_floating(colonne.type) or pa.types.is_string(colonne.type):
        codes = pc.dictionary_encode(colonne)
        if len(codes.dictionary) * 4 < len(colonne):
            return pc.fill_null(_texte_csv_valeurs(codes.dictionary).take(codes.indices), "")
    return _texte_csv_valeurs(colonne)


def _texte_csv_valeurs(colonne: pa.Array) -> pa.Array:
    """One column as CSV text, vectorised (same forms as ``_decimal``): numbers with a decimal comma
    and 2 decimals, integers as such, oui/non, text through ``cellules_sures``, quoted when needed."""
    t = colonne.type
    if pa.types.is_floating(t):
        # cents as text padded to 3 digits ("5" -> "005"), then a comma before the last two: "0,05"
        v = np.nan_to_num(colonne.to_numpy(zero_copy_only=False))
        centimes = pc.utf8_lpad(pc.cast(pa.array(np.rint(np.abs(v) * 100).astype(np.int64)), pa.string()), 3, "0")
        texte = pc.binary_join_element_wise(
            pc.utf8_slice_codeunits(centimes, 0, -2), pc.utf8_slice_codeunits(centimes, -2, 1 << 30), ","
        )
        negatif = v < 0  # as Python formats it: -0.004 is "-0,00"
        if negatif.any():
            texte = pc.if_else(pa.array(negatif), pc.binary_join_element_wise("-", texte, ""), texte)
        nul = pc.is_nan(colonne) if not colonne.null_count else pc.or_kleene(pc.is_null(colonne), pc.is_nan(colonne))
        return pc.if_else(pc.fill_null(nul, True), pa.scalar(""), texte) if pc.any(nul).as_py() else texte
    if pa.types.is_boolean(t):
        return pc.fill_null(pc.if_else(colonne, pa.scalar("oui"), pa.scalar("non")), "")
    if pa.types.is_integer(t):
        return pc.fill_null(pc.cast(colonne, pa.string()), "")
    texte = cellules_sures(pc.fill_null(colonne, ""))
    a_citer = pc.match_substring_regex(texte, '[;"\r\n]')
    cite = pc.binary_join_element_wise(pa.scalar('"'), pc.replace_substring(texte, '"', '""'), pa.scalar('"'), "")
    return pc.if_else(a_citer, cite, texte)


def _lignes_csv(colonnes) -> pa.Array:
    """The CSV text of each row of these columns (``;`` between cells, no line end)."""
    return pc.binary_join_element_wise(*(_texte_csv_colonne(c) for c in colonnes), ";")


def octets_csv_table(table: pa.Table):
    """The CSV lines of a merged block of « csv » parts with its rank (``rang``, then the part's columns) in
    UTF-8, CRLF line ends as Python's csv module writes them: the rank, then the row's text already formatted
    by the computing process (``COLONNE_CSV``), as one buffer built by Arrow, no Python string per row."""
    if not table.num_rows:
        return b""
    rangs = pc.cast(table.column("rang"), pa.string())
    lignes = pc.binary_join_element_wise(rangs, ";", table.column(COLONNE_CSV), "\r\n", "")
    if isinstance(lignes, pa.ChunkedArray):
        lignes = lignes.combine_chunks()
    decalages = np.frombuffer(lignes.buffers()[1], dtype=np.int32)
    debut, fin = int(decalages[lignes.offset]), int(decalages[lignes.offset + len(lignes)])
    return memoryview(lignes.buffers()[2])[debut:fin]


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

    def ecrire_table(self, table: pa.Table) -> None:
        for ligne in zip(*(c.to_pylist() for c in table.columns), strict=True):
            self.ecrire(ligne)

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

    def ecrire_table(self, table: pa.Table) -> None:
        self._vider()
        self.ecrivain.write_table(table.cast(self.schema))

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


def ecrire_en_file(ecrivain, tables: Iterator[pa.Table]) -> None:
    """``ecrivain.ecrire_table`` of each table, in order, in a second thread while this one produces the next:
    the merge reads and sorts a block while the previous one is formatted and written (Arrow's kernels and the
    file release the GIL; at the end of a run the computing processes are done and a core is free). One block
    waits at most: the memory stays that of two blocks."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ecriture") as fil:
        en_cours = None
        for table in tables:
            if en_cours is not None:
                en_cours.result()  # an error of the writer stops the merge here
            en_cours = fil.submit(ecrivain.ecrire_table, table)
        if en_cours is not None:
            en_cours.result()


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
