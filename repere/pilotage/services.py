"""Writes of the steering module. Every change of an action leaves a line in its history.

Rules are checked before anything is written and raise ``ValidationError`` with French messages keyed by
field, so that forms, the API and the spreadsheet import show the same words.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from repere.pilotage.models import (
    Action,
    Axe,
    Etape,
    Financeur,
    Historique,
    Indicateur,
    LigneBudget,
    MesureNationale,
    MouvementBudget,
    Note,
    Plan,
    Priorite,
    Statut,
    TypeBudget,
    ValeurIndicateur,
)
from repere.utils.nombres import euros_centimes

CHAMPS_ACTION = {
    "titre": "titre",
    "description": "description",
    "objectifs": "objectifs",
    "publics": "publics visés",
    "territoire": "territoire",
    "organisation_pilote": "organisation pilote",
    "pilotes": "pilotes",
    "partenaires": "partenaires",
    "statut": "statut",
    "priorite": "priorité",
    "date_debut": "date de début",
    "date_fin_prevue": "date de fin prévue",
    "avancement_saisi": "avancement saisi",
    "axe": "axe",
    "publique": "visible sur la feuille de route publique",
}
LONGUEURS = {"titre": 300, "publics": 300, "pilotes": 300}


def _texte(valeur) -> str:
    if valeur is None or valeur == "":
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, date):
        return f"{valeur:%d/%m/%Y}"
    if hasattr(valeur, "get_statut_display"):
        return str(valeur)
    return str(valeur)


def _libelle_valeur(champ: str, valeur) -> str:
    if champ == "statut" and valeur:
        return Statut(valeur).label
    if champ == "priorite" and valeur:
        return Priorite(valeur).label
    return _texte(valeur)


def valider_champs_action(champs: dict, *, plan: Plan) -> dict[str, str]:
    """French messages keyed by field; empty when the values can be written."""
    erreurs: dict[str, str] = {}
    if "titre" in champs and not (champs.get("titre") or "").strip():
        erreurs["titre"] = "Le titre est obligatoire."
    for champ, maximum in LONGUEURS.items():
        valeur = champs.get(champ) or ""
        if len(valeur) > maximum:
            erreurs[champ] = f"« {CHAMPS_ACTION[champ]} » dépasse {maximum} caractères ({len(valeur)})."
    if "statut" in champs and champs["statut"] not in Statut.values:
        erreurs["statut"] = f"Statut inconnu : « {champs['statut']} »."
    if "priorite" in champs and champs["priorite"] not in Priorite.values:
        erreurs["priorite"] = f"Priorité inconnue : « {champs['priorite']} »."
    debut, fin = champs.get("date_debut"), champs.get("date_fin_prevue")
    if debut and fin and fin < debut:
        erreurs["date_fin_prevue"] = (
            f"La date de fin prévue ({fin:%d/%m/%Y}) est avant la date de début ({debut:%d/%m/%Y})."
        )
    avancement = champs.get("avancement_saisi")
    if avancement is not None and not 0 <= avancement <= 100:
        erreurs["avancement_saisi"] = f"L'avancement doit être entre 0 et 100 % (reçu : {avancement})."
    axe = champs.get("axe")
    if axe is not None and axe.plan_id != plan.pk:
        erreurs["axe"] = f"L'axe « {axe} » n'appartient pas au plan « {plan} »."
    return erreurs


def _journaliser(action: Action, par, objet: str, champ: str = "", avant="", apres="") -> None:
    Historique.objects.create(
        action=action, par=par if getattr(par, "pk", None) else None, objet=objet, champ=champ, avant=avant, apres=apres
    )


@transaction.atomic
def creer_action(*, plan: Plan, par, mesures: list[MesureNationale] | None = None, **champs) -> Action:
    champs.setdefault("statut", Statut.A_VENIR)
    champs.setdefault("priorite", Priorite.MOYENNE)
    erreurs = valider_champs_action({"titre": champs.get("titre", ""), **champs}, plan=plan)
    if erreurs:
        raise ValidationError(erreurs)
    action = Action.objects.create(plan=plan, est_demo=plan.est_demo, **champs)
    if mesures:
        action.mesures.set(mesures)
    _journaliser(action, par, "action", apres=f"Action créée : {action.titre}")
    return action


@transaction.atomic
def modifier_action(*, action: Action, par, mesures: list[MesureNationale] | None = None, **champs) -> Action:
    inconnus = set(champs) - set(CHAMPS_ACTION)
    if inconnus:
        raise ValidationError({c: f"Champ inconnu : « {c} »." for c in inconnus})
    etat = {c: getattr(action, c) for c in CHAMPS_ACTION}
    erreurs = valider_champs_action({**etat, **champs}, plan=action.plan)
    if erreurs:
        raise ValidationError(erreurs)
    changes = []
    for champ, valeur in champs.items():
        avant = getattr(action, champ)
        if avant != valeur:
            setattr(action, champ, valeur)
            changes.append((champ, _libelle_valeur(champ, avant), _libelle_valeur(champ, valeur)))
    if changes:
        action.save()
        for champ, avant, apres in changes:
            _journaliser(action, par, "action", CHAMPS_ACTION[champ], avant, apres)
    if mesures is not None:
        avant = sorted(m.code for m in action.mesures.all())
        apres = sorted(m.code for m in mesures)
        if avant != apres:
            action.mesures.set(mesures)
            _journaliser(action, par, "action", "mesures nationales", ", ".join(avant), ", ".join(apres))
    return action


@transaction.atomic
def ajouter_etape(*, action: Action, par, titre: str, echeance: date | None = None) -> Etape:
    if not titre.strip():
        raise ValidationError({"titre": "Le titre de l'étape est obligatoire."})
    if len(titre) > 300:
        raise ValidationError({"titre": f"Le titre de l'étape dépasse 300 caractères ({len(titre)})."})
    ordre = action.etapes.count()
    etape = Etape.objects.create(action=action, titre=titre.strip(), echeance=echeance, ordre=ordre)
    _recalculer(action)
    _journaliser(action, par, "étape", apres=f"Étape ajoutée : {etape.titre} ({_texte(echeance) or 'sans échéance'})")
    return etape


@transaction.atomic
def marquer_etape(*, etape: Etape, par, faite: bool) -> Etape:
    if etape.faite != faite:
        etape.faite = faite
        etape.save(update_fields=["faite"])
        _recalculer(etape.action)
        _journaliser(etape.action, par, "étape", etape.titre, "non faite" if faite else "faite", _faite(faite))
    return etape


def _faite(faite: bool) -> str:
    return "faite" if faite else "non faite"


def _montant(valeur, champ: str, libelle: str, erreurs: dict) -> Decimal:
    if valeur in (None, ""):
        return Decimal(0)
    try:
        montant = Decimal(str(valeur).replace("\u202f", "").replace(" ", "").replace("€", "").replace(",", "."))
    except InvalidOperation:
        erreurs[champ] = f"« {libelle} » n'est pas un montant : « {valeur} »."
        return Decimal(0)
    if montant < 0:
        erreurs[champ] = f"« {libelle} » ne peut pas être négatif ({valeur})."
    if montant >= Decimal("1e12"):
        erreurs[champ] = f"« {libelle} » est trop grand ({valeur})."
    return montant.quantize(Decimal("0.01"))


def valider_ligne_budget(*, annee, type, financeur_nom, prevu, engage, paye) -> tuple[dict, dict]:
    """Check one budget line; return (clean values, French errors keyed by field)."""
    erreurs: dict[str, str] = {}
    try:
        annee_i = int(annee)
        if not 2000 <= annee_i <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        erreurs["annee"] = f"Année invalide : « {annee} » (attendu : 2024, 2025…)."
        annee_i = 0
    if type not in TypeBudget.values:
        erreurs["type"] = f"Type de budget inconnu : « {type} » (fonctionnement ou investissement)."
    nom = (financeur_nom or "").strip()
    if not nom:
        erreurs["financeur"] = "Le financeur est obligatoire."
    elif len(nom) > 200:
        erreurs["financeur"] = "Le nom du financeur dépasse 200 caractères."
    p = _montant(prevu, "prevu", "prévu", erreurs)
    e = _montant(engage, "engage", "engagé", erreurs)
    y = _montant(paye, "paye", "payé", erreurs)
    if not erreurs:
        if e > p:
            erreurs["engage"] = (
                f"L'engagé ({euros_centimes(e)}) dépasse le prévu ({euros_centimes(p)}) : "
                "le budget ne s'additionne pas."
            )
        elif y > e:
            erreurs["paye"] = (
                f"Le payé ({euros_centimes(y)}) dépasse l'engagé ({euros_centimes(e)}) : le budget ne s'additionne pas."
            )
    return {"annee": annee_i, "type": type, "financeur_nom": nom, "prevu": p, "engage": e, "paye": y}, erreurs


def financeur_par_nom(nom: str, *, type_par_defaut: str) -> Financeur:
    financeur = Financeur.objects.filter(nom__iexact=nom).first()
    return financeur or Financeur.objects.create(nom=nom, type=type_par_defaut)


def _montants(prevu, engage, paye) -> str:
    return f"prévu {euros_centimes(prevu)}, engagé {euros_centimes(engage)}, payé {euros_centimes(paye)}"


@transaction.atomic
def enregistrer_ligne_budget(
    *,
    action: Action,
    par,
    annee,
    type,
    financeur_nom,
    prevu,
    engage=0,
    paye=0,
    type_financeur="autre",
    date_effet: date | None = None,
) -> LigneBudget:
    """Create or change the line (action, year, type, funder) from ``date_effet`` (today by default); every
    change is kept, dated, with its author (``MouvementBudget``)."""
    from django.utils import timezone

    valeurs, erreurs = valider_ligne_budget(
        annee=annee, type=type, financeur_nom=financeur_nom, prevu=prevu, engage=engage, paye=paye
    )
    aujourd = timezone.localdate()
    date_effet = date_effet or aujourd
    if date_effet > aujourd:
        erreurs["date_effet"] = (
            f"La date du changement ({date_effet:%d/%m/%Y}) est dans le futur : un budget s'enregistre au jour "
            "où il change."
        )
    if erreurs:
        raise ValidationError(erreurs)
    financeur = financeur_par_nom(valeurs["financeur_nom"], type_par_defaut=type_financeur)
    ligne, creee = LigneBudget.objects.update_or_create(
        action=action,
        annee=valeurs["annee"],
        type=valeurs["type"],
        financeur=financeur,
        defaults={"prevu": valeurs["prevu"], "engage": valeurs["engage"], "paye": valeurs["paye"]},
    )
    MouvementBudget.objects.create(
        ligne=ligne,
        action=action,
        date_effet=date_effet,
        prevu=ligne.prevu,
        engage=ligne.engage,
        paye=ligne.paye,
        par=par if getattr(par, "pk", None) else None,
    )
    _recalculer(action)
    libelle = f"{ligne.annee} {TypeBudget(ligne.type).label.lower()} — {financeur.nom}"
    _journaliser(
        action,
        par,
        "budget",
        libelle,
        "" if creee else "remplacée",
        f"{_montants(ligne.prevu, ligne.engage, ligne.paye)} (au {date_effet:%d/%m/%Y})",
    )
    return ligne


@transaction.atomic
def ajouter_indicateur(
    *, action: Action, par, nom: str, valeur_initiale, date_initiale, cible, date_cible, unite="", sens="hausse"
) -> Indicateur:
    erreurs = {}
    if not (nom or "").strip():
        erreurs["nom"] = "Le nom de l'indicateur est obligatoire."
    elif len(nom) > 200:
        erreurs["nom"] = "Le nom de l'indicateur dépasse 200 caractères."
    if date_initiale and date_cible and date_cible <= date_initiale:
        erreurs["date_cible"] = (
            f"La date de la cible ({date_cible:%d/%m/%Y}) doit être après celle de la valeur initiale "
            f"({date_initiale:%d/%m/%Y})."
        )
    if valeur_initiale is None:
        erreurs["valeur_initiale"] = "La valeur initiale est obligatoire."
    if cible is None:
        erreurs["cible"] = "La cible est obligatoire."
    if erreurs:
        raise ValidationError(erreurs)
    indicateur = Indicateur.objects.create(
        action=action,
        nom=nom.strip(),
        unite=unite,
        sens=sens,
        valeur_initiale=valeur_initiale,
        date_initiale=date_initiale,
        cible=cible,
        date_cible=date_cible,
    )
    _journaliser(
        action,
        par,
        "indicateur",
        indicateur.nom,
        apres=f"initiale {valeur_initiale} au {date_initiale:%d/%m/%Y}, cible {cible} au {date_cible:%d/%m/%Y}",
    )
    return indicateur


@transaction.atomic
def enregistrer_valeur(*, indicateur: Indicateur, par, date: date, valeur) -> ValeurIndicateur:
    if valeur is None:
        raise ValidationError({"valeur": "La valeur est obligatoire."})
    if date < indicateur.date_initiale:
        raise ValidationError(
            {
                "date": f"La date ({date:%d/%m/%Y}) est avant celle de la valeur initiale "
                f"({indicateur.date_initiale:%d/%m/%Y})."
            }
        )
    v, _ = ValeurIndicateur.objects.update_or_create(indicateur=indicateur, date=date, defaults={"valeur": valeur})
    recalculer_dernieres_valeurs(indicateurs=Indicateur.objects.filter(pk=indicateur.pk))
    _journaliser(indicateur.action, par, "indicateur", indicateur.nom, apres=f"{valeur} au {date:%d/%m/%Y}")
    return v


# ---- indicators read from the observatory ------------------------------------------------------------------


def _fin_de_periode(periode: str) -> date | None:
    """« 2021 » → 31/12/2021, « 2022-12 » → 31/12/2022, « 2024-T1 » → 31/03/2024 (None when unreadable)."""
    import calendar

    try:
        annee = int(periode[:4])
        if len(periode) == 4:
            return date(annee, 12, 31)
        if "-T" in periode:
            mois = 3 * int(periode[-1])
        else:
            mois = int(periode[5:7])
        return date(annee, mois, calendar.monthrange(annee, mois)[1])
    except (ValueError, IndexError):
        return None


@transaction.atomic
def relier_observatoire(*, indicateur: Indicateur, par, code: str, territoire) -> Indicateur:
    """Link the indicator to an observatory indicator for one territory, then read its values from there."""
    from repere.observatoire import selectors as observatoire
    from repere.pilotage.selectors import lieu_observatoire

    erreurs = {}
    code = (code or "").strip()
    obs = observatoire.indicateur_visible(par, code) if code else None
    if obs is None:
        erreurs["reference_observatoire"] = (
            f"Indicateur de l'observatoire inconnu ou non accessible : « {code} »."
            if code
            else "Choisissez un indicateur de l'observatoire."
        )
    if territoire is None:
        erreurs["territoire"] = "Choisissez le territoire dont l'observatoire donne les valeurs."
    elif lieu_observatoire(territoire) is None:
        erreurs["territoire"] = (
            f"L'observatoire ne suit pas « {territoire.nom} » (commune, EPCI, département ou région attendus)."
        )
    if erreurs:
        raise ValidationError(erreurs)
    avant = indicateur.reference_observatoire
    indicateur.reference_observatoire = obs.code
    indicateur.territoire_observatoire = territoire
    indicateur.save(update_fields=["reference_observatoire", "territoire_observatoire"])
    _journaliser(
        indicateur.action,
        par,
        "indicateur",
        f"{indicateur.nom} — lien à l'observatoire",
        "" if not avant else "autre lien",
        f"{obs.libelle}, {territoire.nom}",
    )
    relire_observatoire(indicateur=indicateur, par=par)
    return indicateur


@transaction.atomic
def relire_observatoire(*, indicateur: Indicateur, par) -> int:
    """Copy the values the observatory shows for the linked indicator and territory (secret cells are
    not copied: they have no value there) as the indicator's values, dated at the end of their period;
    return the number written or changed."""
    from repere.pilotage.selectors import valeurs_observatoire

    lu = valeurs_observatoire(indicateur, user=par)
    if lu is None:
        return 0
    ecrites = 0
    for v in lu.serie:
        jour = _fin_de_periode(v.periode)
        if v.secret or v.valeur is None or jour is None or jour < indicateur.date_initiale:
            continue
        source = f"Observatoire — {lu.source}, {v.periode_libelle}"[:300]
        valeur = Decimal(str(round(v.valeur, 2)))
        existante = ValeurIndicateur.objects.filter(indicateur=indicateur, date=jour).first()
        if existante and existante.valeur == valeur and existante.source == source:
            continue
        ValeurIndicateur.objects.update_or_create(
            indicateur=indicateur, date=jour, defaults={"valeur": valeur, "source": source}
        )
        ecrites += 1
    if ecrites:
        recalculer_dernieres_valeurs(indicateurs=Indicateur.objects.filter(pk=indicateur.pk))
        _journaliser(
            indicateur.action,
            par,
            "indicateur",
            indicateur.nom,
            apres=f"{ecrites} valeur{'s' if ecrites > 1 else ''} lue{'s' if ecrites > 1 else ''} dans l'observatoire",
        )
    return ecrites


def relire_tous_observatoire() -> int:
    """Read again every linked indicator as an anonymous reader (public indicators only: an activity
    indicator is read again when a member of the territory's teams links it or opens its action)."""
    from django.contrib.auth.models import AnonymousUser

    total = 0
    for indicateur in Indicateur.objects.exclude(reference_observatoire="").exclude(territoire_observatoire=None):
        total += relire_observatoire(indicateur=indicateur, par=AnonymousUser())
    return total


@transaction.atomic
def ajouter_note(*, action: Action, par, texte: str, date: date) -> Note:
    if not (texte or "").strip():
        raise ValidationError({"texte": "La note est vide."})
    note = Note.objects.create(action=action, texte=texte.strip(), date=date, auteur=par)
    _journaliser(action, par, "note", apres=f"Note du {date:%d/%m/%Y}")
    return note


@transaction.atomic
def creer_plan(*, nom, type, territoire, organisation, cadre=None, debut=None, fin=None, **extra) -> Plan:
    if debut and fin and fin < debut:
        raise ValidationError({"fin": f"La fin ({fin:%d/%m/%Y}) est avant le début ({debut:%d/%m/%Y})."})
    return Plan.objects.create(
        nom=nom, type=type, territoire=territoire, organisation=organisation, cadre=cadre, debut=debut, fin=fin, **extra
    )


@transaction.atomic
def creer_axe(*, plan: Plan, titre: str, axe_national=None, mesures=None, ordre=None) -> Axe:
    if not titre.strip():
        raise ValidationError({"titre": "Le titre de l'axe est obligatoire."})
    axe = Axe.objects.create(
        plan=plan, titre=titre, axe_national=axe_national, ordre=plan.axes.count() if ordre is None else ordre
    )
    if mesures:
        axe.mesures.set(mesures)
    return axe


@transaction.atomic
def ajouter_document(*, action: Action, par, titre: str, fichier):
    from repere.pilotage.models import Document

    if not (titre or "").strip():
        raise ValidationError({"titre": "Le titre du document est obligatoire."})
    document = Document.objects.create(action=action, titre=titre.strip(), fichier=fichier)
    _journaliser(action, par, "document", apres=f"Document ajouté : {document.titre}")
    return document


def recalculer_dernieres_valeurs(*, indicateurs) -> None:
    """Refresh the latest value kept on each indicator and whether it is off its trajectory (that verdict
    is read at the latest value's date, so it only changes when a value is written)."""
    from django.db.models import OuterRef, Subquery

    from repere.pilotage.selectors import est_hors_cible

    derniere = ValeurIndicateur.objects.filter(indicateur=OuterRef("pk")).order_by("-date")
    indicateurs.update(
        derniere_valeur=Subquery(derniere.values("valeur")[:1]), derniere_date=Subquery(derniere.values("date")[:1])
    )
    hors = [
        i.pk for i in indicateurs.exclude(derniere_valeur=None) if est_hors_cible(i, i.derniere_valeur, i.derniere_date)
    ]
    indicateurs.update(hors_trajectoire=False)
    Indicateur.objects.filter(pk__in=hors).update(hors_trajectoire=True)


def recalculer_cumuls(*, actions) -> None:
    """Refresh the step and budget totals kept on each action (after a step or budget write, or a bulk load)."""
    from django.db.models import Count, DecimalField, IntegerField, Min, OuterRef, Q, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    def agregat(modele, expression, champ_type):
        return Coalesce(
            Subquery(
                modele.objects.filter(action=OuterRef("pk"))
                .order_by()
                .values("action")
                .annotate(x=expression)
                .values("x")[:1],
                output_field=champ_type,
            ),
            Value(0),
            output_field=champ_type,
        )

    montant = DecimalField(max_digits=16, decimal_places=2)
    entier = IntegerField()
    actions.update(
        nb_etapes=agregat(Etape, Count("pk"), entier),
        nb_etapes_faites=agregat(Etape, Count("pk", filter=Q(faite=True)), entier),
        echeance_etape_ouverte=Subquery(
            Etape.objects.filter(action=OuterRef("pk"), faite=False, echeance__isnull=False)
            .order_by()
            .values("action")
            .annotate(x=Min("echeance"))
            .values("x")[:1]
        ),
        budget_prevu=agregat(LigneBudget, Sum("prevu"), montant),
        budget_engage=agregat(LigneBudget, Sum("engage"), montant),
        budget_paye=agregat(LigneBudget, Sum("paye"), montant),
    )


def _recalculer(action: Action) -> None:
    recalculer_cumuls(actions=Action.objects.filter(pk=action.pk))
