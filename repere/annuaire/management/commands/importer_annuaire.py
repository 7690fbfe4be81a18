import json
from pathlib import Path

from django.core.management.base import CommandError

from repere.annuaire.importation import ErreurFichier
from repere.annuaire.importation.correspondance import importer_fichier
from repere.utils.commandes import Commande

from ._rapport import afficher


class Command(Commande):
    help = (
        "Importe un fichier de structures et services de n'importe quelle disposition (CSV, XLSX, ODS, JSON) "
        "avec une correspondance des colonnes (le fichier JSON téléchargé depuis l'assistant d'import, "
        "ou écrit à la main : voir docs/annuaire.md). Idempotent (clé : source + id) ; les lignes absentes "
        "du fichier sont retirées ; code de sortie 2 si des lignes sont rejetées, 1 si aucune n'est importée."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--correspondance", required=True, help="correspondance des colonnes (JSON)")
        parser.add_argument("--verifier", action="store_true", help="vérifie tout sans rien écrire")
        parser.add_argument("--sans-suppressions", action="store_true", help="ne retire pas les lignes absentes")
        parser.add_argument("--rejets", help="écrit le tableau des rejets dans ce fichier CSV")

    def handle(self, *args, **options):
        chemin = Path(options["correspondance"])
        try:
            correspondance = json.loads(chemin.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"Correspondance introuvable : {chemin}") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"{chemin.name} : JSON illisible ({exc}).") from exc
        try:
            rapport, _st, _se = importer_fichier(
                options["fichier"],
                correspondance=correspondance,
                ecrire=not options["verifier"],
                detecter_suppressions=not options["sans_suppressions"],
            )
        except ErreurFichier as exc:
            raise CommandError(str(exc)) from exc
        afficher(self, rapport, fichier_rejets=options["rejets"])
