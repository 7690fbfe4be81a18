"""Fresh scales: the versioned, dated parameter-update file (repere/droits/baremes/mises_a_jour.yaml)
is applied to OpenFisca-France and gives the published amounts; months beyond the last known
revaluation are flagged « barèmes provisoires »; the freshness command reports the coverage."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from repere.droits import baremes
from repere.droits.fraicheur import avertissement_baremes, baremes_provisoires
from repere.droits.menage import Menage
from repere.droits.moteur import calculer, systeme


def test_fichier_versionne_date_et_source():
    f = baremes.fichier()
    assert f["version"] >= 1 and isinstance(f["date"], dt.date)
    mises = baremes.mises_a_jour()
    assert mises
    for m in mises:
        assert m.source and "art." in m.source and m.lien.startswith("https://"), m
        assert m.publie, m


def test_valeurs_appliquees_au_systeme():
    tbs = systeme()
    for m in baremes.mises_a_jour():
        noeud = baremes._noeud(tbs, m.parametre)
        assert noeud(m.depuis.isoformat()) == m.valeur
        assert noeud("2026-11-01") == m.valeur  # no later official value known: it stays


@pytest.mark.parametrize("personnes", [1, 2, 3, 4])
def test_plafonds_css_egaux_aux_montants_publies(personnes):
    (css,) = [m for m in baremes.mises_a_jour() if m.parametre.endswith("cmu.plafond_base")]
    gratuit, participation = css.publie[personnes]
    adultes = [{"role": "demandeur", "age": 40}] + ([{"role": "conjoint", "age": 40}] if personnes > 1 else [])
    enfants = [{"role": "enfant", "age": 10}] * max(0, personnes - 2)
    m = Menage.model_validate(
        {"mois": "2025-06", "commune": "49007", "logement": {"statut": "sans_domicile"}, "personnes": adultes + enfants}
    )
    valeurs, _ = calculer([m], codes=["css_gratuite", "css_participation"])
    # Published ceilings are rounded to the euro from the single-person one: 1 € of rounding allowed.
    assert float(valeurs["cmu_c_plafond"][0]) == pytest.approx(gratuit, abs=1.0)
    assert float(valeurs["acs_plafond"][0]) == pytest.approx(participation, abs=1.0)


def test_baremes_provisoires_au_dela_de_la_derniere_revalorisation():
    assert baremes_provisoires("2026-03") == ()
    assert baremes_provisoires("2026-11") == ("complémentaire santé solidaire",)
    en_2027 = baremes_provisoires("2027-12")
    assert {"RSA", "AAH", "ASPA", "prestations familiales", "aides au logement"} <= set(en_2027)
    assert avertissement_baremes("2026-03") == ""
    assert avertissement_baremes("2027-01").startswith("Barèmes provisoires : pour janvier 2027")


def test_commande_fraicheur_dit_la_couverture():
    sortie = StringIO()
    call_command("droits_fraicheur", "--date", "2026-11-15", stdout=sortie)
    texte = sortie.getvalue()
    assert "Mise à jour des barèmes : mises_a_jour.yaml version 1" in texte
    assert "[MIS À JOUR] prestations_sociales.solidarite_insertion.minima_sociaux.cs.cmu.plafond_base = 10339" in texte
    assert "Encore en retard (non couverts par la mise à jour)" in texte
    assert "Barèmes provisoires pour 2026-11 : complémentaire santé solidaire" in texte


def test_bareme_du_cheque_energie_dit_non_verifie_dans_le_resultat():
    """No official 2026 chèque énergie scale could be confirmed: the result says which year the scale
    applied dates from, only when the chèque énergie is shown."""
    from repere.droits import moteur
    from repere.droits.fraicheur import avertissement_non_verifies, derniere_revalorisation

    annee = derniere_revalorisation(
        "prestations_sociales.solidarite_insertion.autre_solidarite.cheque_energie.baremes.une_uc"
    ).year
    assert avertissement_non_verifies(["rsa", "af"]) == []
    (phrase,) = avertissement_non_verifies(["cheque_energie"])
    assert f"chèque énergie, le barème utilisé date de {annee}" in phrase
    m = moteur.menage_exemple("2026-11")
    m = m.model_copy(update={"revenu_fiscal_reference_n2": 0})
    r = moteur.simuler(m)
    cheque = next(p for p in r.prestations if p.code == "cheque_energie")
    assert cheque.eligible != "non"
    assert phrase in r.avertissements
