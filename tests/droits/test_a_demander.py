"""« À demander », defined once (repere.droits.a_demander) and used by the simulator's totals, the
batch arrays (the screener's non-take-up flag) and the result read by outreach's rights pipeline."""

import numpy as np
import pytest

from repere.depistage.calcul import ligne_resultat, table_tableaux
from repere.depistage.sortie import CODES as CODES_SORTIE
from repere.droits.a_demander import est_a_demander, est_a_verifier, masque_a_demander
from repere.droits.lot import INCERTAIN, NON, OUI, simuler_lot_tableaux
from repere.droits.menage import Menage
from repere.droits.moteur import simuler


def test_la_regle():
    assert est_a_demander(eligible="oui", deja_percue=False)
    assert not est_a_demander(eligible="oui", deja_percue=True)  # received: never a right to open
    assert not est_a_demander(eligible="incertain", deja_percue=False)
    assert est_a_verifier(eligible="incertain", deja_percue=False)
    m = masque_a_demander(np.array([OUI, OUI, INCERTAIN, NON]), np.array([False, True, False, False]), oui=OUI)
    assert m.tolist() == [True, False, False, False]


def _menage(**recues):
    return Menage.model_validate(
        {
            "mois": "2026-11",
            "commune": "49007",
            "logement": {"statut": "heberge_gratuitement"},
            "personnes": [{"role": "demandeur", "age": 30}],
            "prestations_recues": [{"code": c, "montant_mensuel": v} for c, v in recues.items()],
        }
    )


@pytest.mark.parametrize("recues", [{}, {"rsa": 400.0}, {"css": 0.0}])
def test_meme_regle_partout(recues):
    menage = _menage(**recues)
    r = simuler(menage)
    tab = simuler_lot_tableaux([menage], mode="complet")
    for code in ("rsa", "css_gratuite"):
        p = r.prestation(code)
        attendu = est_a_demander(eligible=p.eligible, deja_percue=p.deja_percue)
        assert p.a_demander == attendu
        assert bool(tab.a_demander[0, tab.colonne(code)]) == attendu
        # outreach's rights pipeline reads this field of the stored result
        assert p.model_dump(mode="json")["a_demander"] == attendu
    table = table_tableaux(["x"], [menage.commune], [len(menage.personnes)], tab)
    ligne = tuple(table.column(i)[0].as_py() for i in range(table.num_columns))
    assert ligne == ligne_resultat("x", menage, r)
    assert r.prestation("rsa").a_demander == ("rsa" not in recues)
    # a free CSS declared as received (amount 0) is received all the same
    assert r.prestation("css_gratuite").a_demander == ("css" not in recues)
    nr = ligne[5].split(" / ")
    assert ("Revenu de solidarité active (RSA) : à demander" in nr) == ("rsa" not in recues)
    assert set(CODES_SORTIE) >= {"rsa"}
