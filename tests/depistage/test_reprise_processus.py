"""Kill a real screening process in the middle, resume it: no household lost or duplicated."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from repere.depistage import generateur

RACINE = Path(settings.BASE_DIR)

pytestmark = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="sans base de données : exécuté une seule fois, lors du passage SQLite",
)


def _commande(entree, sortie, *extra):
    return [
        sys.executable,
        str(RACINE / "manage.py"),
        "depister",
        str(entree),
        "--sortie",
        str(sortie),
        "--taille-lot",
        "10",
        "--processus",
        "1",
        "--mois",
        "2026-11",
        "--sans-barre",
        *extra,
    ]


def test_processus_tue_puis_repris(tmp_path):
    entree = tmp_path / "m.csv"
    generateur.ecrire_csv(entree, 150, graine=11)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'vide.sqlite3'}",
    }
    sortie = tmp_path / "r.csv"
    etat = tmp_path / ".r.csv.travail" / "etat.json"
    processus = subprocess.Popen(_commande(entree, sortie), env=env, cwd=RACINE)
    try:
        limite = time.monotonic() + 120
        while time.monotonic() < limite:
            if etat.exists() and len(json.loads(etat.read_text()).get("lots", {})) >= 3:
                break
            assert processus.poll() is None, "le traitement s'est terminé avant d'être interrompu"
            time.sleep(0.05)
        else:
            pytest.fail("aucun lot terminé en 2 minutes")
        processus.send_signal(signal.SIGKILL)
        processus.wait(timeout=30)
    finally:
        if processus.poll() is None:
            processus.kill()
    assert not sortie.exists()
    faits = len(json.loads(etat.read_text())["lots"])
    assert 3 <= faits < 15

    reprise = subprocess.run(
        _commande(entree, sortie, "--reprendre"), env=env, cwd=RACINE, capture_output=True, text=True, timeout=300
    )
    assert reprise.returncode == 0, reprise.stderr
    assert f"Reprise : {faits}\u00a0lots déjà faits" in reprise.stdout  # the shared count (non-breaking space)
    reference = tmp_path / "reference.csv"
    complet = subprocess.run(_commande(entree, reference), env=env, cwd=RACINE, capture_output=True, timeout=300)
    assert complet.returncode == 0
    assert sortie.read_bytes() == reference.read_bytes()
    lignes = sortie.read_text(encoding="utf-8-sig").splitlines()[1:]
    ids = [ligne.split(";")[1] for ligne in lignes]
    assert len(ids) == len(set(ids)) == 150
