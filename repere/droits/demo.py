"""Demo data of the rights simulator: local aids of the demo organisations, labelled « démo »."""

from repere.droits.aides_locales import AideLocaleDonnees
from repere.droits.models import AideLocale
from repere.droits.services import creer_aide_locale
from repere.organisations.models import Organisation
from repere.utils.nombres import compte

AIDES = [
    (
        "CCAS de Chemillé-en-Anjou (démo)",
        {
            "nom": "Aide alimentaire d'urgence (démo)",
            "description": "Bons alimentaires pour les foyers en difficulté passagère. Donnée de démonstration.",
            "territoire": {"type": "commune", "code": "49092"},
            "conditions": {"quotient_familial_max": 650},
            "montant": 80,
            "periode": "ponctuel",
            "comment_demander": "Rendez-vous à l'accueil du CCAS, le matin du lundi au vendredi, avec les pièces demandées.",
            "contact": "CCAS (démo) : 02 00 00 00 00",
            "pieces": [
                "Pièce d'identité",
                "Justificatifs de ressources du dernier mois",
                "Attestation CAF de quotient familial",
            ],
        },
    ),
    (
        "CCAS de Chemillé-en-Anjou (démo)",
        {
            "nom": "Aide aux vacances des familles (démo)",
            "description": "Participation aux frais de séjour des enfants. Donnée de démonstration.",
            "territoire": {"type": "commune", "code": "49092"},
            "conditions": {"composition": "avec_enfants", "quotient_familial_max": 800},
            "montant": 150,
            "periode": "annuel",
            "comment_demander": "Dossier à retirer au CCAS ou à télécharger, à déposer avant le 30 avril.",
            "pieces": ["Attestation CAF de quotient familial", "Devis du séjour"],
        },
    ),
    (
        "Département de Maine-et-Loire (démo)",
        {
            "nom": "Fonds de solidarité logement — accès (démo)",
            "description": "Aide à l'entrée dans un logement (dépôt de garantie, premier loyer). Donnée de démonstration.",
            "territoire": {"type": "departement", "code": "49"},
            "conditions": {"statuts_logement": ["locataire", "foyer"], "rfr_max": 15000},
            "montant": None,
            "periode": "ponctuel",
            "comment_demander": "Demande instruite par un travailleur social (CCAS, Maison départementale des solidarités).",
            "pieces": ["Bail ou promesse de bail", "Justificatifs de ressources des 3 derniers mois"],
        },
    ),
]


def charger() -> list[str]:
    lignes = []
    for nom_org, donnees in AIDES:
        organisation = Organisation.objects.filter(nom=nom_org).first()
        if organisation is None:
            continue
        if AideLocale.objects.filter(organisation=organisation, nom=donnees["nom"]).exists():
            continue
        creer_aide_locale(organisation=organisation, donnees=AideLocaleDonnees.model_validate(donnees), est_demo=True)
    n = AideLocale.objects.filter(est_demo=True).count()
    lignes.append(
        f"simulateur de droits : /droits/ ({compte(n, 'aide locale')} de démonstration, gérées dans /droits/aides-locales/)"
    )
    return lignes
