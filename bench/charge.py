"""Load test: 50 concurrent users on gunicorn + PostgreSQL, main pages and API, a trivial page as baseline.

Usage: .venv/bin/python bench/charge.py [--preparer] [--utilisateurs 50] [--duree 60] [--attente 1 5]
       [--workers 8] [--threads 1] [--port 8115] [--base postgres://postgres@127.0.0.1:5432/repere_charge]
       [--python-locust .venv/bin/python]

--preparer creates the database content first (migrate, territories, demo data) and collects the static files.
The server runs the production settings (config.settings.prod, HTTPS redirects off for 127.0.0.1), the shared
cache on Redis when it answers, the engine pre-warmed. Locust (headless, bounded by --duree) runs on the same
machine: 3/4 visitors (public pages, API, quick simulation), 1/4 logged-in social workers, each waiting
--attente MIN MAX seconds between two pages (1 to 5 s by default: a person reads the page; 0 0 hammers). Locust
runs at a lower priority (nice 10) so that the load generator does not take the server's cores; its CPU time, the
server's and the whole machine's are printed. Prints, per endpoint: requests, errors, p50, p95 and p95 / p95 of the
trivial page measured in the same run, with the load average and the think time the figures depend on.
Only 127.0.0.1 is contacted.
"""

import argparse
import contextlib
import csv
import itertools
import os
import resource
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

RACINE = Path(__file__).resolve().parents[1]
PY = sys.executable
TEMOIN = "témoin : page triviale"


def environnement(base: str, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="banc-de-charge-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=base,
        STATIC_ROOT=str(RACINE / "var" / "charge-static"),
        REPERE_DEMO="1",
        REPERE_PRECHAUFFAGE="1",
        LOG_LEVEL="WARNING",
        REPERE_GEOCODEUR_URL="",
    )
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
        env["CACHE_URL"] = "rediscache://127.0.0.1:6379/7"
    except Exception:  # noqa: BLE001 - no Redis: per-process cache
        pass
    return env


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=RACINE, env={**env, "REPERE_PRECHAUFFAGE": "0"}, check=True)


def preparer(env, base: str):
    import psycopg

    nom = base.rsplit("/", 1)[1]
    with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as cnx:
        if not cnx.execute("SELECT 1 FROM pg_database WHERE datname = %s", (nom,)).fetchone():
            cnx.execute(f'CREATE DATABASE "{nom}"')
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "charger_territoires")
    manage(env, "charger_demo")
    manage(env, "collectstatic", "--noinput", "-v0")


def attendre(url: str, delai: float = 180) -> None:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except Exception:  # noqa: BLE001
            time.sleep(1)
    raise SystemExit(f"Le serveur ne répond pas sur {url}")


SEQUENTIELS = [
    ("témoin : page triviale", "GET", "/mentions-legales/"),
    ("/", "GET", "/"),
    ("/droits/", "GET", "/droits/"),
    ("/annuaire/?commune=…", "GET", "/annuaire/?commune=49092"),
    ("/territoires/commune/…/", "GET", "/territoires/commune/49092/"),
    ("API territoires/recherche", "GET", "/api/v1/territoires/recherche?q=chemille"),
    ("API annuaire/search/services", "GET", "/api/v1/annuaire/search/services?code_commune=49092"),
    ("API simulations?mode=rapide", "POST", "/api/v1/simulations?mode=rapide"),
]


_SALAIRES = itertools.count(501)


def requete(base: str, methode: str, chemin: str) -> float:
    import json

    sys.path.insert(0, str(RACINE / "bench"))
    from charge_menage import MENAGE

    # a household not seen before at each call: its real cost, not the web layer's cache of identical households
    demandeur = dict(MENAGE["personnes"][0], revenus=[{"nature": "salaire", "montant_mensuel": next(_SALAIRES)}])
    menage = {**MENAGE, "personnes": [demandeur, *MENAGE["personnes"][1:]]}
    corps = json.dumps(menage).encode() if methode == "POST" else None
    demande = urllib.request.Request(
        base + chemin, data=corps, method=methode, headers={"Content-Type": "application/json"}
    )
    debut = time.perf_counter()
    with urllib.request.urlopen(demande, timeout=120) as r:
        r.read()
    return (time.perf_counter() - debut) * 1000


