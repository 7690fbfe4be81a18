"""The screening run: read the file in chunks of whole households, compute them (in this process, in
a pool of local processes, or on a Dask cluster), persist each chunk, resume after a crash, then merge
the chunks into one output sorted by priority, the rejected lines and the summary report.

Crash safety: each computed chunk is written to ``<travail>/lot_NNNNNN.arrow`` (+ its rejected
lines) under a temporary name then renamed, and only then recorded in ``<travail>/etat.json``
(also replaced atomically). Chunk boundaries depend only on the file and the options, so a resumed
run skips exactly the chunks recorded as done and recomputes the others: no household is lost or
duplicated. Final files are published by rename; the working directory is deleted at the end.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from repere.depistage import lecture, partitions, sortie
from repere.depistage.assemblage import Anomalie, MenageBrut, grouper, lire_mois
from repere.depistage.calcul import LotCalcule, preparer_calcul, traiter_lot, traiter_partition
from repere.depistage.colonnes import reconnaitre_entetes
from repere.depistage.rapport import Synthese, ecrire_rapport

VERSION_ETAT = 4  # 4: parts are Arrow IPC files holding what the output needs (sortie.contenu_part)
DELAI_CONNEXION_DASK = "20s"
TAILLE_LOT_DEFAUT = 25_000  # households per OpenFisca simulation, chosen by measure (docs/performance.md)


class ErreurDepistage(Exception):
    """The run cannot start or go on (unreadable file, bad options, resume impossible): French message."""


@dataclass
class Options:
    taille_lot: int = TAILLE_LOT_DEFAUT
    mois: str | None = None
    prestations: tuple[str, ...] | None = None
    mode: str = "complet"  # every benefit of the catalogue ("rapide": the main ones only)
    processus: int = 1  # 0: one per core
    dask: str | None = None  # scheduler address, e.g. tcp://10.0.0.5:8786
    reprendre: bool = False
    garder_travail: bool = False
    # Live progress: at least this many chunks (smaller chunks on small files, never below LOT_PLANCHER
    # households), so that the progress bar moves chunk by chunk instead of jumping from 0 % to done.
    lots_minimum: int = 0
    # Read the file line by line in the main process, as before the partitions (the reference; the
    # benchmark compares both). Otherwise it is read so only for XLSX and CSV files with quoted cells.
    lecture_par_lignes: bool = False


LOT_PLANCHER = 100


def taille_lot_effective(options: Options, total: int) -> int:
    if not options.lots_minimum or total <= 0:
        return options.taille_lot
    return min(options.taille_lot, max(LOT_PLANCHER, -(-total // options.lots_minimum)))


@dataclass
class Bilan:
    menages_total: int = 0
    menages_calcules: int = 0
    menages_rejetes: int = 0
    lignes_rejetees: int = 0
    anomalies: int = 0
    lots: int = 0
    lots_repris: int = 0
    duree: float = 0.0
    non_recours: int = 0
    menages_droit: int = 0
    menages_percu: int = 0
    montant_mensuel_en_jeu: float = 0.0
    colonnes_ignorees: list[str] = field(default_factory=list)
    sortie: str = ""
    erreurs: str = ""
    rapport: str = ""

    def en_dict(self) -> dict:
        return asdict(self)


Progression = Callable[[str, int, int], None]  # (étape, ménages faits, ménages au total)


def _rien(etape: str, faits: int, total: int) -> None:
    return None


# --- reading -------------------------------------------------------------------------------------


def codes_communes_connus() -> frozenset[str] | None:
    from repere.droits.menage import codes_communes

    return codes_communes()


def _ouvrir(entree: Path):
    """Open the source and check its header (raises ErreurFichier)."""
    ctx = lecture.ouvrir(entree)
    source = ctx.__enter__()
    positions, inconnues, erreurs = reconnaitre_entetes(source.entetes)
    if erreurs:
        ctx.__exit__(None, None, None)
        raise lecture.ErreurFichier("Ligne 1 (en-tête) : " + " ; ".join(erreurs) + ".")
    return ctx, source, positions, inconnues


def compter_menages(entree: Path) -> int:
    """Number of households (runs of lines with the same non-empty id); a quick first pass."""
    ctx, source, positions, _ = _ouvrir(entree)
    try:
        pos = positions["id_menage"]
        total, precedent = 0, None
        for _numero, cellules in source.lignes():
            if cellules is None:
                continue
            ident = cellules[pos].strip() if pos < len(cellules) else ""
            if ident and ident != precedent:
                total += 1
            precedent = ident or precedent
        return total
    finally:
        ctx.__exit__(None, None, None)


def decouper(
    flux: Iterator[MenageBrut | Anomalie], taille_lot: int
) -> Iterator[tuple[int, list[MenageBrut], list[Anomalie]]]:
    """Chunks of ``taille_lot`` whole households; reading anomalies go with the chunk where they occur."""
    index, menages, anomalies = 0, [], []
    for element in flux:
        if isinstance(element, Anomalie):
            anomalies.append(element)
            continue
        menages.append(element)
        if len(menages) >= taille_lot:
            yield index, menages, anomalies
            index, menages, anomalies = index + 1, [], []
    if menages or anomalies or index == 0:
        yield index, menages, anomalies


# --- checkpoint ----------------------------------------------------------------------------------


def empreinte(entree: Path, options: Options, *, contenu: str) -> dict:
    stat = entree.stat()
    h = hashlib.sha256()
    with open(entree, "rb") as f:
        h.update(f.read(1 << 20))
        if stat.st_size > 2 << 20:
            f.seek(-(1 << 20), os.SEEK_END)
            h.update(f.read(1 << 20))
    return {
        "version": VERSION_ETAT,
        "taille": stat.st_size,
        "modifie": stat.st_mtime_ns,
        "sha256_debut_fin": h.hexdigest(),
        "taille_lot": options.taille_lot,
        "lots_minimum": options.lots_minimum,
        "lecture_par_lignes": options.lecture_par_lignes,
        "mois": options.mois,
        "mode": options.mode,
        "prestations": list(options.prestations) if options.prestations else None,
        "parts": contenu,
    }


def _ecrire_json(chemin: Path, donnees: dict) -> None:
    tmp = chemin.with_name(chemin.name + ".partiel")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(donnees, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, chemin)


class Etat:
    """``etat.json`` in the working directory: the chunks done and their counts."""

    def __init__(self, travail: Path, empreinte: dict):
        self.travail = travail
        self.chemin = travail / "etat.json"
        self.empreinte = empreinte
        self.lots: dict[str, dict] = {}
        self.total_menages: int | None = None
        self.plan: list[dict] | None = None  # the partitions (partitions.planifier), once planned

    @classmethod
    def charger(cls, travail: Path, empreinte: dict, *, reprendre: bool) -> Etat:
        etat = cls(travail, empreinte)
        if reprendre and etat.chemin.exists():
            donnees = json.loads(etat.chemin.read_text(encoding="utf-8"))
            if donnees.get("empreinte") != empreinte:
                raise ErreurDepistage(
                    "Reprise impossible : le fichier ou les options ont changé depuis le début du traitement "
                    "(relancez sans --reprendre pour tout recommencer)."
                )
            etat.total_menages = donnees.get("total_menages")
            etat.plan = donnees.get("plan")
            etat.lots = {
                k: v
                for k, v in donnees.get("lots", {}).items()
                if (travail / _nom_part(int(k))).exists() and (travail / _nom_anomalies(int(k))).exists()
            }
        else:
            if travail.exists():
                shutil.rmtree(travail)
            travail.mkdir(parents=True, mode=0o700)  # personal data: the owner only
            travail.chmod(0o700)  # whatever the umask
            etat.sauver()
        return etat

    def sauver(self) -> None:
        _ecrire_json(
            self.chemin,
            {"empreinte": self.empreinte, "total_menages": self.total_menages, "plan": self.plan, "lots": self.lots},
        )

    def termine(self, lot: LotCalcule) -> None:
        self.lots[str(lot.index)] = {
            "menages_lus": lot.menages_lus,
            "calcules": lot.calcules,
            "anomalies": len(lot.anomalies),
            "lignes_rejetees": len({a.ligne for a in lot.anomalies}),
            "menages_rejetes": lot.menages_lus - lot.calcules,
            "synthese": lot.synthese,
        }
        self.sauver()


def _nom_part(index: int) -> str:
    return f"lot_{index:06d}.arrow"


def _nom_anomalies(index: int) -> str:
    return f"lot_{index:06d}.anomalies.csv"


def ecrire_resultats_lot(travail: Path, lot: LotCalcule) -> None:
    """The chunk's part and rejected lines (each written under a temporary name, then renamed)."""
    sortie.ecrire_part(travail / _nom_part(lot.index), lot.table)
    sortie.ecrire_anomalies_part(travail / _nom_anomalies(lot.index), lot.anomalies)


