from django import template

register = template.Library()


@register.simple_tag
def case_barometre(tableau, ligne, colonne):
    return tableau.cellule(ligne or None, colonne or None)


@register.filter
def replace_code(url: str, code: str) -> str:
    """The map's « CODE » placeholder (carte par IRIS d'une commune) replaced by a commune's code."""
    return url.replace("CODE", code)


@register.filter
def periode(code: str) -> str:
    """« 2026-12 » → « décembre 2026 », « 2024-T1 » → « 1er trimestre 2024 » (``selectors.libelle_periode``)."""
    from repere.observatoire.selectors import libelle_periode

    return libelle_periode(code) if code else ""
