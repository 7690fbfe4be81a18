"""Reads of the steering module: visibility, progress roll-up, the COPIL dashboard, the filtered table.

Progress of an action (one rule, here): 100 % when « réalisé »; otherwise the share of its steps done when
it has steps; otherwise the progress its team entered (0 when none). An axis or a plan averages its actions,
each counting once, abandoned actions left out (Decidim's unweighted roll-up).
« En retard » is computed, never entered: an action not done nor abandoned whose planned end date, or the
due date of one of its steps not done, is past.
An indicator is off target when its latest value is behind the straight line from the baseline to the
target at that date (or, the target date passed, short of the target). The dashboard says it on screen.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from repere.organisations.permissions import ROLES_SAISIE, organisations_de
from repere.pilotage.models import (
    LIBELLE_EN_RETARD,
    STATUTS_CLOS,
    Action,
    AxeNational,
    Indicateur,
    MouvementBudget,
    Plan,
    SensIndicateur,
    Statut,
    ValeurIndicateur,
)

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))


def aujourdhui() -> date:
    return timezone.localdate()


# ---- visibility -------------------------------------------------------------------------------------------


def plans_visibles(user) -> QuerySet[Plan]:
    """Plans of the user's organisations (any role) — the platform admin sees all of them."""
    if getattr(user, "is_platform_admin", False):
        return Plan.objects.all()
    return Plan.objects.filter(organisation__in=organisations_de(user))


def plans_modifiables(user) -> QuerySet[Plan]:
    """Plans where the user may write: an admin, professional or volunteer of the plan's organisation."""
    return Plan.objects.filter(organisation__in=organisations_de(user, ROLES_SAISIE))


def peut_modifier(user, plan: Plan) -> bool:
    return organisations_de(user, ROLES_SAISIE).filter(pk=plan.organisation_id).exists()


def plans_publies() -> QuerySet[Plan]:
    return Plan.objects.filter(publie=True).select_related("territoire", "organisation")


# ---- actions with their computed figures ------------------------------------------------------------------


def condition_en_retard(jour: date) -> Q:
    return ~Q(statut__in=STATUTS_CLOS) & (Q(date_fin_prevue__lt=jour) | Q(echeance_etape_ouverte__lt=jour))


def actions_annotees(qs: QuerySet[Action] | None = None, *, jour: date | None = None) -> QuerySet:
    """Actions with ``avancement``, ``en_retard``, ``prevu``, ``engage`` and ``paye`` (from the kept totals)."""
    jour = jour or aujourdhui()
    qs = Action.objects.all() if qs is None else qs
    return qs.annotate(
        avancement=Case(
            When(statut=Statut.REALISE, then=Value(100)),
            When(nb_etapes__gt=0, then=F("nb_etapes_faites") * 100 / F("nb_etapes")),
            default=Coalesce(F("avancement_saisi"), Value(0)),
            output_field=IntegerField(),
        ),
        en_retard=Case(When(condition_en_retard(jour), then=Value(True)), default=Value(False)),
        prevu=F("budget_prevu"),
        engage=F("budget_engage"),
        paye=F("budget_paye"),
    )


def statut_affiche(action) -> str:
    """The status a person reads: « En retard » replaces the entered status when the dates say so."""
    if getattr(action, "en_retard", False):
        return f"{LIBELLE_EN_RETARD} ({action.get_statut_display().lower()})"
    return action.get_statut_display()


def action_detaillee(pk: int) -> Action | None:
    return (
        actions_annotees(Action.objects.filter(pk=pk))
        .select_related("plan", "axe", "territoire", "organisation_pilote")
        .first()
    )


# ---- the filtered table -----------------------------------------------------------------------------------

STATUT_EN_RETARD = "en_retard"
CHOIX_STATUTS_FILTRE = [(STATUT_EN_RETARD, LIBELLE_EN_RETARD), *Statut.choices]


