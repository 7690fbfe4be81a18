"""Why bench/charge.py once saw « Connection reset by peer » on random pages: gunicorn's keep-alive race.

A client that reuses an idle keep-alive connection at about the moment gunicorn's gthread worker closes it (after
--keep-alive seconds, 2 by default) gets ConnectionResetError when the worker is busy: the worker closes a socket
whose next request it has not read yet. No page of the application is involved: the server here is a WSGI function
that burns a little CPU. Prints the errors with gunicorn's 2 s and with 75 s (nginx's keepalive_timeout), side by
side. Only 127.0.0.1 is contacted; about 1 minute.

Usage: .venv/bin/python bench/keepalive_gunicorn.py [--port 8199] [--utilisateurs 20] [--attente 2.0]
"""

import argparse
import random
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

APPLICATION = """
def app(environ, start_response):
    x = 0
    while x < 100_000:  # a few tens of milliseconds of CPU, as a page
        x += 1
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
"""


def utilisateur(port: int, attente: float, pages: int, erreurs: list, reussites: list) -> None:
    cnx = HTTPConnection("127.0.0.1", port, timeout=30)  # one connection kept alive, as a browser does
    for _ in range(pages):
        try:
            cnx.request("GET", "/")
            cnx.getresponse().read()
            reussites.append(1)
        except Exception as e:  # noqa: BLE001 - counted, then a new connection
            erreurs.append(type(e).__name__)
            cnx.close()
            cnx = HTTPConnection("127.0.0.1", port, timeout=30)
        time.sleep(attente + random.uniform(-0.05, 0.05))
    cnx.close()


def essai(*, port: int, keep_alive: int, utilisateurs: int, attente: float, dossier: Path) -> tuple[int, list]:
    serveur = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "appli:app", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--threads", "4", "--worker-class", "gthread", "--keep-alive", str(keep_alive), "--log-level", "error"],
        cwd=dossier,
    )  # fmt: skip
    try:
        time.sleep(2)
        erreurs, reussites = [], []
        fils = [
            threading.Thread(target=utilisateur, args=(port, attente, 12, erreurs, reussites))
            for _ in range(utilisateurs)
        ]
        for f in fils:
            f.start()
        for f in fils:
            f.join()
        return len(reussites), erreurs
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)


def main():
    import tempfile

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=8199)
    p.add_argument("--utilisateurs", type=int, default=20)
    p.add_argument("--attente", type=float, default=2.0, help="secondes entre deux requêtes d'un utilisateur")
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as dossier:
        (Path(dossier) / "appli.py").write_text(APPLICATION)
        for keep_alive in (2, 75):
            ok, erreurs = essai(
                port=a.port,
                keep_alive=keep_alive,
                utilisateurs=a.utilisateurs,
                attente=a.attente,
                dossier=Path(dossier),
            )
            genres = ", ".join(sorted(set(erreurs))) or "aucune"
            print(
                f"gunicorn --keep-alive {keep_alive:>2} s, {a.utilisateurs} utilisateurs, {a.attente:g} s entre deux "
                f"requêtes : {ok} réussies, {len(erreurs)} erreurs ({genres})"
            )


if __name__ == "__main__":
    main()
