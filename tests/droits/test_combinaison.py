"""The coherent combination (repere.droits.combinaison): benefits the household is estimated to
obtain are counted as received by the benefits that count them in their resources.

Fixed point: simulating, then declaring every benefit the result says the household would receive
as received (with that amount), then simulating again, changes no amount by more than 1 €. On the
batch path (same engine as ``simuler``), over 1,000 seeded random households of the screener's
generator (singles, couples, 0-4 children, disability, pensions, every housing status, some
benefits already received). No database.
"""

import functools

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


def _espionner(monkeypatch, classe, methode: str) -> list[int]:
    """The length of the argument of each call of ``classe.methode`` (households, or codes)."""
    appels = []
    original = getattr(classe, methode)

    def espion(self, arg):
        appels.append(len(arg))
        return original(self, arg)

    monkeypatch.setattr(classe, methode, espion)
    return appels


def _memes_resultats(premier, second) -> None:
    """Two ``combiner`` results are the same to the last digit: arrays, values, passes, injections."""
    from repere.droits import lot

    (v1, c1, t1), (v2, c2, t2) = premier, second
    np.testing.assert_array_equal(c1["passes"], c2["passes"])
    np.testing.assert_array_equal(c1["non_stables"], c2["non_stables"])
    for nom in lot._COLONNES:
        np.testing.assert_array_equal(getattr(t1, nom), getattr(t2, nom), err_msg=nom)
    assert v1.keys() == v2.keys()
    for variable in v1:
        np.testing.assert_array_equal(np.asarray(v1[variable]), np.asarray(v2[variable]), err_msg=variable)
    for code in c1["injections"]:
        np.testing.assert_array_equal(c1["injections"][code], c2["injections"][code], err_msg=code)


def test_passes_sur_les_seuls_menages_qui_bougent_comme_sur_tout_le_lot(menages, monkeypatch):
    """The passes after the first run on a sub-simulation of the households whose injected benefits
    move (``moteur.Calcul.sous_calcul``): every value, to the last digit, is what recomputing the whole
    chunk at each pass gives (columns and objects paths)."""
    from repere.droits import combinaison, lot, moteur

    sous_calculs = _espionner(monkeypatch, moteur.Calcul, "sous_calcul")
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
        _memes_resultats((v1, c1, t1), (v2, c2, t2))


def test_sous_simulation_ne_decoupe_que_les_variables_lues(menages):
    """``moteur.Calcul.sous_calcul`` slices a variable's values when the sub-simulation first reads it
    (not the thousands of values the simulation holds): nothing is copied up front, a value read is
    the parent's for the households kept, and so through a sub-simulation of a sub-simulation."""
    from repere.droits import lot, moteur

    calcul = lot.CalculColonnes(lot.colonnes_de_menages(menages[:60]), mode="complet")
    tout = calcul.valeurs(moteur.CODES)
    tenus = sum(
        bool(h._memory_storage._arrays) for p in calcul.simulation.populations.values() for h in p._holders.values()
    )
    lignes = np.array([2, 7, 19, 33, 58])
    sous = calcul.sous_calcul(lignes)
    assert sum(len(p._holders) for p in sous.simulation.populations.values()) == 0
    valeurs = sous.valeurs(["rsa", "aah", "aide_logement"])
    for variable, v in valeurs.items():
        np.testing.assert_array_equal(v, np.asarray(tout[variable])[lignes], err_msg=variable)
    decoupes = sum(len(p._holders) for p in sous.simulation.populations.values())
    assert 0 < decoupes < tenus / 20, (decoupes, tenus)
    petite = sous.sous_calcul(np.array([1, 4]))
    v = petite.valeurs(["rsa", "aide_logement"])
    for variable in ("rsa", "aide_logement"):
        np.testing.assert_array_equal(v[variable], np.asarray(tout[variable])[lignes[[1, 4]]], err_msg=variable)


# A couple in a foyer (bench household, seed 7, no. 5663): its RSA estimate (7.01 €) injected as
# received brings it to 0, and 0 brings it back to 7.01: it never settles.
OSCILLE = {
    "mois": MOIS,
    "commune": "49099",
    "logement": {"statut": "foyer", "loyer": 814.18, "charges": 18.78},
    "personnes": [
        {"role": "demandeur", "age": 59, "activite": "chomeur"},
        {
            "role": "conjoint",
            "age": 61,
            "activite": "salarie",
            "revenus": [{"nature": "salaire", "montants_3_derniers_mois": [1474.23, 869.98, 765.14]}],
        },
    ],
    "prestations_recues": [{"code": "ppa", "montant_mensuel": 173.18}],
}


