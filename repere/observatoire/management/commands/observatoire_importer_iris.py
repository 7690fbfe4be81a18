from django.core.management.base import CommandError

from repere.observatoire.importation import iris
from repere.observatoire.importation.commun import ErreurImport, Fichier
from repere.observatoire.services import enregistrer_contours_iris
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Charge les contours des IRIS de l'IGN (CONTOURS-IRIS, export GeoJSON en WGS 84 : "
        "ogr2ogr -f GeoJSON -t_srs EPSG:4326 iris.geojson CONTOURS-IRIS.shp) pour les cartes par IRIS."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="export GeoJSON des contours IRIS (CODE_IRIS, NOM_IRIS, INSEE_COM…)")

    def handle(self, *args, **o):
        try:
            fichier = Fichier.depuis_chemin(o["fichier"])
            run = enregistrer_contours_iris(lecture=iris.lire(fichier), fichier=fichier)
        except ErreurImport as e:
            raise CommandError(str(e)) from e
        for a in run.avertissements[:30]:
            self.stdout.write(f"Avertissement : {a}")
        self.stdout.write(
            self.style.SUCCESS(f"{run.fichier} chargé : {run.valeurs} contours d'IRIS (empreinte {run.sha256[:12]}…).")
        )
