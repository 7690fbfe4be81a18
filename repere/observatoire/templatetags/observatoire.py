from django import template

register = template.Library()


@register.simple_tag
def case_barometre(tableau, ligne, colonne):
    return tableau.cellule(ligne or None, colonne or None)
