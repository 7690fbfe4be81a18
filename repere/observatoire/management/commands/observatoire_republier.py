from repere.observatoire.services import republier_tout
from repere.utils.commandes import Commande


class Command(Commande):
    help = (
        "Applique de nouveau le secret statistique à toutes les valeurs (après un changement de REPERE_SECRET_SEUIL)."
    )

    def handle(self, *args, **o):
        self.stdout.write(f"{republier_tout()} cases masquées.")
