"""Benchmark: contact submission under 20 concurrent volunteers, quick pre-screen included.

Usage: .venv/bin/python bench/allervers_saisie.py [--requetes 25] [--volontaires 20]

A real server process (gunicorn, 2 workers x 10 threads, on 127.0.0.1; `manage.py runserver` if gunicorn
is missing) serves a fresh SQLite database (or DATABASE_URL if given). 20 client threads (urllib), one
per volunteer with their own session, each send their contacts one after the other (closed loop).
Scenarios, measured in the same run:
  - baseline: a trivial endpoint (GET /aller-vers/sw.js, a rendered template) under the same load;
  - contact without pre-screen (POST /api/v1/aller-vers/contacts, no answers);
  - contact with pre-screen, doorstep answers (coarse answers: ages, incomes rounded to 100 €, as the
    capture form asks them; the volunteer has usually shown the result before submitting, so most
    households were already computed: per-process memo of the engine result);
  - contact with pre-screen, every household new (memo defeated: unique income per request), i.e. one
    OpenFisca quick simulation per request.
Also a double submission of every key: no duplicate must be created.
"""

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))


def preparer(env):
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from repere.allervers import services
    from repere.allervers.models import NoticeInformation
    from repere.comptes.models import User
    from repere.organisations.models import Organisation, Role
    from repere.organisations.services import ajouter_membre
    from repere.territoires.models import Territoire

    commune, _ = Territoire.objects.get_or_create(
        type="commune", code="49092", defaults={"nom": "Chemillé-en-Anjou", "population": 21000}
    )
    org = Organisation.objects.create(nom="CCAS banc d'essai", type="ccas")
    pro = User.objects.create_user(email=f"pro-{uuid.uuid4().hex[:6]}@bench.localhost", password="x-bench-123456")
    ajouter_membre(organisation=org, user=pro, role=Role.PROFESSIONNEL)
    benevoles = []
    for i in range(env_int("VOLONTAIRES")):
        u = User.objects.create_user(email=f"b{i}-{uuid.uuid4().hex[:6]}@bench.localhost", password="x-bench-123456")
        ajouter_membre(organisation=org, user=u, role=Role.BENEVOLE)
        benevoles.append(u)
    notice = NoticeInformation.objects.create(organisation=org, version="1", titre="n", texte="n", base_legale="6.1.e")
    aujourdhui = timezone.localdate()
    campagne = services.creer_campagne(
        organisation=org,
        par=pro,
        nom="Banc d'essai",
        type="porte_a_porte",
        territoires=[commune],
        date_debut=aujourdhui - timezone.timedelta(days=30),
        date_fin=aujourdhui + timezone.timedelta(days=30),
        notice=notice,
        secteurs=["A", "B", "C"],
        equipe=benevoles,
    )
    sessions = []
    for u in benevoles:
        c = Client()
        c.force_login(u)
        sessions.append(c.cookies["sessionid"].value)
    return campagne.pk, list(campagne.thematiques), sessions


def cache_partage(dossier) -> str:
    """A cache shared by the workers, as in production: Redis when one answers locally, else files."""
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
        return "rediscache://127.0.0.1:6379/9"
    except Exception:  # noqa: BLE001 - no Redis here
        return f"filecache://{dossier / 'cache'}"


def env_int(nom):
    return int(os.environ[f"BENCH_{nom}"])