def enregistrer_lot(travail: Path, etat: Etat, lot: LotCalcule) -> None:
    """Record a computed chunk; its files are written first (here, or by the computing process)."""
    if lot.table is not None:
        ecrire_resultats_lot(travail, lot)
    etat.termine(lot)


# --- executors -----------------------------------------------------------------------------------


def _en_vol_borne(soumettre, attendre, lots, max_en_vol: int):
    en_vol = set()
    for lot in lots:
        en_vol.add(soumettre(lot))
        while len(en_vol) >= max_en_vol:
            faits, en_vol = attendre(en_vol)
            yield from faits
    while en_vol:
        faits, en_vol = attendre(en_vol)
        yield from faits


def executer_local(lots, kwargs: dict, processus: int) -> Iterator[LotCalcule]:
    """Chunks read by this process (line by line), computed here or in forked processes."""
    if processus <= 1:
        _preparer(kwargs)
        for index, menages, anomalies in lots:
            yield traiter_lot(index, menages, anomalies, **kwargs)
        return

    def soumettre(pool, lot):
        index, menages, anomalies = lot
        return pool.submit(traiter_lot, index, menages, anomalies, **kwargs)

    yield from _dans_un_pool(lots, soumettre, kwargs, processus)


def executer_partitions(plan, fichier, kwargs: dict, processus: int, travail: Path) -> Iterator[LotCalcule]:
    """Partitions read, computed and written by the computing processes themselves (shared nothing):
    only the plan goes to them and only the counts come back."""
    kwargs = {**kwargs, "travail": str(travail)}
    if processus <= 1:
        if plan:
            _preparer(kwargs)
        for partition in plan:
            yield traiter_partition(partition, fichier, **kwargs)
        return

    def soumettre(pool, partition):
        return pool.submit(traiter_partition, partition, fichier, **kwargs)

    yield from _dans_un_pool(plan, soumettre, kwargs, processus)


