"""The statistical secret: one function, on tricky tables. A hidden cell must never be recomputable."""

import itertools
import random

import numpy as np
import pytest

from repere.observatoire.secret import Cellule, masquer, primaires, table_croisee


def recalculables(cellules, relations, masques):
    """Hidden cells an attacker can recompute exactly from the visible cells and the relations."""
    inconnues = sorted(masques, key=str)
    if not inconnues:
        return set()
    idx = {k: i for i, k in enumerate(inconnues)}
    lignes = []
    for total, parties in relations:
        membres = [(total, -1.0)] + [(p, 1.0) for p in parties]
        if any(k not in cellules or (cellules[k].effectif is None and k not in masques) for k, _ in membres):
            continue
        ligne = np.zeros(len(idx))
        for k, coef in membres:
            if k in idx:
                ligne[idx[k]] += coef
        if ligne.any():
            lignes.append(ligne)
    if not lignes:
        return set()
    a = np.array(lignes)
    r = np.linalg.matrix_rank(a)
    trouve = set()
    for k, i in idx.items():
        e = np.zeros(len(idx))
        e[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, e])) == r:
            trouve.add(k)
    return trouve


def test_petit_effectif_masque_et_secret_secondaire_sur_une_ligne():
    cellules = {"total": Cellule(53), "a": Cellule(3), "b": Cellule(20), "c": Cellule(30)}
    relations = [("total", ["a", "b", "c"])]
    masques = masquer(cellules, relations=relations, seuil=11)
    assert "a" in masques
    assert "b" in masques  # the smallest visible part, else a = 53 - 20 - 30
    assert "c" not in masques and "total" not in masques
    assert not recalculables(cellules, relations, masques)


def test_zero_est_affiche_et_seuil_configurable(settings):
    cellules = {"a": Cellule(0), "b": Cellule(12), "c": Cellule(11)}
    assert masquer(cellules) == set()
    settings.REPERE_SECRET_SEUIL = 13
    assert masquer(cellules) == {"b", "c"}


def test_denominateur_sous_le_seuil_masque_le_taux():
    cellules = {"taux_a": Cellule(effectif=5, denominateur=7), "taux_b": Cellule(effectif=40, denominateur=300)}
    assert masquer(cellules, seuil=11) == {"taux_a"}


def test_total_petit_masque_et_ses_parties():
    cellules = {"t": Cellule(8), "a": Cellule(8), "b": Cellule(0)}
    masques = masquer(cellules, relations=[("t", ["a", "b"])], seuil=11)
    assert {"t", "a"} <= masques
    assert not recalculables(cellules, [("t", ["a", "b"])], masques)


def test_secret_de_source_protege_aussi():
    cellules = {"t": Cellule(500), "a": Cellule(None, secret_source=True), "b": Cellule(200), "c": Cellule(250)}
    # "a" is secret at source but its count is unknown to Repère as well: the relation recomputes it
    # (500 - 200 - 250), so a second cell is hidden.
    cellules["a"] = Cellule(50, secret_source=True)
    masques = masquer(cellules, relations=[("t", ["a", "b", "c"])], seuil=11)
    assert "a" in masques and "b" in masques


def test_partie_non_disponible_ne_demande_pas_de_secret_secondaire():
    cellules = {"t": Cellule(100), "a": Cellule(4), "b": Cellule(None), "c": Cellule(60)}
    assert masquer(cellules, relations=[("t", ["a", "b", "c"])], seuil=11) == {"a"}


def test_table_croisee_avec_marges_aucune_case_recalculable():
    effectifs = {
        ("F", "RSA"): 3,
        ("F", "AAH"): 40,
        ("F", "APL"): 25,
        ("H", "RSA"): 30,
        ("H", "AAH"): 14,
        ("H", "APL"): 2,
    }
    valeurs, masques = table_croisee(effectifs, lignes=["F", "H"], colonnes=["RSA", "AAH", "APL"], seuil=11)
    assert ("F", "RSA") in masques and ("H", "APL") in masques
    relations = [((ligne, None), [(ligne, c) for c in ["RSA", "AAH", "APL"]]) for ligne in ["F", "H"]]
    relations += [((None, c), [(ligne, c) for ligne in ["F", "H"]]) for c in ["RSA", "AAH", "APL"]]
    relations += [
        ((None, None), [("F", None), ("H", None)]),
        ((None, None), [(None, c) for c in ["RSA", "AAH", "APL"]]),
    ]
    cellules = {k: Cellule(v) for k, v in valeurs.items()}
    assert not recalculables(cellules, relations, masques)


