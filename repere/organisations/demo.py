"""Demo organisations and accounts (Pays de la Loire), all labelled as demo data."""

from repere.comptes.models import User
from repere.organisations.models import Organisation, Role, TypeOrganisation
from repere.organisations.services import ajouter_membre
from repere.territoires.models import Territoire, TypeTerritoire

MOT_DE_PASSE_DEMO = "demo-repere-2026"
DOMAINE = "demo.repere.localhost"

ORGANISATIONS = [
    ("CCAS de Chemillé-en-Anjou (démo)", TypeOrganisation.CCAS, [(TypeTerritoire.COMMUNE, "49092")], "ccas-chemille"),
    (
        "Association Entraide Mauges (démo)",
        TypeOrganisation.ASSOCIATION,
        [(TypeTerritoire.EPCI, "200060010")],
        "asso-mauges",
    ),
    (
        "Département de Maine-et-Loire (démo)",
        TypeOrganisation.DEPARTEMENT,
        [(TypeTerritoire.DEPARTEMENT, "49")],
        "cd49",
    ),
]
ROLES = [
    (Role.ADMIN, "admin", "Camille", "Admin"),
    (Role.PROFESSIONNEL, "pro", "Dominique", "Pro"),
    (Role.BENEVOLE, "benevole", "Sacha", "Bénévole"),
    (Role.OBSERVATEUR, "observateur", "Alix", "Observateur"),
]


def _utilisateur(email, prenom, nom, **extra):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=MOT_DE_PASSE_DEMO, first_name=prenom, last_name=nom, **extra
        )
    return user


def charger() -> list[str]:
    lignes = []
    admin = _utilisateur(f"plateforme@{DOMAINE}", "Plateforme", "Admin", is_staff=True, is_superuser=True)
    lignes.append(f"administrateur de la plateforme : {admin.email}")
    for nom, type_, territoires, prefixe in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(nom=nom, defaults={"type": type_, "est_demo": True})
        organisation.territoires.set(
            [t for t in (Territoire.objects.filter(type=ty, code=code).first() for ty, code in territoires) if t]
        )
        for role, suffixe, prenom, nom_famille in ROLES:
            user = _utilisateur(f"{suffixe}.{prefixe}@{DOMAINE}", prenom, f"{nom_famille} ({prefixe})")
            ajouter_membre(organisation=organisation, user=user, role=role)
            if prefixe == "ccas-chemille":
                lignes.append(f"{Role(role).label.lower()} du CCAS de Chemillé-en-Anjou : {user.email}")
            elif prefixe == "cd49" and role == Role.PROFESSIONNEL:
                lignes.append(f"analyste du Département de Maine-et-Loire (repérage par fichier) : {user.email}")
    return lignes
