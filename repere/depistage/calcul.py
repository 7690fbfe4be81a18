"""What runs on a computing process (local process or Dask worker): one chunk of whole households.

``traiter_lot`` builds the households of the chunk with the shared model, calls the shared engine's
batch path ``repere.droits.lot.simuler_lot_tableaux`` once for the chunk (amounts and eligibility as
arrays, the very arrays ``simuler_lot`` / ``simuler`` build their results on) and turns them into
output rows column by column (``lignes_tableaux``). The rules are never re-implemented here;
``ligne_resultat`` gives the same row from one ``ResultatSimulation`` (used by the tests to check that
a household screened in a batch gets exactly what ``simuler`` gives it alone).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import numpy as np

from repere.depistage.assemblage import Anomalie, MenageBrut, construire_menage
from repere.depistage.sortie import CODES

# Benefits whose "amount" is not money paid to the household (CSS with participation: what the
# person pays). They can be flagged as probable non-take-up but do not count in the priority.
HORS_PRIORITE = frozenset({"css_participation"})
SEUIL_ECART = 10.0  # € per month: below, a difference between received and estimated is noise


@dataclass
class LotCalcule:
    index: int
    lignes: list[tuple] = field(default_factory=list)
    anomalies: list[Anomalie] = field(default_factory=list)
    menages_lus: int = 0
    duree: float = 0.0
    pid: int = 0


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
            motifs.append(f"NR_{code.upper()}")
        elif percu > 0 and estime == 0 and p.eligible == "non":
            motifs.append(f"PERCU_NON_ESTIME_{code.upper()}")
        elif percu > 0 and ecart > max(SEUIL_ECART, 0.1 * estime):
            motifs.append(f"ECART_{code.upper()}")
        if p.eligible == "incertain":
            motifs.append(f"INCERTAIN_{code.upper()}")
        if code not in HORS_PRIORITE and ecart > 0:
            priorite += ecart
        cellules += [estime, percu, ecart, non_recours]
    if menage.revenu_fiscal_reference_n2 is None:
        motifs.append("RFR_ESTIME")
    return (
        id_menage,
        menage.commune,
        len(menage.personnes),
        round(priorite, 2),
        nb_non_recours,
        " ".join(motifs),
        *cellules,
    )


def lignes_tableaux(ids: list[str], menages: list, tableaux) -> list[tuple]:
    """The output rows of a chunk (``sortie.SCHEMA_PART`` order) from the engine's batch arrays
    (``repere.droits.lot.ResultatsLot``): the same rules as ``ligne_resultat``, column by column."""
    from repere.droits.lot import INCERTAIN, NON

    n = len(menages)
    motifs: list[list[str]] = [[] for _ in range(n)]
    priorite = np.zeros(n)
    nb_non_recours = np.zeros(n, dtype=np.int64)
    colonnes: list[list] = []
    vide = [None] * n
    for code in CODES:
        if code not in tableaux.codes:  # benefit not screened in this run
            colonnes += [vide, vide, vide, vide]
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
        majuscules = code.upper()
        for masque, prefixe in ((non_recours, "NR_"), (percu_non_estime, "PERCU_NON_ESTIME_"), (ecart_fort, "ECART_")):
            motif = prefixe + majuscules
            for i in np.flatnonzero(masque).tolist():
                motifs[i].append(motif)
        for i in np.flatnonzero(eligible == INCERTAIN).tolist():
            motifs[i].append(f"INCERTAIN_{majuscules}")
        if code not in HORS_PRIORITE:
            priorite += np.where(ecart > 0, ecart, 0.0)
        colonnes += [estime.tolist(), percu.tolist(), ecart.tolist(), non_recours.tolist()]
    for i in np.flatnonzero(tableaux.rfr_estime).tolist():
        motifs[i].append("RFR_ESTIME")
    return list(
        zip(
            ids,
            [m.commune for m in menages],
            [len(m.personnes) for m in menages],
            np.round(priorite, 2).tolist(),
            nb_non_recours.tolist(),
            [" ".join(x) for x in motifs],
            *colonnes,
            strict=True,
        )
    )


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
    index: int,
    menages_bruts: list[MenageBrut],
    anomalies_lecture: list[Anomalie],
    *,
    mois: str,
    prestations: tuple[str, ...] | None,
    mode: str,
    codes_communes: frozenset[str] | None = None,
) -> LotCalcule:
    from repere.droits.lot import simuler_lot_tableaux

    debut = time.perf_counter()
    _fixer_codes_communes(codes_communes)
    lot = LotCalcule(index=index, anomalies=list(anomalies_lecture), menages_lus=len(menages_bruts), pid=os.getpid())
    ids: list[str] = []
    valides = []
    premieres: dict[str, int] = {}
    for brut in menages_bruts:
        menage, anomalies = construire_menage(brut, mois=mois)
        if menage is None:
            lot.anomalies.extend(anomalies)
        else:
            ids.append(brut.id_menage)
            valides.append(menage)
            premieres[brut.id_menage] = brut.lignes[0][0]
    if valides:
        try:
            tableaux = simuler_lot_tableaux(valides, prestations=prestations, mode=mode)
        except MemoryError:
            raise  # the job's memory limit (utils/limites.py): the job stops, not household after household
        except Exception:  # noqa: BLE001 - isolate the household(s) the engine cannot compute
            lot.lignes = _un_par_un(ids, valides, lot, premieres, prestations=prestations, mode=mode)
        else:
            lot.lignes = lignes_tableaux(ids, valides, tableaux)
    lot.duree = time.perf_counter() - debut
    return lot


def _un_par_un(ids, valides, lot: LotCalcule, premieres: dict[str, int], *, prestations, mode) -> list[tuple]:
    """The engine failed on the chunk: simulate each household alone (same results: the engine
    computes each household independently) and report the ones that fail, so that one odd household
    does not stop the file."""
    from repere.droits.lot import simuler_lot_tableaux

    lignes = []
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
            lignes += lignes_tableaux([ident], [menage], tableaux)
    return lignes


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
