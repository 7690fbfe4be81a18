"""What runs on a computing process (local process or Dask worker): one chunk of whole households.

``traiter_lot`` validates the chunk by column (``colonnaire.lire_lot``: the shared model's rules, the model
itself for suspect households), calls the shared engine's batch path
``repere.droits.lot.simuler_lot_tableaux`` once for the chunk, on columns (amounts and eligibility as
arrays, the very arrays ``simuler_lot`` / ``simuler`` build their results on) and turns them into
an Arrow table of output rows column by column (``table_tableaux``). The rules are never re-implemented here;
``ligne_resultat`` gives the same row from one ``ResultatSimulation`` (used by the tests to check that
a household screened in a batch gets exactly what ``simuler`` gives it alone).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from repere.depistage.assemblage import Anomalie, MenageBrut, construire_menage
from repere.depistage.rapport import Synthese
from repere.depistage.sortie import CODES, SCHEMA_PART, contenu_de, part_de_priorite
from repere.utils.allocateur import regler_pour_les_tableaux

SEUIL_ECART = 10.0  # € per month: below, a difference between received and estimated is noise

# The output's « motifs » column, in words (one definition for the row and the column paths).
SEPARATEUR_MOTIFS = " / "  # not « ; », the CSV separator: no quoted cell
_MOTIFS = {
    "nr": "à demander",
    "percu_non_estime": "montant perçu alors qu'aucun droit n'est estimé",
    "ecart": "montant perçu inférieur à l'estimation",
    "incertain": "droit incertain, à vérifier",
}


def motif(genre: str, code: str | None = None) -> str:
    """One reason of a row, in words: « Prime d'activité : à demander », « revenu fiscal de référence estimé »."""
    if genre == "rfr_estime":
        return "revenu fiscal de référence estimé (absent du fichier)"
    from repere.droits.prestations import PAR_CODE

    return f"{PAR_CODE[code].libelle} : {_MOTIFS[genre]}"


@dataclass
class LotCalcule:
    index: int
    table: pa.Table | None = None  # sorted by decreasing priority; what a part holds (sortie.contenu_de)
    anomalies: list[Anomalie] = field(default_factory=list)
    menages_lus: int = 0
    calcules: int = 0  # rows of ``table`` (kept when the computing process wrote the table itself)
    duree: float = 0.0
    duree_lecture: float = 0.0
    pid: int = 0
    synthese: dict | None = None  # the chunk's figures for the report (rapport.Synthese.en_dict)


def ligne_resultat(id_menage: str, menage, resultat) -> tuple:
    """One output row (``sortie.SCHEMA_PART`` order) from the engine's result for one household."""
    motifs: list[str] = []
    par_code = {p.code: p for p in resultat.prestations}
    priorite = 0.0
    nb_non_recours = 0
    cellules: list = []
    for code in CODES:
        p = par_code.get(code)
        if p is None:  # benefit not screened in this run
            cellules += [None, None, None, None]
            continue
        estime = round(float(p.montant_mensuel), 2)
        percu = round(float(p.recu or 0.0), 2)
        ecart = round(estime - percu, 2)
        non_recours = p.a_demander  # the one definition (repere.droits.a_demander)
        if non_recours:
            nb_non_recours += 1
            motifs.append(motif("nr", code))
        elif percu > 0 and estime == 0 and p.eligible == "non":
            motifs.append(motif("percu_non_estime", code))
        elif percu > 0 and ecart > max(SEUIL_ECART, 0.1 * estime):
            motifs.append(motif("ecart", code))
        if p.eligible == "incertain":
            motifs.append(motif("incertain", code))
        priorite += float(part_de_priorite(code, ecart))
        cellules += [estime, percu, ecart, non_recours]
    if menage.revenu_fiscal_reference_n2 is None:
        motifs.append(motif("rfr_estime"))
    return (
        id_menage,
        menage.commune,
        len(menage.personnes),
        round(priorite, 2),
        nb_non_recours,
        SEPARATEUR_MOTIFS.join(motifs),
        *cellules,
    )


