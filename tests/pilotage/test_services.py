from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from repere.pilotage import selectors, services
from repere.pilotage.models import Action, LigneBudget, Statut
from tests.pilotage.factories import action, axe, plan

pytestmark = pytest.mark.django_db


def test_une_fin_avant_le_debut_est_refusee_sans_rien_ecrire():
    p = plan()
    with pytest.raises(ValidationError) as e:
        action(p, date_debut=date(2025, 3, 1), date_fin_prevue=date(2025, 1, 1))
    assert "date de fin prévue (01/01/2025) est avant la date de début (01/03/2025)" in str(e.value)
    assert not Action.objects.exists()


def test_chaque_modification_est_historisee():
    p = plan()
    a = action(p)
    services.modifier_action(action=a, par=None, statut=Statut.EN_COURS, pilotes="Mme Martin")
    lignes = {(h.champ, h.avant, h.apres) for h in a.historique.all()}
    assert ("statut", "À venir", "En cours") in lignes
    assert ("pilotes", "", "Mme Martin") in lignes
    services.enregistrer_ligne_budget(
        action=a, par=None, annee=2025, type="fonctionnement", financeur_nom="CAF", prevu=1000
    )
    assert a.historique.filter(objet="budget").exists()


def test_un_budget_qui_ne_s_additionne_pas_est_refuse():
    a = action(plan())
    with pytest.raises(ValidationError) as e:
        services.enregistrer_ligne_budget(
            action=a, par=None, annee=2025, type="fonctionnement", financeur_nom="CAF", prevu=100, engage=200
        )
    assert "L'engagé (200\u00a0€) dépasse le prévu (100\u00a0€)" in " ".join(e.value.messages)
    with pytest.raises(ValidationError, match="Année invalide"):
        services.enregistrer_ligne_budget(
            action=a, par=None, annee="deux", type="fonctionnement", financeur_nom="CAF", prevu=1
        )
    assert not LigneBudget.objects.exists()


def test_en_retard_est_calcule_depuis_les_dates():
    p = plan()
    hier = timezone.localdate() - timedelta(days=1)
    en_retard = action(p, titre="A", statut=Statut.EN_COURS, date_fin_prevue=hier)
    realisee = action(p, titre="B", statut=Statut.REALISE, date_fin_prevue=hier)
    etape = action(p, titre="C", statut=Statut.EN_COURS, date_fin_prevue=hier + timedelta(days=400))
    services.ajouter_etape(action=etape, par=None, titre="Étape dépassée", echeance=hier)
    qs = {a.titre: a for a in selectors.actions_annotees(p.actions.all())}
    assert qs["A"].en_retard and not qs["B"].en_retard and qs["C"].en_retard
    assert selectors.statut_affiche(qs["A"]) == "En retard (en cours)"
    filtrees = selectors.filtrer_actions(p.__class__.objects.filter(pk=p.pk), statut="en_retard")
    assert {a.titre for a in selectors.page_annotee(filtrees, ordre=("pk",), limite=10)} == {"A", "C"}
    assert {a.titre for a in filtrees} == {"A", "C"}
    tdb = selectors.tableau_de_bord(p.__class__.objects.filter(pk=p.pk))
    assert tdb.total.nb_retard == 2 and {a["titre"] for a in tdb.en_retard} == {"A", "C"}
    assert en_retard and realisee


def test_avancement_remonte_des_actions_aux_axes_et_au_plan():
    p = plan()
    ax = axe(p)
    a1 = action(p, titre="Étapes", axe=ax)
    e1 = services.ajouter_etape(action=a1, par=None, titre="1")
    services.ajouter_etape(action=a1, par=None, titre="2")
    services.marquer_etape(etape=e1, par=None, faite=True)  # 50 %
    action(p, titre="Réalisée", axe=ax, statut=Statut.REALISE)  # 100 %
    action(p, titre="Abandonnée", axe=ax, statut=Statut.ABANDONNE, avancement_saisi=0)  # left out
    tdb = selectors.tableau_de_bord(p.__class__.objects.filter(pk=p.pk))
    assert tdb.total.avancement == 75
    (cumul_axe,) = [c for c in tdb.par_axe if c.cle == ax.axe_national_id]
    assert cumul_axe.avancement == 75 and cumul_axe.nb_actions == 2


def test_le_tableau_de_bord_suit_budget_et_indicateurs():
    p = plan()
    a = action(p, axe=axe(p))
    services.enregistrer_ligne_budget(
        action=a,
        par=None,
        annee=2025,
        type="investissement",
        financeur_nom="État — Pacte",
        prevu=1000,
        engage=800,
        paye=250,
    )
    ind = services.ajouter_indicateur(
        action=a,
        par=None,
        nom="Foyers",
        valeur_initiale=Decimal(0),
        date_initiale=date(2024, 1, 1),
        cible=Decimal(100),
        date_cible=date(2026, 1, 1),
    )
    services.enregistrer_valeur(indicateur=ind, par=None, date=date(2025, 1, 1), valeur=Decimal(10))  # 50 expected
    tdb = selectors.tableau_de_bord(p.__class__.objects.filter(pk=p.pk))
    assert tdb.total.prevu == 1000 and tdb.total.paye == 250 and tdb.total.consommation == 0.25
    assert [i.nom for i in tdb.indicateurs_hors_cible] == ["Foyers"] and tdb.nb_hors_cible == 1
    # a report dated before the value was measured does not see it
    assert selectors.tableau_de_bord(p.__class__.objects.filter(pk=p.pk), jour=date(2024, 6, 1)).nb_hors_cible == 0
    assert round(tdb.indicateurs_hors_cible[0].valeur_attendue) == 50
    services.enregistrer_valeur(indicateur=ind, par=None, date=date(2025, 2, 1), valeur=Decimal(80))
    assert not selectors.tableau_de_bord(p.__class__.objects.filter(pk=p.pk)).indicateurs_hors_cible


def test_comparaison_des_pactes_par_mesure():
    p1, p2 = plan(nom="Pacte 49"), plan(nom="Pacte 44", code_departement="44")
    from repere.pilotage.models import MesureNationale

    m = MesureNationale.objects.get(code="3-AN1")
    action(p1, mesures=[m], avancement_saisi=40)
    comp = selectors.comparaison_pactes(p1.__class__.objects.filter(pk__in=[p1.pk, p2.pk]))
    ligne = next(x for x in comp["lignes"] if x["mesure"].code == "3-AN1")
    noms = [p.nom for p in comp["plans"]]
    assert ligne["cellules"][noms.index("Pacte 49")]["avancement"] == 40
    assert ligne["cellules"][noms.index("Pacte 44")]["actions"] == []
