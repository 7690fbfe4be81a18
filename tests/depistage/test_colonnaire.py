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


def test_lignes_en_double_selon_la_regle_du_modele():
    """Same id_personne twice, or (without one) the very same cells twice: the household goes to the model,
    which names the line; the same id_personne in two households, or two different lines without one, is not
    a duplicate (with ids for every line, and with a mix of lines with and without)."""
    bruts = _bruts(40, 8)

    def cellules(h, k):
        return list(bruts[h].lignes[k][1])

    def remplacer(h, k, valeurs):
        numero = bruts[h].lignes[k][0]
        bruts[h].lignes[k] = (numero, tuple(valeurs))

    i, r = NOMS.index("id_personne"), NOMS.index("role")
    a_deux = [h for h, b in enumerate(bruts) if len(b.lignes) >= 2]
    avec_enfant = [h for h in a_deux if cellules(h, 1)[r] == "enfant"]
    sans_id_identiques = avec_enfant[0]  # a child given twice (twins without an id): only the duplicate is wrong
    meme_id, sans_id_differentes, autre_menage = [h for h in a_deux if h != sans_id_identiques][:3]
    c = cellules(meme_id, 1)
    c[i] = cellules(meme_id, 0)[i]
    remplacer(meme_id, 1, c)
    c = cellules(sans_id_identiques, 1)
    c[i] = ""
    remplacer(sans_id_identiques, 1, c)
    bruts[sans_id_identiques].lignes.append((bruts[sans_id_identiques].lignes[-1][0] + 1, tuple(c)))
    for k in range(len(bruts[sans_id_differentes].lignes)):
        c = cellules(sans_id_differentes, k)
        c[i] = ""
        remplacer(sans_id_differentes, k, c)
    c = cellules(autre_menage, 0)
    c[i] = cellules(meme_id, 0)[i]
    remplacer(autre_menage, 0, c)
    lecture = lire_lot(bruts, mois=MOIS)
    suspects = {b.id_menage for b in lecture.suspects}
    assert suspects == {bruts[meme_id].id_menage, bruts[sans_id_identiques].id_menage}
    for h in (meme_id, sans_id_identiques):
        _, anomalies = construire_menage(bruts[h], mois=MOIS)
        assert "en double" in anomalies[0].message
    assert {bruts[sans_id_differentes].id_menage, bruts[autre_menage].id_menage} <= set(lecture.ids)


def test_dates_de_naissance_ecrites_de_toutes_les_facons_comme_le_modele():
    """Each way of writing a birth date, on a demandeur's line: a household kept by the columns has the
    model's date and age; one the columns cannot vouch for goes to the model, and none the model refuses is
    kept (29 February of a leap year or not, a 31 of a 30-day month, one digit, ISO, spaces, blank)."""
    formes = [
        "29/02/2000", "29/02/2001", "31/04/1990", "30/04/1990", "1/2/1990", " 01/02/1990 ", "1990-02-01",
        "1990-2-1", "01.02.1990", "   ", "31/12/1899", "15/13/1990", "00/01/1990", "01/01/2099",
    ]  # fmt: skip
    bruts = _bruts(len(formes), 21)
    i, age = NOMS.index("date_naissance"), NOMS.index("age")
    for b, forme in zip(bruts, formes, strict=True):
        numero, valeurs = b.lignes[0]
        cellules = list(valeurs)
        cellules[i], cellules[age] = forme, "40"
        b.lignes[0] = (numero, tuple(cellules))
    lecture = lire_lot(bruts, mois=MOIS)
    gardes = set(lecture.ids)
    menages = {b.id_menage: construire_menage(b, mois=MOIS)[0] for b in bruts}
    assert all(menages[ident] is not None for ident in gardes)
    assert (
        _egales(colonnes_de_menages([menages[b.id_menage] for b in bruts if b.id_menage in gardes]), lecture.colonnes)
        == []
    )
    assert {b.id_menage for b in lecture.suspects} | gardes == {b.id_menage for b in bruts}
    refuses = {ident for ident, m in menages.items() if m is None}
    assert refuses and refuses <= {b.id_menage for b in lecture.suspects}
    assert len(gardes) >= 6  # the plain forms are read by the columns, not sent to the model


def test_donnees_du_menage_repetees_sur_les_autres_lignes_comme_le_modele():
    """A household's cell (commune, loyer…) written again on another person's line: the same value, with or
    without spaces around it, is accepted as by the model; another value sends the household to the model,
    which names that line and column."""
    bruts = _bruts(40, 13)
    c = NOMS.index("loyer")
    a_deux = [h for h, b in enumerate(bruts) if len(b.lignes) >= 2 and b.lignes[0][1][c].strip()]
    meme, espaces, autre = a_deux[:3]
    for h, texte in ((meme, None), (espaces, " {} "), (autre, "1,00")):
        loyer = bruts[h].lignes[0][1][c]
        numero, valeurs = bruts[h].lignes[1]
        cellules = list(valeurs)
        cellules[c] = loyer if texte is None else texte.format(loyer) if "{}" in texte else texte
        bruts[h].lignes[1] = (numero, tuple(cellules))
    numero, valeurs = bruts[espaces].lignes[0]  # and spaces on the demandeur's line too
    bruts[espaces].lignes[0] = (numero, (*valeurs[:c], f"  {valeurs[c]}", *valeurs[c + 1 :]))
    lecture = lire_lot(bruts, mois=MOIS)
    assert {bruts[meme].id_menage, bruts[espaces].id_menage} <= set(lecture.ids)
    assert [b.id_menage for b in lecture.suspects] == [bruts[autre].id_menage]
    _, anomalies = construire_menage(bruts[autre], mois=MOIS)
    assert [(a.ligne, a.colonne) for a in anomalies] == [(bruts[autre].lignes[1][0], "loyer")]
    assert "diffère de la valeur de la ligne du demandeur" in anomalies[0].message
