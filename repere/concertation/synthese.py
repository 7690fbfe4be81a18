"""The synthesis of an event's fiches: computed proposals (lessons per thematic group of workshops and
transversal issues), then edited by the steering team (rename, merge, split, reorder), then published.

A proposal's recurrence is the number of distinct workshops its contributions come from. A group becomes
an issue « transversal » when its workshops span at least two thematics and at least three workshops; the
lessons of a thematic are the groups met in at least two of its workshops, restricted to its contributions.
Representative quotes are the group's most central contributions, one per workshop.
"""

import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from repere.concertation.models import (
    Contribution,
    Enseignement,
    Evenement,
    Section,
    Synthese,
    TypeEnseignement,
)
from repere.concertation.regroupement import regrouper

SECTIONS_ANALYSEES = [Section.DEFIS, Section.PROPOSITIONS, Section.MOYENS, Section.FACTEURS, Section.RESTITUTION]
MIN_ATELIERS_TRANSVERSAL = 3
MIN_ATELIERS_LECON = 2
NB_CITATIONS = 3


def _citations(contributions: list[Contribution]) -> list[int]:
    vus, choisies = set(), []
    for c in contributions:
        if c.atelier_id not in vus:
            vus.add(c.atelier_id)
            choisies.append(c.pk)
        if len(choisies) == NB_CITATIONS:
            break
    return choisies


def _titre(mots_cles: list[str]) -> str:
    return (", ".join(mots_cles[:3]) or "Groupe sans mot-clé").capitalize()


@transaction.atomic
def calculer_synthese(*, evenement: Evenement) -> Synthese:
    """(Re)compute the proposals. Proposals already turned into an action are kept; the others are replaced."""
    debut = time.perf_counter()
    synthese, _ = Synthese.objects.get_or_create(evenement=evenement)
    if synthese.publiee_le:
        raise ValidationError("La synthèse est publiée : elle n'est plus recalculée (dépubliez-la d'abord).")
    contributions = list(
        Contribution.objects.filter(
            atelier__evenement=evenement, section__in=SECTIONS_ANALYSEES, non_renseigne=False
        ).select_related("atelier")
    )
    groupes, methode = regrouper([c.texte for c in contributions])
    synthese.enseignements.filter(action__isnull=True).delete()
    ordre = synthese.enseignements.aggregate(m=Max("ordre"))["m"] or 0
    for g in groupes:
        membres = [contributions[i] for i in g.membres]
        ateliers = {c.atelier_id for c in membres}
        thematiques = {c.atelier.thematique for c in membres}
        if len(thematiques) >= 2 and len(ateliers) >= MIN_ATELIERS_TRANSVERSAL:
            ordre += 1
            e = Enseignement.objects.create(
                synthese=synthese,
                type=TypeEnseignement.TRANSVERSAL,
                titre=_titre(g.mots_cles),
                mots_cles=g.mots_cles,
                ordre=ordre,
                citations=_citations(membres),
            )
            e.contributions.set(membres)
        for thematique in sorted(thematiques):
            propres = [c for c in membres if c.atelier.thematique == thematique]
            if len({c.atelier_id for c in propres}) >= MIN_ATELIERS_LECON:
                ordre += 1
                e = Enseignement.objects.create(
                    synthese=synthese,
                    type=TypeEnseignement.LECON,
                    thematique=thematique,
                    titre=_titre(g.mots_cles),
                    mots_cles=g.mots_cles,
                    ordre=ordre,
                    citations=_citations(propres),
                )
                e.contributions.set(propres)
    _renumeroter(synthese)
    synthese.calculee_le = timezone.now()
    synthese.methode = methode
    synthese.duree_calcul = round(time.perf_counter() - debut, 2)
    synthese.save()
    return synthese


def recurrence(enseignement: Enseignement) -> int:
    return enseignement.contributions.values("atelier").distinct().count()


def _renumeroter(synthese: Synthese) -> None:
    """Within each list (transversal issues; the lessons of one thematic), order by recurrence then title,
    keeping the team's order for the ones it already moved (here: after a computation everything is new)."""
    listes: dict = {}
    for e in synthese.enseignements.all():
        listes.setdefault((e.type, e.thematique), []).append(e)
    for liste in listes.values():
        liste.sort(key=lambda e: (-recurrence(e), e.ordre))
        for i, e in enumerate(liste, start=1):
            if e.ordre != i:
                e.ordre = i
                e.save(update_fields=["ordre"])


def _verifier_modifiable(synthese: Synthese) -> None:
    if Synthese.objects.filter(pk=synthese.pk, publiee_le__isnull=False).exists():
        raise ValidationError("La synthèse est publiée : dépubliez-la pour la modifier.")


