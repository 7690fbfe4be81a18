"""The coherent combination (repere.droits.combinaison): benefits the household is estimated to
obtain are counted as received by the benefits that count them in their resources.

Fixed point: simulating, then declaring every benefit the result says the household would receive
as received (with that amount), then simulating again, changes no amount by more than 1 €. On the
batch path (same engine as ``simuler``), over 1,000 seeded random households of the screener's
generator (singles, couples, 0-4 children, disability, pensions, every housing status, some
benefits already received). No database.
"""

import numpy as np
import pytest

from repere.depistage import generateur
from repere.depistage.assemblage import NOMS, MenageBrut, construire_menage
from repere.droits.combinaison import INJECTABLES, SUBSIDIAIRES
from repere.droits.lot import NON, OUI, simuler_lot_tableaux
from repere.droits.menage import Menage, PrestationRecue, StatutLogement
from repere.droits.moteur import simuler

N = 1000
GRAINE = 20261201
MOIS = "2026-11"
DECLARABLES = (*INJECTABLES, "ars")  # the engine's benefits a household can declare as received


@pytest.fixture(scope="module")
def menages():
    import datetime as dt

    out = []
    for personnes in generateur.menages(N, graine=GRAINE, jour=dt.date(2026, 11, 1)):
        lignes = [(i, tuple(p.get(n, "") for n in NOMS)) for i, p in enumerate(personnes)]
        menage, anomalies = construire_menage(MenageBrut(personnes[0]["id_menage"], lignes), mois=MOIS)
        assert anomalies == []
        out.append(menage)
    return out


def _declarer_tout(menage: Menage, tab, i: int) -> Menage:
    """The household with every benefit the result says it would receive declared as received."""
    deja = {r.code for r in menage.prestations_recues}
    recues = list(menage.prestations_recues)
    for code in DECLARABLES:
        k = tab.colonne(code)
        if code not in deja and tab.eligible[i, k] == OUI and tab.montant_mensuel[i, k] > 0:
            recues.append(PrestationRecue(code=code, montant_mensuel=float(tab.montant_mensuel[i, k])))
    return menage.model_copy(update={"prestations_recues": recues})


def test_point_fixe_sur_1000_menages(menages):
    couverture = {
        "couples": sum(m.conjoint is not None for m in menages),
        "enfants_4": sum(len(m.enfants) >= 4 for m in menages),
        "handicap": sum(any(p.taux_incapacite >= 50 for p in m.personnes) for m in menages),
        "retraite": sum(any(r.nature == "retraite" for p in m.personnes for r in p.revenus) for m in menages),
        "deja_percues": sum(bool(m.prestations_recues) for m in menages),
    }
    assert all(v >= 20 for v in couverture.values()), couverture
    assert {m.logement.statut for m in menages} == set(StatutLogement)

    tab = simuler_lot_tableaux(menages, mode="complet")
    declares = [_declarer_tout(m, tab, i) for i, m in enumerate(menages)]
    assert (
        sum(len(d.prestations_recues) > len(m.prestations_recues) for d, m in zip(declares, menages, strict=True))
        > N / 3
    )
    tab2 = simuler_lot_tableaux(declares, mode="complet")
    assert tab2.codes == tab.codes
    ecarts = np.abs(tab2.montant_mensuel - tab.montant_mensuel)
    mauvais = [
        (i, tab.codes[k], tab.montant_mensuel[i, k], tab2.montant_mensuel[i, k])
        for i, k in zip(*np.nonzero(ecarts > 1.0), strict=True)
    ]
    assert mauvais == [], f"{len(mauvais)} montants bougent de plus de 1 € : {mauvais[:10]}"
    # CSS has no amount: its eligibility (free / with participation / none) must not move either.
    for code in ("css_gratuite", "css_participation"):
        k = tab.colonne(code)
        differents = np.flatnonzero(tab.eligible[:, k] != tab2.eligible[:, k])
        assert differents.size == 0, (code, differents[:10].tolist())


