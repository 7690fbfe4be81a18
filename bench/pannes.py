"""Fault scripts: the background worker killed mid-job, the database unreachable at start and mid-run, the
upload folder's disk full. Each checks that nothing is lost, that the messages are clear and that the service
recovers without any manual step. Prints one line per check (OK / ÉCHEC) and the timings.

Usage: .venv/bin/python bench/pannes.py [--menages 4000] [--port 8116] [--scenarios travailleur,base,disque]
       [--base postgres://postgres@127.0.0.1:5432/repere_pannes]

PostgreSQL is reached through a small TCP relay started by the script (127.0.0.1 only): the outage is the relay
stopping, so the shared PostgreSQL server is never stopped. The disk-full case mounts a 256 KiB tmpfs on the upload
folder (needs root; skipped otherwise). Everything runs on 127.0.0.1.
"""

import argparse
import contextlib
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
PY = sys.executable
VAR = RACINE / "var" / "pannes"
RESULTATS: list[tuple[str, bool, str]] = []


def verifier(nom: str, condition: bool, detail: str = "") -> None:
    RESULTATS.append((nom, bool(condition), detail))
    print(f"  {'OK   ' if condition else 'ÉCHEC'} {nom}{' — ' + detail if detail else ''}", flush=True)


class Relais:
    """TCP relay 127.0.0.1:port → PostgreSQL; stop() cuts every connection, as a network or server outage."""

    def __init__(self, port: int, cible=("127.0.0.1", 5432)):
        self.port, self.cible = port, cible
        self.ecoute = None
        self.sockets: list[socket.socket] = []

    def demarrer(self):
        self.ecoute = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        threading.Thread(target=self._accepter, args=(self.ecoute,), daemon=True).start()

    def _accepter(self, ecoute):
        while True:
            try:
                client, _ = ecoute.accept()
            except OSError:
                return
            serveur = socket.create_connection(self.cible)
            self.sockets += [client, serveur]
            for a, b in ((client, serveur), (serveur, client)):
                threading.Thread(target=self._copier, args=(a, b), daemon=True).start()

    @staticmethod
    def _copier(a, b):
        try:
            while donnees := a.recv(65536):
                b.sendall(donnees)
        except OSError:
            pass
        for s in (a, b):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def arreter(self):
        if self.ecoute:
            with contextlib.suppress(OSError):
                self.ecoute.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread: the port stops listening
            self.ecoute.close()
            self.ecoute = None
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets = []


def environnement(base_relais: str, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "CACHE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY="banc-de-pannes-" + "p" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        DATABASE_URL=base_relais,
        STATIC_ROOT=str(VAR / "static"),
        MEDIA_ROOT=str(VAR / "media"),
        DEPISTAGE_REPERTOIRE=str(VAR / "depots"),
        LOG_LEVEL="WARNING",
        LOG_FORMAT="simple",
        REPERE_PRECHAUFFAGE="0",
        REPERE_DOUBLE_FACTEUR="0",
        REPERE_GEOCODEUR_URL="",
    )
    return env


def manage(env, *args, **kwargs):
    return subprocess.run(
        [PY, "manage.py", *args], cwd=RACINE, env=env, check=True, text=True, capture_output=True, **kwargs
    )


def shell(env, code: str) -> str:
    return manage(env, "shell", "-c", code).stdout.strip()


def preparer(env, base: str, menages: int) -> None:
    import psycopg

    nom = base.rsplit("/", 1)[1]
    with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as cnx:
        cnx.execute(f'DROP DATABASE IF EXISTS "{nom}"')
        cnx.execute(f'CREATE DATABASE "{nom}"')
    if VAR.exists():
        shutil.rmtree(VAR)
    (VAR / "depots").mkdir(parents=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "generer_menages", str(menages), "--sortie", str(VAR / "menages.csv"))
    shell(
        env,
        "from repere.organisations.models import Organisation, Membership, Role; from repere.comptes.models import User\n"
        "o = Organisation.objects.create(nom='CCAS des pannes', type='ccas')\n"
        "u = User.objects.create_user(email='pro@pannes.exemple', password='mot-de-passe-des-pannes-2026')\n"
        "Membership.objects.create(user=u, organisation=o, role=Role.PROFESSIONNEL)\n",
    )


def etat(env, pk: int) -> tuple[str, int, int, str]:
    sortie = shell(
        env,
        f"from repere.depistage.models import Depistage as D; d = D.objects.get(pk={pk}); "
        "print(d.statut, d.menages_faits, d.menages_total, (d.message or '').replace(chr(10), ' '), sep='|')",
    )
    statut, faits, total, message = sortie.splitlines()[-1].split("|", 3)
    return statut, int(faits), int(total), message


def lancer_travailleur(env) -> subprocess.Popen:
    return subprocess.Popen(
        [PY, "manage.py", "run_huey", "--workers", "1"],
        cwd=RACINE,
        env=env,
        start_new_session=True,
        stdout=open(VAR / "travailleur.log", "a"),
        stderr=subprocess.STDOUT,
    )


