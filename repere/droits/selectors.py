"""Reads of the rights simulator: local aids applicable to a commune, full results (national +
local), catalogue export."""

from __future__ import annotations

from django.db.models import QuerySet

from repere.droits.a_demander import totaux
from repere.droits.aides_locales import AideLocaleDonnees, Catalogue, Conditions, TerritoireRef, evaluer
from repere.droits.explications import trier
from repere.droits.menage import Menage
from repere.droits.models import AideLocale
from repere.droits.schemas import Mode, ResultatSimulation
from repere.organisations.models import Organisation
from repere.organisations.permissions import ROLES_GESTION, filtrer_par_organisation
from repere.territoires.selectors import get_commune


def aides_locales_applicables(*, commune: str) -> list[AideLocale]:
    """Active local aids whose territory contains the commune (commune, EPCI, département, région)."""
    c = get_commune(commune)
    if c is None:
        return []
    ids = [i for i in (c.pk, c.commune_parente_id, c.epci_id, c.departement_id, c.region_id) if i]
    return list(
        AideLocale.objects.filter(active=True, territoire_id__in=ids).select_related("organisation", "territoire")
    )


def aides_locales_gerees(*, user) -> QuerySet[AideLocale]:
    """Local aids of the organisations where the user is an admin."""
    return filtrer_par_organisation(
        AideLocale.objects.select_related("organisation", "territoire"), user, roles=ROLES_GESTION
    )


def donnees_aide(aide: AideLocale) -> AideLocaleDonnees:
    """Model -> exchange schema (used for export, for evaluation and to prefill forms)."""
    return AideLocaleDonnees.model_construct(
        nom=aide.nom,
        description=aide.description,
        territoire=TerritoireRef.model_construct(type=aide.territoire.type, code=aide.territoire.code),
        conditions=Conditions(
            age_min=aide.age_min,
            age_max=aide.age_max,
            composition=aide.composition,
            enfants_min=aide.enfants_min,
            quotient_familial_max=float(aide.quotient_familial_max) if aide.quotient_familial_max is not None else None,
            rfr_max=float(aide.rfr_max) if aide.rfr_max is not None else None,
            prestation_requise=aide.prestation_requise or None,
            statuts_logement=aide.statuts_logement or [],
            activites=aide.activites or [],
        ),
        montant=float(aide.montant) if aide.montant is not None else None,
        periode=aide.periode,
        comment_demander=aide.comment_demander,
        lien=aide.lien or None,
        contact=aide.contact,
        pieces=[x.strip() for x in aide.pieces.splitlines() if x.strip()],
        active=aide.active,
    )


def exporter_catalogue(*, organisation: Organisation) -> dict:
    aides = AideLocale.objects.filter(organisation=organisation).select_related("territoire").order_by("nom")
    catalogue = Catalogue.model_construct(version=1, aides=[donnees_aide(a) for a in aides])
    return catalogue.model_dump(mode="json")


def evaluer_aides_locales(*, menage: Menage, resultat: ResultatSimulation) -> list:
    return [
        evaluer(donnees_aide(a), menage, resultat, code=f"locale_{a.pk}", organisation=a.organisation.nom)
        for a in aides_locales_applicables(commune=menage.commune)
    ]


def simuler_complet(*, menage: Menage, mode: Mode = "complet") -> ResultatSimulation:
    """National benefits (OpenFisca) plus the local aids of the household's territory, sorted."""
    from repere.droits.cache_resultats import simuler_en_cache

    resultat = simuler_en_cache(menage, mode=mode)  # the national part, reused for the same household
    locales = evaluer_aides_locales(menage=menage, resultat=resultat)
    if locales:
        prestations = [*resultat.prestations, *locales]
        trier(prestations)
        total, a_demander = totaux(prestations)
        resultat = resultat.model_copy(
            update={"prestations": prestations, "total_mensuel": total, "total_a_demander_mensuel": a_demander}
        )
    return resultat


def organisations_gerees(*, user) -> QuerySet[Organisation]:
    from repere.organisations.permissions import organisations_de

    return organisations_de(user, ROLES_GESTION)
