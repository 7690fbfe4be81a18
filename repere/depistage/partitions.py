"""The file cut into partitions of whole households, read by the computing processes themselves.

Shared nothing: the main process only *plans* (``planifier``: one pass over the household id column, with
Arrow, to find where each chunk of ``taille_lot`` households starts — a byte offset in a CSV file, a row in
a Parquet file — and which households already appeared in an earlier chunk); each computing process (local
fork or Dask worker) then reads its own byte range or rows with Arrow (``lire_partition``), straight into
columns (``colonnaire.Bloc``), and nothing but the plan and the results' counts crosses a pipe.

The same rules as the line-by-line reader (``lecture`` + ``assemblage.grouper``), which remains the
reference and the fallback:
- line numbers are the spreadsheet's (header = line 1, blank lines counted);
- a household's lines must follow each other: a household id already met in an earlier chunk is passed to
  the chunk (``deja_vus``) and its lines are reported there exactly as ``grouper`` reports them;
- a chunk with anything unusual (a line that Arrow does not parse like Python's csv module, an empty or
  overlong id, a household met twice in the chunk…) is read by the line-by-line reader on the same bytes,
  in the computing process: the messages are the same words, line for line.
The plan is refused (``None``: the main process reads the file line by line, as before) when the file has a
double quote (a quoted cell may hold a line break, so lines cannot be cut on bytes), and for XLSX files.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from repere.depistage.assemblage import INDEX, NOMS, Anomalie, DejaVus, grouper, tries_uniques

BLOC_OCTETS = 16 << 20  # bytes read at a time by the planner
LONGUEUR_ID_MAX = 64


@dataclass
class Partition:
    index: int
    debut: int  # byte offset (CSV) or row index (Parquet) of its first line
    fin: int  # end (excluded), same unit
    ligne: int  # line number of its first line (header = line 1)
    menages: int  # households planned (runs of the same id)
    deja_vus: list[str] = field(default_factory=list)  # ids met in an earlier partition

    def en_dict(self) -> dict:
        return asdict(self)


@dataclass
class Fichier:
    """What a computing process needs to read its partition (small, pickled with each task)."""

    chemin: str
    format: str
    encodage: str
    separateur: str
    nb_colonnes: int
    positions: dict[str, int]  # known column -> position in the file
    debut_donnees: int  # CSV: byte offset of the line after the header

    @classmethod
    def depuis_source(cls, *, chemin, source, positions: dict[str, int]) -> Fichier:
        """The partition reader's view of a file opened by ``lecture.ouvrir`` (its format, encoding, header)."""
        return cls(
            chemin=str(chemin),
            format=source.format,
            encodage=source.encodage,
            separateur=source.separateur,
            nb_colonnes=len(source.entetes),
            positions=positions,
            debut_donnees=source.debut_donnees,
        )


# --- planning (main process) ---------------------------------------------------------------------


def _hachages(ids: pa.Array) -> np.ndarray:
    """64-bit FNV-1a of each string, vectorised (same as the reader's ``DejaVus``: 8 bytes per id)."""
    ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    n = len(ids)
    h = np.full(n, 0xCBF29CE484222325, dtype=np.uint64)
    if n == 0:
        return h
    decalages = np.frombuffer(ids.buffers()[1], dtype=np.int32)[ids.offset : ids.offset + n + 1].astype(np.int64)
    donnees = np.frombuffer(ids.buffers()[2], dtype=np.uint8) if ids.buffers()[2] is not None else np.zeros(1, np.uint8)
    longueurs = np.diff(decalages)
    debuts = decalages[:-1]
    premier = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        for k in range(int(longueurs.max(initial=0))):
            m = longueurs > k
            h[m] = (h[m] ^ donnees[debuts[m] + k].astype(np.uint64)) * premier
        h ^= longueurs.astype(np.uint64)
    return h


