from pathlib import Path

from django.core.management.base import CommandError

from repere.depistage import generateur
from repere.utils.commandes import Commande
from repere.utils.nombres import compte


class Command(Commande):
    help = (
        "Écrit un fichier de ménages synthétiques réalistes (personnes fictives, identifiants SYNTH-…) au format "
        "du dépistage : pour essayer la commande depister ou mesurer son débit."
    )

    def add_arguments(self, parser):
        parser.add_argument("menages", type=int, help="Nombre de ménages")
        parser.add_argument("--sortie", required=True, help="Fichier .csv, .parquet ou .xlsx")
        parser.add_argument("--graine", type=int, default=42, help="Graine du tirage (même graine, même fichier)")

    def handle(self, *args, menages, sortie, graine, **options):
        chemin = Path(sortie)
        ecrire = {".csv": generateur.ecrire_csv, ".parquet": generateur.ecrire_parquet, ".xlsx": generateur.ecrire_xlsx}
        if chemin.suffix.lower() not in ecrire:
            raise CommandError("Format non reconnu : utilisez .csv, .parquet ou .xlsx.")
        if menages < 1:
            raise CommandError("Indiquez un nombre de ménages positif.")
        lignes = ecrire[chemin.suffix.lower()](chemin, menages, graine=graine)
        self.stdout.write(
            self.style.SUCCESS(f"{compte(menages, 'ménage fictif')} ({compte(lignes, 'ligne')}) écrits dans {chemin}.")
        )
