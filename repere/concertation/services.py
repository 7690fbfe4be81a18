"""Writes of the concertation module: fiches and their contributions, the import of a written synthesis,
working groups, meetings, decisions (which create or change roadmap actions through pilotage's services)
and follow-up tasks with their reminders."""

import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction

from repere.concertation.importation import est_non_renseigne, lire_fiches
from repere.concertation.models import (
    Atelier,
    Contribution,
    Decision,
    Evenement,
    NatureDecision,
    Reunion,
    Section,
    Tache,
)

LONGUEUR_MAX_CONTRIBUTION = 2000


@transaction.atomic
def ajouter_contribution(
    *, atelier: Atelier, section: str, texte: str, cle=None, par=None
) -> tuple[Contribution, bool]:
    """Add one item to a fiche; sending the same key twice returns the first one (offline queue)."""
    if section not in Section.values:
        raise ValidationError({"section": f"Rubrique inconnue : « {section} »."})
    texte = (texte or "").strip()
    if not texte:
        raise ValidationError({"texte": "La contribution est vide."})
    if len(texte) > LONGUEUR_MAX_CONTRIBUTION:
        raise ValidationError(
            {"texte": f"La contribution dépasse {LONGUEUR_MAX_CONTRIBUTION} caractères ({len(texte)})."}
        )
    cle = uuid.UUID(str(cle)) if cle else uuid.uuid4()
    existante = Contribution.objects.filter(cle=cle).first()
    if existante:
        if existante.atelier_id != atelier.pk:
            raise ValidationError({"cle": "Cette clé d'envoi appartient à un autre atelier."})
        return existante, False
    ordre = atelier.contributions.filter(section=section).count()
    c = Contribution.objects.create(
        atelier=atelier,
        section=section,
        texte=texte,
        non_renseigne=est_non_renseigne(texte),
        ordre=ordre,
        cle=cle,
        auteur=par if getattr(par, "pk", None) else None,
    )
    return c, True


@transaction.atomic
def retirer_contribution(*, contribution: Contribution) -> None:
    contribution.delete()


def sections_vides(atelier: Atelier) -> list[str]:
    """Sections with no contribution, or only « N/A » ones: counted as empty."""
    remplies = set(atelier.contributions.filter(non_renseigne=False).values_list("section", flat=True).distinct())
    return [s for s in Section.values if s not in remplies]


class ImportImpossible(ValueError):
    pass


@transaction.atomic
def importer_synthese(*, texte: str, evenement: Evenement) -> list[Atelier]:
    """Rebuild the event's workshops and fiches from the Markdown of a written synthesis (idempotent:
    the event's workshops are replaced)."""
    fiches = lire_fiches(texte)
    if not fiches:
        raise ImportImpossible("Aucune fiche d'atelier trouvée (aucun titre « Thématique : … »).")
    sans_enjeu = [f.numero for f in fiches if not f.enjeu]
    if sans_enjeu:
        raise ImportImpossible(f"Fiche(s) sans « Enjeu » : n°{', '.join(map(str, sans_enjeu))}.")
    evenement.ateliers.all().delete()
    ateliers = []
    for f in fiches:
        atelier = Atelier.objects.create(evenement=evenement, numero=f.numero, thematique=f.thematique, enjeu=f.enjeu)
        Contribution.objects.bulk_create(
            [
                Contribution(atelier=atelier, section=section, texte=t, non_renseigne=est_non_renseigne(t), ordre=i)
                for section, items in f.sections.items()
                for i, t in enumerate(items)
            ]
        )
        ateliers.append(atelier)
    return ateliers


NOM_SEED = "conference-pacte-solidarites-pdl-2023.md"


def chemin_seed() -> Path:
    """The 2023 synthesis in ``shared/seed/`` beside the repository (``../shared``; one level higher for a
    git worktree kept in a sub-folder). The first candidate is returned when neither exists."""
    candidats = [Path(settings.BASE_DIR).parent / "shared" / "seed" / NOM_SEED]
    candidats.append(Path(settings.BASE_DIR).parent.parent / "shared" / "seed" / NOM_SEED)
    return next((c for c in candidats if c.exists()), candidats[0])


# ---- working groups -----------------------------------------------------------------------------------


@transaction.atomic
def creer_reunion(*, groupe, titre, date, lieu="", ordre_du_jour="") -> Reunion:
    if not (titre or "").strip():
        raise ValidationError({"titre": "Le titre est obligatoire."})
    return Reunion.objects.create(groupe=groupe, titre=titre.strip(), date=date, lieu=lieu, ordre_du_jour=ordre_du_jour)


@transaction.atomic
def enregistrer_compte_rendu(*, reunion: Reunion, compte_rendu: str, presents) -> Reunion:
    membres = set(reunion.groupe.membres.values_list("pk", flat=True))
    etrangers = [u for u in presents if u.pk not in membres]
    if etrangers:
        raise ValidationError({"presents": "Seuls les membres du groupe peuvent être notés présents."})
    reunion.compte_rendu = compte_rendu
    reunion.save(update_fields=["compte_rendu"])
    reunion.presents.set(presents)
    return reunion


