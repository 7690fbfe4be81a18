from repere.allervers.compteurs import recalculer
from repere.utils.commandes import Commande


class Command(Commande):
    help = "Aller-vers : reconstruit les compteurs quotidiens des contacts à partir des contacts enregistrés."

    def handle(self, *args, **options):
        n = recalculer()
        self.stdout.write(f"{n} compteurs quotidiens reconstruits.")
