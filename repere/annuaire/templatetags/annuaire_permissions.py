"""``{% load annuaire_permissions %}{% if user|peut_suivre_orientations %}``: the links of a page follow the
same rule as the view they lead to (repere.annuaire.selectors)."""

from django import template

from repere.annuaire import selectors

register = template.Library()


@register.filter
def peut_suivre_orientations(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and selectors.peut_suivre_orientations(user)
