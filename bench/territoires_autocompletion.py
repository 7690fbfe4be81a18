"""Benchmark: territory autocomplete latency (p50/p95) against a naive SQL baseline, and loading time.

Usage: .venv/bin/python bench/territoires_autocompletion.py [--toute-la-france]
Runs on the database configured by DATABASE_URL (default: var/repere.sqlite3, territories already loaded by
bin/demo); with --charger it first (re)loads the territories and reports the loading time.

Baseline: the same ranking done in SQL with LIKE '%…%' on the normalised names (what a straightforward
implementation would do), measured on the same queries in the same run.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Case, IntegerField, Q, Value, When  # noqa: E402

from repere.territoires import selectors  # noqa: E402
from repere.territoires.chargement import charger_territoires  # noqa: E402
from repere.territoires.models import CodePostal, Territoire  # noqa: E402
from repere.utils.text import normalise  # noqa: E402

REQUETES = [
    "chemille", "Angers", "nantes", "saint", "la roche", "chataigneraie", "49120", "44000", "85",
    "mauges", "le mans", "cholet", "laval", "saumur", "pornic", "saint-nazaire", "vendee", "sarthe",
    "bordeaux", "lyon", "marseille", "ile", "mont", "sur", "75011", "13001", "loire", "pays de", "beaufort", "val",
]  # fmt: skip


def naif(q: str, limite: int = 10):
    terme = normalise(q)
    if terme.isdigit():
        cps = CodePostal.objects.filter(code__startswith=terme).values("commune_id")
        qs = Territoire.objects.filter(Q(code=terme) | Q(id__in=cps))
    else:
        qs = Territoire.objects.filter(nom_recherche__contains=terme)
    rang = Case(
        When(nom_recherche=terme, then=Value(0)),
        When(nom_recherche__startswith=terme, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(qs.annotate(rang=rang).order_by("rang", "-population").select_related("departement", "epci")[:limite])


# What people type with a typing error, a missing accent or an abbreviation (the tolerant path: no name
# contains them), each with the commune it must find first.
FAUTES = {
    "Chollet": "49099", "Chemile-en-Anjou": "49092", "St Nazaire": "44184", "Ste Luce sur Loire": "44172",
    "lemans": "72181", "bresuire": "79049", "angrs": "49007", "la roche sur yonn": "85191", "chemile": "49092",
    "saumure": "49328", "nantse": "44109", "challans": "85047", "pornichet": "44132", "sable sur sarte": "72264",
}  # fmt: skip


def mesurer(fonction, repetitions: int, requetes=REQUETES) -> list[float]:
    durees = []
    for _ in range(repetitions):
        for q in requetes:
            debut = time.perf_counter()
            fonction(q)
            durees.append((time.perf_counter() - debut) * 1000)
    return durees


def p(durees, quantile):
    return statistics.quantiles(durees, n=100)[quantile - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--charger", action="store_true", help="recharger les territoires et mesurer le chargement")
    parser.add_argument("--toute-la-france", action="store_true")
    parser.add_argument("--repetitions", type=int, default=20)
    args = parser.parse_args()

    print(f"Base : {connection.vendor} ; {Territoire.objects.count()} territoires")
    if args.charger or not Territoire.objects.exists():
        debut = time.perf_counter()
        rapport = charger_territoires(regions=["52"], toute_la_france=args.toute_la_france)
        print(f"Chargement ({'toute la France' if args.toute_la_france else 'contours Pays de la Loire'}) : "
              f"{time.perf_counter() - debut:.1f} s — {rapport}")  # fmt: skip

    debut = time.perf_counter()
    selectors.vider_index_recherche()
    selectors.autocompleter(q="chemille")
    print(f"Première requête (construction de l'index en mémoire) : {(time.perf_counter() - debut) * 1000:.0f} ms")

    repere = mesurer(lambda q: selectors.autocompleter(q=q, limite=10), args.repetitions)
    base = mesurer(naif, max(1, args.repetitions // 4))
    print(f"{len(REQUETES)} requêtes x {args.repetitions} répétitions")
    print(f"Repère (index en mémoire) : p50 {statistics.median(repere):.2f} ms, p95 {p(repere, 95):.2f} ms")
    print(f"Naïf (SQL LIKE)          : p50 {statistics.median(base):.2f} ms, p95 {p(base, 95):.2f} ms")
    print(f"Rapport p50 naïf / Repère : x{statistics.median(base) / statistics.median(repere):.1f}")
    for q, code in FAUTES.items():
        premier = selectors.autocompleter(q=q, types=["commune"], limite=1)
        assert premier and premier[0].code == code, f"« {q} » ne trouve pas {code} en premier : {premier}"
    fautes = mesurer(lambda q: selectors.autocompleter(q=q, limite=10), args.repetitions, list(FAUTES))
    print(
        f"Fautes, accents, abréviations ({len(FAUTES)} saisies, toutes trouvées en premier) : "
        f"p50 {statistics.median(fautes):.2f} ms, p95 {p(fautes, 95):.2f} ms "
        f"(charge {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
