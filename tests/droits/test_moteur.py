"""Engine mapping and the traps of OpenFisca-France (see also cas_reference.yaml)."""

import numpy as np
import pytest

from repere.droits import moteur
from repere.droits.menage import Menage
from tests.droits.factories import menage

pytestmark = pytest.mark.django_db


def _m(**modifs):
    return Menage.model_validate(menage(**modifs))


def _montants(resultat):
    return {p.code: p.montant for p in resultat.prestations}


def test_lot_identique_aux_simulations_individuelles():
    """Integer ids: households of different sizes in one batch (10 > 9 > 2 ...) get their own results."""
    menages = []
    for n in range(12):
        personnes = [
            {
                "role": "demandeur",
                "age": 30 + n,
                "activite": "salarie",
                "revenus": [{"nature": "salaire", "montant_mensuel": 300 + 150 * n}],
            }
        ]
        personnes += [{"role": "enfant", "age": 2 + k, "niveau_scolaire": "primaire"} for k in range(n % 4)]
        if n % 3 == 0:
            personnes.append({"role": "autre", "age": 70, "activite": "retraite"})
        menages.append(_m(personnes=personnes))
    en_lot = moteur.simuler_lot(menages)
    for m, r in zip(menages, en_lot, strict=True):
        assert _montants(r) == _montants(moteur.simuler(m))


def test_roles_detailles_zone_apl_renseignee():
    valeurs, contexte = moteur.calculer([_m()], codes=["aide_logement"])
    assert valeurs["aide_logement"][0] > 0
    zone = contexte["simulation"].calculate("zone_apl", "2026-11").decode_to_str()[0]
    assert zone == "zone_2"


def test_mois_de_reference_m4_m2():
    valeurs, contexte = moteur.calculer([_m()], codes=["rsa"])
    assert contexte["simulation"].calculate("departement_experimentation_rsa", "2026-11")[0]


def test_prestations_recues_injectees_et_non_recalculees():
    m = _m(prestations_recues=[{"code": "aide_logement", "montant_mensuel": 123.45}])
    _, contexte = moteur.calculer([m], codes=["rsa"])
    sim = contexte["simulation"]
    assert sim.calculate("aide_logement", "2026-08")[0] == pytest.approx(123.45)
    assert sim.calculate("aide_logement", "2025-02")[0] == pytest.approx(123.45)
    non_recue = moteur.calculer([_m()], codes=["rsa"])[1]["simulation"]
    assert non_recue.calculate("af", "2026-08")[0] == 0


def test_concepts_de_revenus_derives_du_net():
    m = _m(
        personnes=[
            {
                "role": "demandeur",
                "age": 70,
                "activite": "retraite",
                "revenus": [{"nature": "retraite", "montant_mensuel": 926}],
            }
        ]
    )
    _, contexte = moteur.calculer([m], codes=["aspa"])
    sim = contexte["simulation"]
    assert sim.calculate("retraite_nette", "2026-10")[0] == pytest.approx(926)
    assert sim.calculate("retraite_brute", "2026-10")[0] == pytest.approx(1000, abs=0.01)


def test_rfr_estime_et_signale():
    r = moteur.simuler(
        _m(
            personnes=[
                {
                    "role": "demandeur",
                    "age": 40,
                    "activite": "salarie",
                    "revenus": [{"nature": "salaire", "montant_mensuel": 1000}],
                }
            ]
        )
    )
    assert r.revenu_fiscal_reference_estime
    assert r.revenu_fiscal_reference == np.floor(1000 * 1.0365 * 12 * 0.9)
    assert any("estimé" in h for h in r.hypotheses)
    declare = moteur.simuler(_m(revenu_fiscal_reference_n2=5000))
    assert not declare.revenu_fiscal_reference_estime and declare.revenu_fiscal_reference == 5000


def test_mode_rapide_et_prestations_choisies():
    r = moteur.simuler(_m(), mode="rapide")
    assert r.mode == "rapide"
    codes = {p.code for p in r.prestations}
    assert {"rsa", "ppa", "aide_logement", "css_gratuite"} <= codes and "cheque_energie" not in codes
    r = moteur.simuler(_m(), prestations=["rsa", "aide_logement"])
    assert [p.code for p in r.prestations] != [] and {p.code for p in r.prestations} == {"rsa", "aide_logement"}
    with pytest.raises(ValueError, match="prestation inconnue"):
        moteur.simuler(_m(), prestations=["loto"])


def test_resultat_structure_et_version():
    r = moteur.simuler(_m())
    rsa = r.prestation("rsa")
    assert rsa.eligible == "oui" and rsa.periode == "mensuel" and rsa.raisons
    assert rsa.comment_demander.organisme.startswith("CAF") and rsa.comment_demander.lien.startswith("https://")
    assert rsa.a_demander and rsa.recu is None
    assert r.moteur["openfisca_france"] and r.moteur["version_modele"] == "1"
    assert r.model_dump(mode="json")["prestations"]
    recue = moteur.simuler(_m(prestations_recues=[{"code": "rsa", "montant_mensuel": 500}])).prestation("rsa")
    assert recue.recu == 500 and not recue.a_demander


def test_independant_rend_le_rsa_incertain():
    m = _m(
        personnes=[
            {
                "role": "demandeur",
                "age": 40,
                "activite": "independant",
                "revenus": [{"nature": "independant", "montant_mensuel": 300}],
            }
        ]
    )
    assert moteur.simuler(m).prestation("rsa").eligible == "incertain"
