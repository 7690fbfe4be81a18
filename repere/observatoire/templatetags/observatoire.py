from django import template

register = template.Library()


@register.simple_tag
def case_barometre(tableau, ligne, colonne):
    return tableau.cellule(ligne or None, colonne or None)


@register.filter
def replace_code(url: str, code: str) -> str:
    """The map's « CODE » placeholder (carte par IRIS d'une commune) replaced by a commune's code."""
    return url.replace("CODE", code)
