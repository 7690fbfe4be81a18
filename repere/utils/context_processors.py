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


def _piliers(request):
    from repere.comptes.espace import espace_de

    membre = espace_de(request.user).voit_les_campagnes
    piliers = []
    for libelle, name, compte in PILIERS:
        url = _url(name)
        if url and (membre or not compte):
            piliers.append({"libelle": libelle, "url": url})
    return piliers


def _liens_travail(request):
    from repere.comptes.espace import liens_de_travail

    return liens_de_travail(request.user)


def _espace(request):
    from repere.comptes.espace import espace_de

    return espace_de(request.user)


def site(request):
    return {
        "INSTANCE_NAME": settings.REPERE_INSTANCE_NAME,
        "DEMO": settings.REPERE_DEMO,
        "PILIERS": SimpleLazyObject(lambda: _piliers(request)),
        "LIENS_TRAVAIL": SimpleLazyObject(lambda: _liens_travail(request)),
        "ESPACE": SimpleLazyObject(lambda: _espace(request)),
    }
