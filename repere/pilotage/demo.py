"""Demo steering data: the national frame (real, from its data file) and a demo local pact of Maine-et-Loire
with a TZNR plan for Chemillé-en-Anjou — fictitious actions, budgets and figures, all labelled « démo »."""

from datetime import date
from decimal import Decimal

from repere.organisations.models import Organisation
from repere.pilotage import services
from repere.pilotage.cadre import charger_cadre
from repere.pilotage.models import MesureNationale, Plan, Statut, TypeBudget, TypePlan
from repere.territoires.models import Territoire, TypeTerritoire
from repere.utils.nombres import date_longue

NOM_PACTE = "Pacte local des solidarités de Maine-et-Loire 2024-2027 (démo)"
NOM_TZNR = "Territoire zéro non-recours — Chemillé-en-Anjou (démo)"


def _mesure(code):
    return MesureNationale.objects.get(code=code)


def charger() -> list[str]:
    cadre, _ = charger_cadre()
    if Plan.objects.filter(nom=NOM_PACTE).exists():
        return ["pilotage : pacte local de démonstration déjà chargé"]
    departement = Territoire.objects.filter(type=TypeTerritoire.DEPARTEMENT, code="49").first()
    chemille = Territoire.objects.filter(type=TypeTerritoire.COMMUNE, code="49092").first()
    cd49 = Organisation.objects.filter(nom="Département de Maine-et-Loire (démo)").first()
    ccas = Organisation.objects.filter(nom="CCAS de Chemillé-en-Anjou (démo)").first()
    if not (departement and chemille and cd49 and ccas):
        return ["pilotage : territoires ou organisations de démonstration absents, pacte de démo non chargé"]
    pacte = services.creer_plan(
        nom=NOM_PACTE,
        type=TypePlan.PACTE_LOCAL,
        territoire=departement,
        organisation=cd49,
        cadre=cadre,
        debut=date(2024, 1, 1),
        fin=date(2027, 12, 31),
        description="Pacte fictif de démonstration : actions, montants et indicateurs inventés.",
        publie=True,
        est_demo=True,
    )
    axes = {}
    for axe_national in cadre.axes.all():
        axes[axe_national.numero] = services.creer_axe(
            plan=pacte,
            titre=f"Axe {axe_national.numero} — {axe_national.titre}",
            axe_national=axe_national,
            mesures=list(axe_national.mesures.all()),
        )
    a1 = services.creer_action(
        plan=pacte,
        par=None,
        axe=axes[3],
        mesures=[_mesure("3-AN1")],
        titre="Maraudes d'accès aux droits dans les Mauges",
        description="Permanences mobiles et porte-à-porte avec les CCAS volontaires.",
        objectifs="Rencontrer 1 200 foyers par an et ouvrir les droits repérés.",
        publics="Foyers isolés en milieu rural",
        territoire=Territoire.objects.filter(type=TypeTerritoire.EPCI, code="200060010").first(),
        organisation_pilote=cd49,
        pilotes="Cheffe de projet accès aux droits (démo)",
        partenaires="CAF, MSA, CCAS",
        statut=Statut.EN_COURS,
        date_debut=date(2024, 3, 1),
        date_fin_prevue=date(2026, 12, 31),
        publique=True,
    )
    e = services.ajouter_etape(action=a1, par=None, titre="Recruter deux médiateurs", echeance=date(2024, 6, 30))
    services.marquer_etape(etape=e, par=None, faite=True)
    services.ajouter_etape(action=a1, par=None, titre="Couvrir les 10 communes déléguées", echeance=date(2025, 6, 30))
    services.ajouter_etape(action=a1, par=None, titre="Bilan avec la CAF et la MSA", echeance=date(2026, 12, 1))
    for annee, prevu, engage, paye in [(2024, 60000, 60000, 60000), (2025, 80000, 70000, 35000)]:
        services.enregistrer_ligne_budget(
            action=a1,
            par=None,
            annee=annee,
            type=TypeBudget.FONCTIONNEMENT,
            financeur_nom="État — crédits du Pacte (démo)",
            type_financeur="etat_pacte",
            prevu=prevu,
            engage=engage,
            paye=paye,
        )
        services.enregistrer_ligne_budget(
            action=a1,
            par=None,
            annee=annee,
            type=TypeBudget.FONCTIONNEMENT,
            financeur_nom="Département de Maine-et-Loire (démo)",
            type_financeur="departement",
            prevu=prevu // 2,
            engage=engage // 2,
            paye=paye // 2,
        )
    ind = services.ajouter_indicateur(
        action=a1,
        par=None,
        nom="Foyers rencontrés",
        unite="foyers",
        valeur_initiale=Decimal(0),
        date_initiale=date(2024, 3, 1),
        cible=Decimal(3000),
        date_cible=date(2026, 12, 31),
    )
    services.enregistrer_valeur(indicateur=ind, par=None, date=date(2024, 12, 31), valeur=Decimal(700))
    services.enregistrer_valeur(indicateur=ind, par=None, date=date(2025, 6, 30), valeur=Decimal(1100))
    a2 = services.creer_action(
        plan=pacte,
        par=None,
        axe=axes[2],
        mesures=[_mesure("2-AC")],
        titre="Plateforme de mobilité solidaire départementale",
        organisation_pilote=cd49,
        statut=Statut.BLOQUE,
        date_debut=date(2024, 9, 1),
        date_fin_prevue=date(2027, 6, 30),
        avancement_saisi=20,
        publique=True,
    )
    services.ajouter_note(
        action=a2, par=None, date=date(2025, 3, 12), texte="En attente du cofinancement régional (démo)."
    )
    services.enregistrer_ligne_budget(
        action=a2,
        par=None,
        annee=2025,
        type=TypeBudget.INVESTISSEMENT,
        financeur_nom="CAF de Maine-et-Loire (démo)",
        type_financeur="caf",
        prevu=120000,
        engage=0,
        paye=0,
    )
    services.creer_action(
        plan=pacte,
        par=None,
        axe=axes[1],
        mesures=[_mesure("1-AN2")],
        titre="Deux lieux d'accueil enfants-parents itinérants",
        organisation_pilote=cd49,
        statut=Statut.EN_COURS,
        date_debut=date(2024, 1, 15),
        date_fin_prevue=date(2025, 6, 30),
        avancement_saisi=60,
    )
    tznr = services.creer_plan(
        nom=NOM_TZNR,
        type=TypePlan.PLAN_LOCAL,
        territoire=chemille,
        organisation=ccas,
        cadre=cadre,
        debut=date(2023, 9, 1),
        fin=date(2026, 8, 31),
        est_demo=True,
        publie=True,
        description="Plan fictif inspiré des étapes présentées au kiosque TZNR de la conférence 2023.",
    )
    axe_t = services.creer_axe(
        plan=tznr,
        titre="Aller vers et parcours sans couture",
        axe_national=cadre.axes.get(numero=3),
        mesures=[_mesure("3-AN1")],
    )
    for titre, statut, debut, fin in [
        (
            "Porte-à-porte sur tout le territoire avec les Locaux Moteurs",
            Statut.EN_COURS,
            date(2023, 10, 1),
            date(2025, 12, 31),
        ),
        (
            "Parcours sans couture du premier accueil à l'aide sociale",
            Statut.A_VENIR,
            date(2025, 1, 1),
            date(2026, 6, 30),
        ),
    ]:
        services.creer_action(
            plan=tznr,
            par=None,
            axe=axe_t,
            mesures=[_mesure("3-AN1")],
            titre=titre,
            statut=statut,
            date_debut=debut,
            date_fin_prevue=fin,
            organisation_pilote=ccas,
            publique=True,
        )
    return [f"pilotage : {NOM_PACTE} et {NOM_TZNR} ; cadre national, version du {date_longue(cadre.version)}"]
