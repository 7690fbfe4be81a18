"""Read operations of the batch screening."""

from __future__ import annotations

from django.db.models import QuerySet

from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, organisations_de


def noms_communes(codes: list[str]) -> dict[str, str]:
    """INSEE code -> commune name (for the report); unknown codes are left out."""
    from repere.territoires.models import Territoire

    # A commune nouvelle keeps the code of one of its former communes (49092 is Chemillé-en-Anjou and its
    # commune déléguée Chemillé): the current commune's name wins over a delegated or associated one.
    rang = {"commune": 0, "arrondissement": 1}
    noms: dict[str, tuple[int, str]] = {}
    for i in range(0, len(codes), 900):
        for code, type_, nom in (
            Territoire.objects.filter(code__in=codes[i : i + 900])
            .exclude(type__in=["epci", "departement", "region"])
            .values_list("code", "type", "nom")
        ):
            candidat = (rang.get(type_, 2), nom)
            if code not in noms or candidat < noms[code]:
                noms[code] = candidat
    return {code: nom for code, (_rang, nom) in noms.items()}


def organisations_autorisees(user) -> QuerySet:
    """Organisations where the user may screen files (personal data: admin and professional roles)."""
    return organisations_de(user, ROLES_DONNEES_PERSONNELLES).order_by("nom")


def depistages_de(*, organisation) -> QuerySet:
    from repere.depistage.models import Depistage

    return Depistage.objects.filter(organisation=organisation).select_related("cree_par").order_by("-cree_le")
