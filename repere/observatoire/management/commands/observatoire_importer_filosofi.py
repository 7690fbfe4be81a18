from repere.observatoire.importation import filosofi
from repere.observatoire.management.commands._commun import importer
from repere.observatoire.models import Niveau
from repere.utils.commandes import Commande


class Command(Commande):
    help = "Importe un fichier INSEE Filosofi (FILO2021_DISP_COM.csv, _EPCI, _DEP, _REG ou IRIS) dans l'observatoire."

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--niveau", choices=Niveau.values, help="déduit du nom du fichier par défaut")
        parser.add_argument(
            "--ignorer-inconnus", action="store_true", help="ignorer (avec un avertissement) les codes inconnus du COG"
        )

    def handle(self, *args, **o):
        importer(
            self, o["fichier"], lambda f: filosofi.lire(f, niveau=o["niveau"], ignorer_inconnus=o["ignorer_inconnus"])
        )