def demarrer_serveur(env, port):
    if shutil.which("gunicorn", path=str(RACINE / ".venv" / "bin")) or (RACINE / ".venv/bin/gunicorn").exists():
        cmd = [
            str(RACINE / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "4",
            "-k",
            "gthread",
            "--threads",
            "5",
            "--log-level",
            "warning",
            "--timeout",
            "300",
        ]
        nom = "gunicorn (4 workers x 5 threads)"
    else:
        cmd = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
        nom = "manage.py runserver (threaded)"
    proc = subprocess.Popen(
        cmd,
        cwd=RACINE,
        env={**os.environ, **env},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/aller-vers/sw.js", timeout=5)
            return proc, nom
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit("le serveur n'a pas démarré : " + proc.stderr.read().decode()[-2000:])


CSRF = "b" * 32


def requete(url, session, corps=None):
    donnees = json.dumps(corps).encode() if corps is not None else None
    req = urllib.request.Request(url, data=donnees, method="POST" if corps is not None else "GET")
    req.add_header("Cookie", f"sessionid={session}; csrftoken={CSRF}")
    req.add_header("X-CSRFToken", CSRF)
    req.add_header("Content-Type", "application/json")
    req.add_header("Referer", url)
    debut = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as rep:
            rep.read()
            statut = rep.status
    except urllib.error.HTTPError as e:
        statut = e.code
        e.read()
    except (TimeoutError, urllib.error.URLError, ConnectionError):
        statut = "erreur réseau"
    return time.perf_counter() - debut, statut


def charge(base, sessions, fabrique, n, graine="", avant=None, pause=0.0):
    durees, statuts, verrou = [], {}, threading.Lock()

    def volontaire(i):
        alea = random.Random(f"{graine}-{i}")
        for k in range(n):
            url, corps = fabrique(alea, i, k)
            if avant is not None:
                avant(base, sessions[i], corps)  # untimed: what the volunteer did just before
            if pause:
                time.sleep(alea.uniform(0.5 * pause, 1.5 * pause))
            d, s = requete(base + url, sessions[i], corps)
            with verrou:
                durees.append(d)
                statuts[s] = statuts.get(s, 0) + 1

    fils = [threading.Thread(target=volontaire, args=(i,)) for i in range(len(sessions))]
    debut = time.perf_counter()
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    total = time.perf_counter() - debut
    durees.sort()
    return {
        "p50": statistics.median(durees) * 1000,
        "p95": durees[int(len(durees) * 0.95) - 1] * 1000,
        "debit": len(durees) / total,
        "n": len(durees),
        "statuts": statuts,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requetes", type=int, default=25, help="contacts par volontaire et par scénario")
    parser.add_argument("--volontaires", type=int, default=20)
    parser.add_argument(
        "--pause",
        type=float,
        default=10.0,
        help="pause moyenne (s) de chaque volontaire entre deux contacts en mode « terrain » (0 = saturation seule) ; "
        "sur le terrain un contact prend plutôt une minute",
    )
    args = parser.parse_args()
    dossier = Path(tempfile.mkdtemp(prefix="bench-allervers-"))
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "False",
        "REPERE_DEMO": "False",
        "LOG_LEVEL": "WARNING",
        "BENCH_VOLONTAIRES": str(args.volontaires),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{dossier / 'bench.sqlite3'}"),
        "CACHE_URL": cache_partage(dossier),
    }
    campagne, thematiques, sessions = preparer(env)
    port = random.randint(20000, 40000)
    proc, nom_serveur = demarrer_serveur(env, port)
    base = f"http://127.0.0.1:{port}"
    aujourdhui = time.strftime("%Y-%m-%d")
    cles = []

    def contact(reponses=None):
        def fabrique(alea, i, k):
            cle = str(uuid.UUID(int=alea.getrandbits(128)))
            cles.append((i, cle))
            corps = {
                "cle": cle,
                "campagne": campagne,
                "date": aujourdhui,
                "canal": "porte",
                "secteur": alea.choice(["A", "B", "C"]),
                "besoins": alea.sample(thematiques, 2),
                "situations": ["isolement"],
                "reponses": reponses(alea, i, k) if reponses else {},
            }
            return "/aller-vers/contacts/envoi/", corps

        return fabrique

    SEL = random.randint(1000, 15000)

    def prereperage_affiche(base, session, corps):
        requete(base + "/api/v1/aller-vers/prereperage", session, {"campagne": campagne, "reponses": corps["reponses"]})

    def reponses_porte(alea, i, k):
        return {
            "age": alea.choice([22, 30, 40, 55, 70]),
            "enfants": alea.choice([0, 1, 2]),
            "logement": alea.choice(["locataire", "locataire_social", "proprietaire"]),
            "loyer": 500,
            "revenus": alea.choice([0, 600, 900, 1300]),
            "activite": alea.choice(["salarie", "sans_emploi", "retraite"]),
        }

    def reponses_uniques(alea, i, k):
        r = reponses_porte(alea, i, k)
        r["revenus"] = SEL + i * 200 + k  # never seen before (SEL differs at every run)
        return r

    try:
        # Warm-up: every worker builds the tax-benefit system and has seen the doorstep answers once
        # (as after the volunteer pressed "Voir les droits probables").
        # Each worker builds OpenFisca's tax-benefit system once (several seconds): warm them one by one.
        for _ in range(8):
            requete(
                base + "/api/v1/aller-vers/prereperage",
                sessions[0],
                {"campagne": campagne, "reponses": reponses_porte(random.Random(0), 0, 0)},
            )
        for n in range(2):
            charge(base, sessions, contact(reponses_porte), 2, graine=f"chauffe{n}")
        resultats = {}
        modes = [("saturation", 0.0)] + ([("terrain", args.pause)] if args.pause else [])
        for mode, pause in modes:
            resultats[(mode, "référence : GET trivial (sw.js)")] = charge(
                base,
                sessions,
                lambda a, i, k: ("/aller-vers/sw.js", None),
                args.requetes,
                graine=f"ref{mode}",
                pause=pause,
            )
            resultats[(mode, "contact sans pré-repérage")] = charge(
                base, sessions, contact(), args.requetes, graine=f"sans{mode}", pause=pause
            )
            resultats[(mode, "contact + pré-repérage affiché avant")] = charge(
                base,
                sessions,
                contact(reponses_porte),
                args.requetes,
                graine=f"porte{mode}",
                avant=prereperage_affiche,
                pause=pause,
            )
            resultats[(mode, "contact + pré-repérage, foyer jamais vu")] = charge(
                base,
                sessions,
                contact(reponses_uniques),
                max(5, args.requetes // 5),
                graine=f"unique{mode}",
                pause=pause,
            )
        # Double submission of already sent keys: must return the stored contacts.
        echantillon = cles[:200]
        doublons = {}
        for i, cle in echantillon:
            corps = {"cle": cle, "campagne": campagne, "date": aujourdhui, "canal": "porte"}
            _, s = requete(base + "/aller-vers/contacts/envoi/", sessions[i], corps)
            doublons[s] = doublons.get(s, 0) + 1
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    from repere.allervers.models import Contact

    print(
        f"Serveur : {nom_serveur} ; base : {env['DATABASE_URL'].split(':')[0]} ; cache : {env['CACHE_URL'].split(':')[0]} ; "
        f"{args.volontaires} volontaires simultanés"
    )
    for (mode, nom), r in resultats.items():
        ref = resultats[(mode, "référence : GET trivial (sw.js)")]["p95"]
        sans = resultats[(mode, "contact sans pré-repérage")]["p95"]
        nom = f"[{mode}] {nom}"
        print(
            f"{nom:54s} n={r['n']:4d}  p50={r['p50']:7.1f} ms  p95={r['p95']:7.1f} ms  "
            f"débit={r['debit']:6.1f}/s  ×réf p95={r['p95'] / ref:5.1f}  ×sans-pré-repérage={r['p95'] / sans:5.2f}  statuts={r['statuts']}"
        )
    print(
        f"Doubles envois de {len(echantillon)} clés : statuts {doublons} ; contacts en base {Contact.objects.count()} "
        f"pour {len({c for _, c in cles})} clés distinctes"
    )
    shutil.rmtree(dossier, ignore_errors=True)


if __name__ == "__main__":
    main()