def scenario_travailleur(env, menages: int) -> None:
    print("\n== Travailleur tué (kill -9) pendant un repérage", flush=True)
    pk = int(
        shell(
            env,
            "from django.core.files import File; from django.db import transaction\n"
            "from repere.depistage.services import creer_depistage\n"
            "from repere.organisations.models import Organisation; from repere.comptes.models import User\n"
            f"f = File(open('{VAR / 'menages.csv'}', 'rb'), name='menages.csv')\n"
            "with transaction.atomic():\n"
            "    d = creer_depistage(organisation=Organisation.objects.get(), user=User.objects.get(), fichier=f, mois='2026-11')\n"
            "print(d.pk)",
        ).splitlines()[-1]
    )
    travailleur = lancer_travailleur(env)
    debut = time.monotonic()
    while True:
        statut, faits, total, _ = etat(env, pk)
        if statut == "en_cours" and 0 < faits < total:
            break
        if statut in ("termine", "echoue") or time.monotonic() - debut > 900:
            verifier("le travailleur est tué en cours de calcul", False, f"statut {statut}, {faits}/{total}")
            os.killpg(travailleur.pid, signal.SIGKILL)
            return
        time.sleep(0.5)
    os.killpg(travailleur.pid, signal.SIGKILL)
    travailleur.wait()
    verifier("travailleur tué en cours de calcul", True, f"{faits} ménages sur {total} faits")
    # The startup rule resumes a job that gave no sign of life for 2 minutes (a second worker may be running it).
    time.sleep(125)
    travailleur = lancer_travailleur(env)
    reprise = time.monotonic()
    try:
        while True:
            statut, faits2, total, message = etat(env, pk)
            if statut in ("termine", "echoue") or time.monotonic() - reprise > 1200:
                break
            time.sleep(2)
    finally:
        os.killpg(travailleur.pid, signal.SIGTERM)
        travailleur.wait(timeout=60)
    verifier(
        "repris sans intervention au redémarrage du travailleur", statut == "termine", f"statut {statut} {message}"
    )
    fichier = VAR / "depots" / f"{pk:08d}" / "resultats.csv"
    if fichier.exists():
        with fichier.open(encoding="utf-8-sig") as f:
            lecteur = csv.reader(f, delimiter=";")
            next(lecteur)
            identifiants = [ligne[0] for ligne in lecteur if ligne]
        attendus = shell(
            env, f"from repere.depistage.models import Depistage as D; print(D.objects.get(pk={pk}).menages_total)"
        )
        verifier(
            "aucun ménage perdu ni doublé",
            len(identifiants) == len(set(identifiants)) == int(attendus.splitlines()[-1]),
            f"{len(identifiants)} lignes, {len(set(identifiants))} ménages distincts, {attendus.splitlines()[-1]} attendus",
        )
    else:
        verifier("fichier de résultats écrit", False, str(fichier))


def get(url: str, **kwargs):
    import requests

    return requests.get(url, timeout=30, **kwargs)


def attendre_http(url: str, delai=120) -> None:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        try:
            get(url)
            return
        except Exception:  # noqa: BLE001
            time.sleep(0.5)
    raise SystemExit(f"{url} ne répond pas")


def lancer_web(env, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        cwd=RACINE,
        env=env,
        start_new_session=True,
        stdout=open(VAR / "web.log", "a"),
        stderr=subprocess.STDOUT,
    )


def scenario_base(env, relais: Relais, port: int) -> None:
    print("\n== Base de données injoignable au démarrage puis en cours de route", flush=True)
    url = f"http://127.0.0.1:{port}"
    relais.arreter()
    web = lancer_web(env, port)
    travailleur = lancer_travailleur(env)
    try:
        attendre_http(f"{url}/mentions-legales/")
        verifier("le serveur démarre sans base", web.poll() is None)
        sante = get(f"{url}/sante/")
        verifier(
            "/sante/ répond 503 et nomme la base",
            sante.status_code == 503 and "base de données injoignable" in sante.text,
            f"{sante.status_code} {sante.json()['verifications']['base'].get('detail')}",
        )
        page = get(f"{url}/annuaire/?commune=49092")
        verifier(
            "une page répond 503 avec un message clair",
            page.status_code == 503 and "La base de données ne répond pas" in page.text,
            f"{page.status_code}",
        )
        api = get(f"{url}/api/v1/territoires/recherche?q=chemille")
        verifier("l'API répond 503 en JSON", api.status_code == 503 and "ne répond pas" in api.json().get("detail", ""))
        time.sleep(5)
        verifier("le travailleur reste en vie sans base", travailleur.poll() is None)

        relais.demarrer()
        debut = time.monotonic()
        page = get(f"{url}/annuaire/?commune=49092")
        verifier(
            "retour de la base : les pages répondent sans redémarrage",
            page.status_code == 200,
            f"{time.monotonic() - debut:.1f} s",
        )
        while time.monotonic() - debut < 150:
            if get(f"{url}/sante/").json()["statut"] == "ok":
                break
            time.sleep(5)
        sante = get(f"{url}/sante/").json()
        verifier(
            "le travailleur redonne signe de vie (/sante/ ok)",
            sante["statut"] == "ok",
            f"{time.monotonic() - debut:.0f} s",
        )

        relais.arreter()
        page = get(f"{url}/annuaire/?commune=49092")
        verifier("panne en cours de route : 503 clair", page.status_code == 503, f"{page.status_code}")
        relais.demarrer()
        time.sleep(1)
        page = get(f"{url}/annuaire/?commune=49092")
        verifier("reprise en cours de route sans redémarrage", page.status_code == 200, f"{page.status_code}")
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        os.killpg(travailleur.pid, signal.SIGTERM)
        web.wait(timeout=60)
        travailleur.wait(timeout=60)


