"""Validation by column: the columns it builds are those the shared model gives, household for household,
and any household it cannot vouch for goes to the model (which writes the detailed message)."""

import numpy as np

from repere.depistage import generateur
from repere.depistage.assemblage import NOMS, MenageBrut, construire_menage
from repere.depistage.colonnaire import BORNES, lire_lot
from repere.droits.lot import colonnes_de_menages
from repere.droits.menage import MAX_LOYER, Personne

MOIS = "2026-11"


def _bruts(n, graine):
    return [
        MenageBrut(p[0]["id_menage"], [(i + 2, tuple(x.get(c, "") for c in NOMS)) for i, x in enumerate(p)])
        for p in generateur.menages(n, graine=graine)
    ]


def _egales(a, b) -> list[str]:
    differents = []
    for nom in a.__dataclass_fields__:
        x, y = getattr(a, nom), getattr(b, nom)
        if isinstance(x, dict):
            ok = set(x) == set(y) and all(np.array_equal(x[k], y[k]) for k in x)
        elif isinstance(x, np.ndarray):
            if x.dtype == object:
                x, y = x.astype(str), np.asarray(y).astype(str)
            ok = x.shape == y.shape and np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
        else:
            ok = x == y
        if not ok:
            differents.append(nom)
    return differents


def test_les_colonnes_sont_celles_du_modele_sur_des_menages_au_hasard():
    bruts = _bruts(1500, 20261201)
    lecture = lire_lot(bruts, mois=MOIS)
    assert lecture.suspects == [] and len(lecture.ids) == 1500
    menages = [construire_menage(b, mois=MOIS)[0] for b in bruts]
    assert _egales(colonnes_de_menages(menages), lecture.colonnes) == []


def test_un_menage_douteux_passe_par_le_modele_les_autres_restent_en_colonnes():
    bruts = _bruts(30, 4)
    abime = bruts[7]
    numero, valeurs = abime.lignes[0]
    cellules = list(valeurs)
    cellules[NOMS.index("taux_incapacite")] = "150"  # above the model's bound
    abime.lignes[0] = (numero, tuple(cellules))
    lecture = lire_lot(bruts, mois=MOIS)
    assert [b.id_menage for b in lecture.suspects] == [abime.id_menage]
    assert abime.id_menage not in lecture.ids and len(lecture.ids) == 29
    menage, anomalies = construire_menage(abime, mois=MOIS)
    assert menage is None and anomalies[0].colonne == "taux_incapacite" and anomalies[0].ligne == numero


def test_les_bornes_viennent_des_contraintes_du_modele():
    assert BORNES["taux_incapacite"] == Personne.model_fields["taux_incapacite"].metadata[1].le == 100
    assert BORNES["loyer"] == MAX_LOYER


def test_montants_ecrits_autrement_dans_une_colonne_presque_vide_comme_le_modele():
    """Only the filled cells of an amount column are read (most are empty): a written-out amount, spaces
    around it, a blank cell and a bad value are read as the model reads them, on the right line."""
    bruts = _bruts(60, 11)
    autrement = {3: " 1 234,50 ", 9: "   ", 17: "850.5", 25: "12,3"}
    for h, texte in autrement.items():
        numero, valeurs = bruts[h].lignes[0]
        cellules = list(valeurs)
        cellules[NOMS.index("percu_aspa")] = texte
        bruts[h].lignes[0] = (numero, tuple(cellules))
    numero, valeurs = bruts[40].lignes[0]
    cellules = list(valeurs)
    cellules[NOMS.index("percu_aspa")] = "beaucoup"
    bruts[40].lignes[0] = (numero, tuple(cellules))
    lecture = lire_lot(bruts, mois=MOIS)
    assert [b.id_menage for b in lecture.suspects] == [bruts[40].id_menage]
    menages = [construire_menage(b, mois=MOIS)[0] for b in bruts if b is not bruts[40]]
    assert _egales(colonnes_de_menages(menages), lecture.colonnes) == []
    aspa = dict(zip(lecture.ids, lecture.colonnes.recus["aspa"], strict=True))
    assert aspa[bruts[3].id_menage] == 1234.5 and aspa[bruts[17].id_menage] == 850.5
    assert aspa[bruts[25].id_menage] == 12.3 and aspa[bruts[9].id_menage] == 0
    menage, anomalies = construire_menage(bruts[40], mois=MOIS)
    assert menage is None and anomalies[0].colonne == "percu_aspa" and anomalies[0].ligne == bruts[40].lignes[0][0]