def filtrer_actions(
    plans: QuerySet[Plan],
    *,
    plan: int | None = None,
    axe_national: int | None = None,
    statut: str = "",
    priorite: str = "",
    territoire: int | None = None,
    recherche: str = "",
    jour: date | None = None,
) -> QuerySet[Action]:
    """The filtered actions, without their computed figures (count and page them, then ``page_annotee``)."""
    jour = jour or aujourdhui()
    qs = Action.objects.filter(plan__in=plans)
    if plan:
        qs = qs.filter(plan_id=plan)
    if axe_national:
        qs = qs.filter(axe__axe_national_id=axe_national)
    if statut == STATUT_EN_RETARD:
        qs = qs.filter(condition_en_retard(jour))
    elif statut:
        qs = qs.filter(statut=statut)
    if priorite:
        qs = qs.filter(priorite=priorite)
    if territoire:
        qs = qs.filter(Q(territoire_id=territoire) | Q(territoire__isnull=True, plan__territoire_id=territoire))
    if recherche:
        qs = qs.filter(titre__icontains=recherche)
    return qs


def page_annotee(
    qs: QuerySet[Action], *, ordre: tuple[str, ...], limite: int, decalage: int = 0, jour: date | None = None
) -> list[Action]:
    """``limite`` actions of ``qs`` in ``ordre`` from ``decalage``, with progress, lateness and budget computed
    for those rows only."""
    pks = list(qs.order_by(*ordre).values_list("pk", flat=True)[decalage : decalage + limite])
    rang = {pk: i for i, pk in enumerate(pks)}
    actions = actions_annotees(Action.objects.filter(pk__in=pks), jour=jour).select_related(
        "plan", "axe", "territoire", "organisation_pilote"
    )
    return sorted(actions, key=lambda a: rang[a.pk])


# ---- the COPIL dashboard ----------------------------------------------------------------------------------


@dataclass
class Cumul:
    libelle: str
    cle: object = None
    nb_actions: int = 0
    somme_avancement: int = 0
    nb_retard: int = 0
    nb_bloquees: int = 0
    prevu: Decimal = Decimal(0)
    engage: Decimal = Decimal(0)
    paye: Decimal = Decimal(0)

    @property
    def avancement(self) -> int | None:
        return round(self.somme_avancement / self.nb_actions) if self.nb_actions else None

    @property
    def consommation(self) -> float | None:
        """Share of the planned budget already paid."""
        return float(self.paye / self.prevu) if self.prevu else None

    def ajouter(self, ligne: dict) -> None:
        """Add one action (a dict with statut, avancement, en_retard) — used for one plan's page."""
        if ligne["statut"] != Statut.ABANDONNE:
            self.nb_actions += 1
            self.somme_avancement += ligne["avancement"]
        self.nb_retard += int(bool(ligne["en_retard"]))
        self.nb_bloquees += int(ligne["statut"] == Statut.BLOQUE)


@dataclass
class TableauDeBord:
    jour: date
    total: Cumul
    par_plan: list[Cumul]
    par_axe: list[Cumul]
    par_territoire: list[Cumul]
    en_retard: list = field(default_factory=list)
    bloquees: list = field(default_factory=list)
    indicateurs_hors_cible: list = field(default_factory=list)
    nb_indicateurs: int = 0
    nb_hors_cible: int = 0


def _cumuls_par(actions, dimension, libelle) -> list[Cumul]:
    """One grouped query: counts, summed progress and budget of the actions per value of ``dimension``."""
    vivante = ~Q(statut=Statut.ABANDONNE)
    lignes = (
        actions.annotate(cle_groupe=dimension)
        .order_by()
        .values("cle_groupe")
        .annotate(
            nb=Count("pk", filter=vivante),
            somme=Coalesce(Sum("avancement", filter=vivante), Value(0)),
            retard=Coalesce(Sum(Case(When(en_retard=True, then=Value(1)), default=Value(0))), Value(0)),
            bloquees=Count("pk", filter=Q(statut=Statut.BLOQUE)),
            p=Sum("budget_prevu"),
            e=Sum("budget_engage"),
            y=Sum("budget_paye"),
        )
    )
    return [
        Cumul(
            libelle(r["cle_groupe"]),
            r["cle_groupe"],
            nb_actions=r["nb"],
            somme_avancement=r["somme"],
            nb_retard=r["retard"],
            nb_bloquees=r["bloquees"],
            prevu=Decimal(r["p"] or 0),
            engage=Decimal(r["e"] or 0),
            paye=Decimal(r["y"] or 0),
        )
        for r in lignes
    ]