@transaction.atomic
def prendre_decision(
    *, reunion: Reunion, texte: str, par, plan=None, titre_action="", action=None, statut=""
) -> Decision:
    """A decision; « créer » makes a new roadmap action, « changer » sets an action's status. Link kept."""
    from repere.pilotage import services as pilotage

    if not (texte or "").strip():
        raise ValidationError({"texte": "Le texte de la décision est obligatoire."})
    nature = NatureDecision.SIMPLE
    if plan is not None:
        action = pilotage.creer_action(
            plan=plan,
            par=par,
            titre=(titre_action or texte)[:300],
            description=f"Décidée en réunion « {reunion.titre} » du {reunion.date:%d/%m/%Y} ({reunion.groupe}).",
        )
        nature = NatureDecision.CREATION
    elif action is not None:
        if statut:
            pilotage.modifier_action(action=action, par=par, statut=statut)
        pilotage.ajouter_note(
            action=action, par=par, date=reunion.date.date(), texte=f"Décision du groupe « {reunion.groupe} » : {texte}"
        )
        nature = NatureDecision.MODIFICATION
    return Decision.objects.create(reunion=reunion, texte=texte.strip(), nature=nature, action=action)


@transaction.atomic
def creer_tache(*, reunion: Reunion, titre: str, responsable, echeance: date) -> Tache:
    if not reunion.groupe.membres.filter(pk=responsable.pk).exists():
        raise ValidationError({"responsable": "La tâche est confiée à un membre du groupe."})
    if not (titre or "").strip():
        raise ValidationError({"titre": "Le titre est obligatoire."})
    return Tache.objects.create(reunion=reunion, titre=titre.strip(), responsable=responsable, echeance=echeance)


def envoyer_rappels(*, jour: date, delai_jours: int = 3) -> int:
    """E-mail each responsible person once about tasks due within ``delai_jours`` (or overdue) not done."""
    taches = Tache.objects.filter(faite=False, echeance__lte=jour + timedelta(days=delai_jours), rappel_envoye_le=None)
    envoyes = 0
    for t in taches.select_related("responsable", "reunion__groupe"):
        send_mail(
            subject=f"Rappel : « {t.titre} » pour le {t.echeance:%d/%m/%Y}",
            message=(
                f"Bonjour,\n\nLa tâche « {t.titre} », décidée lors de la réunion « {t.reunion.titre} » du groupe "
                f"« {t.reunion.groupe} », est attendue pour le {t.echeance:%d/%m/%Y}.\n\n{settings.SITE_URL}/concertation/"
            ),
            from_email=None,
            recipient_list=[t.responsable.email],
        )
        t.rappel_envoye_le = jour
        t.save(update_fields=["rappel_envoye_le"])
        envoyes += 1
    return envoyes


# ---- events, workshops, kiosks ------------------------------------------------------------------------


@transaction.atomic
def creer_evenement(*, nom, date, organisation, lieu="", programme="", plan=None) -> Evenement:
    if not (nom or "").strip():
        raise ValidationError({"nom": "Le nom est obligatoire."})
    return Evenement.objects.create(
        nom=nom.strip(), date=date, lieu=lieu, programme=programme, organisation=organisation, plan=plan
    )


@transaction.atomic
def creer_atelier(*, evenement: Evenement, thematique: str, enjeu: str) -> Atelier:
    if not (thematique or "").strip() or not (enjeu or "").strip():
        raise ValidationError({"enjeu": "La thématique et l'enjeu sont obligatoires."})
    numero = (evenement.ateliers.order_by("-numero").values_list("numero", flat=True).first() or 0) + 1
    return Atelier.objects.create(
        evenement=evenement, numero=numero, thematique=thematique.strip(), enjeu=enjeu.strip()
    )


def ajouter_animateur(*, atelier: Atelier, email: str):
    from repere.comptes.models import User

    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"email": f"Aucun compte actif pour « {email} » : invitez d'abord la personne."})
    atelier.animateurs.add(user)
    return user


@transaction.atomic
def creer_kiosque(*, evenement: Evenement, titre: str, thematique="", structure_annuaire=None, action=None):
    from repere.concertation.models import Kiosque

    if not (titre or "").strip():
        raise ValidationError({"titre": "Le titre est obligatoire."})
    return Kiosque.objects.create(
        evenement=evenement,
        titre=titre.strip(),
        thematique=thematique,
        structure=structure_annuaire.nom if structure_annuaire else "",
        structure_annuaire=structure_annuaire,
        action=action,
    )


@transaction.atomic
def creer_groupe(*, nom, theme, organisation_pilote, pilote=None, plan=None):
    from repere.concertation.models import GroupeTravail

    if not (nom or "").strip():
        raise ValidationError({"nom": "Le nom est obligatoire."})
    g = GroupeTravail.objects.create(
        nom=nom.strip(), theme=theme, organisation_pilote=organisation_pilote, pilote=pilote, plan=plan
    )
    g.organisations.add(organisation_pilote)
    if pilote:
        g.membres.add(pilote)
    return g


def ajouter_membre_groupe(*, groupe, email: str):
    from repere.comptes.models import User

    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        raise ValidationError({"email": f"Aucun compte actif pour « {email} »."})
    groupe.membres.add(user)
    for m in user.memberships.filter(is_active=True):
        groupe.organisations.add(m.organisation_id)
    return user


@transaction.atomic
def marquer_tache(*, tache: Tache, faite: bool) -> Tache:
    tache.faite = faite
    tache.save(update_fields=["faite"])
    return tache
