"""Write operations of the batch screening: create a job from an upload, run it, delete, purge, resume."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from repere.depistage import activite, fichiers, lecture
from repere.depistage.assemblage import mois_courant
from repere.depistage.colonnes import reconnaitre_entetes
from repere.depistage.models import Depistage, Statut
from repere.depistage.sortie import FORMATS_SORTIE
from repere.utils.errors import ErreurMetier
from repere.utils.limites import memoire_limitee

# Never log file names, contents or household ids: only job numbers and counts.
logger = logging.getLogger(__name__)
TENTATIVES_MAX = 3


def _verifier_entete(chemin: Path) -> None:
    with lecture.ouvrir(chemin) as source:
        _positions, _inconnues, erreurs = reconnaitre_entetes(source.entetes)
        if erreurs:
            raise ErreurMetier("Ligne 1 (en-tête) : " + " ; ".join(erreurs) + ".", champ="fichier")
        if next(iter(source.lignes()), None) is None:
            raise ErreurMetier("Le fichier ne contient aucune ligne de données (seulement l'en-tête).", champ="fichier")


# what a person can do with a file too big for the web: words, not a command line
HORS_LIGNE = "demandez à l'administrateur technique de la plateforme de le traiter hors ligne, sans limite de taille"


def message_fichier_trop_gros() -> str:
    """The one message for a file above the upload limit (checked before reading, and again on creation)."""
    return (
        f"Le fichier dépasse la taille maximale acceptée en ligne ({fichiers.taille_max_octets() // (1024 * 1024)} Mo). "
        f"Découpez-le, ou {HORS_LIGNE}."
    )


def creer_depistage(
    *, organisation, user, fichier, format_sortie: str = "csv", mois: str | None = None, est_demo: bool = False
) -> Depistage:
    """Store the uploaded file outside public media and queue the job (after the transaction commits)."""
    if format_sortie not in FORMATS_SORTIE:
        raise ErreurMetier("Format de résultat inconnu (csv, xlsx ou parquet).", champ="format_sortie")
    nom = Path(getattr(fichier, "name", "") or "fichier").name[:255]
    try:
        format_entree = lecture.format_du_fichier(nom)
    except lecture.ErreurFichier as exc:
        raise ErreurMetier(str(exc), champ="fichier") from None
    taille = getattr(fichier, "size", 0) or 0
    if taille == 0:
        raise ErreurMetier("Le fichier est vide.", champ="fichier")
    if taille > fichiers.taille_max_octets():
        raise ErreurMetier(message_fichier_trop_gros(), champ="fichier")
    depistage = Depistage.objects.create(
        organisation=organisation,
        cree_par=user,
        nom_fichier=nom,
        format_entree=format_entree,
        format_sortie=format_sortie,
        taille_octets=taille,
        mois=mois or mois_courant(),
        est_demo=est_demo,
    )
    destination = fichiers.entree(depistage)
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.parent.chmod(0o700)
    tmp = destination.with_name(destination.name + ".partiel")
    try:
        with open(tmp, "wb") as f:
            for morceau in fichier.chunks() if hasattr(fichier, "chunks") else iter(lambda: fichier.read(1 << 20), b""):
                f.write(morceau)
        tmp.replace(destination)
        _verifier_entete(destination)
    except (lecture.ErreurFichier, ErreurMetier) as exc:
        shutil.rmtree(destination.parent, ignore_errors=True)
        depistage.delete()
        raise ErreurMetier(str(exc), champ="fichier") from None
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            shutil.rmtree(destination.parent, ignore_errors=True)
            depistage.delete()
            raise
        # Disk full: nothing is kept (neither the row nor a partial file), the operators are told, the user too.
        shutil.rmtree(destination.parent, ignore_errors=True)
        depistage.delete()
        logger.error("Dossier des dépôts plein : %s", destination.parent.parent)
        raise ErreurMetier(
            "Le serveur n'a plus assez de place pour enregistrer ce fichier : rien n'a été enregistré. "
            "L'incident est signalé à l'équipe d'exploitation ; réessayez plus tard.",
            champ="fichier",
        ) from None
    except BaseException:
        shutil.rmtree(destination.parent, ignore_errors=True)
        depistage.delete()
        raise
    transaction.on_commit(lambda: mettre_en_file(depistage))
    return depistage


# -- Fair queue and limits of the background jobs ---------------------------------------------------


def priorite_en_file(depistage: Depistage) -> int:
    """Jobs are served fairly between organisations: a job's priority is minus the number of jobs of
    its organisation queued or running before it. The first job of every organisation comes before the
    second of any other, so one organisation uploading ten files does not delay everybody else."""
    return -(
        Depistage.objects.filter(
            organisation_id=depistage.organisation_id, statut__in=(Statut.EN_ATTENTE, Statut.EN_COURS)
        )
        .exclude(pk=depistage.pk)
        .filter(pk__lt=depistage.pk)
        .count()
    )


def duree_max_secondes() -> int:
    return int(getattr(settings, "DEPISTAGE_DUREE_MAX_MINUTES", 120)) * 60


def memoire_max_octets() -> int:
    return int(getattr(settings, "DEPISTAGE_MEMOIRE_MAX_MO", 2048)) * 1024 * 1024


def mettre_en_file(depistage: Depistage) -> None:
    """Queue the job with its fair priority and its time limit (enforced by the worker too)."""
    from repere.depistage.tasks import tache_depistage

    tache_depistage(depistage.pk, priority=priorite_en_file(depistage), timeout=duree_max_secondes())


def message_memoire_depassee() -> str:
    return (
        f"Le calcul a dépassé la mémoire maximale d'un dépistage ({memoire_max_octets() // (1024 * 1024)} Mo) : "
        "il est arrêté. Découpez le fichier en plusieurs dépôts."
    )


class LimiteDepassee(Exception):
    """A job went past its time or memory limit: it is stopped, with a French message for the user."""


def memoire_utilisee_octets() -> int:
    """Resident memory of this process (Linux /proc; 0 elsewhere, where the check is then skipped)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def controleur_limites(*, debut: float):
    """A check called at each progress step of a job: raises LimiteDepassee past the time limit, or when the
    memory the job added since it started goes past the memory limit."""
    duree_max, memoire_max = duree_max_secondes(), memoire_max_octets()
    memoire_depart = memoire_utilisee_octets()

    def controler() -> None:
        if time.monotonic() - debut > duree_max:
            raise LimiteDepassee(
                f"Le calcul a dépassé la durée maximale d'un dépistage ({duree_max // 60} minutes) : il est arrêté. "
                f"Découpez le fichier en plusieurs dépôts, ou {HORS_LIGNE}."
            )
        if memoire_max and memoire_utilisee_octets() - memoire_depart > memoire_max:
            raise LimiteDepassee(message_memoire_depassee())

    return controler


