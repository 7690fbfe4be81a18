"""The import assistant's runs: queued for the background worker, executed through the mapping and the
shared pipeline, their report kept for the person who launched them."""

from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from repere.annuaire.importation import correspondance
from repere.annuaire.importation.fichiers import ErreurFichier
from repere.annuaire.models import ImportAnnuaire, SourceImport, StatutImport
from repere.utils.errors import ErreurMetier

PROBLEMES_GARDES = 500


def dossier_prive() -> Path:
    """Private storage of the files waiting to be imported (outside MEDIA_ROOT, never served)."""
    racine = getattr(settings, "REPERE_STOCKAGE_PRIVE", "") or f"{str(settings.MEDIA_ROOT).rstrip('/')}-prive"
    dossier = Path(racine) / "imports-annuaire"
    dossier.mkdir(parents=True, exist_ok=True, mode=0o700)
    return dossier


def deposer(*, nom: str, octets: bytes) -> None:
    """Keep an uploaded file until it is imported: readable by the application's account only."""
    chemin = dossier_prive() / nom
    chemin.touch(mode=0o600)
    chemin.write_bytes(octets)


def enregistrer_source(*, source: SourceImport, correspondance: dict) -> SourceImport:
    """At the last step of the assistant: save the source (a new one is created only now, so an abandoned
    upload leaves nothing behind) with the mapping of this import, used by the next one."""
    with transaction.atomic():
        if source.pk is None and SourceImport.objects.filter(code=source.code).exists():
            raise ErreurMetier(
                f"Le code de source « {source.code} » vient d'être pris par une autre source : "
                "déposez à nouveau le fichier sous un autre nom de source."
            )
        source.correspondance = correspondance
        source.save()
    return source


def lancer_import(*, source: SourceImport, fichier: str, nom_fichier: str, encodage: str, par) -> ImportAnnuaire:
    """Queue the import of a stored file with the source's saved mapping."""
    from repere.annuaire.tasks import tache_import_annuaire

    run = ImportAnnuaire.objects.create(
        source=source, cree_par=par, fichier=fichier, nom_fichier=nom_fichier[:200], encodage=encodage
    )
    tache_import_annuaire(run.pk)
    return ImportAnnuaire.objects.get(pk=run.pk)


def cle_progression(import_id: int) -> str:
    return f"annuaire:import:{import_id}:progression"


def progression(*, run: ImportAnnuaire) -> dict:
    """Where a running import is: {"etape", "faites", "total"}. Written by the worker after every batch of
    lines in the shared cache (the import's rows stay in one transaction until the end, invisible to the
    page meanwhile), kept on the import once it ends."""
    en_cours = cache.get(cle_progression(run.pk))
    if en_cours and run.statut == StatutImport.EN_COURS:
        return en_cours
    return {"etape": run.etape, "faites": run.lignes_traitees, "total": run.lignes_total}


def _rapporteur(import_id: int):
    def signaler(etape: str, faites: int, total: int) -> None:
        cache.set(cle_progression(import_id), {"etape": etape, "faites": faites, "total": total}, 24 * 3600)

    return signaler


def executer_import(*, import_id: int) -> ImportAnnuaire:
    run = ImportAnnuaire.objects.select_related("source").get(pk=import_id)
    if run.statut != StatutImport.EN_ATTENTE:
        return run
    ImportAnnuaire.objects.filter(pk=run.pk).update(statut=StatutImport.EN_COURS, debut_le=timezone.now())
    chemin = dossier_prive() / run.fichier
    signaler = _rapporteur(run.pk)
    signaler("lecture du fichier", 0, 0)
    try:
        rapport, _st, _se = correspondance.importer_fichier(
            chemin,
            nom=run.nom_fichier,
            correspondance={**run.source.correspondance, "encodage": run.encodage},
            ecrire=True,
            progression=signaler,
        )
    except (ErreurFichier, OSError) as exc:
        message = str(exc) if isinstance(exc, ErreurFichier) else "Le fichier de cet import n'est plus disponible."
        ImportAnnuaire.objects.filter(pk=run.pk).update(
            statut=StatutImport.ECHEC, resume=message, code_sortie=1, fin_le=timezone.now()
        )
        return ImportAnnuaire.objects.get(pk=run.pk)
    _titre, _entetes, lignes = rapport.tableau_rejets()
    ImportAnnuaire.objects.filter(pk=run.pk).update(
        statut=StatutImport.TERMINE,
        resume=rapport.resume(),
        code_sortie=rapport.code_sortie(),
        problemes=[[str(v) for v in ligne] for ligne in lignes[:PROBLEMES_GARDES]],
        nombre_problemes=len(lignes),
        etape="terminé",
        lignes_traitees=rapport.lignes_lues,
        lignes_total=rapport.lignes_lues,
        fin_le=timezone.now(),
    )
    cache.delete(cle_progression(run.pk))
    chemin.unlink(missing_ok=True)
    return ImportAnnuaire.objects.get(pk=run.pk)
