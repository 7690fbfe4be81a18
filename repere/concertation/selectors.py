from django.db.models import Count, Q, QuerySet

from repere.concertation.models import Atelier, Contribution, Enseignement, Evenement, GroupeTravail, Section
from repere.organisations.permissions import ROLES_SAISIE, organisations_de


def evenements_visibles(user) -> QuerySet[Evenement]:
    if getattr(user, "is_platform_admin", False):
        return Evenement.objects.all()
    return Evenement.objects.filter(
        Q(organisation__in=organisations_de(user)) | Q(ateliers__animateurs=user)
    ).distinct()


def peut_gerer_evenement(user, evenement: Evenement) -> bool:
    return organisations_de(user, ROLES_SAISIE).filter(pk=evenement.organisation_id).exists()


def peut_animer(user, atelier: Atelier) -> bool:
    return peut_gerer_evenement(user, atelier.evenement) or atelier.animateurs.filter(pk=user.pk).exists()


def groupes_visibles(user) -> QuerySet[GroupeTravail]:
    if not getattr(user, "is_authenticated", False):
        return GroupeTravail.objects.none()
    orgs = organisations_de(user)
    return GroupeTravail.objects.filter(
        Q(organisation_pilote__in=orgs) | Q(organisations__in=orgs) | Q(membres=user)
    ).distinct()


def peut_animer_groupe(user, groupe: GroupeTravail) -> bool:
    return (
        groupe.pilote_id == user.pk
        or organisations_de(user, ROLES_SAISIE).filter(pk=groupe.organisation_pilote_id).exists()
    )


def ateliers_avec_remplissage(evenement: Evenement) -> list[Atelier]:
    ateliers = list(
        evenement.ateliers.annotate(
            nb=Count("contributions", filter=Q(contributions__non_renseigne=False)),
        ).order_by("numero")
    )
    remplies = {}
    for atelier_id, section in (
        Contribution.objects.filter(atelier__evenement=evenement, non_renseigne=False)
        .values_list("atelier_id", "section")
        .distinct()
    ):
        remplies.setdefault(atelier_id, set()).add(section)
    for a in ateliers:
        a.sections_vides = [Section(s).label for s in Section.values if s not in remplies.get(a.pk, set())]
    return ateliers


def fiche(atelier: Atelier) -> list[dict]:
    contributions = list(atelier.contributions.all())
    return [
        {
            "code": code,
            "libelle": libelle,
            "items": [c for c in contributions if c.section == code],
            "vide": not any(not c.non_renseigne for c in contributions if c.section == code),
        }
        for code, libelle in Section.choices
    ]


def enseignements_de(synthese) -> dict:
    """Transversal issues, then the lessons grouped by thematic, each with recurrence, workshops and quotes."""
    enseignements = list(synthese.enseignements.prefetch_related("contributions__atelier").select_related("action"))
    quotes = {
        c.pk: c for c in Contribution.objects.filter(atelier__evenement=synthese.evenement).select_related("atelier")
    }
    for e in enseignements:
        membres = list(e.contributions.all())
        e.ateliers = sorted({c.atelier for c in membres}, key=lambda a: a.numero)
        e.recurrence = len(e.ateliers)
        e.thematiques = sorted({c.atelier.thematique for c in membres})
        e.liste_citations = [quotes[i] for i in e.citations if i in quotes]
        e.membres = sorted(membres, key=lambda c: (c.atelier.numero, c.section, c.ordre))
    transversaux = sorted([e for e in enseignements if e.type == "transversal"], key=lambda e: e.ordre)
    par_thematique: dict = {}
    for e in sorted([e for e in enseignements if e.type == "lecon"], key=lambda e: (e.thematique, e.ordre)):
        par_thematique.setdefault(e.thematique, []).append(e)
    return {"transversaux": transversaux, "par_thematique": par_thematique, "tous": enseignements}


def enseignement_visible(user, pk) -> Enseignement | None:
    return (
        Enseignement.objects.filter(pk=pk, synthese__evenement__in=evenements_visibles(user))
        .select_related("synthese__evenement")
        .first()
    )


def taches_a_faire(*, user, horizon_jours: int = 7) -> QuerySet:
    """Open follow-up tasks of working-group meetings due within `horizon_jours` (overdue ones included),
    oldest first, in the groups the user sees: theirs, and, in the groups they lead (pilot, or admin,
    professional or volunteer of the pilot organisation: ``peut_animer_groupe``), the others' too."""
    from datetime import timedelta

    from django.utils import timezone

    from repere.concertation.models import Tache

    if not getattr(user, "is_authenticated", False):
        return Tache.objects.none()
    menes = GroupeTravail.objects.filter(
        Q(pilote=user) | Q(organisation_pilote__in=organisations_de(user, ROLES_SAISIE))
    ).values("pk")
    limite = timezone.localdate() + timedelta(days=horizon_jours)
    return (
        Tache.objects.filter(faite=False, echeance__lte=limite, reunion__groupe__in=groupes_visibles(user))
        .filter(Q(responsable=user) | Q(reunion__groupe__in=menes))
        .select_related("reunion__groupe", "responsable")
        .order_by("echeance", "pk")
    )