def table_tableaux(ids, communes, nb_personnes, tableaux) -> pa.Table:
    """The output rows of a chunk as an Arrow table (``sortie.SCHEMA_PART``), sorted by decreasing
    priority (stable), from the engine's batch arrays (``repere.droits.lot.ResultatsLot``): the same
    rules as ``ligne_resultat``, column by column, no Python object per household."""
    from repere.droits.lot import INCERTAIN, NON

    n = len(ids)
    priorite = np.zeros(n)
    nb_non_recours = np.zeros(n, dtype=np.int64)
    colonnes: list = []
    motifs: list = []  # string arrays, null where the household has no such reason
    vide_f = pa.nulls(n, pa.float64())
    vide_b = pa.nulls(n, pa.bool_())
    for code in CODES:
        if code not in tableaux.codes:  # benefit not screened in this run
            colonnes += [vide_f, vide_f, vide_f, vide_b]
            continue
        k = tableaux.colonne(code)
        estime = np.round(tableaux.montant_mensuel[:, k], 2)
        percu = np.round(tableaux.recu[:, k], 2)
        ecart = np.round(estime - percu, 2)
        eligible = tableaux.eligible[:, k]
        non_recours = tableaux.a_demander[:, k]  # the one definition (repere.droits.a_demander)
        percu_non_estime = ~non_recours & (percu > 0) & (estime == 0) & (eligible == NON)
        ecart_fort = ~non_recours & ~percu_non_estime & (percu > 0) & (ecart > np.maximum(SEUIL_ECART, 0.1 * estime))
        nb_non_recours += non_recours
        if (non_recours | percu_non_estime | ecart_fort).any():
            motifs.append(
                _ou_sinon(
                    non_recours,
                    motif("nr", code),
                    _ou_sinon(
                        percu_non_estime, motif("percu_non_estime", code), _ou_sinon(ecart_fort, motif("ecart", code))
                    ),
                )
            )
        incertain = eligible == INCERTAIN
        if incertain.any():
            motifs.append(_ou_sinon(incertain, motif("incertain", code)))
        priorite += part_de_priorite(code, ecart)
        colonnes += [pa.array(estime), pa.array(percu), pa.array(ecart), pa.array(non_recours)]
    rfr = np.asarray(tableaux.rfr_estime, dtype=bool)
    if rfr.any():
        motifs.append(_ou_sinon(rfr, motif("rfr_estime")))
    # Each reason carries its separator after it, absent ones are "": joined, the last separator cut off.
    if motifs:
        joint = pc.binary_join_element_wise(*motifs, "", null_handling="replace", null_replacement="")
        texte_motifs = pc.utf8_rtrim(joint, SEPARATEUR_MOTIFS)
    else:
        texte_motifs = pa.array([""] * n, pa.string())
    table = pa.Table.from_arrays(
        [
            pa.array(ids, pa.string()),
            pa.array(communes, pa.string()),
            pa.array(nb_personnes, pa.int16()),
            pa.array(np.round(priorite, 2)),
            pa.array(nb_non_recours, pa.int16()),
            texte_motifs,
            *colonnes,
        ],
        schema=SCHEMA_PART,
    )
    return table


def _ou_sinon(masque: np.ndarray, texte: str, sinon=None):
    """The reason ``texte`` followed by the separator where ``masque`` holds, ``sinon`` elsewhere (default: "")."""
    autre = pa.scalar("", pa.string()) if sinon is None else sinon
    return pc.if_else(pa.array(masque, pa.bool_()), pa.scalar(texte + SEPARATEUR_MOTIFS, pa.string()), autre)


def trier(table: pa.Table) -> pa.Table:
    """By decreasing priority; equal priorities keep their order in the file (stable sort)."""
    ordre = np.argsort(-table.column("priorite_mensuelle").to_numpy(), kind="stable")
    return table.take(pa.array(ordre))


def _fixer_codes_communes(codes: frozenset[str] | None) -> None:
    """Give this process the commune codes read by the main process (a Dask worker may have no database).

    ``repere.droits.menage.codes_communes`` caches the codes per process; the file was already checked
    line by line against the same set in the reading process.
    """
    if codes is None:
        return
    from repere.droits import menage as module_menage

    with module_menage._verrou:
        module_menage._cache_communes.update(codes=codes, quand=time.monotonic())