def test_hierarchie_imbriquee_communes_epci_departement():
    # Two EPCI in one département; one small commune in each EPCI.
    cellules = {
        "dep": Cellule(300),
        "e1": Cellule(150),
        "e2": Cellule(150),
        "c1": Cellule(5),
        "c2": Cellule(145),
        "c3": Cellule(70),
        "c4": Cellule(80),
    }
    relations = [("dep", ["c1", "c2", "c3", "c4"]), ("e1", ["c1", "c2"]), ("e2", ["c3", "c4"]), ("dep", ["e1", "e2"])]
    masques = masquer(cellules, relations=relations, seuil=11)
    assert "c1" in masques
    assert not recalculables(cellules, relations, masques)


@pytest.mark.parametrize("graine", range(25))
def test_tables_aleatoires_jamais_recalculables(graine):
    rnd = random.Random(graine)
    lignes, colonnes = [f"l{i}" for i in range(rnd.randint(2, 5))], [f"c{j}" for j in range(rnd.randint(2, 5))]
    effectifs = {
        (ligne, c): rnd.choice([0, 1, 2, 5, 9, 10, 11, 15, 40, 120]) for ligne, c in itertools.product(lignes, colonnes)
    }
    valeurs, masques = table_croisee(effectifs, lignes=lignes, colonnes=colonnes, seuil=11)
    relations = [((ligne, None), [(ligne, c) for c in colonnes]) for ligne in lignes]
    relations += [((None, c), [(ligne, c) for ligne in lignes]) for c in colonnes]
    relations += [((None, None), [(ligne, None) for ligne in lignes]), ((None, None), [(None, c) for c in colonnes])]
    cellules = {k: Cellule(v) for k, v in valeurs.items()}
    for k, v in valeurs.items():
        if 0 < v < 11:
            assert k in masques
    assert not recalculables(cellules, relations, masques)


@pytest.mark.parametrize("graine", range(30))
def test_hierarchies_aleatoires_a_plusieurs_passes_jamais_recalculables(graine):
    # Départements of communes, cut across by EPCI straddling two départements, under a région: the
    # groups of hidden cells grow and merge from one pass to the next (the check kept between passes).
    rnd = random.Random(1000 + graine)
    communes = {}
    departements = {}
    for d in range(rnd.randint(2, 4)):
        membres = [f"c{d}_{i}" for i in range(rnd.randint(3, 9))]
        for c in membres:
            communes[c] = rnd.choice([0, 1, 3, 7, 10, 12, 15, 30, 80, 200])
        departements[f"d{d}"] = membres
    noms = list(communes)
    rnd.shuffle(noms)
    epci, i = {}, 0
    while i < len(noms):
        k = rnd.randint(2, 5)
        epci[f"e{len(epci)}"] = noms[i : i + k]
        i += k
    valeurs = dict(communes)
    relations = []
    for groupe in (departements, epci):
        for total, parties in groupe.items():
            valeurs[total] = sum(communes[p] for p in parties)
            relations.append((total, parties))
    valeurs["r"] = sum(valeurs[d] for d in departements)
    relations.append(("r", list(departements)))
    cellules = {k: Cellule(v) for k, v in valeurs.items()}
    masques = masquer(cellules, relations=relations, seuil=11)
    assert {k for k, v in valeurs.items() if 0 < v < 11} <= masques
    assert not recalculables(cellules, relations, masques)


def test_secret_primaire_colonne_par_colonne_comme_cellule_par_cellule():
    # The import's path (columns, no object per cell) gives what masquer gives cell by cell.
    cles = ["zero", "petit", "seuil", "inconnu", "taux_petit", "taux_ok", "source"]
    effectifs = [0, 10, 11, None, None, None, 500]
    denominateurs = [None, None, None, None, 10, 11, None]
    sources = [False, False, False, False, False, False, True]
    colonnes = primaires(cles, effectifs, denominateurs, sources, seuil=11)
    cellules = {
        k: Cellule(effectif=e, denominateur=d, secret_source=s)
        for k, e, d, s in zip(cles, effectifs, denominateurs, sources, strict=True)
    }
    assert colonnes == masquer(cellules, seuil=11) == {"petit", "taux_petit", "source"}