def seul(base: str, repetitions: int = 5) -> dict[str, float]:
    """Each endpoint alone (one request at a time): its own cost, without queueing."""
    import statistics

    return {nom: statistics.median(requete(base, m, c) for _ in range(repetitions)) for nom, m, c in SEQUENTIELS}


def temps_serveur(pid: int) -> float:
    """CPU seconds used so far by gunicorn's master and its workers (a recycled worker's time is lost: a bound)."""
    total = 0.0
    try:
        maitre = psutil.Process(pid)
        for p in [maitre, *maitre.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                t = p.cpu_times()
                total += t.user + t.system
    except psutil.NoSuchProcess:
        pass
    return total


def lire(fichier: Path) -> list[dict]:
    with fichier.open(encoding="utf-8") as f:
        return [ligne for ligne in csv.DictReader(f) if ligne["Name"] != "Aggregated"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--preparer", action="store_true")
    p.add_argument("--utilisateurs", type=int, default=50)
    p.add_argument("--duree", type=int, default=60, help="secondes de charge")
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--port", type=int, default=8115)
    p.add_argument("--base", default="postgres://postgres@127.0.0.1:5432/repere_charge")
    p.add_argument(
        "--attente",
        nargs=2,
        type=float,
        default=[1.0, 5.0],
        metavar=("MIN", "MAX"),
        help="temps de réflexion de chaque utilisateur entre deux pages, en secondes (1 à 5 par défaut)",
    )
    p.add_argument("--python-locust", default=PY, help="l'interpréteur où Locust est installé (bin/install bench)")
    a = p.parse_args()
    if subprocess.run([a.python_locust, "-c", "import locust"], capture_output=True).returncode:
        raise SystemExit(f"Locust n'est pas installé pour {a.python_locust} : bin/install bench")
    env = environnement(a.base, a.port)
    if a.preparer:
        preparer(env, a.base)
    else:  # this checkout's migrations and static manifest
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
    sortie = RACINE / "var" / "charge"
    sortie.mkdir(parents=True, exist_ok=True)
    serveur = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{a.port}",
            "--workers",
            str(a.workers),
            "--threads",
            str(a.threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            # what a browser gets from nginx in production (keepalive_timeout 75 s; nginx opens a new connection
            # to gunicorn for each request): with gunicorn's own 2 s, a user who reads a page for 1 to 5 s
            # reuses a connection at the moment a busy worker closes it, and gets « connection reset » (see
            # bench/keepalive_gunicorn.py), an artefact of exposing gunicorn without its proxy
            "--keep-alive",
            "75",
            "--max-requests",
            "2000",
            "--max-requests-jitter",
            "200",
            "--log-level",
            "warning",
        ],
        cwd=RACINE,
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{a.port}"
        attendre(f"{base}/mentions-legales/")
        for _ in range(3 * a.workers):  # every worker warm (engine built, templates loaded)
            requete(base, "POST", "/api/v1/simulations?mode=rapide")
            requete(base, "GET", "/api/v1/territoires/recherche?q=chemille")  # the per-process search index
        couts = seul(base)
        charge_avant = os.getloadavg()
        enfants_avant = resource.getrusage(resource.RUSAGE_CHILDREN)
        serveur_avant, machine_avant = temps_serveur(serveur.pid), psutil.cpu_times()
        debut = time.monotonic()
        subprocess.run(
            [
                a.python_locust,
                "-m",
                "locust",
                "-f",
                str(RACINE / "bench" / "charge_locust.py"),
                "--headless",
                "--only-summary",
                "-u",
                str(a.utilisateurs),
                "-r",
                str(max(1, a.utilisateurs // 5)),
                "-t",
                f"{a.duree}s",
                "--host",
                f"http://127.0.0.1:{a.port}",
                "--csv",
                str(sortie / "resultats"),
                "--stop-timeout",
                "10",
            ],
            cwd=RACINE,
            env={**os.environ, "PYTHONWARNINGS": "ignore", "REPERE_CHARGE_ATTENTE": f"{a.attente[0]},{a.attente[1]}"},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: os.nice(10),  # the load generator yields the cores to the server under test
        )
        duree = time.monotonic() - debut
        charge_apres = os.getloadavg()
        enfants_apres = resource.getrusage(resource.RUSAGE_CHILDREN)
        serveur_cpu, machine_apres = temps_serveur(serveur.pid) - serveur_avant, psutil.cpu_times()
    finally:
        os.killpg(serveur.pid, signal.SIGTERM)
        serveur.wait(timeout=30)

    lignes = lire(sortie / "resultats_stats.csv")
    temoin = next(float(x["95%"]) for x in lignes if x["Name"] == TEMOIN)
    total = sum(int(x["Request Count"]) for x in lignes)
    erreurs = sum(int(x["Failure Count"]) for x in lignes)
    print(
        f"\n{a.utilisateurs} utilisateurs, {a.duree} s, gunicorn {a.workers} processus × {a.threads} fils, PostgreSQL, "
        f"charge de la machine {charge_avant[0]:.1f} avant / {charge_apres[0]:.1f} après (1 min), {os.cpu_count()} cœurs"
    )
    locust_cpu = (enfants_apres.ru_utime + enfants_apres.ru_stime) - (enfants_avant.ru_utime + enfants_avant.ru_stime)
    inactif = (machine_apres.idle + machine_apres.iowait) - (machine_avant.idle + machine_avant.iowait)
    occupe = sum(machine_apres) - sum(machine_avant) - inactif
    print(
        f"Temps de réflexion de chaque utilisateur entre deux pages : {a.attente[0]:g} à {a.attente[1]:g} s "
        "(--attente ; les chiffres ci-dessous en dépendent)"
    )
    print(
        f"Processeur pendant la charge ({duree:.0f} s) : serveur gunicorn {serveur_cpu:.0f} s "
        f"({serveur_cpu / duree:.2f} cœur), Locust (nice 10) {locust_cpu:.0f} s ({locust_cpu / duree:.2f} cœur), "
        f"machine entière {occupe / duree:.2f} cœur occupé sur {os.cpu_count()}"
    )
    print(f"{total} requêtes ({total / duree:.1f} par seconde), {erreurs} erreurs\n")
    print("| point d'accès | seul (ms, médiane) | requêtes | erreurs | p50 (ms) | p95 (ms) | p95 / témoin |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for x in sorted(lignes, key=lambda x: -float(x["95%"])):
        cout = f"{couts[x['Name']]:.0f}" if x["Name"] in couts else "—"
        print(
            f"| {x['Type']} {x['Name']} | {cout} | {x['Request Count']} | {x['Failure Count']} | "
            f"{float(x['50%']):.0f} | {float(x['95%']):.0f} | {float(x['95%']) / temoin:.1f} |"
        )
    pages = [x for x in lignes if not x["Name"].startswith(("API simulations", "connexion"))]
    pire = max(pages, key=lambda x: float(x["95%"]))
    simulation = next((x for x in lignes if x["Name"].startswith("API simulations")), None)
    print(
        f"\nCible : 0 erreur et p95 ≤ 300 ms pour les pages — mesuré : {erreurs} erreur(s), pire p95 des pages "
        f"{float(pire['95%']):.0f} ms ({pire['Name']}) : {'ATTEINTE' if not erreurs and float(pire['95%']) <= 300 else 'NON ATTEINTE'}"
    )
    if simulation:
        rapport = float(simulation["95%"]) / temoin
        print(
            f"Cible : API de simulation p95 ≤ 4 × témoin — mesuré : {float(simulation['95%']):.0f} ms = "
            f"{rapport:.1f} × témoin : {'ATTEINTE' if rapport <= 4 else 'NON ATTEINTE'}"
        )
    echecs = sortie / "resultats_failures.csv"
    if erreurs and echecs.exists():
        print("\nErreurs :\n" + echecs.read_text(encoding="utf-8")[:3000])


if __name__ == "__main__":
    main()
