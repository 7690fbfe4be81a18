"""Template filters for numbers in French: ``{% load nombres %}`` then ``{{ x|euros }}``.

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
