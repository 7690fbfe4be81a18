"""How a value is written on screen and in exports: through repere.utils.nombres only."""

from __future__ import annotations

from repere.observatoire.models import Statut, Unite
from repere.utils.nombres import ESPACE_INSECABLE, euros, nombre

LIBELLE_SECRET = "secret statistique"
LIBELLE_ND = "non disponible"


def texte_valeur(valeur: float | None, *, unite: str, precision: int = 0) -> str:
    if valeur is None:
        return LIBELLE_ND
    if unite == Unite.POURCENTAGE:
        return f"{nombre(valeur, decimales=precision)}{ESPACE_INSECABLE}%"
    if unite == Unite.EUROS:
        return euros(valeur)
    if unite == Unite.EUROS_MOIS:
        return f"{euros(valeur)} par mois"
    if unite == Unite.KM:
        return f"{nombre(valeur, decimales=max(precision, 1))}{ESPACE_INSECABLE}km"
    if unite == Unite.POUR_10000:
        return f"{nombre(valeur, decimales=max(precision, 1))} pour 10{ESPACE_INSECABLE}000 habitants"
    if unite == Unite.JOURS:
        return f"{nombre(valeur)}{ESPACE_INSECABLE}jours"
    return nombre(valeur, decimales=precision)


def etat(*, statut: str, masque: bool, valeur) -> str:
    """« ok », « secret » or « nd »: what a reader may see of the cell."""
    if masque or statut == Statut.SECRET:
        return "secret"
    if valeur is None or statut == Statut.NON_DISPONIBLE:
        return "nd"
    return "ok"


def texte_cellule(*, valeur, statut: str, masque: bool, unite: str, precision: int) -> str:
    e = etat(statut=statut, masque=masque, valeur=valeur)
    if e == "secret":
        return LIBELLE_SECRET
    if e == "nd":
        return LIBELLE_ND
    texte = texte_valeur(valeur, unite=unite, precision=precision)
    if statut == Statut.PROVISOIRE:
        texte += " (provisoire)"
    elif statut == Statut.ESTIME:
        texte += " (estimé)"
    return texte