def tableau_de_bord(plans: QuerySet[Plan], *, jour: date | None = None, limite_listes: int = 50) -> TableauDeBord:
    """The COPIL figures in grouped queries over the actions (their step and budget totals are kept on them),
    so that the work stays in the database whatever the number of actions."""
    jour = jour or aujourdhui()
    actions_qs = Action.objects.filter(plan__in=plans)
    actions = actions_annotees(actions_qs, jour=jour)
    axes = {a.pk: str(a) for a in AxeNational.objects.all()}
    noms_plans = dict(Plan.objects.filter(pk__in=plans.values("pk")).values_list("pk", "nom"))
    par_plan = _cumuls_par(actions, F("plan_id"), lambda k: noms_plans.get(k, ""))
    par_axe = _cumuls_par(actions, F("axe__axe_national_id"), lambda k: axes.get(k, "Hors axe du Pacte"))
    par_territoire = _cumuls_par(
        actions, Coalesce(F("territoire__nom"), F("plan__territoire__nom")), lambda k: k or "Territoire non précisé"
    )
    if jour < aujourdhui():
        _budgets_a_la_date(actions_qs, jour, par_plan=par_plan, par_axe=par_axe, par_territoire=par_territoire)
    total = Cumul("Ensemble")
    for c in par_plan:
        for champ in ("nb_actions", "somme_avancement", "nb_retard", "nb_bloquees", "prevu", "engage", "paye"):
            setattr(total, champ, getattr(total, champ) + getattr(c, champ))
    champs = ["pk", "titre", "statut", "plan__nom", "date_fin_prevue"]
    en_retard = list(
        actions_qs.filter(condition_en_retard(jour)).order_by("date_fin_prevue", "pk").values(*champs)[:limite_listes]
    )
    bloquees = list(actions_qs.filter(statut=Statut.BLOQUE).order_by("plan__nom", "pk").values(*champs)[:limite_listes])
    hors_cible, nb_indicateurs, nb_hors_cible = indicateurs_hors_cible(actions_qs, jour=jour, limite=limite_listes)
    return TableauDeBord(
        jour=jour,
        total=total,
        par_plan=sorted(par_plan, key=lambda c: c.libelle),
        par_axe=sorted(par_axe, key=lambda c: (c.cle is None, c.libelle)),
        par_territoire=sorted(par_territoire, key=lambda c: c.libelle),
        en_retard=en_retard,
        bloquees=bloquees,
        indicateurs_hors_cible=hors_cible,
        nb_indicateurs=nb_indicateurs,
        nb_hors_cible=nb_hors_cible,
    )


def _budgets_a_la_date(actions_qs, jour: date, **cumuls: list[Cumul]) -> None:
    """For a report at a past date: replace the budget of each group by the amounts as they stood that day."""
    budgets = budgets_par_action_au(actions_qs.values("pk"), jour=jour)
    lignes = actions_qs.annotate(terr=Coalesce(F("territoire__nom"), F("plan__territoire__nom"))).values_list(
        "pk", "plan_id", "axe__axe_national_id", "terr"
    )
    index = {nom: {c.cle: c for c in liste} for nom, liste in cumuls.items()}
    for liste in cumuls.values():
        for c in liste:
            c.prevu = c.engage = c.paye = Decimal(0)
    for pk, plan_id, axe_id, terr in lignes:
        p, e, y = budgets.get(pk, (Decimal(0), Decimal(0), Decimal(0)))
        for nom, cle in (("par_plan", plan_id), ("par_axe", axe_id), ("par_territoire", terr)):
            c = index[nom].get(cle)
            if c is not None:
                c.prevu, c.engage, c.paye = c.prevu + p, c.engage + e, c.paye + y


def valeur_attendue(indicateur, jour: date) -> Decimal:
    """The straight line from the baseline to the target, read at ``jour`` (the target once its date passed)."""
    duree = (indicateur.date_cible - indicateur.date_initiale).days
    ecoule = min(max((jour - indicateur.date_initiale).days, 0), duree)
    part = Decimal(ecoule) / Decimal(duree) if duree > 0 else Decimal(1)
    return indicateur.valeur_initiale + (indicateur.cible - indicateur.valeur_initiale) * part


def est_hors_cible(indicateur, valeur: Decimal, jour_valeur: date) -> bool:
    attendu = valeur_attendue(indicateur, jour_valeur)
    if indicateur.sens == SensIndicateur.BAISSE:
        return valeur > attendu
    return valeur < attendu


