"""JSON API of the steering module (session authentication): the national frame (public), the plans the
user can see, their actions with computed progress, status and budget, and the COPIL dashboard figures."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.security import django_auth

from repere.pilotage import selectors
from repere.pilotage.cadre import cadre_pacte

router = Router()


class MesureSortie(Schema):
    code: str
    type: str
    intitule: str
    libelle: str


class AxeSortie(Schema):
    numero: int
    titre: str
    mesures: list[MesureSortie]


class CadreSortie(Schema):
    nom: str
    version: str
    axes: list[AxeSortie]


class PlanSortie(Schema):
    id: int
    nom: str
    type: str
    territoire: str
    organisation: str


class ActionSortie(Schema):
    id: int
    titre: str
    statut: str
    statut_affiche: str
    en_retard: bool
    avancement: int
    date_debut: datetime.date | None
    date_fin_prevue: datetime.date | None
    prevu: float
    engage: float
    paye: float
    mesures: list[str]


class CumulSortie(Schema):
    libelle: str
    nb_actions: int
    avancement: int | None
    nb_retard: int
    nb_bloquees: int
    prevu: float
    engage: float
    paye: float


class TableauDeBordSortie(Schema):
    jour: datetime.date
    total: CumulSortie
    par_axe: list[CumulSortie]
    par_territoire: list[CumulSortie]
    nb_indicateurs_hors_cible: int


@router.get("/cadre-national", response=CadreSortie, summary="Cadre national du Pacte : axes et mesures")
def cadre_national(request):
    cadre = cadre_pacte()
    if cadre is None:
        from django.http import Http404

        raise Http404("Le cadre national n'est pas chargé.")
    return {
        "nom": str(cadre),
        "version": cadre.version,
        "axes": [
            {
                "numero": a.numero,
                "titre": a.titre,
                "mesures": [
                    {"code": m.code, "type": m.type, "intitule": m.intitule_type, "libelle": m.libelle}
                    for m in a.mesures.filter(retiree=False)
                ],
            }
            for a in cadre.axes.all()
        ],
    }


@router.get("/plans", response=list[PlanSortie], auth=django_auth, summary="Plans visibles")
def plans(request):
    return [
        {"id": p.pk, "nom": p.nom, "type": p.type, "territoire": p.territoire.nom, "organisation": p.organisation.nom}
        for p in selectors.plans_visibles(request.user).select_related("territoire", "organisation")
    ]


@router.get("/plans/{plan_id}/actions", response=list[ActionSortie], auth=django_auth, summary="Actions d'un plan")
def actions(request, plan_id: int):
    plan = get_object_or_404(selectors.plans_visibles(request.user), pk=plan_id)
    return [
        {
            "id": a.pk,
            "titre": a.titre,
            "statut": a.statut,
            "statut_affiche": selectors.statut_affiche(a),
            "en_retard": a.en_retard,
            "avancement": a.avancement,
            "date_debut": a.date_debut,
            "date_fin_prevue": a.date_fin_prevue,
            "prevu": float(a.prevu),
            "engage": float(a.engage),
            "paye": float(a.paye),
            "mesures": [m.code for m in a.mesures.all()],
        }
        for a in selectors.actions_annotees(plan.actions.all()).prefetch_related("mesures")
    ]


def _cumul(c) -> dict:
    return {
        "libelle": c.libelle,
        "nb_actions": c.nb_actions,
        "avancement": c.avancement,
        "nb_retard": c.nb_retard,
        "nb_bloquees": c.nb_bloquees,
        "prevu": float(c.prevu),
        "engage": float(c.engage),
        "paye": float(c.paye),
    }


@router.get("/tableau-de-bord", response=TableauDeBordSortie, auth=django_auth, summary="Tableau de bord COPIL")
def tableau_de_bord(request):
    tdb = selectors.tableau_de_bord(selectors.plans_visibles(request.user))
    return {
        "jour": tdb.jour,
        "total": _cumul(tdb.total),
        "par_axe": [_cumul(c) for c in tdb.par_axe],
        "par_territoire": [_cumul(c) for c in tdb.par_territoire],
        "nb_indicateurs_hors_cible": tdb.nb_hors_cible,
    }
