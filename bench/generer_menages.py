"""Generate a synthetic batch file of realistic households (not real people).

    .venv/bin/python bench/generer_menages.py 1000000 var/bench-depistage/menages-1000000.csv [--graine 42]

Same generator as ``manage.py generer_menages`` (repere/depistage/generateur.py); .csv, .parquet or .xlsx.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("menages", type=int)
    parser.add_argument("fichier", type=Path)
    parser.add_argument("--graine", type=int, default=42)
    args = parser.parse_args()
    import django

    django.setup()
    from repere.depistage import generateur

    args.fichier.parent.mkdir(parents=True, exist_ok=True)
    ecrire = {".csv": generateur.ecrire_csv, ".parquet": generateur.ecrire_parquet, ".xlsx": generateur.ecrire_xlsx}
    debut = time.perf_counter()
    lignes = ecrire[args.fichier.suffix.lower()](args.fichier, args.menages, graine=args.graine)
    duree = time.perf_counter() - debut
    taille = args.fichier.stat().st_size / 1e6
    print(f"{args.menages} ménages, {lignes} lignes, {taille:.0f} Mo écrits dans {args.fichier} en {duree:.1f} s")


if __name__ == "__main__":
    main()
