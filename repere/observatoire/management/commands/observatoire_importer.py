from django.core.management.base import CommandError

from repere.observatoire.importation import generique
from repere.observatoire.importation.commun import ErreurImport, Fichier
from repere.observatoire.management.commands._commun import importer
from repere.observatoire.models import Agregation, Diffusion, Niveau, Unite
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Importe un fichier d'indicateur CSV ou XLSX (code du territoire, période, valeur, numérateur et "
        "dénominateur facultatifs) en indiquant quelle colonne contient quoi. Sans --indicateur : affiche l'en-tête."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--indicateur", help="code de l'indicateur (a-z, 0-9, _)")
        parser.add_argument("--libelle", default="")
        parser.add_argument("--unite", choices=Unite.values, default=Unite.NOMBRE)
        parser.add_argument("--agregation", choices=Agregation.values, default=Agregation.AUCUNE)
        parser.add_argument("--facteur", type=float, default=1, help="100 pour un taux en %%")
        parser.add_argument("--niveau", choices=Niveau.values, default=Niveau.COMMUNE)
        parser.add_argument("--colonne-niveau", default="")
        parser.add_argument("--colonne-code", default="")
        parser.add_argument("--colonne-valeur", default="")
        parser.add_argument("--colonne-periode", default="")
        parser.add_argument("--periode", default="")
        parser.add_argument("--colonne-numerateur", default="")
        parser.add_argument("--colonne-denominateur", default="")
        parser.add_argument("--colonne-statut", default="")
        parser.add_argument("--source", default="")
        parser.add_argument("--producteur", default="")
        parser.add_argument("--diffusion", choices=Diffusion.values, default=Diffusion.PUBLIC)
        parser.add_argument("--ignorer-inconnus", action="store_true")

    def handle(self, *args, **o):
        if not o["indicateur"]:
            try:
                entetes = generique.entetes(Fichier.depuis_chemin(o["fichier"]))
            except ErreurImport as e:
                raise CommandError(str(e)) from e
            self.stdout.write("Colonnes du fichier : " + " | ".join(entetes))
            self.stdout.write(
                "Indiquez --indicateur, --colonne-code, --colonne-valeur et --colonne-periode (ou --periode)."
            )
            return
        c = generique.Correspondance(
            code_indicateur=o["indicateur"],
            libelle=o["libelle"] or o["indicateur"],
            unite=o["unite"],
            agregation=o["agregation"],
            facteur=o["facteur"],
            niveau=o["niveau"],
            colonne_niveau=o["colonne_niveau"],
            colonne_code=o["colonne_code"],
            colonne_valeur=o["colonne_valeur"],
            colonne_periode=o["colonne_periode"],
            periode=o["periode"],
            colonne_numerateur=o["colonne_numerateur"],
            colonne_denominateur=o["colonne_denominateur"],
            colonne_statut=o["colonne_statut"],
            source=o["source"],
            producteur=o["producteur"],
            diffusion=o["diffusion"],
        )
        importer(
            self, o["fichier"], lambda f: generique.lire(f, correspondance=c, ignorer_inconnus=o["ignorer_inconnus"])
        )
