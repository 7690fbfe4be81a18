"""Explanations true by construction: every sentence that states a fact about the household (a
benefit received, a resource counted, a threshold passed) agrees with the computed values it quotes.

Each check reads the engine's values (the coherent combination) and the sentence, and fails when
they disagree. Random households of the screener's generator (fixed seed) plus the cases of issue 9.
"""

import datetime as dt
import re

import pytest

from repere.depistage import generateur
from repere.depistage.assemblage import NOMS, MenageBrut, construire_menage
from repere.droits import combinaison, explications
from repere.droits.menage import Menage, StatutLogement
from repere.droits.moteur import simuler, version_moteur
from repere.droits.prestations import CODES, PRESTATIONS
from repere.utils.nombres import euros

N = 250
MOIS = "2026-11"


@pytest.fixture(scope="module")
def lot():
    menages = []
    for personnes in generateur.menages(N, graine=9, jour=dt.date(2026, 11, 1)):
        lignes = [(i, tuple(p.get(n, "") for n in NOMS)) for i, p in enumerate(personnes)]
        menage, _ = construire_menage(MenageBrut(personnes[0]["id_menage"], lignes), mois=MOIS)
        menages.append(menage)
    valeurs, contexte, tab = combinaison.combiner(menages, codes=CODES, mode="complet")
    resultats = [
        explications.resultat(
            m, j, valeurs=valeurs, contexte=contexte, tableaux=tab, mode="complet", moteur=version_moteur()
        )
        for j, m in enumerate(menages)
    ]
    return menages, valeurs, contexte, resultats


def _v(valeurs, variable, j):
    return float(valeurs[variable][j]) if variable in valeurs else 0.0


def _textes(r):
    for p in r.prestations:
        for t in p.raisons + p.manquant:
            yield p.code, t


def test_forfait_logement_montant_et_motif_vrais(lot):
    menages, valeurs, contexte, resultats = lot
    vus = {"recevez": 0, "devriez": 0, "gratuitement": 0}
    for j, (m, r) in enumerate(zip(menages, resultats, strict=True)):
        rsa = r.prestation("rsa")
        phrases = [t for t in rsa.raisons if "forfait logement" in t]
        forfait = _v(valeurs, "rsa_forfait_logement", j)
        assert bool(phrases) == (forfait > 0 and rsa.eligible != "incertain"), (j, phrases, forfait)
        if not phrases:
            continue
        (phrase,) = phrases
        assert phrase.startswith(f"{euros(forfait)} par mois")
        al_declaree = m.montant_recu("aide_logement") > 0
        al_estimee = float(contexte["injections"]["aide_logement"][j]) > 0
        if "vous recevez une aide au logement" in phrase:
            assert al_declaree, (j, phrase)
            vus["recevez"] += 1
        elif "vous devriez recevoir une aide au logement" in phrase:
            assert al_estimee and not al_declaree, (j, phrase)
            vus["devriez"] += 1
        elif "logé(e) gratuitement" in phrase:
            assert m.logement.statut == StatutLogement.HEBERGE_GRATUITEMENT and not (al_declaree or al_estimee)
            vus["gratuitement"] += 1
    assert all(vus.values()), vus  # every case is met in the sample


def test_ressources_du_rsa_nommees_et_egales_aux_valeurs(lot):
    menages, valeurs, contexte, resultats = lot
    for j, r in enumerate(resultats):
        for t in r.prestation("rsa").raisons:
            if t.startswith("Ressources comptées"):
                assert t.startswith(f"Ressources comptées : {euros(_v(valeurs, 'rsa_base_ressources', j))} par mois")
                assert "(moyenne de juillet, août et septembre 2026)" in t
                if "de prestations familiales" in t:
                    pf = _v(valeurs, "rsa_base_ressources_prestations_familiales", j)
                    assert f"{euros(pf)} de prestations familiales" in t
            if "dépassent le RSA de votre foyer" in t:
                res = _v(valeurs, "rsa_base_ressources", j) + _v(valeurs, "rsa_forfait_logement", j)
                assert f"({euros(res)} par mois)" in t
                assert r.prestation("rsa").montant == 0


def test_cheque_energie_jamais_trop_eleve_a_tort(lot):
    menages, valeurs, contexte, resultats = lot
    for j, r in enumerate(resultats):
        p = r.prestation("cheque_energie")
        if any("au-dessus du plafond" in t for t in p.raisons):
            assert p.montant == 0 and _v(valeurs, "cheque_energie_montant", j) == 0, j
            assert r.revenu_fiscal_reference > 0, j  # an RFR of 0 is never « too high »