def indicateurs_hors_cible(actions_qs, *, jour: date, limite: int = 200) -> tuple[list, int, int]:
    """The first ``limite`` off-target indicators, the number of indicators and the number off target. Today, the verdict kept on each indicator at its
    latest value is read; for a report at a past date, it is computed from the latest value on or before it."""
    indicateurs = Indicateur.objects.filter(action__in=actions_qs)
    nb = indicateurs.count()
    if jour >= aujourdhui():
        hors = list(
            indicateurs.filter(hors_trajectoire=True).select_related("action").order_by("derniere_date", "pk")[:limite]
        )
        for i in hors:
            i.valeur_attendue = valeur_attendue(i, i.derniere_date)
            i.titre_action = i.action.titre
        return hors, nb, indicateurs.filter(hors_trajectoire=True).count()
    derniere = ValeurIndicateur.objects.filter(indicateur=OuterRef("pk"), date__lte=jour).order_by("-date")
    hors = []
    for i in indicateurs.annotate(
        valeur_lue=Subquery(derniere.values("valeur")[:1]), date_lue=Subquery(derniere.values("date")[:1])
    ).select_related("action"):
        if i.valeur_lue is not None and est_hors_cible(i, i.valeur_lue, i.date_lue):
            i.derniere_valeur, i.derniere_date = i.valeur_lue, i.date_lue
            i.valeur_attendue = valeur_attendue(i, i.date_lue)
            i.titre_action = i.action.titre
            hors.append(i)
    return hors[:limite], nb, len(hors)


# ---- timeline, comparison, public roadmap ------------------------------------------------------------------


def chronologie(actions) -> dict:
    """Bounds of the Gantt view and, for each action, its offset and width in % of the period."""
    dates = [d for a in actions for d in (a.date_debut, a.date_fin_prevue) if d]
    if not dates:
        return {"debut": None, "fin": None, "lignes": [], "annees": []}
    debut, fin = min(dates), max(dates)
    duree = max((fin - debut).days, 1)
    lignes = []
    for a in actions:
        if not (a.date_debut or a.date_fin_prevue):
            lignes.append({"action": a, "decalage": None, "largeur": None})
            continue
        d = a.date_debut or a.date_fin_prevue
        f = a.date_fin_prevue or a.date_debut
        lignes.append(
            {
                "action": a,
                "decalage": round(100 * (d - debut).days / duree, 2),
                "largeur": max(round(100 * (f - d).days / duree, 2), 0.8),
            }
        )
    annees = [
        {"annee": y, "position": round(100 * (date(y, 1, 1) - debut).days / duree, 2)}
        for y in range(debut.year + 1, fin.year + 1)
    ]
    return {"debut": debut, "fin": fin, "lignes": lignes, "annees": annees}


def comparaison_pactes(plans: QuerySet[Plan], *, jour: date | None = None) -> dict:
    """Local pacts side by side: for each national measure, each plan's actions, progress and budget."""
    jour = jour or aujourdhui()
    plans = list(plans.order_by("nom"))
    actions = list(actions_annotees(Action.objects.filter(plan__in=plans), jour=jour).prefetch_related("mesures"))
    from repere.pilotage.models import MesureNationale

    mesures = list(MesureNationale.objects.filter(retiree=False).select_related("axe"))
    grille = {m.pk: {p.pk: [] for p in plans} for m in mesures}
    for a in actions:
        for m in a.mesures.all():
            if m.pk in grille:
                grille[m.pk][a.plan_id].append(a)
    lignes = []
    for m in mesures:
        cellules = []
        for p in plans:
            acts = grille[m.pk][p.pk]
            vivantes = [a for a in acts if a.statut != Statut.ABANDONNE]
            cellules.append(
                {
                    "actions": acts,
                    "avancement": round(sum(a.avancement for a in vivantes) / len(vivantes)) if vivantes else None,
                    "prevu": sum((a.prevu for a in acts), Decimal(0)),
                    "paye": sum((a.paye for a in acts), Decimal(0)),
                }
            )
        lignes.append({"mesure": m, "cellules": cellules})
    return {"plans": plans, "lignes": lignes}