def _dans_un_pool(taches, soumettre, kwargs: dict, processus: int) -> Iterator[LotCalcule]:
    import multiprocessing

    # Fork after building the tax-benefit system here: the workers inherit it (copy-on-write, frozen
    # out of the collector's sight) instead of each rebuilding it at full cost.
    _preparer(kwargs)
    contexte = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processus, mp_context=contexte) as pool:

        def attendre(en_vol):
            faits, restants = wait(en_vol, return_when=FIRST_COMPLETED)
            return [f.result() for f in faits], restants

        yield from _en_vol_borne(lambda t: soumettre(pool, t), attendre, taches, processus + 1)


def _preparer(kwargs: dict) -> int:
    """``calcul.preparer_calcul`` for the run's month, benefits and mode."""
    return preparer_calcul(kwargs["mois"], kwargs["prestations"], kwargs["mode"])


def travail_visible(client, travail: Path) -> bool:
    """True when every worker of the cluster sees the working directory (workers on this machine, or the
    directory on storage they share): a file written here is looked for by each worker."""
    sonde = travail / f".sonde-{os.urandom(4).hex()}"
    sonde.write_bytes(b"")
    try:
        vus = client.run(os.path.isfile, str(sonde))
    finally:
        sonde.unlink(missing_ok=True)
    return bool(vus) and all(vus.values())


