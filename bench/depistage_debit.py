"""Throughput of the batch screening, end to end (read file -> validate -> compute -> ranked output + report),
next to its ceiling: plain OpenFisca-France computing the same benefits on the same households, inputs built
from columns, no validation, no output, timed in the same run.

    .venv/bin/python bench/depistage_debit.py [--menages 1000000] [--echantillon N] [--taille-lot 25000]
                                              [--sans-gros] [--sans-dask] [--sans-lignes] [--profil 50000]
                                              [--dossier var/bench-depistage]

Prints (targets of issue 15 next to each figure), by default on the issue's 1,000,000-household file (``--echantillon
N``: the comparisons on a smaller file, then the 2-process run on ``--menages``):
- the ceiling on 1 and 2 processes, the screening end to end on 1 process, 2 processes and a
  2-worker Dask LocalCluster, with the ratios (2 vs 1 process, LocalCluster vs 2 processes, screening vs ceiling);
- with ``--echantillon N``, the 2-process run on the ``--menages`` file: households/s, duration, peak memory;
- the cost of the coherent combination (Droits 3): the engine's batch path on a file of ``--combinaison``
  households (default 50,000), coherent and one-pass, same chunks, same run, and the screening's share of it;
- with ``--profil N``: the CPU profile of one process on N households, in the form of the issue's table.
A 10,000,000-household run works unattended: ``--sans-echantillon --menages 10000000`` (the file is generated once).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from memoire_processus import Echantillonneur  # noqa: E402 - bench/ is this script's directory

OBJECTIF_DEBIT = 15_000
OBJECTIF_PLAFOND = 0.70
OBJECTIF_MEMOIRE = 2.0
OBJECTIF_DEUX = 1.7
OBJECTIF_DASK = 0.85


def fichier(dossier: Path, n: int) -> Path:
    from repere.depistage import generateur

    chemin = dossier / f"menages-{n}.csv"
    if not chemin.exists():
        debut = time.perf_counter()
        generateur.ecrire_csv(chemin, n, graine=2026)
        print(f"  (fichier de {n} ménages généré en {time.perf_counter() - debut:.0f} s)", flush=True)
    return chemin


# --- the ceiling: plain OpenFisca on columns ---------------------------------------------------------------


def _colonnes_du_fichier(chemin: Path, mois: str, taille_lot: int):
    """The households of the file as engine columns, chunk by chunk (prepared before timing)."""
    from repere.depistage import lecture
    from repere.depistage.assemblage import MenageBrut, grouper
    from repere.depistage.colonnaire import lire_lot
    from repere.depistage.colonnes import reconnaitre_entetes
    from repere.depistage.execution import decouper

    lots = []
    with lecture.ouvrir(chemin) as source:
        positions, _, _ = reconnaitre_entetes(source.entetes)
        flux = (x for x in grouper(source.lignes(), positions) if isinstance(x, MenageBrut))
        for _i, bruts, _a in decouper(flux, taille_lot):
            lots.append(lire_lot(bruts, mois=mois).colonnes)
    return lots


def _plafond_lot(colonnes) -> int:
    """Plain OpenFisca: entities and inputs from the columns, then the 14 benefits of the month; the chunk's
    simulation freed at once (without it, each chunk faulted fresh pages in: 25,000 to 96,000 page faults per
    50,000 households instead of 800, and 5 to 10 % slower)."""
    from repere.depistage.calcul import liberer_simulations
    from repere.droits import lot, moteur

    structure = lot.StructureColonnes(colonnes)
    simulation = structure.simulation(moteur.systeme())
    donnees, _ = lot.entrees_colonnes(structure)
    moteur.poser(simulation, donnees)
    annee = colonnes.mois[:4]
    for code in moteur.CODES:
        for variable, _entite, quand in moteur.SORTIES[code]:
            simulation.calculate(variable, colonnes.mois if quand == "M" else annee)
    del simulation, structure, donnees
    liberer_simulations()  # as the screening does after each chunk: the next one reuses the memory
    return len(colonnes)


_LOTS_PLAFOND: list = []


def _plafond_indice(i: int) -> float:
    debut = time.process_time()
    _plafond_lot(_LOTS_PLAFOND[i])
    return time.process_time() - debut


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its children already reaped."""
    import resource

    return sum(
        r.ru_utime + r.ru_stime
        for r in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def _rien(_i: int) -> int:
    return os.getpid()


def plafond(lots, processus: int, mois: str) -> tuple[float, float]:
    """Households/s of the plain computation on ``processus`` processes, fairly: the tax-benefit system
    built and warmed on one household of the month, the columns prepared, everything frozen out of the
    collector's sight, *then* the workers forked and started (before timing), as the screening does; the
    chunks are shared out among the workers (use a sample of several chunks per worker). Returns
    (households per second, households per CPU second: what the load of a shared machine does not change)."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from repere.depistage.calcul import preparer_calcul

    preparer_calcul(mois, None, "complet")
    _LOTS_PLAFOND[:] = lots
    gc.collect()
    gc.freeze()
    total = sum(len(c) for c in lots)
    if processus == 1:
        debut, cpu = time.perf_counter(), time.process_time()
        for c in lots:
            _plafond_lot(c)
        return total / (time.perf_counter() - debut), total / (time.process_time() - cpu)
    with ProcessPoolExecutor(processus, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_rien, range(4 * processus)))  # the workers are started
        debut = time.perf_counter()
        cpu = sum(pool.map(_plafond_indice, range(len(lots))))
        return total / (time.perf_counter() - debut), total / cpu


_ENFANT = False  # True in a child of ``a_part``


def _dans_l_enfant(fonction, args, kwargs, envoi) -> None:
    global _ENFANT
    _ENFANT = True
    envoi.send(fonction(*args, **kwargs))
    envoi.close()


def a_part(fonction, *args, **kwargs):
    """``fonction(*args, **kwargs)`` in a child forked from this process, its result sent back: each measure
    starts from the same state (this process warm: system built, month computed) and none inherits the heap
    another one left (a 1-process run grows this process's heap; the next run's forked workers shared it and
    counted it in their peak memory), as a ``manage.py depister`` process starts fresh."""
    import multiprocessing

    contexte = multiprocessing.get_context("fork")
    reception, envoi = contexte.Pipe(duplex=False)
    enfant = contexte.Process(target=_dans_l_enfant, args=(fonction, args, kwargs, envoi))
    enfant.start()
    envoi.close()
    resultat = reception.recv()
    enfant.join()
    return resultat


def _plafonds(chemin: Path, mois: str, taille_lot: int):
    lots = _colonnes_du_fichier(chemin, mois, taille_lot)
    return plafond(lots, 1, mois), plafond(lots, 2, mois), len(lots), moteur_coherent(lots[:10])


def moteur_coherent(lots) -> tuple[float, float]:
    """Households per CPU second, 1 process, of the engine's batch path with the coherent combination
    (``simuler_lot_tableaux``: what the screening computes, without reading, validation or output) and of the
    ceiling, on the same chunks, interleaved, best of two each: what the combination alone costs."""
    from repere.depistage.calcul import liberer_simulations
    from repere.droits.lot import simuler_lot_tableaux

    total = sum(len(c) for c in lots)
    meilleurs = {"coherent": 0.0, "plafond": 0.0}
    for _ in range(2):
        for nom in meilleurs:
            cpu = time.process_time()
            for c in lots:
                if nom == "coherent":
                    simuler_lot_tableaux(c, mode="complet")
                    liberer_simulations()
                else:
                    _plafond_lot(c)
            meilleurs[nom] = max(meilleurs[nom], total / (time.process_time() - cpu))
    return meilleurs["coherent"], meilleurs["plafond"]


def plafonds_a_part(chemin: Path, mois: str, taille_lot: int):
    """The ceiling on 1 and 2 processes, in a child process (``a_part``: the columns of every household of the
    file are held in memory for it). Returns ((households/s, per CPU s) on 1 process, the same on 2, chunks)."""
    return a_part(_plafonds, chemin, mois, taille_lot)


def cout_combinaison(lots, menages: int) -> tuple[float, float]:
    """Households/s of the engine's batch path (``simuler_lot_tableaux``, mode complet, 1 process) on the
    first ``menages`` households of the file's chunks: the coherent combination and the one-pass
    computation, interleaved, best of two each (the combination's own cost, same households, same run)."""
    from repere.depistage.calcul import liberer_simulations
    from repere.droits.lot import simuler_lot_tableaux

    choisis, total = [], 0
    for c in lots:
        if total >= menages:
            break
        choisis.append(c)
        total += len(c)
    debits = {True: [], False: []}
    for _ in range(2):
        for coherent in (False, True):
            debut = time.perf_counter()
            for c in choisis:
                simuler_lot_tableaux(c, mode="complet", coherent=coherent)
                liberer_simulations()
            debits[coherent].append(total / (time.perf_counter() - debut))
    return max(debits[True]), max(debits[False])


# --- the screening end to end ---------------------------------------------------------------------------


def bout_en_bout(
    chemin: Path, dossier: Path, *, processus: int, taille_lot: int, mois: str, nom: str, dask=None, par_lignes=False
):
    from repere.depistage.execution import Options, depister
    from repere.depistage.selectors import noms_communes as selecteur

    def noms_communes(codes):
        try:
            return selecteur(codes)
        except Exception:  # noqa: BLE001 - database not migrated here: the report shows the codes
            return {}

    sortie = dossier / f"resultats-{nom}.csv"
    cpu = _cpu()
    lanceur = (os.getppid(),) if _ENFANT else ()  # the launcher shares its pages (system built) with this run
    with Echantillonneur(intervalle=0.2, avec=lanceur) as memoire:
        debut = time.perf_counter()
        bilan = depister(
            entree=chemin,
            sortie_chemin=sortie,
            rapport=dossier / f"rapport-{nom}.html",
            options=Options(
                mois=mois, taille_lot=taille_lot, processus=processus, dask=dask, lecture_par_lignes=par_lignes
            ),
            noms_communes=noms_communes,
        )
        duree = time.perf_counter() - debut
    cpu = _cpu() - cpu  # the forked workers are reaped when their pool closes (not the Dask ones)
    return (
        bilan.menages_total / duree,
        memoire.pic_total / 2**30,
        duree,
        bilan,
        memoire.pic_total_rss / 2**30,
        bilan.menages_total / cpu,
    )


def avec_cluster(chemin, dossier, *, taille_lot, mois):
    from distributed import Client, LocalCluster

    from repere.depistage.calcul import preparer_calcul

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        # a cluster is long-lived: its workers have built the system and computed the month already, as the
        # main process of the local runs has (it ran the ceiling first): both start equally warm
        with Client(cluster) as client:
            client.run(preparer_calcul, mois, None, "complet")
        return bout_en_bout(
            chemin, dossier, processus=2, taille_lot=taille_lot, mois=mois, nom="dask", dask=cluster.scheduler_address
        )


# --- profile ---------------------------------------------------------------------------------------------
#
# CPU time (process_time) per phase of one process, measured by wrapping the functions of each phase (the
# time of a wrapped call nested in another is counted in the inner phase only): unlike cProfile, which
# multiplies the cost of every Python call and hid where numpy's time went, the total is the real run's.

PHASES = (
    # (phase, [(module, attribute)] whose calls are that phase)
    (
        "lecture : plan (colonne id_menage) et partitions en Arrow",
        [("repere.depistage.partitions", "planifier"), ("repere.depistage.partitions", "lire_partition")],
    ),
    ("validation par colonne", [("repere.depistage.colonnaire", "lire_bloc")]),
    ("validation : ménages suspects par le modèle", [("repere.depistage.calcul", "construire_menage")]),
    (
        "entités et entrées OpenFisca depuis les colonnes",
        [
            ("repere.droits.lot", "StructureColonnes.__init__"),
            ("repere.droits.lot", "entrees_colonnes"),
            ("repere.droits.moteur", "poser"),
            ("repere.droits.lot", "pertinence_colonnes"),
            ("repere.droits.lot", "StructureColonnes.simulation"),
        ],
    ),
    (
        "OpenFisca, premier passage (les 14 prestations et leurs ressources)",
        [("repere.droits.moteur", "Calcul.valeurs#1")],
    ),
    ("OpenFisca, passes de la combinaison (prestations subsidiaires)", [("repere.droits.moteur", "Calcul.valeurs#2")]),
    ("combinaison : sous-simulations des ménages qui bougent", [("repere.droits.moteur", "Calcul.sous_calcul")]),
    ("combinaison : ré-injection des prestations estimées", [("repere.droits.moteur", "Calcul.reinjecter")]),
    (
        "éligibilité (tableaux, règles de repere.droits.lot)",
        [("repere.droits.lot", "tableaux"), ("repere.droits.lot", "faits_colonnes")],
    ),
    ("combinaison : reste (estimations, écarts, report)", [("repere.droits.combinaison", "combiner")]),
    (
        "sortie : lignes en tableaux Arrow, tri",
        [("repere.depistage.calcul", "table_tableaux"), ("repere.depistage.calcul", "trier")],
    ),
    ("sortie : texte CSV des lignes (processus de calcul)", [("repere.depistage.calcul", "contenu_de")]),
    ("sortie : parts Arrow IPC et lignes rejetées", [("repere.depistage.execution", "ecrire_resultats_lot")]),
    ("CSV classé : cellules au format français, écriture", [("repere.depistage.sortie", "EcrivainCSV.ecrire_table")]),
    (
        "synthèse par lot et rapport HTML",
        [("repere.depistage.rapport", "Synthese.ajouter_table"), ("repere.depistage.execution", "ecrire_rapport")],
    ),
    ("fusion des parts par blocs, état, reste du processus principal", [("repere.depistage.execution", "depister")]),
)


class Chronos:
    """Exclusive CPU time per phase: a wrapped call's time minus that of the wrapped calls inside it."""

    def __init__(self):
        self.temps: dict[str, float] = {}
        self.pile: list[list] = []
        self.passes_valeurs = 0  # calls of Calcul.valeurs since the last combiner (1: first pass)
        self.originaux: list = []

    def envelopper(self, phase: str, module: str, attribut: str):
        import importlib

        mod = importlib.import_module(module)
        nom, _, variante = attribut.partition("#")
        proprietaire, _, nom_final = nom.rpartition(".")
        cible = getattr(mod, proprietaire) if proprietaire else mod
        original = getattr(cible, nom_final)
        if any(c is cible and n == nom_final for c, n, _ in self.originaux):
            return  # Calcul.valeurs: one wrapper for both variants
        chronos = self

        def enveloppe(*args, **kwargs):
            if nom_final == "combiner":
                chronos.passes_valeurs = 0
            ici = phase
            if nom_final == "valeurs":
                chronos.passes_valeurs += 1
                ici = chronos.phase_valeurs[chronos.passes_valeurs > 1]
            debut = time.process_time()
            chronos.pile.append([ici, 0.0])
            try:
                return original(*args, **kwargs)
            finally:
                _, dedans = chronos.pile.pop()
                duree = time.process_time() - debut
                chronos.temps[ici] = chronos.temps.get(ici, 0.0) + duree - dedans
                if chronos.pile:
                    chronos.pile[-1][1] += duree

        self.originaux.append((cible, nom_final, original))
        setattr(cible, nom_final, enveloppe)

    def __enter__(self):
        self.phase_valeurs = {False: PHASES[4][0], True: PHASES[5][0]}
        for phase, cibles in PHASES:
            for module, attribut in cibles:
                self.envelopper(phase, module, attribut)
        return self

    def __exit__(self, *exc):
        for cible, nom, original in reversed(self.originaux):
            setattr(cible, nom, original)


def profil(chemin: Path, dossier: Path, *, taille_lot: int, mois: str) -> None:
    """CPU time per phase of one process (no profiler), with the counts that explain the engine's part:
    OpenFisca ``calculate`` calls and formulas run, passes of the coherent combination, next to the ceiling
    (plain OpenFisca on the same columns) measured in the same run."""
    from openfisca_core.simulations.simulation import Simulation

    from repere.depistage.calcul import preparer_calcul
    from repere.depistage.execution import Options, depister

    preparer_calcul(mois, None, "complet")
    lots = _colonnes_du_fichier(chemin, mois, taille_lot)
    menages = sum(len(c) for c in lots)
    comptes = {"calculate": 0, "formules": 0}
    calculate, formule = Simulation.calculate, Simulation._run_formula

    def compter_calculate(self, *a, **k):
        comptes["calculate"] += 1
        return calculate(self, *a, **k)

    def compter_formule(self, *a, **k):
        comptes["formules"] += 1
        return formule(self, *a, **k)

    def avec_comptes(f):
        comptes.update(calculate=0, formules=0)
        Simulation.calculate, Simulation._run_formula = compter_calculate, compter_formule
        try:
            f()
        finally:
            Simulation.calculate, Simulation._run_formula = calculate, formule
        return dict(comptes)

    cpu = time.process_time()
    for c in lots:
        _plafond_lot(c)
    cpu_plafond = time.process_time() - cpu
    comptes_plafond = avec_comptes(lambda: [_plafond_lot(c) for c in lots])
    from repere.depistage import execution

    with Chronos() as chronos:
        cpu = time.process_time()
        execution.depister(
            entree=chemin,
            sortie_chemin=dossier / "profil.csv",
            options=Options(mois=mois, taille_lot=taille_lot, processus=1),
        )
        cpu_total = time.process_time() - cpu
    comptes_depistage = avec_comptes(
        lambda: depister(
            entree=chemin,
            sortie_chemin=dossier / "profil.csv",
            options=Options(mois=mois, taille_lot=taille_lot, processus=1),
        )
    )
    print(
        f"\nProfil d'un processus, {menages} ménages en lots de {taille_lot} (temps processeur par phase, sans profileur) :"
    )
    print(
        f"  dépistage {menages / cpu_total:.0f} ménages par seconde de CPU, plafond {menages / cpu_plafond:.0f}"
        f" ({100 * cpu_plafond / cpu_total:.0f} %) ; charge {os.getloadavg()[0]:.1f}"
    )
    print("| phase | CPU (s) | part | µs par ménage |\n|---|---|---|---|")
    for phase, _ in PHASES:
        t = chronos.temps.get(phase, 0.0)
        print(f"| {phase} | {t:.2f} | {100 * t / cpu_total:.0f} % | {1e6 * t / menages:.0f} |")
    reste = cpu_total - sum(chronos.temps.values())
    print(f"| hors phases | {reste:.2f} | {100 * reste / cpu_total:.0f} % | {1e6 * reste / menages:.0f} |")
    print(
        f"| **plafond : OpenFisca seul sur les mêmes colonnes** | {cpu_plafond:.2f} | {100 * cpu_plafond / cpu_total:.0f} % | {1e6 * cpu_plafond / menages:.0f} |"
    )
    print(
        f"  appels de calculate : plafond {comptes_plafond['calculate']}, dépistage {comptes_depistage['calculate']} ;"
        f" formules exécutées : plafond {comptes_plafond['formules']}, dépistage {comptes_depistage['formules']}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=1_000_000)
    parser.add_argument(
        "--echantillon", type=int, default=0, help="taille du fichier des mesures comparées (défaut : --menages)"
    )
    parser.add_argument("--taille-lot", type=int, default=None, help="défaut : celle de manage.py depister")
    parser.add_argument("--dossier", type=Path, default=Path("var/bench-depistage"))
    parser.add_argument("--mois", default="2026-11")
    parser.add_argument("--sans-gros", action="store_true", help="seulement l'échantillon")
    parser.add_argument("--sans-echantillon", action="store_true", help="seulement le gros fichier")
    parser.add_argument("--sans-dask", action="store_true")
    parser.add_argument("--sans-lignes", action="store_true", help="sans la référence lue ligne à ligne")
    parser.add_argument("--profil", type=int, default=0, help="profil d'un processus sur N ménages")
    parser.add_argument(
        "--combinaison",
        type=int,
        default=50_000,
        help="coût de la combinaison cohérente : N ménages de l'échantillon en un passage puis cohérents (0 : sans)",
    )
    args = parser.parse_args()
    import django

    django.setup()
    from repere.depistage.execution import TAILLE_LOT_DEFAUT

    taille_lot = args.taille_lot or TAILLE_LOT_DEFAUT
    args.dossier.mkdir(parents=True, exist_ok=True)
    charge = os.getloadavg()
    print(
        f"Machine : {os.cpu_count()} cœurs, charge {charge[0]:.1f} ; mois simulé {args.mois} ; lots de {taille_lot} ménages"
    )

    if args.profil:
        profil(fichier(args.dossier, args.profil), args.dossier, taille_lot=taille_lot, mois=args.mois)

    if not args.sans_echantillon:
        n = args.echantillon or args.menages
        echantillon = fichier(args.dossier, n)
        (p1, p1_cpu), (p2, p2_cpu), nb_lots, (coherent_cpu, plafond_cpu) = plafonds_a_part(
            echantillon, args.mois, taille_lot
        )
        print(f"\nFichier de {n} ménages, {nb_lots} lots (mêmes ménages, même passage) :")
        print(
            f"  plafond OpenFisca seul (entrées depuis colonnes + calcul), 1 processus : {p1:8.0f} ménages/s   "
            f"({p1_cpu:.0f} par seconde de CPU)",
            flush=True,
        )
        print(
            f"  plafond OpenFisca seul, 2 processus                                 : {p2:8.0f} ménages/s   × {p2 / p1:.2f}"
            f"   ({p2_cpu:.0f} par seconde de CPU)",
            flush=True,
        )
        from repere.depistage.calcul import preparer_calcul

        preparer_calcul(args.mois, None, "complet")  # as warm as the ceiling was (system built, month computed)

        def ligne(titre, r, reference):
            print(
                f"  {titre} : {r[0]:8.0f} ménages/s   pic {r[1]:.2f} Gio (PSS ; RSS additionnés {r[4]:.2f})   "
                f"{r[5]:.0f} par seconde de CPU   {reference}",
                flush=True,
            )

        kw = {"taille_lot": taille_lot, "mois": args.mois}
        un = a_part(bout_en_bout, echantillon, args.dossier, processus=1, nom="un", **kw)
        ligne("dépistage bout en bout, 1 processus         ", un, f"{100 * un[0] / p1:.0f} % du plafond à 1 processus")
        deux = a_part(bout_en_bout, echantillon, args.dossier, processus=2, nom="deux", **kw)
        ligne(
            "dépistage bout en bout, 2 processus         ",
            deux,
            f"{100 * deux[0] / p2:.0f} % du plafond à 2 processus (objectif ≥ {100 * OBJECTIF_PLAFOND:.0f} %)",
        )
        print(f"  2 processus / 1 processus : × {deux[0] / un[0]:.2f} (objectif ≥ × {OBJECTIF_DEUX})", flush=True)
        print(
            f"  moteur seul avec la combinaison cohérente (1 processus, {min(nb_lots, 10)} lots) : {coherent_cpu:.0f} "
            f"ménages par seconde de CPU, {100 * coherent_cpu / plafond_cpu:.0f} % du plafond ({plafond_cpu:.0f}) ; "
            f"le dépistage à 1 processus fait {100 * un[5] / coherent_cpu:.0f} % du moteur cohérent seul "
            "(par seconde de CPU ; le reste : lecture, validation, sortie)",
            flush=True,
        )
        if not args.sans_lignes:
            avant = a_part(bout_en_bout, echantillon, args.dossier, processus=2, nom="lignes", par_lignes=True, **kw)
            ligne(
                "référence : lecture ligne à ligne, 2 processus",
                avant,
                f"partitions / ligne à ligne : × {deux[0] / avant[0]:.2f}",
            )
        if not args.sans_dask:
            dask = a_part(avec_cluster, echantillon, args.dossier, taille_lot=taille_lot, mois=args.mois)
            ligne(
                "LocalCluster 2 workers                      ",
                dask,
                f"{100 * dask[0] / deux[0]:.0f} % des 2 processus locaux (objectif ≥ {100 * OBJECTIF_DASK:.0f} %)",
            )
    if not args.sans_gros and (args.sans_echantillon or args.echantillon not in (0, args.menages)):
        gros_fichier(args, taille_lot)  # otherwise the 2-process run above was on that very file
    if args.combinaison and not args.sans_echantillon:
        # measured last: its simulations leave this process's heap larger, which the forked workers of the
        # runs above would inherit and count in their peak memory; on a file of its own size (its columns
        # are held in memory)
        m = min(n, args.combinaison)
        lots = _colonnes_du_fichier(fichier(args.dossier, m), args.mois, taille_lot)
        coherent, un_passage = cout_combinaison(lots, m)
        print(
            f"\nMoteur en lot (1 processus, {m} ménages) : "
            f"combinaison cohérente {coherent:8.0f} ménages/s, un seul passage {un_passage:8.0f} ménages/s : "
            f"{100 * (coherent / un_passage - 1):+.0f} % (objectif Droits 3 : perte ≤ 25 %)",
            flush=True,
        )


def gros_fichier(args, taille_lot: int) -> None:
    gros = fichier(args.dossier, args.menages)
    debit, pic, duree, bilan, pic_rss, _cpu_gros = a_part(
        bout_en_bout, gros, args.dossier, processus=2, taille_lot=taille_lot, mois=args.mois, nom="gros"
    )
    print(
        f"\n{args.menages} ménages, 2 processus, bout en bout : {debit:.0f} ménages/s (objectif ≥ {OBJECTIF_DEBIT}) "
        f"en {duree:.0f} s ; pic mémoire de tous les processus {pic:.2f} Gio PSS, {pic_rss:.2f} Gio RSS additionnés "
        f"(objectif ≤ {OBJECTIF_MEMOIRE} Gio) ; "
        f"{bilan.menages_calcules} calculés, {bilan.non_recours} en non-recours probable"
    )


if __name__ == "__main__":
    main()
