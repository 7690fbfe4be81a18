"""Throughput of the batch screening, end to end (read file -> compute -> write ranked output + report).

    .venv/bin/python bench/depistage_debit.py [--menages 1000000] [--echantillon 10000] [--processus 2]
                                              [--taille-lot 5000] [--dossier var/bench-depistage] [--sans-gros]

Prints, side by side on the same sample (default 10,000 households, synthetic and realistic):
- the naive full computation: the shared engine in "complet" mode (all benefits, every intermediate and
  explanation) on the whole sample in one OpenFisca simulation, households already in memory (no I/O);
- the best single-process configuration of the screening, end to end (file in, ranked file out);
- the same with one computing process per core;
then the full run (default 1,000,000 households) with its peak memory (the whole process tree, sampled).
"""

import argparse
import contextlib
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


class MemoirePic:
    """Peak RSS of this process plus its children, sampled every 0.2 s."""

    def __init__(self):
        import psutil

        self.processus = psutil.Process()
        self.pic = 0
        self._fin = threading.Event()
        self._fil = threading.Thread(target=self._boucle, daemon=True)

    def _boucle(self):
        import psutil

        while not self._fin.is_set():
            total = 0
            try:
                for p in [self.processus, *self.processus.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
            except psutil.Error:
                pass
            self.pic = max(self.pic, total)
            self._fin.wait(0.2)

    def __enter__(self):
        self._fil.start()
        return self

    def __exit__(self, *exc):
        self._fin.set()
        self._fil.join()


def fichier(dossier: Path, n: int) -> Path:
    from repere.depistage import generateur

    chemin = dossier / f"menages-{n}.csv"
    if not chemin.exists():
        debut = time.perf_counter()
        generateur.ecrire_csv(chemin, n, graine=2026)
        print(
            f"  (fichier de {n} ménages généré en {time.perf_counter() - debut:.0f} s, {chemin.stat().st_size / 1e6:.0f} Mo)"
        )
    return chemin


def naif(chemin: Path, mois: str) -> float:
    """Households/s of the engine in complete mode on the whole sample (one simulation, no I/O)."""
    from repere.depistage import lecture
    from repere.depistage.assemblage import MenageBrut, construire_menage, grouper
    from repere.depistage.colonnes import reconnaitre_entetes
    from repere.droits.moteur import prechauffer, simuler_lot

    prechauffer()
    with lecture.ouvrir(chemin) as source:
        positions, _, _ = reconnaitre_entetes(source.entetes)
        menages = [
            construire_menage(b, mois=mois)[0] for b in grouper(source.lignes(), positions) if isinstance(b, MenageBrut)
        ]
    menages = [m for m in menages if m is not None]
    debut = time.perf_counter()
    simuler_lot(menages, mode="complet")
    return len(menages) / (time.perf_counter() - debut)


def bout_en_bout(chemin: Path, dossier: Path, *, processus: int, taille_lot: int, mois: str, nom: str):
    from repere.depistage.execution import Options, depister
    from repere.depistage.selectors import noms_communes

    sortie = dossier / f"resultats-{nom}.csv"
    with MemoirePic() as memoire:
        debut = time.perf_counter()
        bilan = depister(
            entree=chemin,
            sortie_chemin=sortie,
            rapport=dossier / f"rapport-{nom}.html",
            options=Options(mois=mois, taille_lot=taille_lot, processus=processus),
            noms_communes=noms_communes,
        )
        duree = time.perf_counter() - debut
    return bilan.menages_total / duree, memoire.pic, duree, bilan


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=1_000_000)
    parser.add_argument("--echantillon", type=int, default=10_000)
    parser.add_argument("--processus", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--taille-lot", type=int, default=5_000)
    parser.add_argument("--dossier", type=Path, default=Path("var/bench-depistage"))
    parser.add_argument("--mois", default="2026-11")
    parser.add_argument("--repetitions", type=int, default=1)
    parser.add_argument("--sans-gros", action="store_true", help="seulement l'échantillon")
    args = parser.parse_args()
    import django

    django.setup()
    args.dossier.mkdir(parents=True, exist_ok=True)
    print(f"Machine : {os.cpu_count()} cœurs ; mois simulé {args.mois}")
    echantillon = fichier(args.dossier, args.echantillon)

    mesures = {}
    for _ in range(args.repetitions):
        mesures.setdefault("naif", []).append(naif(echantillon, args.mois))
        mesures.setdefault("un", []).append(
            bout_en_bout(echantillon, args.dossier, processus=1, taille_lot=args.taille_lot, mois=args.mois, nom="un")
        )
        if args.processus > 1:
            mesures.setdefault("multi", []).append(
                bout_en_bout(
                    echantillon,
                    args.dossier,
                    processus=args.processus,
                    taille_lot=args.taille_lot,
                    mois=args.mois,
                    nom="multi",
                )
            )
    base = statistics.median(mesures["naif"])
    print(f"\nÉchantillon de {args.echantillon} ménages (médianes sur {args.repetitions} passage(s)) :")
    print(f"  calcul complet naïf (moteur mode complet, un seul lot, sans E/S) : {base:8.0f} ménages/s   × 1,0")
    un = statistics.median(m[0] for m in mesures["un"])
    pic_un = max(m[1] for m in mesures["un"]) / 2**30
    print(
        f"  meilleur mono-processus, bout en bout (lots de {args.taille_lot}) : {un:8.0f} ménages/s   × {un / base:.1f}   pic {pic_un:.2f} Gio"
    )
    if "multi" in mesures:
        multi = statistics.median(m[0] for m in mesures["multi"])
        pic = max(m[1] for m in mesures["multi"]) / 2**30
        print(
            f"  {args.processus} processus de calcul, bout en bout                : {multi:8.0f} ménages/s   × {multi / base:.1f}   pic {pic:.2f} Gio"
        )
    if args.sans_gros:
        return
    gros = fichier(args.dossier, args.menages)
    processus = args.processus
    debit, pic, duree, bilan = bout_en_bout(
        gros, args.dossier, processus=processus, taille_lot=args.taille_lot, mois=args.mois, nom="gros"
    )
    print(
        f"\n{args.menages} ménages, {processus} processus, bout en bout : {debit:.0f} ménages/s ({duree:.0f} s), "
        f"pic mémoire {pic / 2**30:.2f} Gio (objectif : 15 000 ménages/s, 2 Gio) ; × {debit / base:.1f} le calcul naïf ;"
        f" {bilan.non_recours} ménages en non-recours probable"
    )


if __name__ == "__main__":
    main()