@transaction.atomic
def renommer(*, enseignement: Enseignement, titre: str, texte: str = "") -> Enseignement:
    _verifier_modifiable(enseignement.synthese)
    titre = (titre or "").strip()
    if not titre:
        raise ValidationError({"titre": "Le titre est obligatoire."})
    if len(titre) > 300:
        raise ValidationError({"titre": f"Le titre dépasse 300 caractères ({len(titre)})."})
    enseignement.titre, enseignement.texte = titre, texte.strip()
    enseignement.save(update_fields=["titre", "texte"])
    return enseignement


@transaction.atomic
def fusionner(*, cible: Enseignement, sources: list[Enseignement]) -> Enseignement:
    _verifier_modifiable(cible.synthese)
    for s in sources:
        if s.pk == cible.pk:
            continue
        if s.synthese_id != cible.synthese_id or s.type != cible.type or s.thematique != cible.thematique:
            raise ValidationError(f"« {s.titre} » n'est pas dans la même liste que « {cible.titre} ».")
        if s.action_id and cible.action_id and s.action_id != cible.action_id:
            raise ValidationError(f"« {s.titre} » est déjà devenue une autre action : fusion impossible.")
        cible.contributions.add(*s.contributions.all())
        cible.citations = list(dict.fromkeys([*cible.citations, *s.citations]))[:6]
        cible.mots_cles = list(dict.fromkeys([*cible.mots_cles, *s.mots_cles]))[:8]
        cible.action_id = cible.action_id or s.action_id
        s.delete()
    cible.save()
    return cible


@transaction.atomic
def scinder(*, enseignement: Enseignement, contributions: list[int], titre: str) -> Enseignement:
    """Move the chosen contributions to a new proposal of the same list."""
    _verifier_modifiable(enseignement.synthese)
    choisies = list(enseignement.contributions.filter(pk__in=contributions))
    if not choisies:
        raise ValidationError("Choisissez au moins une contribution à détacher.")
    if len(choisies) == enseignement.contributions.count():
        raise ValidationError("Gardez au moins une contribution dans la proposition d'origine.")
    nouveau = Enseignement.objects.create(
        synthese=enseignement.synthese,
        type=enseignement.type,
        thematique=enseignement.thematique,
        titre=(titre or "").strip()[:300] or f"{enseignement.titre} (détaché)",
        ordre=enseignement.ordre + 1,
        citations=_citations(choisies),
    )
    nouveau.contributions.set(choisies)
    enseignement.contributions.remove(*choisies)
    enseignement.citations = [c for c in enseignement.citations if c not in {x.pk for x in choisies}]
    enseignement.save(update_fields=["citations"])
    suivants = Enseignement.objects.filter(
        synthese=enseignement.synthese,
        type=enseignement.type,
        thematique=enseignement.thematique,
        ordre__gt=enseignement.ordre,
    ).exclude(pk=nouveau.pk)
    for e in suivants:
        e.ordre += 1
        e.save(update_fields=["ordre"])
    return nouveau


@transaction.atomic
def deplacer(*, enseignement: Enseignement, sens: int) -> None:
    _verifier_modifiable(enseignement.synthese)
    liste = list(
        Enseignement.objects.filter(
            synthese=enseignement.synthese, type=enseignement.type, thematique=enseignement.thematique
        ).order_by("ordre", "pk")
    )
    i = next(j for j, e in enumerate(liste) if e.pk == enseignement.pk)
    j = i + (1 if sens > 0 else -1)
    if 0 <= j < len(liste):
        liste[i], liste[j] = liste[j], liste[i]
    for n, e in enumerate(liste, start=1):
        if e.ordre != n:
            e.ordre = n
            e.save(update_fields=["ordre"])


@transaction.atomic
def publier(*, synthese: Synthese, publier: bool = True) -> Synthese:
    if publier and not synthese.enseignements.exists():
        raise ValidationError("La synthèse est vide : calculez-la d'abord.")
    synthese.publiee_le = timezone.now() if publier else None
    synthese.save(update_fields=["publiee_le"])
    return synthese


@transaction.atomic
def transformer_en_action(*, enseignement: Enseignement, plan, axe=None, par):
    """Create a roadmap action from a proposal; the link back to the proposal (and so its workshops) is kept."""
    from repere.pilotage import services as pilotage

    if enseignement.action_id:
        raise ValidationError("Cette proposition est déjà devenue une action.")
    ateliers = sorted({c.atelier for c in enseignement.contributions.select_related("atelier")}, key=lambda a: a.numero)
    citations = {c.pk: c for c in Contribution.objects.filter(pk__in=enseignement.citations)}
    description = "\n".join(
        [
            enseignement.texte or "",
            f"Issue de la synthèse « {enseignement.synthese.evenement.nom} » : {recurrence(enseignement)} atelier(s) — "
            + ", ".join(f"n°{a.numero}" for a in ateliers)
            + ".",
            *[f"« {citations[c].texte} »" for c in enseignement.citations if c in citations],
        ]
    ).strip()
    action = pilotage.creer_action(plan=plan, par=par, axe=axe, titre=enseignement.titre[:300], description=description)
    enseignement.action = action
    enseignement.save(update_fields=["action"])
    return action
