"""``{% load ou_aller %}{% ou_faire_ces_demarches commune probables incertaines %}``: the « Où faire ces
démarches » block of the simulator's results and printable summary (repere.annuaire.demarches)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from repere.annuaire.demarches import lieux_pour_demarches
from repere.territoires.models import Territoire

register = template.Library()


@register.inclusion_tag("annuaire/_ou_faire_ces_demarches.html")
def ou_faire_ces_demarches(commune, *groupes, imprimable=False):
    a_demander = [p for groupe in groupes for p in (groupe or []) if getattr(p, "a_demander", False)]
    bloc = lieux_pour_demarches(commune=commune, prestations=a_demander)
    annuaire = reverse("annuaire:recherche")
    if commune is not None:
        annuaire += "?" + urlencode({"commune_nom": commune.nom, "commune": commune.code})
    points = [
        {
            "id": lieu.service.pk,
            "nom": lieu.structure.nom,
            "structure": lieu.libelle_categorie,
            "lat": lieu.latitude,
            "lon": lieu.longitude,
            "url": reverse("annuaire:service", args=[lieu.service.pk]),
            "distance": lieu.distance_km,
        }
        for lieu in bloc["lieux"]
        if lieu.latitude is not None
    ]
    contours = []
    if commune is not None and not imprimable:
        geometrie = Territoire.objects.filter(pk=commune.pk).values_list("geometrie", flat=True).first()
        if geometrie:
            contours.append({"nom": commune.nom, "role": "commune", "geometrie": geometrie})
    return {
        **bloc,
        "imprimable": imprimable,
        "url_annuaire": annuaire,
        "carte": {
            "points": points,
            "contours": contours,
            "tuiles": getattr(settings, "REPERE_TUILES_URL", ""),
            "attribution": getattr(settings, "REPERE_TUILES_ATTRIBUTION", ""),
            "centre": [commune.latitude, commune.longitude] if commune is not None and commune.latitude else None,
        },
    }
