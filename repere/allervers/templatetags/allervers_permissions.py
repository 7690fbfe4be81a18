"""``{% load allervers_permissions %}{% if campagne|peut_saisir:user %}``: the « Saisir un contact » link
follows the rule of the entry view (repere.allervers.permissions.peut_saisir_dans)."""

from django import template

from repere.allervers.permissions import peut_saisir_dans

register = template.Library()


@register.filter
def peut_saisir(campagne, user) -> bool:
    return peut_saisir_dans(user, campagne) is not None
