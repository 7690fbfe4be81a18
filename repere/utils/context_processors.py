from django.conf import settings
from django.urls import NoReverseMatch, reverse

# The pillars shown in the main navigation; a pillar whose page does not exist yet shows as "bientôt".
PILIERS = [
    ("Droits", "droits:accueil"),
    ("Annuaire", "annuaire:recherche"),
    ("Aller-vers", "allervers:accueil"),
    ("Repérage par fichier", "depistage:accueil"),
    ("Observatoire", "observatoire:accueil"),
]


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def site(request):
    return {
        "INSTANCE_NAME": settings.REPERE_INSTANCE_NAME,
        "DEMO": settings.REPERE_DEMO,
        "PILIERS": [{"libelle": libelle, "url": _url(name)} for libelle, name in PILIERS],
    }