def feuille_de_route_publique(plan: Plan, *, jour: date | None = None):
    return (
        actions_annotees(plan.actions.filter(publique=True), jour=jour)
        .select_related("axe", "territoire", "organisation_pilote")
        .order_by("axe__ordre", "pk")
    )


# ---- budget history -----------------------------------------------------------------------------------------


def historique_budget(action) -> list[MouvementBudget]:
    """The dated changes of the action's budget lines, latest first, each with the amounts it replaced
    (``prevu_avant``, ``engage_avant``, ``paye_avant``: None for a line's first change)."""
    mouvements = list(
        MouvementBudget.objects.filter(action=action)
        .select_related("ligne__financeur", "par")
        .order_by("ligne_id", "date_effet", "pk")
    )
    precedent = {}
    for m in mouvements:
        p = precedent.get(m.ligne_id)
        m.prevu_avant, m.engage_avant, m.paye_avant = (p.prevu, p.engage, p.paye) if p else (None, None, None)
        precedent[m.ligne_id] = m
    return sorted(mouvements, key=lambda m: (m.date_effet, m.pk), reverse=True)


def budgets_par_action_au(actions_pks, *, jour: date) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """Per action, (planned, committed, paid) as they stood on ``jour``: for each line, its latest change on
    or before that day (a line not yet written counts 0)."""
    etat = {}
    for m in (
        MouvementBudget.objects.filter(action_id__in=actions_pks, date_effet__lte=jour)
        .order_by("ligne_id", "date_effet", "pk")
        .values_list("ligne_id", "action_id", "prevu", "engage", "paye")
        .iterator(chunk_size=5000)
    ):
        etat[m[0]] = m[1:]
    totaux: dict[int, tuple] = {}
    for action_id, p, e, y in etat.values():
        tp, te, ty = totaux.get(action_id, (Decimal(0), Decimal(0), Decimal(0)))
        totaux[action_id] = (tp + p, te + e, ty + y)
    return totaux


def budget_au(actions_pks, *, jour: date) -> tuple[Decimal, Decimal, Decimal]:
    """(planned, committed, paid) of these actions as they stood on ``jour``."""
    totaux = budgets_par_action_au(actions_pks, jour=jour).values()
    return tuple(sum((t[i] for t in totaux), Decimal(0)) for i in range(3))


# ---- indicators read from the observatory -------------------------------------------------------------------


@dataclass
class ValeurObservatoire:
    periode: str
    periode_libelle: str
    texte: str
    valeur: float | None
    secret: bool


@dataclass
class LectureObservatoire:
    libelle: str
    source: str
    producteur: str
    millesime: str
    territoire: str
    serie: list[ValeurObservatoire]


def lieu_observatoire(territoire):
    """The observatory's place for a territory (commune, EPCI, département, région), None when it follows
    none."""
    from repere.observatoire.geographie import TYPE_DU_NIVEAU, geographie

    niveaux = {type_: niveau for niveau, type_ in TYPE_DU_NIVEAU.items()}
    return geographie().lieu(niveaux[territoire.type], territoire.code) if territoire.type in niveaux else None


def valeurs_observatoire(indicateur: Indicateur, *, user) -> LectureObservatoire | None:
    """The values of the linked observatory indicator for the linked territory, as the observatory shows them
    (``repere.observatoire.selectors.portrait``: statistical secret applied, activity indicators only for the
    teams of the territory); None when the indicator is not linked or not visible to ``user``."""
    if not indicateur.reference_observatoire or indicateur.territoire_observatoire_id is None:
        return None
    from repere.observatoire import selectors as observatoire

    territoire = indicateur.territoire_observatoire
    lieu = lieu_observatoire(territoire)
    obs = observatoire.indicateur_visible(user, indicateur.reference_observatoire, lieu) if lieu else None
    if obs is None:
        return None
    lignes = observatoire.portrait(lieu=lieu, user=user, indicateurs=[obs])
    serie = [
        ValeurObservatoire(
            periode=c.periode,
            periode_libelle=observatoire.libelle_periode(c.periode),
            texte=c.texte,
            valeur=c.valeur,
            secret=c.etat == "secret",
        )
        for ligne in lignes
        for c in ligne.serie
    ]
    return LectureObservatoire(
        libelle=obs.libelle,
        source=obs.source,
        producteur=obs.producteur,
        millesime=obs.millesime,
        territoire=territoire.nom,
        serie=serie,
    )
