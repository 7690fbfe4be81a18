import datetime

from django.core.management.base import CommandError

from repere.allervers.anonymisation import appliquer_retention
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Aller-vers : avertit le référent 30 jours avant la fin de conservation (2 ans après le dernier contact), "
        "puis anonymise les fiches échues en statistiques anonymes ; purge le journal des accès de plus d'un an."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Date du jour à appliquer (AAAA-MM-JJ), pour rejouer un traitement.")

    def handle(self, *args, **options):
        jour = None
        if options.get("date"):
            try:
                jour = datetime.date.fromisoformat(options["date"])
            except ValueError as e:
                raise CommandError("--date : date invalide, format attendu AAAA-MM-JJ.") from e
        r = appliquer_retention(aujourdhui=jour)
        self.stdout.write(
            f"{r['avis']} avis envoyés aux référents, {r['anonymisees']} fiches anonymisées, "
            f"{r['journal_purge']} lectures anciennes purgées du journal."
        )