def _mettre_a_jour(depistage_id: int, **champs) -> None:
    Depistage.objects.filter(pk=depistage_id).update(**champs)


def executer_depistage(*, depistage_id: int) -> Depistage | None:
    """Run (or resume) a job; called by the background worker. Progress is written to the row."""
    from repere.depistage.execution import ErreurDepistage, Options, depister
    from repere.depistage.selectors import noms_communes

    depistage = Depistage.objects.filter(pk=depistage_id).first()
    if depistage is None or depistage.statut not in (Statut.EN_ATTENTE, Statut.EN_COURS):
        return depistage
    if not fichiers.entree(depistage).exists():
        _mettre_a_jour(depistage_id, statut=Statut.ECHOUE, message="Le fichier déposé n'existe plus.")
        return Depistage.objects.get(pk=depistage_id)
    reprise = fichiers.travail(depistage).exists()
    maintenant = timezone.now()
    _mettre_a_jour(
        depistage_id,
        statut=Statut.EN_COURS,
        demarre_le=depistage.demarre_le or maintenant,
        battement=maintenant,
        tentatives=depistage.tentatives + 1,
        message="Reprise après interruption." if reprise else "",
    )
    logger.info("dépistage %s : démarrage (reprise=%s)", depistage_id, reprise)
    dernier = [0.0]
    controler = controleur_limites(debut=time.monotonic())

    def progression(etape, faits, total):
        controler()
        if etape == "calcul" and time.monotonic() - dernier[0] < 1.0 and faits < total:
            return
        dernier[0] = time.monotonic()
        _mettre_a_jour(depistage_id, etape=etape, menages_faits=faits, menages_total=total, battement=timezone.now())

    options = Options(
        mois=depistage.mois,
        reprendre=reprise,
        processus=int(getattr(settings, "DEPISTAGE_PROCESSUS", 1) or 1),
        dask=getattr(settings, "DEPISTAGE_DASK", None) or None,
        lots_minimum=20,  # the page shows progress chunk by chunk
    )
    try:
        # the memory limit is also set by the system for the job's duration (utils/limites.py): an allocation
        # past it raises MemoryError here, in this job, and the worker goes on with the next one
        with memoire_limitee(memoire_max_octets()):
            bilan = depister(
                entree=fichiers.entree(depistage),
                sortie_chemin=fichiers.resultats(depistage),
                rapport=fichiers.rapport(depistage),
                erreurs=fichiers.erreurs(depistage),
                travail=fichiers.travail(depistage),
                options=options,
                progression=progression,
                noms_communes=noms_communes,
                titre=f"Synthèse du repérage n° {depistage_id} — {depistage.organisation.nom}",
            )
    except (lecture.ErreurFichier, ErreurDepistage) as exc:
        _mettre_a_jour(depistage_id, statut=Statut.ECHOUE, message=str(exc), termine_le=timezone.now())
        shutil.rmtree(fichiers.travail(depistage), ignore_errors=True)
        logger.info("dépistage %s : fichier refusé", depistage_id)
        return Depistage.objects.get(pk=depistage_id)
    except (LimiteDepassee, MemoryError) as exc:
        message = str(exc) if isinstance(exc, LimiteDepassee) else message_memoire_depassee()
        _mettre_a_jour(depistage_id, statut=Statut.ECHOUE, message=message, termine_le=timezone.now())
        shutil.rmtree(fichiers.travail(depistage), ignore_errors=True)
        logger.warning("dépistage %s : arrêté, limite dépassée", depistage_id)
        return Depistage.objects.get(pk=depistage_id)
    except Exception as exc:
        _mettre_a_jour(
            depistage_id,
            statut=Statut.ECHOUE,
            termine_le=timezone.now(),
            message="Erreur interne pendant le calcul : aucun résultat n'est présenté. Relancez le dépôt ; "
            "si l'erreur se reproduit, contactez l'équipe technique en donnant le numéro du dépistage.",
        )
        logger.error("dépistage %s : échec (%s)", depistage_id, type(exc).__name__)
        return Depistage.objects.get(pk=depistage_id)
    _mettre_a_jour(
        depistage_id,
        statut=Statut.TERMINE,
        etape="termine",
        termine_le=timezone.now(),
        menages_total=bilan.menages_total,
        menages_faits=bilan.menages_total,
        menages_calcules=bilan.menages_calcules,
        menages_rejetes=bilan.menages_rejetes,
        lignes_rejetees=bilan.lignes_rejetees,
        menages_non_recours=bilan.non_recours,
        menages_droit_estime=bilan.menages_droit,
        menages_percu_declare=bilan.menages_percu,
        montant_mensuel_en_jeu=bilan.montant_mensuel_en_jeu,
        message="",
    )
    activite.enregistrer(depistage_id=depistage_id, resultats=fichiers.resultats(depistage))  # observatoire
    logger.info("dépistage %s : terminé (%s ménages, %.1f s)", depistage_id, bilan.menages_total, bilan.duree)
    return Depistage.objects.get(pk=depistage_id)