def executer_dask(taches, kwargs: dict, adresse, *, fichier=None, travail: Path | None = None) -> Iterator[LotCalcule]:
    """On a Dask distributed cluster: ``adresse`` is a scheduler address or a ``distributed.Client``.

    With ``fichier`` (a plan of partitions), each task is one partition that the worker reads itself
    from the file (the same path on every machine: shared storage); only the plan goes through the
    scheduler. When every worker also sees the working directory ``travail`` (``travail_visible``), each
    writes its chunk's part and rejected lines there itself and only the counts come back, as with local
    processes; otherwise the part's content comes back to be recorded here. A worker that dies (killed, out of memory, machine lost) has its tasks rescheduled by Dask on the
    others; a chunk is recorded once, under its index, so nothing is lost or counted twice."""
    from distributed import Client, as_completed

    if isinstance(adresse, Client):
        client = adresse
    else:
        try:
            client = Client(adresse, timeout=DELAI_CONNEXION_DASK)
        except (OSError, TimeoutError) as exc:
            cause = "délai dépassé" if isinstance(exc, TimeoutError) or "Timed out" in str(exc) else "connexion refusée"
            raise ErreurDepistage(
                f"Impossible de joindre l'ordonnanceur Dask « {adresse} » ({cause}) : vérifiez l'adresse "
                "(tcp://hôte:8786) et que l'ordonnanceur est démarré."
            ) from None
        except ValueError:
            raise ErreurDepistage(
                f"Adresse d'ordonnanceur Dask « {adresse} » illisible : écrivez-la tcp://hôte:port (par exemple "
                "tcp://10.0.0.5:8786)."
            ) from None
    try:
        # each worker builds the tax-benefit system once, computes the month's parameters, freezes them
        client.run(preparer_calcul, kwargs["mois"], kwargs["prestations"], kwargs["mode"])
        nb_workers = max(1, len(client.scheduler_info().get("workers", {})))
        if kwargs.get("codes_communes") is not None:
            # scatter() would split a set into one future per element: wrap it in a one-item list.
            [codes] = client.scatter([kwargs["codes_communes"]], broadcast=True)
            kwargs = {**kwargs, "codes_communes": codes}
        if fichier is not None and travail is not None and travail_visible(client, travail):
            kwargs = {**kwargs, "travail": str(travail)}
        # results gathered by as_completed itself, on the client's event loop: after a worker is lost, a
        # result gathered by Future.result() from this thread could fail (a distributed event bound to the
        # other loop) where as_completed's own gathering reschedules and waits
        en_cours = as_completed(with_results=True)
        jeton = os.urandom(4).hex()

        def terminer_un():
            future, resultat = next(en_cours)
            future.release()
            return resultat

        for tache in taches:
            if fichier is not None:
                cle = f"depistage-{jeton}-{tache.index}"
                future = client.submit(traiter_partition, tache, fichier, key=cle, **kwargs)
            else:
                index, menages, anomalies = tache
                future = client.submit(
                    traiter_lot, index, menages, anomalies, key=f"depistage-{jeton}-{index}", **kwargs
                )
            en_cours.add(future)
            while en_cours.count() >= nb_workers + 1:
                yield terminer_un()
        while en_cours.count():
            yield terminer_un()
    finally:
        if not isinstance(adresse, Client):
            client.close()


# --- the run -------------------------------------------------------------------------------------


