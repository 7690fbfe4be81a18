from repere.observatoire.importation import caf
from repere.observatoire.management.commands._commun import importer
from repere.utils.commandes import Commande


class Command(Commande):
    help = "Importe un fichier open data de la CAF « … par commune » (data.caf.fr) dans l'observatoire."

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--periode", help="AAAA ou AAAA-MM si le fichier n'a pas de colonne de date")
        parser.add_argument("--ignorer-inconnus", action="store_true")

    def handle(self, *args, **o):
        importer(
            self, o["fichier"], lambda f: caf.lire(f, periode=o["periode"], ignorer_inconnus=o["ignorer_inconnus"])
        )
