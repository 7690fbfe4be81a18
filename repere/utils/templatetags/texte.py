"""Template filters for French text: ``{% load texte %}`` then ``près {{ commune.nom|de }}`` → « près d'Angers »."""

from django import template

from repere.utils import text

register = template.Library()


@register.filter
def de(nom):
    return text.de(nom)


@register.filter
def mois_en_lettres(mois):
    """``{{ depistage.mois|mois_en_lettres }}`` → « décembre 2026 »."""
    return text.mois_en_lettres(mois)
