"""The engine's columnar batch path (inputs built from ``MenagesColonnes``) gives exactly the arrays the
object path gives (``combinaison.combiner`` on ``Menage`` objects, as the simulator runs it)."""

import numpy as np
import pytest
from django.conf import settings

from repere.depistage import generateur
from repere.depistage.assemblage import NOMS, MenageBrut, construire_menage
from repere.droits import combinaison, lot, moteur

pytestmark = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="sans base de données : exécuté une seule fois, lors du passage SQLite",
)


def test_colonnes_et_objets_donnent_les_memes_tableaux():
    menages = []
    for personnes in generateur.menages(300, graine=20261201):
        lignes = [(i + 2, tuple(p.get(n, "") for n in NOMS)) for i, p in enumerate(personnes)]
        menage, anomalies = construire_menage(MenageBrut(personnes[0]["id_menage"], lignes), mois="2026-11")
        assert anomalies == []
        menages.append(menage)
    codes = moteur.verifier_codes(None, "complet")
    _v, _c, objets = combinaison.combiner(menages, codes=codes, mode="complet")
    colonnes = lot.simuler_lot_tableaux(lot.colonnes_de_menages(menages), mode="complet")
    differents = [
        nom
        for nom in (*lot._COLONNES, "rfr", "rfr_estime")
        if not np.array_equal(getattr(objets, nom), getattr(colonnes, nom))
    ]
    assert differents == []
    assert objets.a_demander.sum() > 100  # not vacuous: many benefits to claim in the sample