def scenario_disque(env, port: int) -> None:
    import requests

    print("\n== Disque plein dans le dossier des dépôts", flush=True)
    depots = VAR / "depots"
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(depots)], capture_output=True
    ).returncode:
        verifier(
            "tmpfs de 256 Kio monté sur le dossier des dépôts (root requis)",
            False,
            "montage impossible : scénario sauté",
        )
        return
    web = lancer_web(env, port)
    url = f"http://127.0.0.1:{port}"
    try:
        attendre_http(f"{url}/mentions-legales/")
        session = requests.Session()
        session.get(f"{url}/compte/connexion/")
        session.post(
            f"{url}/compte/connexion/",
            {
                "username": "pro@pannes.exemple",
                "password": "mot-de-passe-des-pannes-2026",
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            headers={"Referer": f"{url}/compte/connexion/"},
        )
        org = shell(
            env, "from repere.organisations.models import Organisation; print(Organisation.objects.get().pk)"
        ).splitlines()[-1]
        avant = shell(
            env, "from repere.depistage.models import Depistage; print(Depistage.objects.count())"
        ).splitlines()[-1]

        def deposer():
            session.get(f"{url}/depistage/{org}/")
            with (VAR / "menages.csv").open("rb") as f:
                return session.post(
                    f"{url}/depistage/{org}/",
                    data={
                        "format_sortie": "csv",
                        "mois": "2026-11",
                        "csrfmiddlewaretoken": session.cookies["csrftoken"],
                    },
                    files={"fichier": ("menages.csv", f, "text/csv")},
                    headers={"Referer": f"{url}/depistage/{org}/"},
                    allow_redirects=False,
                )

        reponse = deposer()
        apres = shell(
            env, "from repere.depistage.models import Depistage; print(Depistage.objects.count())"
        ).splitlines()[-1]
        taille = (VAR / "menages.csv").stat().st_size // 1024
        verifier(
            "dépôt refusé avec un message clair",
            reponse.status_code == 422 and "plus assez de place" in reponse.text,
            f"{reponse.status_code}, fichier de {taille} Kio sur un disque de 256 Kio",
        )
        verifier(
            "rien de partiel gardé (ni ligne, ni fichier)",
            avant == apres and not any(depots.rglob("*")),
            f"{avant} → {apres}",
        )
        subprocess.run(["mount", "-o", "remount,size=64m", str(depots)], check=True)
        reponse = deposer()
        verifier(
            "place libérée : le même dépôt passe sans intervention",
            reponse.status_code == 302,
            f"{reponse.status_code}",
        )
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=60)
        subprocess.run(["umount", str(depots)], capture_output=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--menages", type=int, default=4000)
    p.add_argument("--port", type=int, default=8116)
    p.add_argument("--port-relais", type=int, default=54329)
    p.add_argument("--scenarios", default="travailleur,base,disque")
    p.add_argument("--base", default="postgres://postgres@127.0.0.1:5432/repere_pannes")
    p.add_argument("--reutiliser", action="store_true", help="garder la base et les fichiers d'un lancement précédent")
    a = p.parse_args()
    relais = Relais(a.port_relais)
    relais.demarrer()
    base_relais = a.base.replace("127.0.0.1:5432", f"127.0.0.1:{a.port_relais}")
    env = environnement(base_relais, a.port)
    print(f"Préparation ({a.menages} ménages fictifs), charge de la machine {os.getloadavg()[0]:.1f}", flush=True)
    if not a.reutiliser:
        preparer(env, a.base, a.menages)
    scenarios = a.scenarios.split(",")
    if "travailleur" in scenarios:
        scenario_travailleur(env, a.menages)
    if "base" in scenarios:
        scenario_base(env, relais, a.port)
    if "disque" in scenarios:
        scenario_disque(env, a.port)
    relais.arreter()
    echecs = [n for n, ok, _ in RESULTATS if not ok]
    print(
        f"\n{len(RESULTATS) - len(echecs)} vérifications réussies, {len(echecs)} en échec ; charge {os.getloadavg()[0]:.1f}"
    )
    sys.exit(1 if echecs else 0)


if __name__ == "__main__":
    main()
