"""Where the memory of a screening run goes: peak PSS per process (main process, each computing process),
the main process's peak per step (planning, computing, merge), and the sum over all processes, sampled
from ``/proc/<pid>/smaps_rollup`` every 0.1 s (``memoire_processus``); with ``--tailles``, the peak of one
computing process and its households per CPU second for several chunk sizes (to choose the chunk size by measure).

    .venv/bin/python bench/depistage_memoire.py --menages 200000 [--processus 2] [--taille-lot 25000]
    .venv/bin/python bench/depistage_memoire.py --menages 50000 --tailles 5000,10000,25000 --processus 1

PSS (proportional set size) counts a page shared by forked processes once in all (the machine's real use):
the sum over the processes is what the 2 GiB target of issue 15 is about. Every run prints, as its reference,
the peak of the main process alone right after building the tax-benefit system (same run).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from memoire_processus import Echantillonneur, memoire  # noqa: E402 - bench/ is this script's directory

GIO = 2**30


def un_passage(chemin: Path, dossier: Path, *, processus: int, taille_lot: int, mois: str) -> dict:
    from repere.depistage.execution import Options, depister

    moi = os.getpid()
    with Echantillonneur() as ech:
        cpu_etapes: dict[str, float] = {}  # CPU seconds of the main process itself, per step (serial work)
        marque = [time.process_time(), "départ"]

        def progression(etape, faits, total):
            if etape != marque[1]:
                maintenant = time.process_time()
                cpu_etapes[marque[1]] = cpu_etapes.get(marque[1], 0.0) + maintenant - marque[0]
                marque[:] = [maintenant, etape]
            ech.etape = etape

        cpu = os.times()
        debut = time.perf_counter()
        bilan = depister(
            entree=chemin,
            sortie_chemin=dossier / "memoire.csv",
            rapport=dossier / "memoire.html",
            options=Options(mois=mois, taille_lot=taille_lot, processus=processus),
            progression=progression,
        )
        duree = time.perf_counter() - debut
        fin = os.times()
    # the main process's own work: its CPU minus that of the sampler thread (which would count as serial)
    for etape, v in ech.cpu_par_etape.items():
        cpu_etapes[etape] = max(0.0, cpu_etapes.get(etape, 0.0) - v)
    cpu_principal = (fin.user - cpu.user) + (fin.system - cpu.system) - sum(ech.cpu_par_etape.values())
    cpu_enfants = (fin.children_user - cpu.children_user) + (fin.children_system - cpu.children_system)
    cpu_s = cpu_principal + cpu_enfants
    calcul = sorted((v for p, v in ech.pics.items() if p != moi), reverse=True)
    return {
        "menages": bilan.menages_total,
        "duree": duree,
        "cpu": cpu_s,
        "pic_total": ech.pic_total,
        "etape_pic_total": ech.etape_pic_total,
        "principal": ech.pics.get(moi, 0),
        "par_etape": dict(ech.pics_etape),
        "calcul": calcul,
        "cpu_principal": cpu_principal,
        "cpu_enfants": cpu_enfants,
        "cpu_etapes": cpu_etapes,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=200_000)
    parser.add_argument("--processus", type=int, default=2)
    parser.add_argument("--taille-lot", type=int, default=None)
    parser.add_argument("--tailles", default="", help="tailles de lot à comparer (liste séparée par des virgules)")
    parser.add_argument("--dossier", type=Path, default=Path("var/bench-depistage"))
    parser.add_argument("--mois", default="2026-11")
    args = parser.parse_args()
    import django

    django.setup()
    from repere.depistage import generateur
    from repere.depistage.calcul import prechauffer_processus
    from repere.depistage.execution import TAILLE_LOT_DEFAUT

    args.dossier.mkdir(parents=True, exist_ok=True)
    chemin = args.dossier / f"menages-{args.menages}.csv"
    if not chemin.exists():
        generateur.ecrire_csv(chemin, args.menages, graine=2026)
    print(f"Machine : {os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.1f} ; {args.menages} ménages")
    prechauffer_processus()
    print(
        f"  référence : processus principal, système construit : {memoire(os.getpid())[0] / GIO:.2f} Gio PSS",
        flush=True,
    )
    tailles = [int(x) for x in args.tailles.split(",") if x]
    if tailles:  # one fresh process per chunk size: memory a run keeps would inflate the next one
        import subprocess

        for taille in tailles:
            commande = [sys.executable, __file__, "--menages", str(args.menages), "--processus", str(args.processus)]
            commande += ["--taille-lot", str(taille), "--dossier", str(args.dossier), "--mois", args.mois]
            sortie = subprocess.run(commande, capture_output=True, text=True, check=True).stdout
            print(sortie.splitlines()[-1], flush=True)
        return
    for taille in [args.taille_lot or TAILLE_LOT_DEFAUT]:
        r = un_passage(chemin, args.dossier, processus=args.processus, taille_lot=taille, mois=args.mois)
        etapes = ", ".join(f"{k} {v / GIO:.2f}" for k, v in r["par_etape"].items())
        calcul = " + ".join(f"{v / GIO:.2f}" for v in r["calcul"]) or "—"
        print(
            f"  lots de {taille:6d}, {args.processus} processus : pic total {r['pic_total'] / GIO:.2f} Gio PSS "
            f"(pendant « {r['etape_pic_total']} ») ; principal {r['principal'] / GIO:.2f} Gio ({etapes}) ; "
            f"calcul {calcul} Gio ; {r['duree']:.0f} s, {r['menages'] / r['cpu']:.0f} ménages par seconde de CPU "
            f"(charge {os.getloadavg()[0]:.1f})",
            flush=True,
        )
        if args.processus > 1:
            # Amdahl: the main process's own CPU is serial, the computing processes' CPU is shared out.
            serie = r["cpu_principal"]
            etapes = ", ".join(f"{k} {v:.1f}" for k, v in r["cpu_etapes"].items() if v >= 0.05)
            borne = (serie + r["cpu_enfants"]) / (serie + r["cpu_enfants"] / args.processus)
            print(
                f"      CPU : processus principal {serie:.1f} s ({etapes}), calcul {r['cpu_enfants']:.1f} s ; "
                f"part en série {100 * serie / r['cpu']:.0f} % : gain possible à {args.processus} processus "
                f"≤ × {borne:.2f} (sur des cœurs libres)",
                flush=True,
            )


if __name__ == "__main__":
    main()
