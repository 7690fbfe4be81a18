"""The shared household model: validation with French messages naming the field."""

import pytest

from repere.droits.menage import Menage, valider_menage
from tests.droits.factories import menage

pytestmark = pytest.mark.django_db


def _erreurs(data):
    m, erreurs = valider_menage(data)
    assert m is None
    return {e["champ"]: e["message"] for e in erreurs}


def test_menage_valide_et_serialisable():
    m = Menage.model_validate(menage())
    assert m.version_modele == "1"
    assert Menage.model_validate(m.model_dump(mode="json")) == m


def test_un_seul_demandeur():
    erreurs = _erreurs(menage(personnes=[{"role": "demandeur", "age": 30}, {"role": "demandeur", "age": 31}]))
    assert "un seul demandeur" in erreurs["personnes"]


def test_demandeur_obligatoire():
    erreurs = _erreurs(menage(personnes=[{"role": "conjoint", "age": 30}]))
    assert "demandeur" in erreurs["personnes"]


def test_enfant_plus_age_que_parent_accepte():
    m, erreurs = valider_menage(menage(personnes=[{"role": "demandeur", "age": 19}, {"role": "enfant", "age": 22}]))
    assert not erreurs


def test_plus_de_20_personnes():
    personnes = [{"role": "demandeur", "age": 40}] + [{"role": "enfant", "age": 5}] * 20
    assert "au plus 20" in _erreurs(menage(personnes=personnes))["personnes"]


@pytest.mark.parametrize(
    ("personne", "champ", "extrait"),
    [
        ({"role": "demandeur"}, "personnes[0]", "l'âge ou la date de naissance"),
        ({"role": "demandeur", "age": -1}, "personnes[0].age", "supérieur ou égal à 0"),
        (
            {"role": "demandeur", "age": 30, "taux_incapacite": 120},
            "personnes[0].taux_incapacite",
            "inférieur ou égal à 100",
        ),
        ({"role": "demandeur", "age": 30, "activite": "astronaute"}, "personnes[0].activite", "valeur inconnue"),
        ({"role": "demandeur", "age": 10}, "personnes[0]", "au moins 15 ans"),
        ({"role": "demandeur", "age": 30, "date_naissance": "2099-01-01"}, "personnes[0].date_naissance", "futur"),
        (
            {"role": "demandeur", "age": 30, "revenus": [{"nature": "salaire"}]},
            "personnes[0].revenus[0]",
            "montant_mensuel ou montants_3_derniers_mois",
        ),
        (
            {"role": "demandeur", "age": 30, "revenus": [{"nature": "salaire", "montants_3_derniers_mois": [1, 2]}]},
            "personnes[0].revenus[0].montants_3_derniers_mois",
            "pas assez",
        ),
        (
            {"role": "demandeur", "age": 30, "revenus": [{"nature": "salaire", "montant_mensuel": 1e9}]},
            "personnes[0].revenus[0].montant_mensuel",
            "inférieur ou égal",
        ),
        ({"role": "demandeur", "age": 30, "inconnu": 1}, "personnes[0].inconnu", "champ inconnu"),
    ],
)
def test_erreurs_de_personne(personne, champ, extrait):
    erreurs = _erreurs(menage(personnes=[personne]))
    assert champ in erreurs, erreurs
    assert extrait in erreurs[champ]


def test_commune_inconnue_et_mois_hors_couverture():
    erreurs = _erreurs(menage(commune="99999", mois="2030-01"))
    assert "commune inconnue" in erreurs["commune"]
    assert "compris entre" in erreurs["mois"]


def test_loyer_obligatoire_pour_un_locataire_et_interdit_sans_loyer():
    assert "loyer" in _erreurs(menage(logement={"statut": "locataire"}))["logement.loyer"]
    erreurs = _erreurs(menage(logement={"statut": "heberge_gratuitement", "loyer": 300}))
    assert "ne paie pas de loyer" in erreurs["logement.loyer"]


def test_prestation_recue_inconnue():
    erreurs = _erreurs(menage(prestations_recues=[{"code": "loto", "montant_mensuel": 10}]))
    assert "prestations_recues[0].code" in erreurs


def test_revenus_des_3_derniers_mois():
    m = Menage.model_validate(
        menage(
            personnes=[
                {
                    "role": "demandeur",
                    "age": 30,
                    "revenus": [{"nature": "salaire", "montants_3_derniers_mois": [600, 300, 0]}],
                }
            ]
        )
    )
    r = m.demandeur.revenus[0]
    assert (r.montant_du_mois(1), r.montant_du_mois(2), r.montant_du_mois(3), r.montant_du_mois(6)) == (
        600,
        300,
        0,
        300,
    )


def test_un_booleen_n_est_pas_un_montant():
    """Issue 9: "montant_mensuel": true was read as a 1 € salary."""
    data = menage(
        personnes=[{"role": "demandeur", "age": 30, "revenus": [{"nature": "salaire", "montant_mensuel": True}]}]
    )
    erreurs = _erreurs(data)
    assert "pas « vrai »" in erreurs["personnes[0].revenus[0].montant_mensuel"]
    for champ, valeur in (("age", False), ("taux_incapacite", True)):
        erreurs = _erreurs(menage(personnes=[{"role": "demandeur", "age": 30, champ: valeur}]))
        assert "un nombre est attendu" in erreurs[f"personnes[0].{champ}"]
    erreurs = _erreurs(menage(revenu_fiscal_reference_n2=True))
    assert "un nombre est attendu" in erreurs["revenu_fiscal_reference_n2"]


def test_foyer_invraisemblable_accepte_avec_avertissement():
    """Issue 9: two 15-year-olds with 18 babies were accepted without a word."""
    personnes = [{"role": "demandeur", "age": 15}, {"role": "conjoint", "age": 15}] + [
        {"role": "enfant", "age": 0}
    ] * 18
    m, erreurs = valider_menage(menage(personnes=personnes))
    assert not erreurs
    avertissements = m.avertissements()
    assert any("15 ans et le foyer compte 18 enfants" in a for a in avertissements)
    assert any("18 bébés" in a for a in avertissements)
    assert any("18 enfants à charge" in a for a in avertissements)
    enfant_age = Menage.model_validate(
        menage(personnes=[{"role": "demandeur", "age": 19}, {"role": "enfant", "age": 22}])
    )
    assert any("moins de 12 ans d'écart" in a for a in enfant_age.avertissements())
    assert Menage.model_validate(menage()).avertissements() == []


def test_listes_de_choix_construites_depuis_les_enumerations():
    from repere.depistage import colonnes
    from repere.droits import forms
    from repere.droits.menage import LIBELLES, Activite, NiveauScolaire, StatutLogement, choix

    for enumeration in (Activite, NiveauScolaire, StatutLogement):
        assert set(LIBELLES[enumeration]) == set(enumeration)  # a human label for every value
        assert all("_" not in libelle for _, libelle in choix(enumeration))
    assert [v for v, _ in forms.ACTIVITES] == [a.value for a in Activite]
    assert forms.EtapeLogement().fields["statut"].choices == choix(StatutLogement)
    assert tuple(s.value for s in StatutLogement) == colonnes.STATUTS_LOGEMENT
    assert tuple(n.value for n in NiveauScolaire) == colonnes.NIVEAUX_SCOLAIRES