def test_un_menage_qui_oscille_n_est_plus_recalcule_une_fois_son_cycle_vu(monkeypatch):
    """A household whose passes repeat a cycle is not recomputed once the injection it would get next
    is one it was already computed with, and shows exactly what running every pass shows (the last
    pass's amounts, injections, explanations, ``non_stables``)."""
    from repere.droits import combinaison, moteur

    appels = _espionner(monkeypatch, moteur.Calcul, "valeurs")
    menage = Menage.model_validate(OSCILLE)
    resultats = {}
    for arreter in (True, False):
        appels.clear()
        combinaison.combiner([menage], codes=moteur.CODES, mode="complet", arreter_cycles=arreter)
        resultats[arreter] = len(appels)
    assert resultats == {True: 2, False: combinaison.PASSES_MAX + 1}
    v1, c1, t1 = combinaison.combiner([menage], codes=moteur.CODES, mode="complet", expliquer=True)
    v2, c2, t2 = combinaison.combiner(
        [menage], codes=moteur.CODES, mode="complet", expliquer=True, arreter_cycles=False
    )
    assert c1["non_stables"][0] and c2["non_stables"][0]
    assert c1["passes"][0] == c2["passes"][0] == combinaison.PASSES_MAX + 1
    assert c1["injections"]["rsa"][0] == c2["injections"]["rsa"][0] == 0
    assert t1.montant_mensuel[0, t1.colonne("rsa")] == pytest.approx(7.01, abs=0.001)
    _memes_resultats((v1, c1, t1), (v2, c2, t2))
    assert c1["demander_d_abord"] == c2["demander_d_abord"]
    # the simulator's result (explanations included), every pass run
    monkeypatch.setattr(combinaison, "combiner", functools.partial(combinaison.combiner, arreter_cycles=False))
    attendu = simuler(menage).model_dump(mode="json")
    monkeypatch.undo()
    assert simuler(menage).model_dump(mode="json") == attendu


def test_demandez_d_abord_ne_nomme_que_les_aides_qui_baissent_le_montant():
    """Single tenant of 61, disability rate 80 %, no income: the AAH and the housing aid are both
    counted in the RSA's resources, but the AAH alone brings it to 0 (without the housing aid it is
    still 0): only the AAH is named."""
    menage = _m(
        logement={"statut": "locataire", "loyer": 450},
        personnes=[{"role": "demandeur", "age": 61, "taux_incapacite": 80, "activite": "inapte"}],
    )
    r = simuler(menage)
    assert r.prestation("aide_logement").eligible == "oui"  # estimated, counted in the RSA's resources
    rsa = r.prestation("rsa")
    assert rsa.montant_mensuel_aujourdhui == pytest.approx(573.49, abs=0.01) and rsa.montant == 0
    assert rsa.demander_d_abord == ["aah"]
    assert rsa.raisons[0] == (
        "RSA : 573\u00a0€ par mois aujourd'hui, 0\u00a0€ une fois que vous recevrez l'AAH. Demandez d'abord l'AAH."
    )


def _sans(menage: Menage, resultat, code_retire: str) -> Menage:
    """The household with every probable benefit of ``resultat`` declared as received, except one,
    declared as received with 0 € (never obtained: the combination does not estimate it again)."""
    deja = {r.code for r in menage.prestations_recues}
    recues = list(menage.prestations_recues)
    for p in resultat.prestations:
        if p.code in INJECTABLES and p.code not in deja and p.eligible == "oui":
            montant = 0.0 if p.code == code_retire else p.montant_mensuel
            recues.append(PrestationRecue(code=p.code, montant_mensuel=montant))
    return menage.model_copy(update={"prestations_recues": recues})


def _bouge(a, b) -> bool:
    return a.eligible != b.eligible or abs(a.montant_mensuel - b.montant_mensuel) >= 1.0


def test_demandez_d_abord_dit_ce_que_disent_les_montants(menages):
    """For every subsidiary benefit that changes once the others are obtained, with two or more
    benefits to claim counted in its resources: the benefits named in « Demandez d'abord » are exactly
    those without which it would not be what is shown (declared as received with all the others, that
    one at 0 €, the amount or eligibility differs); when none is needed alone, all are named."""
    from repere.droits.combinaison import RESSOURCES
    from repere.droits.moteur import simuler_lot

    echantillon = menages[:160]
    resultats = simuler_lot(echantillon)
    cas, variantes = [], []
    for menage, r in zip(echantillon, resultats, strict=True):
        deja = {x.code for x in menage.prestations_recues}
        for p in r.prestations:
            if p.montant_mensuel_aujourdhui is None or p.code not in RESSOURCES:
                continue
            comptees = [
                x for x in RESSOURCES[p.code] if x not in deja and r.prestation(x) and r.prestation(x).eligible == "oui"
            ]
            if len(comptees) >= 2:
                cas.append((p, comptees, len(variantes)))
                variantes.extend(_sans(menage, r, x) for x in comptees)
    autres = simuler_lot(variantes)
    verifies = {"nommees": 0, "ecartees": 0}
    for p, comptees, debut in cas:
        bouge = {x: _bouge(autres[debut + i].prestation(p.code), p) for i, x in enumerate(comptees)}
        if not any(bouge.values()):  # each would do it alone: all of them are named
            assert p.demander_d_abord == comptees, (p.code, p.demander_d_abord, comptees)
            continue
        assert p.demander_d_abord == [x for x in comptees if bouge[x]], (p.code, p.demander_d_abord, bouge)
        verifies["nommees"] += sum(bouge.values())
        verifies["ecartees"] += len(comptees) - sum(bouge.values())
    assert verifies["ecartees"] >= 3 and verifies["nommees"] >= 3, verifies
