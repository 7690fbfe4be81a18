from django.core.management.base import CommandError

from repere.observatoire.importation.commun import ErreurImport, Fichier
from repere.observatoire.services import enregistrer_import


def importer(commande, chemin, lire, **options):
    """Read, validate and write one file; a refused file raises CommandError with every line at fault."""
    try:
        fichier = Fichier.depuis_chemin(chemin)
        lecture = lire(fichier)
        run = enregistrer_import(lecture=lecture, fichier=fichier, est_demo=options.get("demo", False))
    except ErreurImport as e:
        raise CommandError(str(e)) from e
    for a in run.avertissements[:30]:
        commande.stdout.write(f"Avertissement : {a}")
    commande.stdout.write(
        commande.style.SUCCESS(
            f"{run.fichier} importé : {run.lignes} lignes, {run.valeurs} valeurs (empreinte {run.sha256[:12]}…)."
        )
    )
    return run