def test_le_total_n_ajoute_jamais_des_montants_incompatibles(menages):
    """One-pass amounts overstate subsidiary benefits; the coherent ones never exceed them."""
    coherent = simuler_lot_tableaux(menages, mode="complet")
    un_passage = simuler_lot_tableaux(menages, mode="complet", coherent=False)
    for code in ("rsa", "ppa"):
        k = coherent.colonne(code)
        assert (coherent.montant_mensuel[:, k] <= un_passage.montant_mensuel[:, k] + 0.01).all(), code
    baisses = (coherent.montant_mensuel < un_passage.montant_mensuel - 1).any(axis=1).sum()
    assert baisses > 20  # the sample exercises the combination
    # "today" is the one-pass figure, kept on the arrays for the « aujourd'hui / une fois obtenues » text
    assert np.allclose(coherent.mensuel_aujourdhui, un_passage.montant_mensuel)
    css_g = coherent.colonne("css_gratuite")
    css_p = coherent.colonne("css_participation")
    assert not ((coherent.eligible[:, css_g] == OUI) & (coherent.eligible[:, css_p] == OUI)).any()
    assert set(SUBSIDIAIRES) <= set(coherent.codes)
    assert (coherent.eligible != NON).any()


def _m(**donnees):
    return Menage.model_validate({"mois": MOIS, "commune": "49007", **donnees})


def test_rsa_puis_aah_demandez_d_abord_l_aah():
    """Single person of 61, disability rate 80 %, no income, housed free (issue 9)."""
    menage = _m(
        logement={"statut": "heberge_gratuitement"},
        personnes=[{"role": "demandeur", "age": 61, "taux_incapacite": 80, "activite": "inapte"}],
    )
    r = simuler(menage)
    rsa, aah = r.prestation("rsa"), r.prestation("aah")
    assert aah.montant == pytest.approx(1041.59, abs=0.01) and aah.eligible == "oui"
    assert rsa.montant == 0 and rsa.eligible == "non"
    assert rsa.montant_mensuel_aujourdhui == pytest.approx(573.49, abs=0.01)
    assert rsa.demander_d_abord == ["aah"]
    assert rsa.raisons[0] == (
        "RSA : 573\u00a0€ par mois aujourd'hui, 0\u00a0€ une fois que vous recevrez l'AAH. Demandez d'abord l'AAH."
    )
    assert r.total_mensuel == pytest.approx(1041.59, abs=0.01)
    # the one-pass computation adds both (the defect reported in issue 9)
    assert simuler(menage, coherent=False).total_mensuel == pytest.approx(1615.08, abs=0.01)


def test_passes_sur_les_seuls_menages_qui_bougent_comme_sur_tout_le_lot(menages, monkeypatch):
    """The passes after the first run on a sub-simulation of the households whose injected benefits
    move (``moteur.Calcul.sous_calcul``): every value, to the last digit, is what recomputing the whole
    chunk at each pass gives (columns and objects paths)."""
    from repere.droits import combinaison, lot, moteur

    sous_calculs = []
    original = moteur.Calcul.sous_calcul

    def espion(self, lignes):
        sous_calculs.append(len(lignes))
        return original(self, lignes)

    monkeypatch.setattr(moteur.Calcul, "sous_calcul", espion)
    for source in (lot.colonnes_de_menages(menages), menages[:300]):
        n = len(source)
        calcul = lot.CalculColonnes(source, mode="complet") if isinstance(source, lot.MenagesColonnes) else None
        v1, c1, t1 = combinaison.combiner(source, codes=moteur.CODES, mode="complet", calcul=calcul)
        assert sous_calculs and sous_calculs[-1] < n / 2, sous_calculs  # the sub-simulations did run
        sous_calculs.clear()
        calcul = lot.CalculColonnes(source, mode="complet") if isinstance(source, lot.MenagesColonnes) else None
        v2, c2, t2 = combinaison.combiner(
            source, codes=moteur.CODES, mode="complet", calcul=calcul, sous_ensembles=False
        )
        assert sous_calculs == []
        assert (c1["passes"] >= 3).sum() > 10
        np.testing.assert_array_equal(c1["passes"], c2["passes"])
        for nom in lot._COLONNES:
            np.testing.assert_array_equal(getattr(t1, nom), getattr(t2, nom), err_msg=nom)
        assert v1.keys() == v2.keys()
        for variable in v1:
            np.testing.assert_array_equal(np.asarray(v1[variable]), np.asarray(v2[variable]), err_msg=variable)
        for code in c1["injections"]:
            np.testing.assert_array_equal(c1["injections"][code], c2["injections"][code], err_msg=code)
