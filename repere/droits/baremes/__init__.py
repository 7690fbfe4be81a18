"""Fresh scales: official values that the pinned OpenFisca-France lacks, applied as a parameter
override of the tax-benefit system once it is built (``appliquer``), from the versioned, dated file
``mises_a_jour.yaml`` (each value with its legal source)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

FICHIER = Path(__file__).with_name("mises_a_jour.yaml")


@dataclass(frozen=True)
class MiseAJour:
    parametre: str
    prestations: tuple[str, ...]
    libelle: str
    depuis: dt.date
    valeur: float
    source: str
    lien: str
    publie: dict


@lru_cache(maxsize=1)
def fichier() -> dict:
    return yaml.safe_load(FICHIER.read_text(encoding="utf-8"))


def mises_a_jour() -> list[MiseAJour]:
    out = []
    for p in fichier()["parametres"]:
        for v in p["valeurs"]:
            depuis = v["depuis"] if isinstance(v["depuis"], dt.date) else dt.date.fromisoformat(str(v["depuis"]))
            out.append(
                MiseAJour(
                    parametre=p["parametre"],
                    prestations=tuple(p.get("prestations", ())),
                    libelle=p.get("libelle", ""),
                    depuis=depuis,
                    valeur=float(v["valeur"]),
                    source=" ".join(str(v["source"]).split()),
                    lien=v.get("lien", ""),
                    publie={int(k): tuple(x) for k, x in (v.get("publie") or {}).items()},
                )
            )
    return sorted(out, key=lambda m: (m.parametre, m.depuis))


def _noeud(tbs, chemin: str):
    noeud = tbs.parameters
    for morceau in chemin.split("."):
        noeud = getattr(noeud, "children", {}).get(morceau)
        if noeud is None:
            raise KeyError(f"paramètre OpenFisca introuvable : {chemin}")
    return noeud


def appliquer(tbs) -> list[MiseAJour]:
    """Set every value of the update file on ``tbs`` (in place; before any simulation)."""
    faites = []
    for m in mises_a_jour():
        parametre = _noeud(tbs, m.parametre)
        parametre.update(start=m.depuis.isoformat(), value=m.valeur)
        faites.append(m)
    if faites and hasattr(tbs, "_parameters_at_instant_cache"):
        tbs._parameters_at_instant_cache.clear()
    return faites
