"""Before / after in the same run: the batch screening of this tree next to the one of a reference tree
(default: where this branch left ``main``, extracted with ``git archive`` next to the bench files), on the same file, one
process each, interleaved (reference, current, reference, current…) so that the load of a shared machine
weighs on both alike.

    .venv/bin/python bench/depistage_avant_apres.py [--menages 50000] [--tours 2] [--reference COMMIT]
                                                     [--taille-lot 25000] [--sans-plafond]

Each run is a fresh process of its tree (its own code, the same Python environment): system built and
warmed on the month, then the ceiling (plain OpenFisca-France on the same columns, 1 process: the
reference of each figure) and the screening end to end on 1 process. Prints, per tree, the median
households/s (wall clock and per CPU second), the ratio to the ceiling, the ratio current / reference,
and whether the ranked output files are byte-identical (results unchanged).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent

ENFANT = r"""
import json, os, sys, time, hashlib
from pathlib import Path
arbre, chemin, dossier, taille_lot, mois, plafond = sys.argv[1:7]
sys.path.insert(0, arbre); sys.path.insert(0, os.path.join(arbre, "bench"))
os.chdir(arbre)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
import depistage_debit as b
from repere.depistage.calcul import prechauffer_processus
from repere.depistage.execution import _chauffer_pour
taille_lot = int(taille_lot)
prechauffer_processus()
_chauffer_pour({"mois": mois, "prestations": None, "mode": "complet"})
out = {}
if plafond == "1":
    lots = b._colonnes_du_fichier(Path(chemin), mois, taille_lot)
    out["plafond"], out["plafond_cpu"] = b.plafond(lots, 1, mois)
    del lots
    b._LOTS_PLAFOND.clear()
r = b.bout_en_bout(Path(chemin), Path(dossier), processus=1, taille_lot=taille_lot, mois=mois, nom="avant-apres")
out.update(debit=r[0], cpu=r[5], duree=r[2])
sortie = Path(dossier) / "resultats-avant-apres.csv"
out["empreinte"] = hashlib.sha256(sortie.read_bytes()).hexdigest()
print("RESULTAT " + json.dumps(out))
"""


def extraire(reference: str, dossier: Path) -> Path:
    """The reference tree (``git archive``), extracted once per commit."""
    commit = subprocess.run(
        ["git", "rev-parse", reference], cwd=RACINE, capture_output=True, text=True, check=True
    ).stdout.strip()
    cible = dossier / f"reference-{commit[:12]}"
    if not (cible / "manage.py").exists():
        cible.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile() as archive:
            subprocess.run(["git", "archive", commit], cwd=RACINE, stdout=archive, check=True)
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                tar.extractall(cible, filter="data")
    return cible


def executer(arbre: Path, chemin: Path, dossier: Path, *, taille_lot: int, mois: str, plafond: bool) -> dict:
    sortie = dossier / arbre.name
    sortie.mkdir(parents=True, exist_ok=True)
    resultat = subprocess.run(
        [
            sys.executable,
            "-c",
            ENFANT,
            str(arbre),
            str(chemin),
            str(sortie),
            str(taille_lot),
            mois,
            "1" if plafond else "0",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    for ligne in resultat.stdout.splitlines():
        if ligne.startswith("RESULTAT "):
            return json.loads(ligne[len("RESULTAT ") :])
    raise RuntimeError(f"{arbre} : {resultat.stderr[-2000:]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=50_000)
    parser.add_argument("--tours", type=int, default=2)
    parser.add_argument(
        "--reference", default=None, help="commit de référence (défaut : la base de la branche sur main)"
    )
    parser.add_argument("--taille-lot", type=int, default=25_000)
    parser.add_argument("--mois", default="2026-11")
    parser.add_argument("--dossier", type=Path, default=Path("var/bench-depistage"))
    parser.add_argument("--sans-plafond", action="store_true")
    args = parser.parse_args()
    dossier = args.dossier.resolve()
    dossier.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(RACINE))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    sys.path.insert(0, str(RACINE / "bench"))
    from depistage_debit import fichier

    chemin = fichier(dossier, args.menages).resolve()
    if args.reference is None:
        args.reference = subprocess.run(
            ["git", "merge-base", "HEAD", "main"], cwd=RACINE, capture_output=True, text=True, check=True
        ).stdout.strip()[:12]
    arbres = {"référence": extraire(args.reference, dossier), "actuel": RACINE}
    print(
        f"Machine : {os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.1f} ; {args.menages} ménages, lots de "
        f"{args.taille_lot} ; référence {args.reference} ({arbres['référence'].name})",
        flush=True,
    )
    mesures: dict[str, list[dict]] = {nom: [] for nom in arbres}
    for tour in range(args.tours):
        for nom, arbre in arbres.items():
            r = executer(
                arbre, chemin, dossier, taille_lot=args.taille_lot, mois=args.mois, plafond=not args.sans_plafond
            )
            mesures[nom].append(r)
            plafond = f", plafond {r['plafond']:.0f}/s ({r['plafond_cpu']:.0f} par s de CPU)" if "plafond" in r else ""
            print(
                f"  tour {tour + 1}, {nom:10} : dépistage {r['debit']:7.0f} ménages/s, {r['cpu']:7.0f} par seconde de "
                f"CPU{plafond} ; charge {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    med = {
        nom: {k: statistics.median(m[k] for m in ms) for k in ms[0] if k != "empreinte"} for nom, ms in mesures.items()
    }
    print("\nMédianes :")
    for nom, m in med.items():
        part = (
            f" ; {100 * m['debit'] / m['plafond']:.0f} % du plafond ({100 * m['cpu'] / m['plafond_cpu']:.0f} % en CPU)"
            if "plafond" in m
            else ""
        )
        print(f"  {nom:10} : {m['debit']:7.0f} ménages/s, {m['cpu']:7.0f} par seconde de CPU{part}")
    a, r = med["actuel"], med["référence"]
    print(f"  actuel / référence : × {a['debit'] / r['debit']:.2f} (horloge), × {a['cpu'] / r['cpu']:.2f} (CPU)")
    empreintes = {m["empreinte"] for ms in mesures.values() for m in ms}
    print(
        "  sorties classées identiques octet pour octet : "
        + ("oui" if len(empreintes) == 1 else f"NON ({len(empreintes)} empreintes différentes)")
    )


if __name__ == "__main__":
    main()