def supprimer_depistage(*, depistage: Depistage) -> None:
    """Delete a job and its files now (a user does not need to wait for the retention period)."""
    shutil.rmtree(fichiers.repertoire(depistage), ignore_errors=True)
    depistage.delete()


def purger_depistages(*, maintenant=None) -> int:
    """Delete the files of jobs older than the retention period; keep anonymous counts. Returns how many."""
    maintenant = maintenant or timezone.now()
    limite = maintenant - fichiers.duree_conservation()
    n = 0
    for depistage in Depistage.objects.filter(cree_le__lt=limite, supprime_le__isnull=True):
        shutil.rmtree(fichiers.repertoire(depistage), ignore_errors=True)
        Depistage.objects.filter(pk=depistage.pk).update(
            statut=Statut.EXPIRE, nom_fichier="", supprime_le=maintenant, message=""
        )
        n += 1
    # Folders without a job row (job deleted while a worker was writing): removed as well.
    racine = fichiers.racine()
    if racine.exists():
        connus = {f"{pk:08d}" for pk in Depistage.objects.filter(supprime_le__isnull=True).values_list("pk", flat=True)}
        for dossier in racine.iterdir():
            if dossier.is_dir() and dossier.name not in connus:
                age = maintenant.timestamp() - dossier.stat().st_mtime
                if age > 3600:
                    shutil.rmtree(dossier, ignore_errors=True)
    return n


def relancer_depistages_interrompus(*, delai: timedelta = timedelta(minutes=15), maintenant=None) -> list[int]:
    """Re-queue the jobs whose worker stopped (no sign of life for ``delai``): they resume from their
    last completed chunk. After TENTATIVES_MAX attempts a job is marked failed."""
    maintenant = maintenant or timezone.now()
    relances = []
    interrompus = Depistage.objects.filter(statut=Statut.EN_COURS, battement__lt=maintenant - delai)
    for depistage in interrompus:
        if depistage.tentatives >= TENTATIVES_MAX:
            _mettre_a_jour(
                depistage.pk,
                statut=Statut.ECHOUE,
                termine_le=maintenant,
                message=f"Le calcul a été interrompu {depistage.tentatives} fois : abandon. Relancez le dépôt.",
            )
            continue
        _mettre_a_jour(depistage.pk, battement=maintenant)
        mettre_en_file(depistage)
        relances.append(depistage.pk)
    if relances:
        logger.info("dépistages relancés après interruption : %s", relances)
    return relances
