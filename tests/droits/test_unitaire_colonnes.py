"""The simulator (one household, explanations included) builds its OpenFisca inputs with the batch's
columnar constructor (``lot.CalculColonnes`` → ``moteur.Calcul`` on ``lot.MenagesColonnes``): one way to
turn a household into OpenFisca inputs (the amounts are checked against plain OpenFisca by
``test_garde_moteur`` and the reference cases)."""

import datetime as dt

import pytest
from django.conf import settings

from repere.depistage import generateur
from repere.depistage.assemblage import NOMS, MenageBrut, construire_menage
from repere.droits import lot, moteur

pytestmark = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="sans base de données : exécuté une seule fois, lors du passage SQLite",
)

MOIS = "2026-11"


def _menages(n: int):
    out = []
    for personnes in generateur.menages(n, graine=515, jour=dt.date(2026, 11, 1)):
        lignes = [(i + 2, tuple(p.get(nom, "") for nom in NOMS)) for i, p in enumerate(personnes)]
        menage, anomalies = construire_menage(MenageBrut(personnes[0]["id_menage"], lignes), mois=MOIS)
        assert anomalies == []
        out.append(menage)
    return out


def test_le_simulateur_construit_ses_entrees_en_colonnes(monkeypatch):
    construits = []
    original = lot.CalculColonnes.__new__

    def espion(cls, colonnes, **kw):
        construits.append((len(colonnes), kw.get("intermediaires")))
        return original(cls, colonnes, **kw)

    monkeypatch.setattr(lot.CalculColonnes, "__new__", espion)
    resultat = moteur.simuler(_menages(1)[0])
    assert construits == [(1, True)]  # one household, with the explanations' intermediates
    assert resultat.prestations and all(p.raisons for p in resultat.prestations)
