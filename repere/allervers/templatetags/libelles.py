"""Human labels of the household's enumerations (housing status, activity) for the person record:
``{% load libelles %}{{ personne.menage.logement.statut|logement }}``. The labels are those of the forms."""

from django import template

from repere.allervers.forms import ACTIVITES, LOGEMENTS

register = template.Library()
_LOGEMENTS = dict(LOGEMENTS)
_ACTIVITES = dict(ACTIVITES)


@register.filter
def logement(code):
    return _LOGEMENTS.get(code, code or "")


@register.filter
def activite(code):
    return _ACTIVITES.get(code, code or "")


_ELIGIBLE = {"oui": "Probable", "incertain": "À vérifier", "non": "Peu probable"}


@register.filter
def eligibilite(code):
    return _ELIGIBLE.get(code, code or "")


@register.filter
def montant_prestation(mensuel, code):
    """A benefit's amount as people read it: per year for the yearly ones (ARS, chèque énergie…), whose
    monthly equivalent is what is stored, per month otherwise: « 1 234 € par an », « 345 € par mois »."""
    from repere.droits.prestations import PAR_CODE
    from repere.utils.nombres import euros

    if mensuel in (None, ""):
        return "—"
    prestation = PAR_CODE.get(code)
    if prestation is not None and prestation.periode == "annuel":
        return f"{euros(float(mensuel) * 12)} par an"
    return f"{euros(mensuel)} par mois"