def traiter_lot(
    index: int, menages_bruts: list[MenageBrut], anomalies_lecture: list[Anomalie], **options
) -> LotCalcule:
    """One chunk read line by line in the main process (XLSX, or a CSV with quoted cells); ``options``:
    those of ``traiter_bloc``."""
    from repere.depistage.colonnaire import Bloc

    return traiter_bloc(index, Bloc.de_bruts(menages_bruts), anomalies_lecture, **options)


def traiter_partition(
    partition,
    fichier,
    *,
    mois: str,
    prestations: tuple[str, ...] | None,
    mode: str,
    codes_communes: frozenset[str] | None = None,
    contenu: str = "colonnes",
    travail: str | None = None,
) -> LotCalcule:
    """One partition of the file, read by this process itself (``partitions.lire_partition``), computed,
    and — with ``travail`` (a directory this process can write) — written there as the chunk's part and
    rejected lines, so that only the counts go back to the main process (otherwise the part's content,
    ``contenu``, goes back)."""
    from repere.depistage import partitions

    debut = time.perf_counter()
    bloc, anomalies = partitions.lire_partition(partition, fichier, codes_communes=codes_communes)
    lot = traiter_bloc(
        partition.index,
        bloc,
        anomalies,
        mois=mois,
        prestations=prestations,
        mode=mode,
        codes_communes=codes_communes,
        contenu=contenu,
    )
    lot.duree_lecture = time.perf_counter() - debut - lot.duree
    if travail is not None:
        from repere.depistage.execution import ecrire_resultats_lot

        ecrire_resultats_lot(Path(travail), lot)
        lot.table = None
    return lot


def traiter_bloc(
    index: int,
    bloc,
    anomalies_lecture: list[Anomalie],
    *,
    mois: str,
    prestations: tuple[str, ...] | None,
    mode: str,
    codes_communes: frozenset[str] | None = None,
    contenu: str = "colonnes",
) -> LotCalcule:
    """Validate the chunk by column (``colonnaire.lire_bloc``), report the rejected households line by
    line through the model (``construire_menage``), compute the valid ones in one OpenFisca simulation
    built from the columns, and return their rows sorted by priority, as the part of content ``contenu``
    (``sortie.contenu_de``: the typed columns, or the CSV text formatted here), with the chunk's figures
    for the report (``lot.synthese``)."""
    from repere.depistage.colonnaire import lire_bloc
    from repere.droits.lot import simuler_lot_tableaux

    debut = time.perf_counter()
    regler_pour_les_tableaux()  # a Dask worker restarted by its nanny has not run preparer_calcul
    _fixer_codes_communes(codes_communes)
    lot = LotCalcule(index=index, anomalies=list(anomalies_lecture), menages_lus=len(bloc), pid=os.getpid())
    lecture = lire_bloc(bloc, mois=mois)
    tables = []
    if lecture.colonnes is not None:
        c = lecture.colonnes
        try:
            tableaux = simuler_lot_tableaux(c, prestations=prestations, mode=mode)
        except MemoryError:
            raise  # the job's memory limit (utils/limites.py): the job stops, not household after household
        except Exception:  # noqa: BLE001 - isolate the household(s) the engine cannot compute
            gardes = set(lecture.ids)
            bruts = [bloc.brut(k) for k, ident in enumerate(bloc.ids) if ident in gardes]
            tables.append(
                _un_par_un(
                    lecture.ids,
                    list(_menages_de(bruts, gardes, mois)),
                    lot,
                    {b.id_menage: b.lignes[0][0] for b in bruts},
                    prestations=prestations,
                    mode=mode,
                )
            )
        else:
            tables.append(table_tableaux(lecture.ids, c.commune, c.nb_personnes, tableaux))
        liberer_simulations()
    # Suspect households: the model gives the detailed messages (or finds the household valid after all).
    rattrapes, ids_rattrapes, premieres = [], [], {}
    for brut in lecture.suspects:
        menage, anomalies = construire_menage(brut, mois=mois)
        if menage is None:
            lot.anomalies.extend(anomalies)
        else:
            rattrapes.append(menage)
            ids_rattrapes.append(brut.id_menage)
            premieres[brut.id_menage] = brut.lignes[0][0]
    if rattrapes:
        tables.append(_un_par_un(ids_rattrapes, rattrapes, lot, premieres, prestations=prestations, mode=mode))
    table = trier(pa.concat_tables(tables)) if tables else SCHEMA_PART.empty_table()
    synthese = Synthese(codes=CODES)
    synthese.ajouter_table(table)
    lot.synthese = synthese.en_dict()
    lot.table = contenu_de(table, contenu)
    lot.calcules = table.num_rows
    lot.duree = time.perf_counter() - debut
    return lot


