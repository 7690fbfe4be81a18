from datetime import date

from repere.pilotage import services
from repere.pilotage.cadre import charger_cadre
from repere.pilotage.models import Plan, TypePlan
from repere.territoires.models import Territoire, TypeTerritoire
from tests.organisations.factories import OrganisationFactory


def cadre():
    return charger_cadre()[0]


def plan(
    *, organisation=None, nom="Pacte local test", type=TypePlan.PACTE_LOCAL, code_departement="49", **extra
) -> Plan:
    return services.creer_plan(
        nom=nom,
        type=type,
        territoire=Territoire.objects.get(type=TypeTerritoire.DEPARTEMENT, code=code_departement),
        organisation=organisation or OrganisationFactory(),
        cadre=cadre(),
        debut=date(2024, 1, 1),
        fin=date(2027, 12, 31),
        **extra,
    )


def axe(p, numero=3):
    c = cadre()
    axe_national = c.axes.get(numero=numero)
    return services.creer_axe(
        plan=p, titre=f"Axe {numero}", axe_national=axe_national, mesures=list(axe_national.mesures.all())
    )


def action(p, *, par=None, **champs):
    champs.setdefault("titre", "Action test")
    return services.creer_action(plan=p, par=par, **champs)
