"""Read operations of the batch screening."""

from __future__ import annotations

from django.db.models import QuerySet

from repere.organisations.permissions import ROLES_DONNEES_PERSONNELLES, organisations_de


def noms_communes(codes: list[str]) -> dict[str, str]:
    """INSEE code -> commune name (for the report); unknown codes are left out."""
    from repere.territoires.models import Territoire

    noms: dict[str, str] = {}
    for i in range(0, len(codes), 900):
        for code, nom in (
            Territoire.objects.filter(code__in=codes[i : i + 900])
            .exclude(type__in=["epci", "departement", "region"])
            .values_list("code", "nom")
        ):
            noms.setdefault(code, nom)
    return noms


def organisations_autorisees(user) -> QuerySet:
    """Organisations where the user may screen files (personal data: admin and professional roles)."""
    return organisations_de(user, ROLES_DONNEES_PERSONNELLES).order_by("nom")


def depistages_de(*, organisation) -> QuerySet:
    from repere.depistage.models import Depistage

    return Depistage.objects.filter(organisation=organisation).select_related("cree_par").order_by("-cree_le")
