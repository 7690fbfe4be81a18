"""Demo concertation data: the four regional working groups named in the 2023 synthesis (their meetings and
members are fictitious, labelled « démo »), and the 2023 regional conference — its real workshops are
rebuilt from ``../shared/seed/`` when the file is present."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from repere.concertation import services, synthese
from repere.concertation.models import Evenement, GroupeTravail, Kiosque
from repere.organisations.models import Organisation

NOM_CONFERENCE = "Conférence régionale du Pacte des solidarités — Pays de la Loire 2023"
GROUPES = [
    ("GT transition écologique et solidaire (démo)", "Mobilité, précarité énergétique et acteurs en la matière"),
    ("GT précarité en milieu rural (démo)", "Précarité en milieu rural"),
    ("GT mobilité solidaire (démo)", "Mobilité solidaire, avec le Cerema"),
    ("GT accès aux droits et prévention des ruptures (démo)", "À partir de cas concrets, lever les freins"),
]
KIOSQUES = [
    ("Accès aux droits", "Locaux moteurs"),
    ("Accès aux droits", "Territoire zéro non-recours : La Châtaigneraie (85)"),
    ("Accès aux droits", "Territoire zéro non-recours : Chemillé-en-Anjou (49)"),
    ("Mobilité", "Carbur'Pera"),
    ("Santé", "Marsoins"),
    ("Jeunes précaires en milieu rural", "UDAF / J'NOVA"),
    ("Précarité énergétique", "SLIME Nantes Métropole"),
    ("Précarité alimentaire et transition écologique", "VRAC – Loire-Atlantique"),
    ("Transition écologique d'une association", "Tarmac - Sarthe"),
    ("Accompagnement à la transition écologique", "Fédération des acteurs de la solidarité"),
]


def _organisation():
    return Organisation.objects.filter(nom="Département de Maine-et-Loire (démo)").first()


def evenement_2023() -> Evenement | None:
    org = _organisation()
    if org is None:
        return None
    ev, creee = Evenement.objects.get_or_create(
        nom=NOM_CONFERENCE,
        defaults={
            "date": date(2023, 11, 7),
            "lieu": "Maison de quartier des Hauts-de-Saint-Aubin, Angers",
            "programme": (
                "9 h 30 : plénière d'ouverture (mise en œuvre du Pacte, panorama de la pauvreté par l'INSEE)\n"
                "Kiosques : 10 démarches inspirantes\n"
                "Ateliers thématiques : transition écologique et solidaire ; précarité en milieu rural\n"
                "16 h 30 : conclusion et prochaines étapes"
            ),
            "organisation": org,
            "source": "Synthèse de la conférence régionale du 7 novembre 2023 (fiches reconstituées par import)",
        },
    )
    if creee:
        for thematique, titre in KIOSQUES:
            Kiosque.objects.create(evenement=ev, thematique=thematique, titre=titre, structure=titre)
    return ev


def charger() -> list[str]:
    org = _organisation()
    if org is None:
        return []
    lignes = []
    if not GroupeTravail.objects.filter(nom=GROUPES[0][0]).exists():
        from repere.organisations.models import Membership

        membres = [m.user for m in Membership.objects.filter(organisation=org).select_related("user")]
        for nom, theme in GROUPES:
            g = GroupeTravail.objects.create(nom=nom, theme=theme, organisation_pilote=org, est_demo=True)
            g.organisations.add(org)
            g.membres.set(membres)
        g = GroupeTravail.objects.get(nom=GROUPES[3][0])
        r = services.creer_reunion(
            groupe=g,
            titre="Lancement du groupe (démo)",
            date=timezone.make_aware(datetime(2024, 2, 6, 14, 0)),
            ordre_du_jour="1. Cas concrets de ruptures de parcours\n2. Choix de trois freins à lever",
        )
        if membres:
            services.creer_tache(
                reunion=r,
                titre="Recenser trois cas concrets (démo)",
                responsable=membres[0],
                echeance=timezone.localdate() + timedelta(days=14),
            )
        lignes.append("concertation : 4 groupes de travail régionaux (démo)")
    ev = evenement_2023()
    chemin = services.chemin_seed()
    if ev is not None and not ev.ateliers.exists() and chemin.exists():
        services.importer_synthese(texte=chemin.read_text(encoding="utf-8"), evenement=ev)
        synthese.calculer_synthese(evenement=ev)
        lignes.append(f"concertation : conférence 2023, {ev.ateliers.count()} fiches importées et synthèse calculée")
    return lignes