def test_css_plafonds_vrais(lot):
    menages, valeurs, contexte, resultats = lot
    for j, r in enumerate(resultats):
        for t in r.prestation("css_gratuite").raisons:
            nombres = re.findall(r"\(([\d\u202f\u00a0]+\u00a0€)", t)
            if "sont sous le plafond" in t and len(nombres) == 2:
                assert _v(valeurs, "css_cmu_base_ressources", j) <= _v(valeurs, "cmu_c_plafond", j)
            if "dépassent le plafond" in t and len(nombres) == 2:
                assert _v(valeurs, "css_cmu_base_ressources", j) > _v(valeurs, "cmu_c_plafond", j)


def test_aujourd_hui_et_une_fois_obtenues_disent_les_montants(lot):
    menages, valeurs, contexte, resultats = lot
    vus = 0
    for r in resultats:
        for p in r.prestations:
            if p.montant_mensuel_aujourdhui is None or p.code.startswith("css"):
                continue
            vus += 1
            attendu = f"{euros(p.montant_mensuel_aujourdhui)} par mois aujourd'hui, {euros(p.montant_mensuel)} une fois"
            assert attendu in p.raisons[0], p.raisons[0]
            for code in p.demander_d_abord:
                assert r.prestation(code) is None or r.prestation(code).eligible == "oui"
    assert vus > 10


def test_langage_simple_pour_le_public(lot):
    menages, valeurs, contexte, resultats = lot
    interdits = (
        "M-4",
        "M-2",
        "N-2",
        "unités de consommation",
        "enfant(s)",
        "Ce montant baissera",
        "montant forfaitaire",
    )
    for r in resultats:
        for code, t in _textes(r):
            for mot in interdits:
                assert mot not in t, (code, t)
            assert not re.search(r"\d,\d\d\u00a0€", t), (code, t)  # amounts rounded to the euro
        for h in r.hypotheses:
            assert not re.search(r"\b(rsa|ppa|aah|af|cf|asf|aspa|aide_logement)\b", h), h  # words, never codes


def test_aucune_note_pour_les_professionnels_dans_le_public():
    notes = ("l'expliquer", "sans décourager", "expliquer à la personne", "à l'usager", "bénéficiaire potentiel")
    for p in PRESTATIONS:
        textes = [p.libelle, p.description, *p.comment_demander.en_dict().values()]
        for t in textes:
            for x in t if isinstance(t, list) else [t]:
                for n in notes:
                    assert n not in x, (p.code, x)


def _m(**d):
    return Menage.model_validate({"mois": MOIS, "commune": "49007", **d})


def test_pas_d_aide_au_logement_inventee():
    """Issue 9: « car vous percevez une aide au logement » for a household that declared none."""
    r = simuler(
        _m(
            logement={"statut": "locataire", "loyer": 450},
            personnes=[{"role": "demandeur", "age": 40, "activite": "chomeur"}],
        )
    )
    textes = " ".join(r.prestation("rsa").raisons)
    assert "vous recevez une aide au logement" not in textes
    assert "vous devriez recevoir une aide au logement" in textes
    assert r.prestation("aide_logement").eligible == "oui"


def test_cheque_energie_rfr_nul_pas_trop_eleve():
    r = simuler(
        _m(
            logement={"statut": "sans_domicile"},
            personnes=[{"role": "demandeur", "age": 40}],
            revenu_fiscal_reference_n2=0,
        )
    )
    textes = " ".join(r.prestation("cheque_energie").raisons)
    assert "trop élevé" not in textes and "au-dessus" not in textes
    assert "logement déclaré aux impôts" in textes


def test_un_enfant_deux_enfants():
    r = simuler(
        _m(
            logement={"statut": "locataire", "loyer": 500},
            personnes=[
                {
                    "role": "demandeur",
                    "age": 35,
                    "activite": "salarie",
                    "revenus": [{"nature": "salaire", "montant_mensuel": 1200}],
                },
                {"role": "enfant", "age": 12, "niveau_scolaire": "college"},
            ],
            revenu_fiscal_reference_n2=13000,
        )
    )
    textes = " ".join(t for _, t in _textes(r))
    assert "1 enfant " in textes or "1 enfant à" in textes or "1 enfant au" in textes
    assert "enfant(s)" not in textes and "1 enfants" not in textes
