"""Demo data of the outreach module: a door-to-door campaign of the demo CCAS of Chemillé-en-Anjou
(labelled "démo"), some anonymous contacts, one person followed with agreement."""

import datetime
import random
import uuid

from django.utils import timezone

from repere.allervers import services
from repere.allervers.models import Campagne, NoticeInformation, Personne
from repere.comptes.models import User
from repere.organisations.models import Organisation
from repere.territoires.models import Territoire

NOM = "Porte-à-porte Chemillé centre (démo)"
OBSTACLES_DEMO = [
    "ne_connait_pas",
    "ne_connait_pas",
    "ne_connait_pas",
    "demarche_en_ligne",
    "demarche_en_ligne",
    "pieces_demandees",
    "mobilite",
]


def charger() -> list[str]:
    ccas = Organisation.objects.filter(nom="CCAS de Chemillé-en-Anjou (démo)").first()
    commune = Territoire.objects.filter(type="commune", code="49092").first()
    if ccas is None or commune is None:
        return ["aller-vers : organisations ou territoires de démo absents, campagne non créée"]
    campagne = Campagne.objects.filter(nom=NOM).first()
    pro = User.objects.get(email="pro.ccas-chemille@demo.repere.localhost")
    benevole = User.objects.get(email="benevole.ccas-chemille@demo.repere.localhost")
    if campagne is None:
        notice, _ = NoticeInformation.objects.get_or_create(
            organisation=ccas,
            version="2026-01",
            defaults={
                "titre": "Notice d'information aller-vers du CCAS (démo)",
                "texte": (
                    "Le CCAS de Chemillé-en-Anjou vous rencontre pour vous informer de vos droits. Sans votre accord, "
                    "rien ne permet de vous identifier. Si vous acceptez un suivi, vos coordonnées et votre situation "
                    "sont conservées 2 ans après le dernier contact ; vous pouvez y accéder, les faire corriger ou "
                    "effacer auprès du CCAS."
                ),
                "base_legale": "Mission d'intérêt public (art. 6.1.e RGPD)",
            },
        )
        aujourdhui = timezone.localdate()
        campagne = services.creer_campagne(
            organisation=ccas,
            par=pro,
            nom=NOM,
            type="porte_a_porte",
            territoires=[commune],
            date_debut=aujourdhui - datetime.timedelta(days=14),
            date_fin=aujourdhui + datetime.timedelta(days=45),
            notice=notice,
            secteurs=["Centre-bourg", "Quartier de la gare", "Hameaux"],
            equipe=[benevole],
            est_demo=True,
        )
        hasard = random.Random(49092)
        besoins = campagne.thematiques
        for i in range(24):
            jour = aujourdhui - datetime.timedelta(days=hasard.randint(0, 13))
            reponses = {}
            if i % 2 == 0:
                reponses = {
                    "age": hasard.choice([24, 34, 45, 58, 70]),
                    "enfants": hasard.choice([0, 0, 1, 2, 3]),
                    "logement": hasard.choice(["locataire", "locataire_social", "proprietaire", "heberge"]),
                    "loyer": 450,
                    "revenus": hasard.choice([0, 600, 900, 1300, 1800]),
                    "activite": hasard.choice(["salarie", "sans_emploi", "retraite"]),
                }
            services.enregistrer_contact(
                par=benevole if i % 3 else pro,
                campagne=campagne,
                cle=uuid.UUID(int=hasard.getrandbits(128)),
                date=jour,
                canal="porte",
                secteur=hasard.choice(campagne.secteurs),
                situations=hasard.sample(
                    ["isolement", "famille_monoparentale", "senior", "sans_emploi", "precarite_energetique"], 2
                ),
                besoins=hasard.sample(besoins, hasard.randint(1, 3)),
                reponses=reponses,
                orientation_proposee=hasard.choice(["", "ccas", "caf_msa", "france_services"]),
                suivi_souhaite=i % 4 == 0,
                recontact={
                    "prenom": hasard.choice(["Alex", "Morgane", "Yanis", "Louise", "Sam"]) + " (démo)",
                    "telephone": f"06 00 00 00 {i:02d}",
                    "accord": True,
                }
                if i % 4 == 0
                else None,
                # Obstacles for the observatory's barometer (demo campaign, labelled « démo » there too).
                obstacles=hasard.sample(OBSTACLES_DEMO, hasard.randint(1, 2)) if i % 6 else [],
                type_non_recours=hasard.choice(
                    ["non_connaissance", "non_connaissance", "non_demande", "non_reception"]
                ),
                organisme=hasard.choice(["caf", "caf", "caf", "cpam", "departement"]),
            )
        contact = campagne.contacts.filter(suivi_souhaite=True).exclude(reponses={}).first()
        personne = services.creer_personne(
            par=pro,
            organisation=ccas,
            accord=True,
            notice=notice,
            prenom="Camille",
            nom="Exemple (démo)",
            contact=contact,
            telephone="0600000000",
            adresse="1 rue fictive (démo)",
            commune=commune,
        )
        services.ajouter_entretien(
            personne=personne,
            par=pro,
            organisation=ccas,
            date=aujourdhui,
            canal="domicile",
            besoins=["logement-hebergement"],
            resume="Premier rendez-vous à domicile (démo) : point sur le logement et les aides.",
        )
        services.ajouter_rappel(
            personne=personne,
            par=pro,
            echeance=aujourdhui + datetime.timedelta(days=7),
            objet="Rappeler pour le dossier CAF",
        )
    personne = Personne.objects.filter(campagne=campagne).first()
    lignes = [f"aller-vers : campagne « {NOM} » — /aller-vers/campagnes/{campagne.pk}/"]
    if personne:
        lignes.append(f"aller-vers : fiche de démo {personne.reference} — /aller-vers/personnes/{personne.pk}/")
    return lignes