def _menages_de(bruts: list[MenageBrut], ids: set[str], mois: str):
    for brut in bruts:
        if brut.id_menage in ids:
            menage, _ = construire_menage(brut, mois=mois)
            if menage is not None:
                yield menage


def _un_par_un(ids, valides, lot: LotCalcule, premieres: dict[str, int], *, prestations, mode) -> pa.Table:
    """Compute households one by one from their ``Menage`` (same results: the engine computes each
    household independently) and report the ones that fail, so that one odd household does not stop
    the file."""
    from repere.droits.lot import simuler_lot_tableaux

    tables = []
    for ident, menage in zip(ids, valides, strict=True):
        try:
            tableaux = simuler_lot_tableaux([menage], prestations=prestations, mode=mode)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001
            lot.anomalies.append(
                Anomalie(
                    premieres.get(ident, 0),
                    "",
                    f"le moteur de calcul n'a pas pu simuler ce ménage ({type(exc).__name__}) : "
                    "vérifiez sa situation dans le simulateur",
                    ident,
                )
            )
        else:
            tables.append(table_tableaux([ident], [menage.commune], [len(menage.personnes)], tableaux))
    return pa.concat_tables(tables) if tables else SCHEMA_PART.empty_table()


def liberer_simulations() -> None:
    """Free the chunk's OpenFisca simulations now. They are reference cycles (simulation <-> populations <->
    holders), which reference counting never frees: without this they waited for Python's next full
    collection, and a computing process held the arrays of several chunks (2 GiB per process at 1,000,000
    households with chunks of 25,000, instead of one chunk's ~0.4 GiB: docs/performance.md, session 5).
    Cheap once the tax-benefit system is frozen out of the collector's sight (``preparer_calcul``):
    ~10 ms per chunk of 25,000 households, against ~130 ms when the collector still traverses it."""
    import gc

    gc.collect()


def preparer_calcul(mois: str, prestations: tuple[str, ...] | None, mode: str) -> int:
    """Everything a computing process needs before its first chunk, done once (before forking the local
    workers, in which case they inherit it; on each Dask worker otherwise): the tax-benefit system built,
    one household of the run's month computed (OpenFisca caches the parameters per instant), then all of it
    frozen out of the collector's sight so that the collection after each chunk (``liberer_simulations``)
    only traverses that chunk's objects. The C allocator is set for arrays first (``utils.allocateur``: a
    Dask worker otherwise computes 1.5 to 2 times slower)."""
    import gc

    regler_pour_les_tableaux()
    prechauffer_processus()
    chauffer_mois(mois, prestations, mode)
    gc.collect()
    gc.freeze()
    return os.getpid()


def chauffer_mois(mois: str, prestations: tuple[str, ...] | None, mode: str) -> None:
    """One household of the run's month through the batch path: the parameter values OpenFisca caches per
    instant are computed once here (and inherited by forked workers)."""
    import contextlib

    from repere.droits.lot import simuler_lot_tableaux
    from repere.droits.moteur import menage_exemple

    with contextlib.suppress(Exception):  # warming is best effort; the chunks are computed anyway
        simuler_lot_tableaux([menage_exemple(mois)], prestations=prestations, mode=mode)


def prechauffer_processus() -> int:
    """Initialiser of a computing process (local pool or Dask worker): build the tax-benefit system
    once, up front, then move it out of the garbage collector's sight (``gc.freeze``): the engine
    collects after each chunk, and traversing the ~million objects of the system each time costs."""
    import gc

    from repere.droits.moteur import systeme

    systeme()
    gc.collect()
    gc.freeze()
    return os.getpid()