def _planifier(fichier: partitions.Fichier, options: Options) -> list[partitions.Partition] | None:
    """The partitions of the file (None: read it line by line); with ``lots_minimum``, a first pass counts
    the households so that the chunks are small enough to show progress."""
    taille = options.taille_lot
    if options.lots_minimum:
        compte = partitions.planifier(fichier, taille_lot=1 << 62)
        if compte is None:
            return None
        taille = taille_lot_effective(options, sum(p.menages for p in compte))
    return partitions.planifier(fichier, taille_lot=taille)


def _avec_rangs(blocs: Iterator[pa.Table]) -> Iterator[pa.Table]:
    """The merged blocks with their rank (1 for the highest priority) as first column."""
    rang = 1
    for bloc in blocs:
        yield bloc.add_column(0, "rang", pa.array(np.arange(rang, rang + bloc.num_rows, dtype=np.int64)))
        rang += bloc.num_rows


def chemins_par_defaut(sortie_chemin: Path) -> tuple[Path, Path]:
    base = sortie_chemin.with_suffix("")
    return base.with_name(base.name + "-lignes-rejetees" + sortie_chemin.suffix), sortie_chemin.with_name(
        f".{sortie_chemin.name}.travail"
    )


def depister(
    *,
    entree: Path | str,
    sortie_chemin: Path | str,
    rapport: Path | str | None = None,
    erreurs: Path | str | None = None,
    travail: Path | str | None = None,
    options: Options | None = None,
    progression: Progression = _rien,
    noms_communes: Callable[[list[str]], dict[str, str]] | None = None,
    titre: str = "",
) -> Bilan:
    options = options or Options()
    entree, sortie_chemin = Path(entree), Path(sortie_chemin)
    lecture.verifier_chemin(entree)
    sortie.format_sortie(sortie_chemin)
    if rapport and Path(rapport).suffix.lower() not in (".html", ".htm"):
        raise ErreurDepistage(f"Rapport « {Path(rapport).name} » : le rapport est une page HTML (.html).")
    erreurs_defaut, travail_defaut = chemins_par_defaut(sortie_chemin)
    erreurs = Path(erreurs) if erreurs else erreurs_defaut
    travail = Path(travail) if travail else travail_defaut
    if options.taille_lot < 1:
        raise ErreurDepistage("La taille des lots doit être d'au moins 1 ménage.")
    if options.processus < 0:
        raise ErreurDepistage(f"Nombre de processus « {options.processus} » : 0 (un par cœur) ou plus.")
    try:
        options.mois = lire_mois(options.mois)
    except ValueError as exc:
        raise ErreurDepistage(str(exc)) from None
    if options.prestations:
        from repere.droits.prestations import PAR_CODE

        inconnues = [c for c in options.prestations if c not in PAR_CODE]
        if inconnues:
            raise ErreurDepistage(f"Prestation inconnue : {', '.join(inconnues)} (connues : {', '.join(PAR_CODE)}).")
    debut = time.perf_counter()
    bilan = Bilan(sortie=str(sortie_chemin), erreurs=str(erreurs), rapport=str(rapport or ""))

    contenu = sortie.contenu_part(sortie_chemin)
    etat = Etat.charger(travail, empreinte(entree, options, contenu=contenu), reprendre=options.reprendre)
    codes = codes_communes_connus()
    kwargs = {
        "mois": options.mois,
        "prestations": options.prestations,
        "mode": options.mode,
        "codes_communes": codes,
        "contenu": contenu,
    }
    ctx, source, positions, inconnues = _ouvrir(entree)
    bilan.colonnes_ignorees = inconnues
    indices: list[int] = []
    try:
        fichier = partitions.Fichier.depuis_source(chemin=entree.resolve(), source=source, positions=positions)
        if etat.total_menages is None:
            progression("comptage", 0, 0)
            plan = None if options.lecture_par_lignes else _planifier(fichier, options)
            etat.plan = [p.en_dict() for p in plan] if plan is not None else None
            etat.total_menages = sum(p.menages for p in plan) if plan is not None else compter_menages(entree)
            etat.sauver()
        total = bilan.menages_total = etat.total_menages
        faits = sum(v["menages_lus"] for v in etat.lots.values())
        bilan.lots_repris = len(etat.lots)
        progression("calcul", faits, total)
        processus = options.processus or os.cpu_count() or 1
        if etat.plan is not None:
            plan = [partitions.Partition(**p) for p in etat.plan]
            indices = [p.index for p in plan]
            a_faire = [p for p in plan if str(p.index) not in etat.lots]
            if options.dask:
                executions = executer_dask(a_faire, kwargs, options.dask, fichier=fichier, travail=travail)
            else:
                executions = executer_partitions(a_faire, fichier, kwargs, processus, travail)
        else:
            largeur = len(source.entetes) if source.format == "csv" else None
            flux = grouper(source.lignes(), positions, codes_communes=codes, largeur_entete=largeur)

            def a_faire_lignes():
                for index, menages, anomalies in decouper(flux, taille_lot_effective(options, total)):
                    indices.append(index)
                    if str(index) not in etat.lots:
                        yield index, menages, anomalies

            if options.dask:
                executions = executer_dask(a_faire_lignes(), kwargs, options.dask)
            else:
                executions = executer_local(a_faire_lignes(), kwargs, processus)
        for lot in executions:
            enregistrer_lot(travail, etat, lot)
            faits += lot.menages_lus
            progression("calcul", faits, total)
    except lecture.ErreurFichier:
        raise
    finally:
        ctx.__exit__(None, None, None)

    # Merge: every chunk of the file must be there (the ones computed now and the resumed ones).
    manquants = [i for i in indices if str(i) not in etat.lots]
    if manquants:
        raise ErreurDepistage(f"{len(manquants)} lot(s) n'ont pas été calculés ; relancez avec --reprendre.")
    progression("fusion", faits, total)
    synthese = Synthese(codes=sortie.CODES)
    for i in indices:  # in the chunks' order: the same sums whatever the order they were computed in
        synthese.ajouter_synthese(etat.lots[str(i)]["synthese"])
    ecrivain = sortie.ecrivain_resultats(sortie_chemin)
    try:
        parts = [(i, travail / _nom_part(i)) for i in indices]
        sortie.ecrire_en_file(ecrivain, _avec_rangs(sortie.fusionner_tables(parts, travail=travail)))
        ecrivain.fermer()
    except BaseException:
        ecrivain.abandonner()
        raise
    ecrivain_err = sortie.ecrivain_anomalies(erreurs)
    try:
        for ligne in sortie.lire_anomalies([travail / _nom_anomalies(i) for i in indices]):
            ecrivain_err.ecrire(ligne)
        ecrivain_err.fermer()
    except BaseException:
        ecrivain_err.abandonner()
        raise

    for v in etat.lots.values():
        bilan.menages_calcules += v["calcules"]
        bilan.anomalies += v["anomalies"]
        bilan.lignes_rejetees += v["lignes_rejetees"]
        bilan.menages_rejetes += v["menages_rejetes"]
    bilan.lots = len(indices)
    bilan.non_recours = synthese.menages_non_recours
    bilan.menages_droit = synthese.menages_droit
    bilan.menages_percu = synthese.menages_percu
    bilan.montant_mensuel_en_jeu = round(synthese.montant_total, 2)
    bilan.duree = time.perf_counter() - debut
    if rapport:
        noms = noms_communes(list(synthese.par_commune)) if noms_communes else {}
        ecrire_rapport(Path(rapport), synthese=synthese, bilan=bilan, options=options, noms_communes=noms, titre=titre)
    if not options.garder_travail:
        shutil.rmtree(travail, ignore_errors=True)
    progression("termine", faits, total)
    return bilan
