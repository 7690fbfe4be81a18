from django.core.management.base import CommandError

from repere.annuaire.importation import ErreurFichier, importer_data_inclusion
from repere.utils.commandes import Commande

from ._rapport import afficher


class Command(Commande):
    help = (
        "Importe un export data·inclusion v1 (structures et/ou services, JSON, CSV, XLSX, ODS ou Parquet). "
        "Relancer l'import met à jour (clé : source + id) ; les lignes absentes d'une source importée "
        "sont retirées de l'annuaire. Les lignes invalides sont rejetées et listées (code de sortie 2, ou 1 si "
        "aucune ligne n'est importée)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--structures", help="fichier des structures (.json, .csv, .parquet)")
        parser.add_argument("--services", help="fichier des services (.json, .csv, .parquet)")
        parser.add_argument("--sans-suppressions", action="store_true", help="ne retire pas les lignes absentes")
        parser.add_argument("--rejets", help="écrit les lignes rejetées dans ce fichier CSV")
        parser.add_argument(
            "--encodage", choices=["utf-8", "cp1252"], default="utf-8", help="encodage des CSV (cp1252 : Windows-1252)"
        )
        parser.add_argument("--verifier", action="store_true", help="vérifie tout sans rien écrire")

    def handle(self, *args, **options):
        if not options["structures"] and not options["services"]:
            raise CommandError("Indiquez --structures et/ou --services.")
        try:
            rapport = importer_data_inclusion(
                structures=options["structures"],
                services=options["services"],
                detecter_suppressions=not options["sans_suppressions"],
                encodage=options["encodage"],
                ecrire=not options["verifier"],
            )
        except ErreurFichier as exc:
            raise CommandError(str(exc)) from exc
        afficher(self, rapport, fichier_rejets=options["rejets"])
