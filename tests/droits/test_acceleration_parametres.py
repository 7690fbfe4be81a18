"""Vectorial parameters answered by distinct key (``repere.droits.acceleration``): the same values,
dtypes and amounts as openfisca-core's element-by-element lookups, on a node and on a whole batch."""

import numpy as np
import pytest
from django.conf import settings

from repere.depistage import generateur
from repere.depistage.assemblage import NOMS, MenageBrut, construire_menage
from repere.droits import acceleration, combinaison, moteur

pytestmark = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="sans base de données : exécuté une seule fois, lors du passage SQLite",
)

MOIS = "2026-11"


def _originale(monkeypatch):
    monkeypatch.setattr(
        acceleration._Vectoriel, "build_from_node_name", staticmethod(acceleration._build_from_node_name_original)
    )


def _plafonds_par_zone(zones):
    al = moteur.systeme().parameters(f"{MOIS}-01").prestations_sociales.aides_logement.allocations_logement
    par_zone = al.locatif.formule.l_plafonds_loyers.par_zone[zones]
    return par_zone, {
        nom: getattr(par_zone, nom) for nom in ("personnes_seules", "couples", "un_enfant", "majoration_par_enf_supp")
    }


def test_plafonds_par_zone_une_recherche_par_zone_memes_valeurs(monkeypatch):
    zone_apl = moteur.systeme().variables["zone_apl"].possible_values
    zones = zone_apl.encode(np.array(["zone_1", "zone_2", "zone_3", "zone_2", "zone_2", "zone_1"] * 50))
    noeud, accelere = _plafonds_par_zone(zones)
    assert isinstance(noeud, acceleration._VectorielParCle)
    assert len(noeud.uniques) == 3  # three zones: three look-ups, not 300
    _originale(monkeypatch)
    noeud_origine, origine = _plafonds_par_zone(zones)
    assert not isinstance(noeud_origine, acceleration._VectorielParCle)
    for nom, valeurs in origine.items():
        assert accelere[nom].dtype == valeurs.dtype, nom
        assert np.array_equal(accelere[nom], valeurs), nom
    assert len(set(origine["couples"].tolist())) == 3  # the zones do have different ceilings


def _menages(n: int):
    out = []
    for personnes in generateur.menages(n, graine=15):
        lignes = [(i + 2, tuple(p.get(nom, "") for nom in NOMS)) for i, p in enumerate(personnes)]
        menage, anomalies = construire_menage(MenageBrut(personnes[0]["id_menage"], lignes), mois=MOIS)
        assert anomalies == []
        out.append(menage)
    return out


def test_lot_coherent_identique_avec_les_parametres_vectoriels_d_openfisca(monkeypatch):
    menages = _menages(400)
    codes = moteur.verifier_codes(None, "complet")
    valeurs, contexte, tab = combinaison.combiner(menages, codes=codes, mode="complet")
    _originale(monkeypatch)
    valeurs_0, contexte_0, tab_0 = combinaison.combiner(menages, codes=codes, mode="complet")
    assert sorted(valeurs) == sorted(valeurs_0)
    differents = [
        v
        for v in valeurs
        if np.asarray(valeurs[v]).dtype != np.asarray(valeurs_0[v]).dtype
        or not np.array_equal(np.asarray(valeurs[v]), np.asarray(valeurs_0[v]))
    ]
    assert differents == []
    for nom in ("montant", "montant_mensuel", "eligible", "mensuel_aujourdhui", "eligible_aujourdhui"):
        assert np.array_equal(getattr(tab, nom), getattr(tab_0, nom)), nom
    assert np.array_equal(contexte["passes"], contexte_0["passes"])
    assert (tab.montant[:, tab.colonne("aide_logement")] > 0).sum() > 50  # housing aid computed for many
