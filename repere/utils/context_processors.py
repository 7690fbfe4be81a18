from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

# The pillars shown in the main navigation; a pillar whose page does not exist (yet) is not shown, and
# a pillar that needs an account is shown only to members of an organisation (no link to a 403 or 404).
PILIERS = [
    ("Droits", "droits:accueil", False),
    ("Annuaire", "annuaire:recherche", False),
    ("Aller-vers", "allervers:accueil", True),
    ("Repérage par fichier", "depistage:accueil", False),
    ("Observatoire", "observatoire:accueil", False),
    ("Pilotage", "pilotage:accueil", True),
]


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _piliers(espace):
    membre = espace.voit_les_campagnes
    piliers = []
    for libelle, name, compte in PILIERS:
        url = _url(name)
        if url and (membre or not compte):
            piliers.append({"libelle": libelle, "url": url})
    return piliers


def site(request):
    from repere.comptes.espace import espace_de, liens_de_travail

    # the user's memberships read once for the whole page (navigation, « Mon espace » menu, templates), not once
    # per use: one query instead of three on every page of a logged-in user
    espace = SimpleLazyObject(lambda: espace_de(request.user))
    return {
        "INSTANCE_NAME": settings.REPERE_INSTANCE_NAME,
        "DEMO": settings.REPERE_DEMO,
        "PILIERS": SimpleLazyObject(lambda: _piliers(espace)),
        "LIENS_TRAVAIL": SimpleLazyObject(lambda: liens_de_travail(request.user, espace=espace)),
        "ESPACE": espace,
    }