class _Vus:
    """Hashes of the household ids of the closed partitions (sorted array + recent ones)."""

    def __init__(self):
        self.anciens = np.empty(0, dtype=np.uint64)
        self.attente: list[np.ndarray] = []
        self.taille_attente = 0

    def contient(self, h: np.ndarray) -> np.ndarray:
        dedans = np.zeros(len(h), dtype=bool)
        for trie in (self.anciens, *self.attente):  # sorted, unique: a binary search per id
            if len(trie):
                i = np.minimum(np.searchsorted(trie, h), len(trie) - 1)
                dedans |= trie[i] == h
        return dedans

    def ajouter(self, h: np.ndarray) -> None:
        if not len(h):
            return
        self.attente.append(tries_uniques(h))
        self.taille_attente += len(h)
        if self.taille_attente > max(200_000, len(self.anciens) // 2):
            self.anciens = tries_uniques(np.concatenate([self.anciens, *self.attente]))
            self.attente, self.taille_attente = [], 0


class _Planificateur:
    """Consumes the id column block by block (line numbers, offsets) and cuts it into partitions."""

    def __init__(self, taille_lot: int, debut: int, fin: int):
        self.taille_lot = max(1, taille_lot)
        self.partitions: list[Partition] = [Partition(0, debut, fin, 2, 0)]
        self.runs = 0  # household runs met so far
        self.dernier: str | None = None  # id of the last valid line
        self.vus = _Vus()
        self.courants: list[np.ndarray] = []  # hashes of the current partition's runs
        self.fin = fin

    def bloc(self, ids: pa.Array, numeros: np.ndarray, decalages: np.ndarray) -> None:
        """``ids``: the id cell of each non-blank line (trimmed); ``numeros`` / ``decalages``: its line
        number and start (byte or row)."""
        longueur = pc.utf8_length(ids).to_numpy(zero_copy_only=False)
        valide = (longueur > 0) & (longueur <= LONGUEUR_ID_MAX)
        if not valide.any():
            return
        k = np.flatnonzero(valide)
        ids_v = ids.take(pa.array(k))
        change = np.ones(len(k), dtype=bool)
        if len(k) > 1:
            change[1:] = pc.not_equal(ids_v.slice(1), ids_v.slice(0, len(k) - 1)).to_numpy(zero_copy_only=False)
        if self.dernier is not None:
            change[0] = ids_v[0].as_py() != self.dernier
        self.dernier = ids_v[-1].as_py()
        debuts = np.flatnonzero(change)  # positions in k of the run starts
        if not len(debuts):
            return
        rangs = self.runs + np.arange(len(debuts))
        self.runs += len(debuts)
        nouvelles = np.flatnonzero((rangs % self.taille_lot == 0) & (rangs > 0))
        bornes = sorted({0, *nouvelles.tolist(), len(debuts)})
        hachages = _hachages(ids_v.take(pa.array(debuts)))
        for a, b in zip(bornes[:-1], bornes[1:], strict=True):
            if rangs[a] % self.taille_lot == 0 and rangs[a] > 0:  # run a opens a new partition
                self._fermer()
                i = k[debuts[a]]
                self.partitions[-1].fin = int(decalages[i])
                self.partitions.append(Partition(len(self.partitions), int(decalages[i]), self.fin, int(numeros[i]), 0))
            if b <= a:
                continue
            h = hachages[a:b]
            deja = self.vus.contient(h)
            if deja.any():
                partition = self.partitions[-1]
                for j in np.flatnonzero(deja).tolist():
                    partition.deja_vus.append(ids_v[int(debuts[a + j])].as_py())
            self.partitions[-1].menages += int((~deja).sum())
            self.courants.append(h[~deja])

    def _fermer(self) -> None:
        if self.courants:
            self.vus.ajouter(np.concatenate(self.courants))
        self.courants = []


def _options_csv(fichier: Fichier, colonnes: list[int] | None):
    import pyarrow.csv as pacsv

    noms = [f"c{i}" for i in range(fichier.nb_colonnes)]
    inclure = [noms[i] for i in colonnes] if colonnes is not None else noms
    encodage = "utf-8" if fichier.encodage in ("utf-8", "utf-8-sig") else fichier.encodage
    return (
        pacsv.ReadOptions(column_names=noms, encoding=encodage, use_threads=False, block_size=1 << 26),
        pacsv.ParseOptions(delimiter=fichier.separateur, quote_char=False, ignore_empty_lines=True),
        pacsv.ConvertOptions(
            include_columns=inclure, column_types=dict.fromkeys(inclure, pa.string()), strings_can_be_null=False
        ),
    )


def _lignes_du_bloc(donnees: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(start offset of each physical line, is it non-blank) for a block that ends at a line end (or EOF)."""
    octets = np.frombuffer(donnees, dtype=np.uint8)
    fins = np.flatnonzero(octets == 10)
    if not donnees.endswith(b"\n") and donnees:
        fins = np.append(fins, len(donnees))
    debuts = np.concatenate(([0], fins[:-1] + 1)) if len(fins) else np.empty(0, np.int64)
    longueurs = fins - debuts
    cr = (longueurs > 0) & (octets[np.maximum(fins - 1, 0)] == 13)
    return debuts, (longueurs - cr) > 0


def _lire_csv(donnees: bytes, fichier: Fichier, colonnes: list[int] | None) -> pa.Table | None:
    import pyarrow.csv as pacsv

    lecture, analyse, conversion = _options_csv(fichier, colonnes)
    try:
        return pacsv.read_csv(
            io.BytesIO(donnees), read_options=lecture, parse_options=analyse, convert_options=conversion
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        return None


def _ids_python(donnees: bytes, fichier: Fichier, non_vides: np.ndarray) -> pa.Array:
    """The id cells of a block Arrow could not parse (ragged lines, undecodable bytes): line by line."""
    position = fichier.positions["id_menage"]
    encodage = "utf-8" if fichier.encodage == "utf-8-sig" else fichier.encodage
    ids = []
    lignes = donnees.split(b"\n")
    if donnees.endswith(b"\n"):
        lignes.pop()
    for brut, non_vide in zip(lignes, non_vides.tolist(), strict=True):
        if not non_vide:
            continue
        try:
            cellules = brut.decode(encodage).rstrip("\r").split(fichier.separateur)
        except UnicodeDecodeError:
            ids.append("")
            continue
        ids.append(cellules[position] if position < len(cellules) else "")
    return pa.array(ids, pa.string())


def planifier(fichier: Fichier, *, taille_lot: int) -> list[Partition] | None:
    """The partitions of the file, or None when it must be read line by line in the main process."""
    if fichier.format == "csv":
        return _planifier_csv(fichier, taille_lot)
    if fichier.format == "parquet":
        return _planifier_parquet(fichier, taille_lot)
    return None


def _planifier_csv(fichier: Fichier, taille_lot: int) -> list[Partition] | None:
    taille = Path(fichier.chemin).stat().st_size
    plan = _Planificateur(taille_lot, fichier.debut_donnees, taille)
    position = fichier.positions["id_menage"]
    with open(fichier.chemin, "rb") as f:
        f.seek(fichier.debut_donnees)
        decalage, ligne, reste = fichier.debut_donnees, 2, b""
        while True:
            lu = f.read(BLOC_OCTETS)
            donnees = reste + lu
            if lu:
                coupure = donnees.rfind(b"\n") + 1
                if coupure == 0:
                    reste = donnees
                    continue
                donnees, reste = donnees[:coupure], donnees[coupure:]
            elif not donnees:
                break
            if b'"' in donnees:
                return None  # a quoted cell may hold a line break: read line by line
            debuts, non_vides = _lignes_du_bloc(donnees)
            table = _lire_csv(donnees, fichier, [position])
            if table is not None and table.num_rows == int(non_vides.sum()):
                ids = table.column(0)
            else:
                ids = _ids_python(donnees, fichier, non_vides)
            ids = pc.utf8_trim_whitespace(ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids)
            numeros = ligne + np.arange(len(debuts))
            plan.bloc(ids, numeros[non_vides], (decalage + debuts)[non_vides])
            decalage += len(donnees)
            ligne += len(debuts)
            if not lu:
                break
    plan._fermer()
    return plan.partitions


def _planifier_parquet(fichier: Fichier, taille_lot: int) -> list[Partition] | None:
    import pyarrow.parquet as pq

    source = pq.ParquetFile(fichier.chemin)
    nom = source.schema_arrow.names[fichier.positions["id_menage"]]
    plan = _Planificateur(taille_lot, 0, source.metadata.num_rows)
    rang = 0
    for lot in source.iter_batches(batch_size=200_000, columns=[nom]):
        ids = pc.utf8_trim_whitespace(pc.fill_null(pc.cast(lot.column(0), pa.string()), ""))
        rangs = rang + np.arange(lot.num_rows)
        plan.bloc(ids, rangs + 2, rangs)
        rang += lot.num_rows
    plan._fermer()
    return plan.partitions


# --- reading a partition (computing process) -----------------------------------------------------


def _texte(colonne) -> pa.Array:
    """A Parquet column as the text the line-by-line reader would see (``lecture._ouvrir_parquet``)."""
    from repere.depistage.lecture import texte_colonne_arrow

    return texte_colonne_arrow(colonne)


def lire_partition(partition: Partition, fichier: Fichier, *, codes_communes=None):
    """``(bloc, anomalies)``: the partition's households as columns (``colonnaire.Bloc``) and the reading
    anomalies (line, column, message), with the same rules and words as ``assemblage.grouper``."""

    if fichier.format == "csv":
        with open(fichier.chemin, "rb") as f:
            f.seek(partition.debut)
            donnees = f.read(partition.fin - partition.debut)
        debuts, non_vides = _lignes_du_bloc(donnees)
        numeros = (partition.ligne + np.arange(len(debuts)))[non_vides]
        table = _lire_csv(donnees, fichier, None)
        if table is None or table.num_rows != len(numeros):
            return _par_lignes_csv(donnees, partition, fichier, codes_communes)
        colonnes = [c.combine_chunks() for c in table.columns]
    else:
        import pyarrow.parquet as pq

        source = pq.ParquetFile(fichier.chemin)
        tables, rang = [], 0
        for g in range(source.metadata.num_row_groups):
            n = source.metadata.row_group(g).num_rows
            if rang + n > partition.debut and rang < partition.fin:
                t = source.read_row_group(g)
                a, b = max(partition.debut - rang, 0), min(partition.fin - rang, n)
                tables.append(t.slice(a, b - a))
            rang += n
        table = pa.concat_tables(tables) if tables else source.schema_arrow.empty_table()
        colonnes = [_texte(c) for c in table.columns]
        numeros = partition.ligne + np.arange(table.num_rows)
    bloc, anomalies = _grouper_colonnes(colonnes, numeros, fichier, partition, codes_communes)
    if bloc is None:  # something unusual: the line-by-line rules on the same cells
        rangees = (list(c) for c in zip(*(c.to_pylist() for c in colonnes), strict=True))
        lignes = zip(numeros.tolist(), rangees, strict=True)
        return _par_lignes(lignes, fichier, partition, codes_communes)
    return bloc, anomalies


def _par_lignes_csv(donnees: bytes, partition: Partition, fichier: Fichier, codes_communes):
    from repere.depistage.lecture import _decoder, _lignes_csv

    encodage = "utf-8" if fichier.encodage == "utf-8-sig" else fichier.encodage
    lignes = _lignes_csv(_decoder(io.BytesIO(donnees), encodage), fichier.separateur, premiere=partition.ligne)
    return _par_lignes(lignes, fichier, partition, codes_communes)


def _par_lignes(lignes, fichier: Fichier, partition: Partition, codes_communes):
    from repere.depistage.colonnaire import Bloc

    vus = DejaVus()
    for ident in partition.deja_vus:
        vus.ajouter(ident)
    bruts, anomalies = [], []
    lignes = ((numero, c) for numero, c in lignes if c is None or any(x.strip() for x in c))
    largeur = fichier.nb_colonnes if fichier.format == "csv" else None
    for element in grouper(lignes, fichier.positions, codes_communes=codes_communes, vus=vus, largeur_entete=largeur):
        (anomalies if isinstance(element, Anomalie) else bruts).append(element)
    return Bloc.de_bruts(bruts), anomalies


_I_COMMUNE = INDEX["commune"]


def _inconnues(commune: pa.Array, codes_communes: frozenset[str]) -> pa.Array:
    """Whether each (non-empty) commune cell is not a known code: each distinct code looked up once in the
    set (a chunk has a few hundred), instead of hashing the ~35,000 known codes for every partition."""
    encode = commune.dictionary_encode()
    inconnu = pa.array([bool(c) and c not in codes_communes for c in encode.dictionary.to_pylist()], pa.bool_())
    return inconnu.take(encode.indices)


def _grouper_colonnes(colonnes: list[pa.Array], numeros: np.ndarray, fichier: Fichier, partition, codes_communes):
    """The vectorised ``grouper`` for a clean partition; ``(None, [])`` when any line needs the line-by-line
    rules (empty, blank or overlong id, a household met earlier or twice, a line of blank cells)."""
    from repere.depistage.colonnaire import Bloc

    n = len(numeros)
    if n == 0:
        return Bloc.de_bruts([]), []
    vide = pa.array([""] * n, pa.string())
    par_nom = {}
    for nom in NOMS:
        pos = fichier.positions.get(nom)
        par_nom[nom] = colonnes[pos] if pos is not None and pos < len(colonnes) else vide
    ids = pc.utf8_trim_whitespace(par_nom["id_menage"])
    longueur = pc.utf8_length(ids).to_numpy(zero_copy_only=False)
    if ((longueur == 0) | (longueur > LONGUEUR_ID_MAX)).any():
        return None, []
    change = np.ones(n, dtype=bool)
    if n > 1:
        change[1:] = pc.not_equal(ids.slice(1), ids.slice(0, n - 1)).to_numpy(zero_copy_only=False)
    debuts = np.flatnonzero(change)
    ids_menages = ids.take(pa.array(debuts))
    if len(pc.unique(ids_menages)) != len(debuts):
        return None, []  # a household whose lines do not follow each other
    liste_ids = ids_menages.to_pylist()
    if partition.deja_vus and set(partition.deja_vus) & set(liste_ids):
        return None, []
    anomalies = []
    if codes_communes is not None:
        commune = pc.utf8_upper(pc.utf8_trim_whitespace(par_nom["commune"]))
        quatre = pc.match_substring_regex(commune, r"^[0-9]{4}$")
        commune = pc.if_else(quatre, pc.binary_join_element_wise("0", commune, ""), commune)
        inconnue = _inconnues(commune, codes_communes)
        inconnues = np.flatnonzero(inconnue.to_numpy(zero_copy_only=False))
        if len(inconnues):
            h = np.searchsorted(debuts, inconnues, side="right") - 1
            textes = commune.take(pa.array(inconnues)).to_pylist()
            for i, k, texte in zip(inconnues.tolist(), h.tolist(), textes, strict=True):
                anomalies.append(
                    Anomalie(
                        int(numeros[i]), "commune", f"commune inconnue (code INSEE « {texte[:10]} »)", liste_ids[k]
                    )
                )
            marque = pc.binary_join_element_wise("\x00", commune, "")
            par_nom["commune"] = pc.if_else(inconnue, marque, par_nom["commune"])
    return Bloc(
        colonnes=par_nom,
        debuts=np.append(debuts, n),
        ids=liste_ids,
        numeros=np.asarray(numeros, dtype=np.int64),
    ), anomalies
