"""Template filters for numbers and dates in French: ``{% load nombres %}`` then ``{{ x|euros }}``, ``{{ d|date_longue }}``.

They only call ``repere.utils.nombres``, where the rules live.
"""

from django import template

from repere.utils import nombres

register = template.Library()


@register.filter
def euros(valeur):
    return nombres.euros(valeur)


@register.filter
def euros_centimes(valeur):
    return nombres.euros_centimes(valeur)


@register.filter
def nombre(valeur, decimales=0):
    return nombres.nombre(valeur, decimales=int(decimales))


@register.filter
def pourcentage(valeur, decimales=0):
    return nombres.pourcentage(valeur, decimales=int(decimales))


@register.filter
def compte(valeur, mots):
    """``{{ n|compte:"ménage calculé" }}`` or, for an irregular plural, ``{{ n|compte:"travail,travaux" }}``."""
    singulier, _, pluriel = mots.partition(",")
    return nombres.compte(valeur, singulier, pluriel or None)


@register.filter
def accord(valeur, mots):
    """Only the words, for a number shown apart: ``<strong>{{ n }}</strong> {{ n|accord:"ménage calculé" }}``."""
    singulier, _, pluriel = mots.partition(",")
    return nombres.accord(valeur, singulier, pluriel or None)


@register.filter
def taille_fichier(valeur):
    return nombres.taille_fichier(valeur)


@register.filter
def heure(valeur):
    return nombres.heure(valeur)


@register.filter
def telephone(valeur):
    return nombres.telephone(valeur)


@register.filter
def date_longue(valeur, format_django="j F Y"):
    return nombres.date_longue(valeur, format_django)
