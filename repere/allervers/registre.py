"""The record of processing (registre des activités de traitement, art. 30 RGPD) of the outreach
module, generated from the configuration: models, the anonymisation classification, durations."""

from django.core.exceptions import FieldDoesNotExist

from repere.allervers import anonymisation
from repere.allervers.models import Consentement, Contact, Entretien, Personne

VERSION_CACHE = "allervers-v1"

FINALITES = [
    "Organiser des campagnes d'aller-vers (porte-à-porte, stands, bus, visites, appels) et en rendre compte.",
    "Enregistrer des contacts anonymes et repérer les droits probables (pré-repérage).",
    "Accompagner les personnes qui l'acceptent jusqu'à l'ouverture de leurs droits (suivi nominatif).",
    "Orienter vers les services du territoire (annuaire) avec l'accord de la personne.",
    "Évaluer l'action (indicateurs Territoires zéro non-recours) sur des données agrégées et anonymisées.",
]


def _champs(model, sauf=("id",)):
    return [
        str(f.verbose_name)
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False) and f.name not in sauf and not f.is_relation
    ]


def registre() -> dict:
    personnels = anonymisation.CLASSIFICATION["Personne"]
    return {
        "nom": "Aller-vers et suivi des personnes (Repère)",
        "responsable": "Chaque organisation utilisatrice (CCAS, Département, association…) pour ses campagnes et les personnes qu'elle suit ; l'opérateur de la plateforme agit en sous-traitant.",
        "finalites": FINALITES,
        "bases_legales": [
            "Mission d'intérêt public (art. 6.1.e RGPD) pour les collectivités et CCAS ;",
            "Consentement (art. 6.1.a) ou intérêt légitime (art. 6.1.f) pour les associations ;",
            "La base retenue figure dans chaque version de la notice d'information lue aux personnes.",
        ],
        "personnes_concernees": "Habitants rencontrés lors des campagnes ; personnes accompagnées ; membres des équipes.",
        "categories": [
            {"nom": "Contacts anonymes", "champs": _champs(Contact, ("id", "cle", "cree_le", "version_moteur"))},
            {
                "nom": "Identité et coordonnées (avec accord)",
                "champs": [
                    str(Personne._meta.get_field(f).verbose_name)
                    for f, t in personnels.items()
                    if t == "supprime"
                    and not Personne._meta.get_field(f).is_relation
                    and f not in ("id", "version", "avis_retention_le", "derniere_interaction_le")
                ],
            },
            {
                "nom": "Situation et foyer",
                "champs": [
                    "composition du foyer (modèle de ménage du simulateur)",
                    "besoins (thématiques data·inclusion)",
                    "simulations de droits",
                    "parcours des droits",
                ],
            },
            {"nom": "Accompagnement", "champs": _champs(Entretien, ("id", "cree_le"))},
            {"nom": "Accords", "champs": _champs(Consentement, ("id",))},
        ],
        "donnees_sensibles": "Aucune donnée de santé en texte libre : les besoins sont des catégories ; les sous-thèmes de santé sensibles (addictions, santé mentale, santé sexuelle, MDPH) ne sont pas proposés.",
        "destinataires": [
            "Professionnels de l'organisation qui suit la personne ;",
            "Organisations du groupe de suivi, seulement avec l'accord de la personne ;",
            "Services de l'annuaire vers lesquels la personne est orientée, avec son accord ;",
            "Bénévoles : uniquement les contacts anonymes qu'ils ont saisis.",
        ],
        "durees": [
            f"Fiche nominative : {anonymisation.DUREE_CONSERVATION_JOURS // 365} ans après le dernier contact ; avis au référent {anonymisation.PREAVIS_JOURS} jours avant ; puis anonymisation automatique (commande allervers_retention, chaque nuit).",
            f"Journal des consultations : {anonymisation.DUREE_JOURNAL_ACCES_JOURS} jours.",
            "Contacts anonymes et statistiques anonymisées : durée de l'évaluation.",
        ],
        "securite": [
            "Accès par organisation et par rôle ; une fiche d'une autre organisation répond « introuvable » ;",
            "Chaque consultation d'une fiche est journalisée (qui, quand, quoi) ; chaque modification est historisée ;",
            "Note privée visible par son seul auteur ; aucune donnée personnelle dans les adresses ni les journaux techniques ;",
            "Droit d'accès (export JSON et imprimable) et droit à l'effacement depuis la fiche.",
        ],
        "classification": _classification_en_mots(),
    }


TRAITEMENTS = {
    "supprime": "supprimé",
    "statistique": "réduit en statistique",
    "delie": "délié",
    "vide": "vidé",
    "conserve": "conservé",
}


def _nom_du_champ(model, nom: str) -> str:
    try:
        champ = model._meta.get_field(nom)
    except FieldDoesNotExist:
        return nom
    if hasattr(champ, "verbose_name"):
        return str(champ.verbose_name)
    return str(champ.related_model._meta.verbose_name_plural)  # a reverse relation: the rows that point here


def _classification_en_mots() -> dict[str, dict[str, str]]:
    """``anonymisation.CLASSIFICATION`` as people read it: objects and fields by their names, treatments in words."""
    from django.apps import apps

    resultat = {}
    for nom_modele, champs in anonymisation.CLASSIFICATION.items():
        model = apps.get_model("allervers", nom_modele)
        resultat[str(model._meta.verbose_name).capitalize()] = {
            _nom_du_champ(model, champ): TRAITEMENTS.get(t, t) for champ, t in champs.items()
        }
    return resultat
