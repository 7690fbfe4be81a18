"""Where a screening job's files live: outside the public media directory, one folder per job.

Settings (per deployment): ``DEPISTAGE_REPERTOIRE`` (default ``var/depistage``),
``DEPISTAGE_CONSERVATION_JOURS`` (default 30), ``DEPISTAGE_TAILLE_MAX_MO`` (upload limit, default 200).
Environment variables of the same names are read when the setting is absent.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings

NOMS = {
    "resultats": "resultats",
    "erreurs": "lignes-rejetees",
    "rapport": "rapport.html",
}


def _reglage(nom: str, defaut):
    valeur = getattr(settings, nom, None)
    if valeur is None:
        valeur = os.environ.get(nom, defaut)
    return valeur


def racine() -> Path:
    return Path(_reglage("DEPISTAGE_REPERTOIRE", Path(settings.VAR_DIR) / "depistage"))


def duree_conservation() -> timedelta:
    return timedelta(days=int(_reglage("DEPISTAGE_CONSERVATION_JOURS", 30)))


def taille_max_octets() -> int:
    return int(_reglage("DEPISTAGE_TAILLE_MAX_MO", 200)) * 1024 * 1024


def repertoire(depistage) -> Path:
    return racine() / f"{depistage.pk:08d}"


def entree(depistage) -> Path:
    return repertoire(depistage) / f"entree.{depistage.format_entree}"


def resultats(depistage) -> Path:
    return repertoire(depistage) / f"resultats.{depistage.format_sortie}"


def erreurs(depistage) -> Path:
    return repertoire(depistage) / f"lignes-rejetees.{depistage.format_sortie}"


def rapport(depistage) -> Path:
    return repertoire(depistage) / "rapport.html"


def travail(depistage) -> Path:
    return repertoire(depistage) / "travail"
