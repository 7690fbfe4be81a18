"""The simulator (one household, explanations included) builds its OpenFisca inputs with the batch's
columnar constructor (``lot.CalculColonnes``): one way to turn a household into OpenFisca inputs. Its
results, explanations included, are those the object constructor (``moteur.Calcul``) gives."""

import datetime as dt

import pytest
from django.conf import settings

from repere.depistage import generateur
from repere.depistage.assemblage import NOMS, MenageBrut, construire_menage
from repere.droits import combinaison, lot, moteur

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


def test_resultats_expliques_identiques_a_ceux_du_constructeur_par_objets(monkeypatch):
    menages = _menages(40)
    en_colonnes = [moteur.simuler(m).model_dump() for m in menages]
    original = combinaison.combiner

    def par_objets(menages_, **kw):
        if kw.get("calcul") is None:
            kw["calcul"] = moteur.Calcul(menages_, mode=kw["mode"], suivre=kw.get("coherent", True))
        return original(menages_, **kw)

    monkeypatch.setattr(combinaison, "combiner", par_objets)
    par_objets_ = [moteur.simuler(m).model_dump() for m in menages]
    differents = [i for i, (a, b) in enumerate(zip(en_colonnes, par_objets_, strict=True)) if a != b]
    assert differents == []
    assert sum(1 for r in en_colonnes for p in r["prestations"] if p["a_demander"]) > 20  # not vacuous
