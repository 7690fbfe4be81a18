from django.core.management.base import CommandError

from repere.annuaire.importation import ErreurFichier, exporter
from repere.utils.commandes import Commande


class Command(Commande):
    help = "Exporte l'annuaire au format data·inclusion v1 : structures.<format> et services.<format>."

    def add_arguments(self, parser):
        parser.add_argument("dossier")
        parser.add_argument("--format", choices=["json", "csv", "parquet"], default="json")
        parser.add_argument("--source", action="append", help="limiter à ces sources (répétable)")

    def handle(self, *args, **options):
        try:
            structures, services = exporter(
                dossier=options["dossier"], format=options["format"], sources=options["source"]
            )
        except ErreurFichier as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Écrit : {structures} et {services}"))
