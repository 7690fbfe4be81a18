"""The engine's batch path (``simuler_lot_tableaux``, arrays) gives, household by household, exactly the
amounts and eligibility of the single simulation (``simuler``) and of ``simuler_lot`` on other chunks.

Random households of the screener's generator (fixed seed). No database.
"""

import numpy as np
import pytest
from django.conf import settings

from repere.depistage import generateur
from repere.depistage.assemblage import NOMS, MenageBrut, construire_menage
from repere.droits import explications
from repere.droits.lot import ELIGIBILITES, INCERTAIN, NON, OUI, simuler_lot_tableaux, tableaux
from repere.droits.moteur import calculer, simuler, simuler_lot
from repere.droits.prestations import CODES

N = 320
GRAINE = 20261130

pytestmark = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="sans base de données : exécuté une seule fois, lors du passage SQLite",
)


@pytest.fixture(scope="module")
def menages():
    out = []
    for personnes in generateur.menages(N, graine=GRAINE):
        lignes = [(i, tuple(p.get(n, "") for n in NOMS)) for i, p in enumerate(personnes)]
        menage, anomalies = construire_menage(MenageBrut(personnes[0]["id_menage"], lignes), mois="2026-11")
        assert anomalies == []
        out.append(menage)
    return out


def _comparer(tab, i, resultat, differences):
    for k, code in enumerate(tab.codes):
        p = resultat.prestation(code)
        obtenu = (float(tab.montant[i, k]), float(tab.montant_mensuel[i, k]), ELIGIBILITES[tab.eligible[i, k]])
        attendu = (p.montant, p.montant_mensuel, p.eligible)
        if obtenu != attendu or float(tab.recu[i, k]) != (p.recu or 0.0):
            differences.append((i, code, obtenu, attendu))
    if bool(tab.rfr_estime[i]) != resultat.revenu_fiscal_reference_estime or float(tab.rfr[i]) != (
        resultat.revenu_fiscal_reference
    ):
        differences.append((i, "rfr", float(tab.rfr[i]), resultat.revenu_fiscal_reference))


def test_tableaux_egaux_a_la_simulation_unitaire(menages):
    tab = simuler_lot_tableaux(menages, mode="complet")
    assert tab.codes == CODES and tab.montant.shape == (N, len(CODES))
    differences = []
    for i in range(0, N, 2):  # every other household alone (~0.15 s each), the others in the next test
        _comparer(tab, i, simuler(menages[i], mode="complet"), differences)
    assert differences == []
    # the sample is not trivial: every eligibility occurs, and many benefits are due
    assert {OUI, NON, INCERTAIN} <= set(np.unique(tab.eligible).tolist())
    assert (tab.montant_mensuel > 0).sum() > N


def test_tableaux_egaux_a_simuler_lot_par_autres_lots(menages):
    tab = simuler_lot_tableaux(menages, mode="rapide")
    differences = []
    for debut in range(0, N, 70):
        for j, resultat in enumerate(simuler_lot(menages[debut : debut + 70], mode="rapide")):
            _comparer(tab, debut + j, resultat, differences)
    assert differences == []


def test_les_explications_ne_decident_pas_l_eligibilite(menages):
    """The explanation rules receive the arrays' eligibility and only return texts."""
    valeurs, contexte = calculer(menages[:40], codes=CODES, mode="complet")
    tab = tableaux(menages[:40], valeurs=valeurs, contexte=contexte, codes=CODES)
    for j, menage in enumerate(menages[:40]):
        c = explications._Contexte(menage, j, valeurs, contexte)
        for k, code in enumerate(CODES):
            raisons, manquant = explications.REGLES[code](c, ELIGIBILITES[tab.eligible[j, k]])
            assert isinstance(raisons, list) and isinstance(manquant, list)
            assert all(isinstance(x, str) and x for x in raisons + manquant)


def test_mois_differents_dans_un_meme_lot(menages):
    autres = [m.model_copy(update={"mois": "2026-05"}) for m in menages[:20]]
    melange = [x for paire in zip(menages[:20], autres, strict=True) for x in paire]
    tab = simuler_lot_tableaux(melange, prestations=["rsa", "aide_logement", "af"])
    assert tab.codes == ("rsa", "aide_logement", "af")
    differences = []
    for i, menage in enumerate(melange):
        _comparer(tab, i, simuler(menage, prestations=["rsa", "aide_logement", "af"], mode="rapide"), differences)
    assert differences == []


def test_prestation_inconnue():
    with pytest.raises(ValueError, match="prestation inconnue : rmi"):
        simuler_lot_tableaux([], prestations=["rmi"])
