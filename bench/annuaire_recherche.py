"""Benchmark of the directory: import and search with a synthetic national-scale directory.

    .venv/bin/python bench/annuaire_recherche.py                      # SQLite and PostgreSQL, 250,000 services
    .venv/bin/python bench/annuaire_recherche.py --base sqlite --services 20000 --requetes 50

For each database (a dedicated bench database: /tmp/repere-bench-annuaire.sqlite3, or
`repere_bench_annuaire` on the local PostgreSQL), it:
1. generates a data·inclusion v1 export (structures + services: clustered around French cities,
   1-3 thématiques, publics, fees, eligibility zones, remote services, OSM opening hours, some complex),
2. times `importer_data_inclusion` on it (target ≤ 2 minutes for 250,000 services),
3. times the search "place + 30 km + one thématique + a text word + open now" through
   `selectors.rechercher` (indexed path: IndexRecherche bbox + search columns + weekly intervals),
   and the same search by a naive implementation (every service loaded, filtered in Python, hours parsed
   by the library for each one), and prints the p50/p95 and the ratio of medians;
4. times the same searches with the word mistyped (a swapped, missing or wrong letter: « acceuil »,
   « solidiare »), which the typo tolerance (rapidfuzz over the directory's vocabulary) must find, side by
   side with the correctly typed ones in the same run, checks that each finds at least what the correct
   word finds, and times the building of the vocabulary (once an hour per deployment).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

# REPERE_BENCH_SUFFIXE gives two runs of the same machine their own databases.
_SUFFIXE = os.environ.get("REPERE_BENCH_SUFFIXE", "")
BASES = {
    "sqlite": f"sqlite:////tmp/repere-bench-annuaire{_SUFFIXE}.sqlite3",
    "postgres": f"postgres://postgres@127.0.0.1:5432/repere_bench_annuaire{_SUFFIXE}",
}

# (name, lat, lon, INSEE code, EPCI SIREN, département, weight)
VILLES = [
    ("Paris", 48.8566, 2.3522, "75056", "200054781", "75", 16),
    ("Marseille", 43.2965, 5.3698, "13055", "200054807", "13", 5),
    ("Lyon", 45.7640, 4.8357, "69123", "200046977", "69", 5),
    ("Toulouse", 43.6045, 1.4440, "31555", "243100518", "31", 4),
    ("Nice", 43.7102, 7.2620, "06088", "200030195", "06", 3),
    ("Nantes", 47.2184, -1.5536, "44109", "244400404", "44", 3),
    ("Strasbourg", 48.5734, 7.7521, "67482", "246700488", "67", 3),
    ("Montpellier", 43.6108, 3.8767, "34172", "243400017", "34", 3),
    ("Bordeaux", 44.8378, -0.5792, "33063", "243300316", "33", 3),
    ("Lille", 50.6292, 3.0573, "59350", "200093201", "59", 4),
    ("Rennes", 48.1173, -1.6778, "35238", "243500139", "35", 2),
    ("Angers", 47.4784, -0.5632, "49007", "244900015", "49", 2),
    ("Chemillé-en-Anjou", 47.2148, -0.7286, "49092", "200060010", "49", 1),
    ("Le Mans", 48.0061, 0.1996, "72181", "247200132", "72", 2),
    ("Clermont-Ferrand", 45.7772, 3.0870, "63113", "246300701", "63", 2),
    ("Dijon", 47.3220, 5.0415, "21231", "242100410", "21", 2),
    ("Limoges", 45.8336, 1.2611, "87085", "248719312", "87", 1),
    ("Brest", 48.3904, -4.4861, "29019", "242900314", "29", 1),
    ("Rouen", 49.4432, 1.0999, "76540", "200023414", "76", 2),
    ("Metz", 49.1193, 6.1757, "57463", "200039865", "57", 2),
]
HORAIRES = [
    "Mo-Fr 09:00-12:00,13:30-17:00; PH off",
    "Mo-Fr 08:30-12:30,14:00-17:30; PH off",
    "Mo,Tu,Th,Fr 09:00-12:00; PH off",
    "Tu,Th 14:00-18:00; Sa 09:00-12:00; PH off",
    "Mo-Sa 09:00-19:00",
    "We 09:00-12:00,14:00-17:00",
    "Mo-Fr 09:00-17:00",
    "Mo-Th 09:00-12:00,14:00-17:00; Fr 09:00-12:00; PH off",
    "Mar-Jun,Sep-Nov Mo-Fr 09:00-12:00; PH off",  # complex: seasonal
    "Mo-Fr 10:00-12:00; Jul-Aug off",  # complex
    "",
]
# Each word of MOTS as a person may mistype it (one typing error), for the typo-tolerance measure.
FAUTES = {
    "aide": "aide",  # under 5 letters: no tolerance, typed right
    "accompagnement": "acompagnement",
    "solidaire": "solidiare",
    "permanence": "permanance",
    "conseil": "consiel",
    "atelier": "ateleir",
    "accueil": "acceuil",
    "insertion": "insertoin",
    "budget": "bugdet",
    "logement": "logemnet",
}
MOTS = [
    "aide",
    "accompagnement",
    "solidaire",
    "permanence",
    "conseil",
    "atelier",
    "accueil",
    "insertion",
    "budget",
    "logement",
]
NOMS = [
    "Épicerie solidaire",
    "Permanence sociale",
    "Point conseil budget",
    "Atelier numérique",
    "Aide aux démarches",
    "Accueil de jour",
    "Vestiaire solidaire",
    "Garage solidaire",
    "Chantier d'insertion",
    "Médiation énergie",
]


def generer(dossier: Path, n_services: int, graine: int = 42) -> tuple[Path, Path]:
    from data_inclusion.schema.v1 import Public, Thematique

    rnd = random.Random(graine)
    thematiques = [t.value for t in Thematique]
    publics = [p.value for p in Public if p.value != "tous-publics"]
    poids = [v[6] for v in VILLES]
    n_structures = max(1, n_services // 5)
    structures, services = [], []
    positions = []
    for i in range(n_structures):
        if rnd.random() < 0.7:
            v = rnd.choices(VILLES, weights=poids)[0]
            lat, lon = rnd.gauss(v[1], 0.12), rnd.gauss(v[2], 0.16)
            ville = v
        else:
            lat, lon = rnd.uniform(43.0, 50.8), rnd.uniform(-4.4, 7.8)
            ville = None
        lat, lon = round(lat, 5), round(lon, 5)
        positions.append((lat, lon, ville))
        structures.append(
            {
                "source": "bench",
                "id": f"bench--st-{i}",
                "nom": f"Structure {i}",
                "date_maj": "2026-06-01",
                "latitude": lat,
                "longitude": lon,
                "horaires_accueil": rnd.choice(HORAIRES) or None,
            }
        )
    for i in range(n_services):
        s = rnd.randrange(n_structures)
        lat, lon, ville = positions[s]
        distance = rnd.random() < 0.05
        zone = None
        r = rnd.random()
        if ville and r < 0.15:
            zone = [ville[3]]
        elif ville and r < 0.25:
            zone = [ville[4]]
        elif ville and r < 0.35:
            zone = [ville[5]]
        elif distance:
            zone = ["france"]
        nom = rnd.choice(NOMS)
        services.append(
            {
                "source": "bench",
                "id": f"bench--se-{i}",
                "structure_id": f"bench--st-{s}",
                "nom": f"{nom} {i}",
                "description": f"{nom} : {' '.join(rnd.sample(MOTS, 3))} pour les habitants, sur rendez-vous ou sans.",
                "date_maj": "2026-06-01",
                "thematiques": rnd.sample(thematiques, rnd.randint(1, 3)),
                "publics": ["tous-publics"] if rnd.random() < 0.5 else rnd.sample(publics, rnd.randint(1, 2)),
                "frais": rnd.choice(["gratuit", "gratuit", "payant"]),
                "modes_accueil": ["a-distance"] if distance else ["en-presentiel"],
                "zone_eligibilite": zone,
                "latitude": None if distance else lat,
                "longitude": None if distance else lon,
                "horaires_accueil": rnd.choice(HORAIRES) or None,
            }
        )
    ch_st, ch_se = dossier / "structures.json", dossier / "services.json"
    ch_st.write_text(json.dumps(structures), encoding="utf-8")
    ch_se.write_text(json.dumps(services), encoding="utf-8")
    return ch_st, ch_se


def recherche_naive(criteres, moment: datetime) -> list[int]:
    """Every published service loaded, every criterion checked in Python, hours parsed per service."""
    from opening_hours import OpeningHours

    from repere.annuaire import taxonomies
    from repere.annuaire.models import Fermeture, Service
    from repere.annuaire.selectors import cles_zone
    from repere.territoires.selectors import distance_km
    from repere.utils.text import normalise

    thematiques = set(taxonomies.thematiques_de(criteres.thematiques))
    mots = normalise(criteres.texte).split()
    cles = set(cles_zone(criteres.commune))
    fermes = set(
        Fermeture.objects.filter(debut__lte=moment.date(), fin__gte=moment.date()).values_list("service_id", flat=True)
    )
    trouves = []
    for s in (
        Service.objects.filter(statut="publie")
        .select_related("structure")
        .only(
            "pk",
            "nom",
            "description",
            "latitude",
            "longitude",
            "thematiques",
            "zone_eligibilite",
            "horaires_accueil",
            "modes_accueil",
            "structure__nom",
            "structure__horaires_accueil",
        )
    ):
        distant = "a-distance" in s.modes_accueil
        if not distant:
            if s.latitude is None:
                continue
            d = distance_km(criteres.commune.latitude, criteres.commune.longitude, s.latitude, s.longitude)
            if d > criteres.rayon_km:
                continue
        if thematiques and not thematiques & set(s.thematiques):
            continue
        zone = s.zone_eligibilite or []
        if zone and "france" not in zone and not cles & set(zone):
            continue
        texte = " " + normalise(f"{s.nom} {s.description} {s.structure.nom}")
        if any(" " + m not in texte for m in mots):
            continue
        h = s.horaires_accueil or s.structure.horaires_accueil
        if not h or s.pk in fermes or not OpeningHours(h, country="FR").is_open(moment):
            continue
        trouves.append(s.pk)
    return trouves


def _base_prete(base: str, n_services: int) -> bool:
    """The bench database of a former run already holds this directory (--garder)."""
    if base == "postgres":
        import psycopg

        try:
            with psycopg.connect(BASES[base]) as c:
                return c.execute("SELECT COUNT(*) FROM annuaire_service").fetchone()[0] == n_services
        except psycopg.Error:
            return False
    import sqlite3

    chemin = Path(f"/tmp/repere-bench-annuaire{_SUFFIXE}.sqlite3")
    if not chemin.exists():
        return False
    try:
        with sqlite3.connect(chemin) as c:
            return c.execute("SELECT COUNT(*) FROM annuaire_service").fetchone()[0] == n_services
    except sqlite3.Error:
        return False


def mesurer(base: str, n_services: int, n_requetes: int, garder: bool = False, n_naifs: int = 5) -> dict:
    os.environ["DATABASE_URL"] = BASES[base]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    garder = garder and _base_prete(base, n_services)
    if not garder and base == "postgres":
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS repere_bench_annuaire{_SUFFIXE}")
            c.execute(f"CREATE DATABASE repere_bench_annuaire{_SUFFIXE}")
    elif not garder:
        Path(f"/tmp/repere-bench-annuaire{_SUFFIXE}.sqlite3").unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from repere.annuaire import importation, selectors
    from repere.annuaire.models import IndexRecherche, Service
    from repere.territoires.models import Territoire, TypeTerritoire

    call_command("migrate", verbosity=0)
    resultats = {"base": base, "services": n_services, "gardee": garder}
    if garder:  # the directory of a former run (--garder): neither generated nor imported again
        resultats.update(generation_s=0.0, import_s=0.0, import_cpu_s=0.0, reimport_s=0.0, rejets=0)
    else:
        with tempfile.TemporaryDirectory() as dossier:
            t = time.perf_counter()
            ch_st, ch_se = generer(Path(dossier), n_services)
            resultats["generation_s"] = time.perf_counter() - t
            t, cpu = time.perf_counter(), time.process_time()
            rapport = importation.importer_data_inclusion(structures=ch_st, services=ch_se)
            resultats["import_s"], resultats["import_cpu_s"] = time.perf_counter() - t, time.process_time() - cpu
            resultats["rejets"] = len(rapport.rejets)
            # second run: idempotent upsert of the same export
            t = time.perf_counter()
            importation.importer_data_inclusion(structures=ch_st, services=ch_se)
            resultats["reimport_s"] = time.perf_counter() - t
    resultats["lignes_index"] = IndexRecherche.objects.count()
    resultats["services_en_base"] = Service.objects.count()
    if base == "postgres":
        from django.db import connection

        # what autovacuum does after a bulk load: statistics, visibility map and hint bits (otherwise the
        # first searches write to the freshly loaded pages)
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE")

    def commune(v):
        # Unsaved territories carry what the search needs (centre, codes of the commune, EPCI, département).
        return Territoire(
            type=TypeTerritoire.COMMUNE,
            code=v[3],
            nom=v[0],
            latitude=v[1],
            longitude=v[2],
            epci=Territoire(type=TypeTerritoire.EPCI, code=v[4]),
            departement=Territoire(type=TypeTerritoire.DEPARTEMENT, code=v[5]),
        )

    from data_inclusion.schema.v1 import Thematique

    rnd = random.Random(7)
    thematiques = [t.value for t in Thematique]
    moment = timezone.make_aware(datetime(2026, 3, 10, 10, 30))  # a Tuesday morning
    requetes = [
        selectors.Criteres(
            commune=commune(rnd.choice(VILLES)),
            rayon_km=30,
            thematiques=[rnd.choice(thematiques)],
            texte=rnd.choice(MOTS),
            ouvert_maintenant=True,
            moment=moment,
        )
        for _ in range(n_requetes)
    ]
    # Paris is the worst case (16 % of the services within 30 km): always measured.
    requetes[0].commune = commune(VILLES[0])

    def rechercher_avec(colonnes, c):
        """The search with its text and zone filters read on the index row ("i", the search of the
        code) or on the service row ("s": the former plan, one service lookup per candidate of the box)."""
        selectors.COLONNES_FILTRES = colonnes
        try:
            return selectors.rechercher(c)
        finally:
            selectors.COLONNES_FILTRES = "i"

    for c in requetes[:3]:
        rechercher_avec("i", c)  # warm-up
        rechercher_avec("s", c)
    durees, cpu, tailles, reference = [], [], [], []
    for k, c in enumerate(requetes):
        # the reference (former plan) and the search interleaved, in turn first: same load, same cache
        for colonnes in ("s", "i") if k % 2 else ("i", "s"):
            t, tc = time.perf_counter(), time.process_time()
            r = rechercher_avec(colonnes, c)
            duree, duree_cpu = (time.perf_counter() - t) * 1000, (time.process_time() - tc) * 1000
            if colonnes == "i":
                durees.append(duree)
                cpu.append(duree_cpu)
                tailles.append(len(r))
                obtenus = [x.service_id for x in r]
            else:
                reference.append(duree)
                attendus = [x.service_id for x in r]
        assert obtenus == attendus, f"résultats différents de la référence pour {c.commune.nom} ({c.texte})"
    durees.sort()
    cpu.sort()
    reference.sort()
    resultats["recherche_cpu_p50_ms"] = statistics.median(cpu)
    resultats["recherche_cpu_p95_ms"] = cpu[int(0.95 * (len(cpu) - 1))]
    resultats["charge"] = os.getloadavg()[0]
    resultats["recherche_p50_ms"] = statistics.median(durees)
    resultats["recherche_p95_ms"] = durees[int(0.95 * (len(durees) - 1))]
    resultats["recherche_max_ms"] = durees[-1]
    resultats["reference_p50_ms"] = statistics.median(reference)
    resultats["reference_p95_ms"] = reference[int(0.95 * (len(reference) - 1))]
    resultats["resultats_moyens"] = statistics.mean(tailles)
    # Typo tolerance: the same searches, the word mistyped; baseline = the correctly typed ones, same run.
    from dataclasses import replace

    from repere.annuaire import recherche_texte

    recherche_texte.vider_vocabulaire()
    t = time.perf_counter()
    mots_vocabulaire = len(recherche_texte.vocabulaire()[0])
    resultats["vocabulaire_s"] = time.perf_counter() - t
    resultats["vocabulaire_mots"] = mots_vocabulaire
    fautes = [replace(c, texte=FAUTES[c.texte]) for c in requetes]
    for c in fautes[:3]:
        selectors.rechercher(c)
    justes, tolerants = [], []
    for juste, faute in zip(requetes, fautes, strict=True):
        t = time.perf_counter()
        attendus = {r.service_id for r in selectors.rechercher(juste)}
        justes.append((time.perf_counter() - t) * 1000)
        recherche_texte.vider_corrections()  # measured afresh: no correction remembered from a former query
        t = time.perf_counter()
        obtenus = {r.service_id for r in selectors.rechercher(faute)}
        tolerants.append((time.perf_counter() - t) * 1000)
        assert attendus <= obtenus, f"« {faute.texte} » ne trouve pas ce que trouve « {juste.texte} »"
    justes.sort()
    tolerants.sort()
    resultats["juste_p50_ms"] = statistics.median(justes)
    resultats["juste_p95_ms"] = justes[int(0.95 * (len(justes) - 1))]
    resultats["fautes_p50_ms"] = statistics.median(tolerants)
    resultats["fautes_p95_ms"] = tolerants[int(0.95 * (len(tolerants) - 1))]
    resultats["charge_fautes"] = os.getloadavg()[0]
    naifs = []
    for c in requetes[: max(1, n_naifs)]:
        t = time.perf_counter()
        attendu = recherche_naive(c, moment.replace(tzinfo=None))
        naifs.append((time.perf_counter() - t) * 1000)
        obtenu = sorted(r.service_id for r in selectors.rechercher(c, limite=10**6))
        assert sorted(attendu) == obtenu, f"résultats différents pour {c.commune.nom} : {len(attendu)} ≠ {len(obtenu)}"
    resultats["naif_p50_ms"] = statistics.median(naifs)
    resultats["ratio_medianes"] = resultats["naif_p50_ms"] / resultats["recherche_p50_ms"]
    return resultats


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", choices=["sqlite", "postgres", "les-deux"], default="les-deux")
    parser.add_argument("--services", type=int, default=250_000)
    parser.add_argument("--requetes", type=int, default=200)
    parser.add_argument(
        "--garder",
        action="store_true",
        help="reuse the bench database of a former run when it holds as many services (no generation, no import)",
    )
    parser.add_argument(
        "--naifs", type=int, default=5, help="searches also run by the naive implementation (≈ 20-40 s each)"
    )
    parser.add_argument("--interne", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.interne:
        print(json.dumps(mesurer(args.base, args.services, args.requetes, garder=args.garder, n_naifs=args.naifs)))
        return
    bases = ["sqlite", "postgres"] if args.base == "les-deux" else [args.base]
    print(
        f"Annuaire — {args.services:_} services synthétiques, {args.requetes} recherches, {date.today()}".replace(
            "_", " "
        )
    )
    for base in bases:
        sortie = subprocess.run(
            [
                sys.executable,
                __file__,
                "--interne",
                "--base",
                base,
                "--services",
                str(args.services),
                "--requetes",
                str(args.requetes),
                "--naifs",
                str(args.naifs),
                *(["--garder"] if args.garder else []),
            ],
            capture_output=True,
            text=True,
            cwd=RACINE,
        )
        if sortie.returncode:
            print(sortie.stderr[-3000:])
            sys.exit(sortie.returncode)
        r = json.loads(sortie.stdout.strip().splitlines()[-1])
        print(
            f"\n[{base}] import {r['import_s']:.1f} s (CPU du processus {r['import_cpu_s']:.1f} s ; réimport idempotent {r['reimport_s']:.1f} s, "
            f"{r['lignes_index']:_} lignes d'index, {r['rejets']} rejet(s))".replace("_", " ")
        )
        print(
            f"[{base}] recherche lieu + 30 km + thématique + mot + ouvert maintenant : p50 {r['recherche_p50_ms']:.1f} ms, "
            f"p95 {r['recherche_p95_ms']:.1f} ms, max {r['recherche_max_ms']:.1f} ms ({r['resultats_moyens']:.1f} résultats en moyenne)"
        )
        print(
            f"[{base}] référence, même passe, recherches alternées (ancien plan : texte et zone lus sur la ligne "
            f"du service, une lecture par candidat) : p50 {r['reference_p50_ms']:.1f} ms, p95 {r['reference_p95_ms']:.1f} ms "
            f"— rapport p50 {r['recherche_p50_ms'] / r['reference_p50_ms']:.2f}, "
            f"p95 {r['recherche_p95_ms'] / r['reference_p95_ms']:.2f} (mêmes résultats, dans le même ordre)"
        )
        print(
            f"[{base}] temps CPU du processus Python par recherche : p50 {r['recherche_cpu_p50_ms']:.1f} ms, "
            f"p95 {r['recherche_cpu_p95_ms']:.1f} ms (charge de la machine : {r['charge']:.1f} pour 2 cœurs)"
        )
        print(
            f"[{base}] naïf (tout charger, filtrer en Python) : p50 {r['naif_p50_ms']:.0f} ms — ratio {r['ratio_medianes']:.0f}×"
        )
        print(
            f"[{base}] même recherche, mot mal tapé (tolérance aux fautes, sans mémoire des corrections) : p50 {r['fautes_p50_ms']:.1f} ms, "
            f"p95 {r['fautes_p95_ms']:.1f} ms ; mot juste, même passe : p50 {r['juste_p50_ms']:.1f} ms, "
            f"p95 {r['juste_p95_ms']:.1f} ms — ratio des p95 {r['fautes_p95_ms'] / r['juste_p95_ms']:.2f} "
            f"(charge {r['charge_fautes']:.1f})"
        )
        print(
            f"[{base}] vocabulaire de l'annuaire : {r['vocabulaire_mots']:_} mots lus en {r['vocabulaire_s']:.2f} s "
            "(une fois par heure et par déploiement)".replace("_", " ")
        )


if __name__ == "__main__":
    main()
